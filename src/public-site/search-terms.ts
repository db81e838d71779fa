/** At most this many words of a reader's query are searched for. */
export const MAX_SEARCH_TERMS = 12;

/** Where FTS5's snippet()/highlight() start and end a match: control characters that article text does not contain. */
export const MATCH_START = '\u0002';
export const MATCH_END = '\u0003';

/**
 * The words of a reader's query (letters and digits, as the unicode61 tokenizer splits them), so FTS5
 * syntax such as `"`, `*`, `AND`, `NEAR(` or `col:` is never interpreted.
 */
export function searchTerms(query: string): string[] {
  return (query.match(/[\p{L}\p{N}\p{Co}]+/gu) ?? []).slice(0, MAX_SEARCH_TERMS);
}

/** An FTS5 MATCH expression that finds articles containing every term: each one a quoted string. */
export function matchExpression(terms: string[]): string {
  return terms.map((term) => `"${term}"`).join(' ');
}

export interface SnippetSegment {
  text: string;
  /** Part of the text that matched the query, to be shown highlighted. */
  match: boolean;
}

/**
 * Splits a snippet marked with MATCH_START…MATCH_END into plain and matching text (a stray marker is dropped).
 * Nothing here is HTML: the view escapes every segment and wraps the matches in <mark>.
 */
export function snippetSegments(snippet: string): SnippetSegment[] {
  const segments: SnippetSegment[] = [];
  const pattern = new RegExp(`${MATCH_START}([^${MATCH_START}${MATCH_END}]*)${MATCH_END}`, 'g');
  const strayMarkers = new RegExp(`[${MATCH_START}${MATCH_END}]`, 'g');
  const push = (text: string, match: boolean) => {
    const clean = text.replace(strayMarkers, '');
    if (clean) segments.push({ text: clean, match });
  };
  let last = 0;
  for (const found of snippet.matchAll(pattern)) {
    push(snippet.slice(last, found.index), false);
    push(found[1]!, true);
    last = found.index + found[0].length;
  }
  push(snippet.slice(last), false);
  return segments;
}

/** Drops Markdown link targets and emphasis markers, which the index holds but a reader should not see in a snippet. */
export function withoutMarkdown(snippet: string): string {
  return snippet
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\*\*|__|`/g, '')
    .replace(/^#+\s*/gm, '');
}
