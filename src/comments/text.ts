export type TextSegment = { kind: 'text'; text: string } | { kind: 'link'; href: string; text: string };

/** A comment's paragraphs; each is a list of lines, each line a list of text and link segments. */
export type FormattedText = TextSegment[][][];

const BARE_URL = /\bhttps?:\/\/[^\s<>"']+/gi;
const TRAILING_PUNCTUATION = /[.,;:!?)\]}'"»”’]+$/;

function linkify(line: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let last = 0;
  for (const match of line.matchAll(BARE_URL)) {
    const url = match[0].replace(TRAILING_PUNCTUATION, '');
    const start = match.index;
    if (start > last) segments.push({ kind: 'text', text: line.slice(last, start) });
    segments.push({ kind: 'link', href: url, text: url });
    last = start + url.length;
  }
  if (last < line.length) segments.push({ kind: 'text', text: line.slice(last) });
  return segments;
}

/**
 * Splits a reader's plain text into paragraphs (blank lines) and lines, turning bare http(s) URLs
 * into links. Nothing here is HTML: the view escapes every segment.
 */
export function formatCommentText(body: string): FormattedText {
  return body
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph.length > 0)
    .map((paragraph) => paragraph.split('\n').map(linkify));
}

/** How many links a comment carries (a spam signal). */
export function countLinks(body: string): number {
  return body.match(BARE_URL)?.length ?? 0;
}
