/**
 * A Ghost post's body as HTML when the export has none: Ghost keeps what its editor wrote as
 * mobiledoc (Ghost 1 to 4) or lexical (Ghost 5 and later), and renders HTML from it. These render the
 * basic sections and cards (paragraphs, headings, lists, quotes, images with captions, code, rules,
 * Markdown, HTML, embeds and bookmarks as links); the HTML then goes through the same conversion to
 * Markdown as WordPress's, which drops what is unsafe. A card they do not know is dropped and counted.
 */
import { renderMarkdown } from '../lib/markdown.ts';
import type { Removed } from './wordpress-markup.ts';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[character]!);

type Card = Record<string, unknown>;
const str = (value: unknown) => (typeof value === 'string' ? value : '');

/** The cards both editors share, by name (mobiledoc's card name, lexical's node type). */
function card(name: string, payload: Card, removed: Removed): string {
  switch (name) {
    case 'image': {
      const caption = str(payload.caption);
      return `<figure><img src="${escapeHtml(str(payload.src))}" alt="${escapeHtml(str(payload.alt) || str(payload.altText))}">${caption ? `<figcaption>${caption}</figcaption>` : ''}</figure>`;
    }
    case 'markdown':
    case 'card-markdown':
      return renderMarkdown(str(payload.markdown));
    case 'html':
      return str(payload.html);
    case 'code':
    case 'codeblock':
      return `<pre><code>${escapeHtml(str(payload.code))}</code></pre>`;
    case 'hr':
    case 'horizontalrule':
      return '<hr>';
    case 'embed':
    case 'bookmark': {
      const url = str(payload.url);
      const title = str((payload.metadata as Card | undefined)?.title) || url;
      return url ? `<p><a href="${escapeHtml(url)}">${escapeHtml(title)}</a></p>` : '';
    }
    default:
      removed[`Ghost ${name} card`] = (removed[`Ghost ${name} card`] ?? 0) + 1;
      return '';
  }
}

type Marker = [number, number[], number, string | number];
type Section = [number, ...unknown[]];
interface Mobiledoc {
  markups?: [string, string[]?][];
  atoms?: [string, string, Card][];
  cards?: [string, Card][];
  sections?: Section[];
}

/** Mobiledoc 0.3 (https://github.com/bustle/mobiledoc-kit/blob/master/MOBILEDOC.md) as HTML. */
export function mobiledocToHtml(json: string, removed: Removed): string {
  const doc = JSON.parse(json) as Mobiledoc;
  const markups = doc.markups ?? [];
  const markers = (list: Marker[]) => {
    const open: string[] = [];
    let html = '';
    for (const [kind, opened, closed, value] of list) {
      for (const index of opened) {
        const [tag, attributes = []] = markups[index] ?? ['span'];
        let attributeText = '';
        for (let at = 0; at + 1 < attributes.length; at += 2) {
          attributeText += ` ${attributes[at]}="${escapeHtml(attributes[at + 1]!)}"`;
        }
        html += `<${tag}${attributeText}>`;
        open.push(tag);
      }
      html +=
        kind === 1 ? (doc.atoms?.[value as number]?.[0] === 'soft-return' ? '<br>' : '') : escapeHtml(String(value));
      for (let n = 0; n < closed; n += 1) html += `</${open.pop()}>`;
    }
    return (
      html +
      open
        .reverse()
        .map((tag) => `</${tag}>`)
        .join('')
    );
  };
  return (doc.sections ?? [])
    .map(([type, ...rest]) => {
      if (type === 1) return `<${rest[0]}>${markers(rest[1] as Marker[])}</${rest[0]}>`;
      if (type === 3) {
        const items = (rest[1] as Marker[][]).map((item) => `<li>${markers(item)}</li>`).join('');
        return `<${rest[0]}>${items}</${rest[0]}>`;
      }
      if (type === 2) return `<figure><img src="${escapeHtml(String(rest[0]))}"></figure>`;
      if (type === 10) {
        const [name, payload] = doc.cards?.[rest[0] as number] ?? ['unknown', {}];
        return card(name, payload, removed);
      }
      return '';
    })
    .join('\n');
}

interface LexicalNode {
  type: string;
  children?: LexicalNode[];
  text?: string;
  format?: number | string;
  tag?: string;
  listType?: string;
  url?: string;
  [key: string]: unknown;
}

/** Lexical text formats, as bits (Lexical's TextFormatType). */
const FORMATS: [number, string][] = [
  [1, 'strong'],
  [2, 'em'],
  [4, 's'],
  [8, 'u'],
  [16, 'code'],
];

/** Lexical (Ghost 5 and later: `{"root":{"children":[…]}}`) as HTML. */
export function lexicalToHtml(json: string, removed: Removed): string {
  const node = (item: LexicalNode): string => {
    const inner = () => (item.children ?? []).map(node).join('');
    switch (item.type.replace(/^extended-/, '')) {
      case 'root':
        return (item.children ?? []).map(node).join('\n');
      case 'paragraph':
        return `<p>${inner()}</p>`;
      case 'heading':
        return `<${item.tag ?? 'h2'}>${inner()}</${item.tag ?? 'h2'}>`;
      case 'quote':
      case 'aside':
        return `<blockquote>${inner()}</blockquote>`;
      case 'list':
        return item.listType === 'number' ? `<ol>${inner()}</ol>` : `<ul>${inner()}</ul>`;
      case 'listitem':
        return `<li>${inner()}</li>`;
      case 'link':
      case 'autolink':
        return `<a href="${escapeHtml(item.url ?? '')}">${inner()}</a>`;
      case 'linebreak':
        return '<br>';
      case 'text':
      case 'extended-text': {
        const format = typeof item.format === 'number' ? item.format : 0;
        return FORMATS.reduce(
          (html, [bit, tag]) => (format & bit ? `<${tag}>${html}</${tag}>` : html),
          escapeHtml(item.text ?? ''),
        );
      }
      default:
        return card(item.type, item, removed);
    }
  };
  return node((JSON.parse(json) as { root: LexicalNode }).root);
}
