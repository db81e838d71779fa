import MarkdownIt from 'markdown-it';

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: true });

/** What an image's address resolves to: a better `src`, its variants, its size (so nothing shifts as it loads). */
export interface ImageAttributes {
  src: string;
  srcset?: string;
  sizes?: string;
  width?: number;
  height?: number;
}
/** Says what the image at this address is; `undefined` leaves it as written. */
export type ImageResolver = (src: string) => ImageAttributes | undefined;

type RenderEnv = { resolveImage?: ImageResolver };

// Images in an article's body sit below its hero: load them when the reader gets near.
const renderImage = markdown.renderer.rules.image!;
markdown.renderer.rules.image = (tokens, index, options, env, self) => {
  const token = tokens[index]!;
  const resolved = (env as RenderEnv).resolveImage?.(String(token.attrGet('src') ?? ''));
  for (const [name, value] of Object.entries(resolved ?? {})) {
    if (value !== undefined) token.attrSet(name, String(value));
  }
  token.attrSet('loading', 'lazy');
  token.attrSet('decoding', 'async');
  return renderImage(tokens, index, options, env, self);
};

/**
 * Renders an article's Markdown to HTML. Raw HTML is off (it comes out escaped) and markdown-it's
 * link validation drops `javascript:`, `vbscript:`, `file:` and non-image `data:` URLs. Each image's
 * address goes through `resolveImage` when one is given.
 */
export function renderMarkdown(source: string, { resolveImage }: RenderEnv = {}): string {
  return markdown.render(source, { resolveImage } satisfies RenderEnv);
}

/** The addresses of the images in this Markdown, in order, as the renderer will see them. */
export function imageSources(source: string): string[] {
  const sources: string[] = [];
  const walk = (tokens: ReturnType<typeof markdown.parse>) => {
    for (const token of tokens) {
      if (token.type === 'image') sources.push(String(token.attrGet('src') ?? ''));
      if (token.children) walk(token.children);
    }
  };
  walk(markdown.parse(source, {}));
  return sources;
}

/**
 * Plain text (a headline, a name, a standfirst) as Markdown that reads as exactly that text: one line,
 * with a backslash before every character that could start emphasis, code, a link, an image, HTML,
 * an entity or a heading, and before what would make its start a list item or a quote.
 */
export function markdownText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\`*_[\]<>&~#]/g, '\\$&')
    .replace(/^[-+]|^(\d+)([.)])/, (marker, digits?: string, delimiter?: string) =>
      digits === undefined ? `\\${marker}` : `${digits}\\${delimiter}`,
    );
}

/** The line an editor puts in an article's body, between two paragraphs, where its teaser ends. */
export const TEASER_MARKER = '<!--more-->';
/** Without a marker, a teaser is this many opening paragraphs (and what comes before them). */
export const TEASER_PARAGRAPHS = 2;

type Tokens = ReturnType<typeof markdown.parse>;

/** A paragraph that is only the teaser marker: never rendered. */
const isMarker = (tokens: Tokens, index: number) =>
  tokens[index]!.type === 'paragraph_open' && tokens[index + 1]?.content.trim() === TEASER_MARKER;

/**
 * Cuts an article's Markdown where its teaser ends, between top-level blocks: at the first teaser
 * marker, or else after TEASER_PARAGRAPHS paragraphs, never keeping the last block (a teaser
 * without a marker always leaves something out). `cut` is the index of the first token after the
 * teaser, `cutLine` its first line; the marker's paragraphs are dropped from `tokens`.
 */
function teaserCut(source: string) {
  const parsed = markdown.parse(source, {});
  const markerLines = new Set<number>();
  const tokens: Tokens = [];
  let marked: { cut: number; cutLine: number } | undefined;
  for (let index = 0; index < parsed.length; index++) {
    if (parsed[index]!.level === 0 && isMarker(parsed, index)) {
      const [start, end] = parsed[index]!.map!;
      for (let line = start; line < end; line++) markerLines.add(line);
      marked ??= { cut: tokens.length, cutLine: start };
      index += 2;
    } else tokens.push(parsed[index]!);
  }
  const blockStarts = tokens.flatMap((token, index) => (token.level === 0 && token.map ? [index] : []));
  if (marked) return { tokens, markerLines, ...marked };
  let paragraphs = 0;
  let block = 0;
  while (block < blockStarts.length - 1 && paragraphs < TEASER_PARAGRAPHS) {
    if (tokens[blockStarts[block]!]!.type === 'paragraph_open') paragraphs++;
    block++;
  }
  const cut = blockStarts[block] ?? 0;
  return { tokens, markerLines, cut, cutLine: tokens[cut]?.map?.[0] ?? 0 };
}

/**
 * An article's body as HTML (`html`, without the teaser marker) and its teaser's (`teaserHtml`, what a
 * reader without access gets): `html` always starts with `teaserHtml`, the rest is the paywalled part.
 */
export function renderArticleBody(
  source: string,
  { resolveImage }: RenderEnv = {},
): { html: string; teaserHtml: string } {
  const env = { resolveImage } satisfies RenderEnv;
  const { tokens, cut } = teaserCut(source);
  const render = (part: Tokens) => markdown.renderer.render(part, markdown.options, env);
  const teaserHtml = render(tokens.slice(0, cut));
  return { html: teaserHtml + render(tokens.slice(cut)), teaserHtml };
}

/** An article's Markdown without its teaser marker (`body`), and its teaser's Markdown (`teaser`). */
export function articleBodyMarkdown(source: string): { body: string; teaser: string } {
  const { markerLines, cutLine } = teaserCut(source);
  const lines = source.split('\n');
  const kept = (upTo: number) =>
    lines
      .slice(0, upTo)
      .filter((_, line) => !markerLines.has(line))
      .join('\n')
      .trim();
  return { body: kept(lines.length), teaser: kept(cutLine) };
}
