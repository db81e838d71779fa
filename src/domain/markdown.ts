import MarkdownIt from 'markdown-it';

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: true });

/**
 * Renders an article's Markdown to HTML. Raw HTML is off (it comes out escaped) and markdown-it's
 * link validation drops `javascript:`, `vbscript:`, `file:` and non-image `data:` URLs.
 */
export function renderMarkdown(source: string): string {
  return markdown.render(source);
}
