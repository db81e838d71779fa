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
