/**
 * WordPress post markup → the Markdown our editor edits (raw HTML is off there). What WordPress keeps
 * in `post_content` is not HTML as browsers get it: paragraphs are blank lines that `wpautop` turns
 * into `<p>` at display time, shortcodes (`[caption]`, `[gallery]`, `[embed]`…) are expanded by PHP,
 * and the block editor leaves `<!-- wp:… -->` comments around each block. Unsafe markup (script,
 * style, iframes and other embedded objects, event-handler attributes, `javascript:`-like links) is
 * dropped and counted, so the import's report can say what was removed.
 */
import MarkdownIt from 'markdown-it';

const { unescapeAll } = new MarkdownIt().utils;

/** What was dropped, by kind ("<script>", "onclick=", "javascript: link", "[gallery]"), and how often. */
export type Removed = Record<string, number>;

const count = (removed: Removed, what: string) => {
  removed[what] = (removed[what] ?? 0) + 1;
};

interface Node {
  tag: string;
  attributes: Record<string, string>;
  children: (Node | string)[];
}

const VOID = new Set([
  'br',
  'img',
  'hr',
  'input',
  'meta',
  'link',
  'source',
  'wbr',
  'col',
  'area',
  'embed',
  'param',
  'track',
  'base',
]);
/** Dropped with everything inside them. */
const UNSAFE = new Set([
  'script',
  'style',
  'iframe',
  'object',
  'embed',
  'applet',
  'frame',
  'frameset',
  'noscript',
  'svg',
  'math',
  'template',
  'form',
  'textarea',
  'select',
  'button',
  'input',
  'base',
  'link',
  'meta',
  'param',
  'audio',
  'video',
  'canvas',
]);
const BLOCK_TAGS =
  'p|div|h[1-6]|ul|ol|li|blockquote|pre|table|thead|tbody|tfoot|tr|td|th|figure|figcaption|hr|dl|dt|dd|section|article|aside|header|footer|nav|address|main';
const BLOCK = new RegExp(`^<(${BLOCK_TAGS})\\b`, 'i');
/** A newline inside a paragraph, not next to a block's tag: `wpautop` makes it a `<br>`. */
const LINE_BREAK = new RegExp(`(?<!</?(?:${BLOCK_TAGS})\\b[^>]*>[ \\t]*)\\n(?![ \\t]*</?(?:${BLOCK_TAGS})\\b)`, 'gi');
const SAFE_URL = /^(https?:|mailto:|\/|#|\?|\.{0,2}\/)/i;

const decodeEntities = (text: string) =>
  text.replace(/&(#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/gi, (entity) => unescapeAll(entity));

function parseAttributes(raw: string, removed: Removed): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of raw.matchAll(/([^\s=/"'>]+)(?:\s*=\s*("([^"]*)"|'([^']*)'|[^\s>]+))?/g)) {
    const name = match[1]!.toLowerCase();
    if (name.startsWith('on')) {
      count(removed, `${name}= (event handler)`);
      continue;
    }
    attributes[name] = decodeEntities(match[3] ?? match[4] ?? match[2] ?? '');
  }
  return attributes;
}

/** A forgiving HTML tree: unknown closing tags are ignored, an open element closes with its parent. */
function parseHtml(html: string, removed: Removed): Node {
  const root: Node = { tag: '#root', attributes: {}, children: [] };
  const stack = [root];
  const TAG = /<!--[\s\S]*?(?:-->|$)|<(\/?)([a-zA-Z][\w:-]*)((?:"[^"]*"|'[^']*'|[^'">])*)>/g;
  let last = 0;
  const text = (value: string) => {
    if (value) stack.at(-1)!.children.push(decodeEntities(value));
  };
  for (let match = TAG.exec(html); match; match = TAG.exec(html)) {
    text(html.slice(last, match.index));
    last = TAG.lastIndex;
    if (!match[2]) continue;
    const tag = match[2].toLowerCase();
    if (match[1]) {
      const at = stack.findLastIndex((node) => node.tag === tag);
      if (at > 0) stack.length = at;
      continue;
    }
    if (UNSAFE.has(tag)) {
      count(removed, `<${tag}>`);
      if (!VOID.has(tag) && !match[3]!.trim().endsWith('/')) {
        const end = new RegExp(`</${tag}\\s*>`, 'ig');
        end.lastIndex = last;
        const closed = end.exec(html);
        last = closed ? end.lastIndex : html.length;
        TAG.lastIndex = last;
      }
      continue;
    }
    const node: Node = { tag, attributes: parseAttributes(match[3]!, removed), children: [] };
    if (isBlock(tag)) {
      // As in browsers: a block closes the paragraph it would sit in, and an <li> the <li> before it.
      const paragraph = stack.findLastIndex((open) => open.tag === 'p');
      if (paragraph > 0 && stack.slice(paragraph + 1).every((open) => !isBlock(open.tag))) stack.length = paragraph;
      const item = stack.findLastIndex((open) => open.tag === 'li');
      if (tag === 'li' && item > 0 && stack.slice(item + 1).every((open) => open.tag !== 'ul' && open.tag !== 'ol')) {
        stack.length = item;
      }
    }
    stack.at(-1)!.children.push(node);
    if (!VOID.has(tag) && !match[3]!.trim().endsWith('/')) stack.push(node);
  }
  text(html.slice(last));
  return root;
}

/** Shortcodes: [caption] becomes a figure, [embed] a link; the rest are dropped (their inner text kept) and counted. */
function expandShortcodes(content: string, removed: Removed): string {
  return content
    .replace(/\[caption[^\]]*\]([\s\S]*?)\[\/caption\]/gi, (_, inner: string) => {
      const image = /<img[^>]*>/i.exec(inner)?.[0] ?? '';
      const withLink = /<a[^>]*>\s*<img[^>]*>\s*<\/a>/i.exec(inner)?.[0] ?? image;
      const caption = inner.replace(withLink, '').trim();
      return `\n\n<figure>${image}<figcaption>${caption}</figcaption></figure>\n\n`;
    })
    .replace(
      /\[embed[^\]]*\]([\s\S]*?)\[\/embed\]/gi,
      (_, url: string) => `\n\n<p><a href="${url.trim()}">${url.trim()}</a></p>\n\n`,
    )
    .replace(/\[(\/?)([a-z][a-z0-9_-]*)((?:\s[^\]]*)?)\]/gi, (whole, closing: string, name: string) => {
      if (/^\d+$/.test(name)) return whole;
      if (!closing) count(removed, `[${name.toLowerCase()}] shortcode`);
      return '';
    });
}

/** WordPress's `wpautop`, as far as Markdown needs it: blank lines separate paragraphs, a single newline is a line break. */
function autop(content: string): string {
  const pre: string[] = [];
  const kept = content.replace(/<pre[\s\S]*?<\/pre>/gi, (block) => `\uE000${pre.push(block) - 1}\uE000`);
  const paragraphs = kept
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((chunk) => chunk.trim())
    .filter(Boolean)
    .map((chunk) => {
      const lines = chunk.replace(LINE_BREAK, '<br>\n');
      return BLOCK.test(chunk) || chunk.startsWith('\uE000') ? lines : `<p>${lines}</p>`;
    });
  return paragraphs.join('\n\n').replace(/\uE000(\d+)\uE000/g, (_, index: string) => pre[Number(index)]!);
}

const escapeInline = (text: string) => text.replace(/[\\`*_[\]<>&~|]/g, '\\$&');
/** A line's start that Markdown would read as a heading, list item, quote or rule. */
const escapeLineStart = (line: string) =>
  line.replace(/^(\s*)([#>+-]|=+|\d+(?=[.)]))/, (_, space: string, marker: string) =>
    /^\d/.test(marker) ? `${space}${marker}\\` : `${space}\\${marker}`,
  );
const urlOf = (href: string) => href.trim().replace(/\s/g, '%20').replace(/\(/g, '%28').replace(/\)/g, '%29');

function safeUrl(href: string | undefined, removed: Removed): string | undefined {
  if (!href) return undefined;
  const trimmed = href.trim();
  if (SAFE_URL.test(trimmed) || !/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return urlOf(trimmed);
  count(removed, `${trimmed.slice(0, trimmed.indexOf(':')).toLowerCase()}: link`);
  return undefined;
}

function inline(nodes: (Node | string)[], removed: Removed): string {
  return nodes
    .map((node) => {
      if (typeof node === 'string') return escapeInline(node.replace(/\s+/g, ' '));
      const inner = () => inline(node.children, removed).trim();
      switch (node.tag) {
        case 'br':
          return '\\\n';
        case 'strong':
        case 'b':
          return inner() ? `**${inner()}**` : '';
        case 'em':
        case 'i':
        case 'cite':
          return inner() ? `*${inner()}*` : '';
        case 'del':
        case 's':
        case 'strike':
          return inner() ? `~~${inner()}~~` : '';
        case 'code':
          return `\`${textOf(node).replace(/`/g, "'")}\``;
        case 'img': {
          const src = safeUrl(node.attributes.src, removed);
          return src ? `![${escapeInline(node.attributes.alt ?? '')}](${src})` : '';
        }
        case 'a': {
          const href = safeUrl(node.attributes.href, removed);
          const text = inner();
          return href && text ? `[${text}](${href})` : text;
        }
        default:
          return inline(node.children, removed);
      }
    })
    .join('');
}

const textOf = (node: Node | string): string => (typeof node === 'string' ? node : node.children.map(textOf).join(''));

const paragraph = (text: string) =>
  text
    .split('\n')
    .map((line) => escapeLineStart(line.trim()))
    .join('\n')
    .replace(/\\\n$/, '')
    .trim();

function blocks(nodes: (Node | string)[], removed: Removed): string[] {
  const out: string[] = [];
  let run: (Node | string)[] = [];
  const flush = () => {
    const text = paragraph(inline(run, removed));
    if (text) out.push(text);
    run = [];
  };
  for (const node of nodes) {
    if (typeof node === 'string' || !isBlock(node.tag)) {
      run.push(node);
      continue;
    }
    flush();
    out.push(...block(node, removed));
  }
  flush();
  return out;
}

const isBlock = (tag: string) =>
  /^(p|div|h[1-6]|ul|ol|li|blockquote|pre|table|thead|tbody|tfoot|tr|figure|figcaption|hr|dl|dt|dd|section|article|aside|header|footer|nav|address|main)$/.test(
    tag,
  );

function block(node: Node, removed: Removed): string[] {
  const heading = /^h([1-6])$/.exec(node.tag);
  if (heading) {
    const text = inline(node.children, removed).replace(/\\\n/g, ' ').trim();
    // The page's title is its one h1: headings in the body start at h2.
    return text ? [`${'#'.repeat(Math.max(2, Number(heading[1])))} ${text}`] : [];
  }
  switch (node.tag) {
    case 'p':
      return blocks(node.children, removed);
    case 'hr':
      return ['---'];
    case 'pre': {
      const code = textOf(node).replace(/\n$/, '');
      const fence = code.includes('```') ? '~~~~' : '```';
      return [`${fence}\n${code}\n${fence}`];
    }
    case 'blockquote':
      return [
        blocks(node.children, removed)
          .join('\n\n')
          .split('\n')
          .map((line) => (line ? `> ${line}` : '>'))
          .join('\n'),
      ];
    case 'ul':
    case 'ol': {
      const items = node.children.filter((child): child is Node => typeof child !== 'string' && child.tag === 'li');
      return [
        items
          .map((item, index) => {
            const marker = node.tag === 'ol' ? `${index + 1}.` : '-';
            const [first = '', ...rest] = blocks(item.children, removed).join('\n\n').split('\n');
            const pad = ' '.repeat(marker.length + 1);
            return [`${marker} ${first}`, ...rest.map((line) => (line ? pad + line : line))].join('\n');
          })
          .join('\n'),
      ];
    }
    case 'figcaption': {
      const text = inline(node.children, removed).trim();
      return text ? [`*${text}*`] : [];
    }
    case 'table':
      return table(node, removed);
    default:
      return blocks(node.children, removed);
  }
}

const elements = (node: Node, tags: string[]): Node[] =>
  node.children.flatMap((child) =>
    typeof child === 'string' ? [] : tags.includes(child.tag) ? [child] : elements(child, tags),
  );

/** A table as a Markdown (GFM) table: its first row is the header. */
function table(node: Node, removed: Removed): string[] {
  const rows = elements(node, ['tr']).map((row) =>
    elements(row, ['td', 'th']).map((cell) => inline(cell.children, removed).replace(/\\\n/g, ' ').trim()),
  );
  const width = Math.max(0, ...rows.map((row) => row.length));
  if (width === 0) return [];
  const line = (cells: string[]) =>
    `| ${Array.from({ length: width }, (_, index) => cells[index] ?? '').join(' | ')} |`;
  const [head = [], ...body] = rows;
  return [[line(head), line(Array(width).fill('---')), ...body.map(line)].join('\n')];
}

/** A post's or page's WordPress content as Markdown, and what was removed from it. */
export function wordpressToMarkdown(content: string, removed: Removed = {}): { markdown: string; removed: Removed } {
  const html = autop(expandShortcodes(content.replace(/<!--[\s\S]*?-->/g, ''), removed));
  return { markdown: blocks(parseHtml(html, removed).children, removed).join('\n\n'), removed };
}

/** A comment's WordPress content as the plain text our comments are: paragraphs kept, a link's address after its text. */
export function wordpressToText(content: string, removed: Removed = {}): string {
  const root = parseHtml(autop(content.replace(/<!--[\s\S]*?-->/g, '')), removed);
  const text = (node: Node | string): string => {
    // A newline in HTML's text is a space: wpautop has already made each line break a <br>.
    if (typeof node === 'string') return node.replace(/[ \t]*\n[ \t]*/g, ' ');
    const inner = node.children.map(text).join('');
    if (node.tag === 'br') return '\n';
    if (node.tag === 'p' || node.tag === 'blockquote' || node.tag === 'li') return `\n\n${inner.trim()}\n\n`;
    const href = node.tag === 'a' ? safeUrl(node.attributes.href, removed) : undefined;
    return href && href !== inner.trim() && /^https?:/.test(href) ? `${inner} (${href})` : inner;
  };
  return text(root)
    .replace(/[ \t]*\n[ \t]*/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
