import MarkdownIt from 'markdown-it';

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: true });

// Images in an article's body sit below its hero: load them when the reader gets near.
const renderImage = markdown.renderer.rules.image!;
markdown.renderer.rules.image = (tokens, index, options, env, self) => {
  tokens[index]!.attrSet('loading', 'lazy');
  tokens[index]!.attrSet('decoding', 'async');
  return renderImage(tokens, index, options, env, self);
};

/**
 * Renders an article's Markdown to HTML. Raw HTML is off (it comes out escaped) and markdown-it's
 * link validation drops `javascript:`, `vbscript:`, `file:` and non-image `data:` URLs.
 */
export function renderMarkdown(source: string): string {
  return markdown.render(source);
}
