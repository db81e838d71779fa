import { mf2 } from 'microformats-parser';
import type { FetchedPage } from './bounded-fetch';

type MicroformatRoot = ReturnType<typeof mf2>['items'][number];
type MicroformatProperty = MicroformatRoot['properties'][string][number];

/** The longest excerpt of a mention shown under the article. */
export const MAX_EXCERPT_CHARS = 500;

/** What a mention shows: who wrote the page and what it says. */
export interface MentionContent {
  authorName: string;
  text: string;
}

const withoutFragment = (url: URL) => {
  url.hash = '';
  return url.href;
};

/** `address` resolved against `base` without its fragment, or null when it is no URL. */
function resolved(address: string, base: string): string | null {
  try {
    return withoutFragment(new URL(address.trim(), base));
  } catch {
    return null;
  }
}

const isHtml = (page: FetchedPage) =>
  /^\s*(text\/html|application\/xhtml\+xml)/i.test(page.headers.get('Content-Type') ?? '');

/** The addresses an HTML page links to or embeds (a, link, area, img, audio, video, source), as workerd's HTML parser reads them. */
async function linkedAddresses(page: FetchedPage): Promise<Set<string>> {
  const found = new Set<string>();
  const add = (value: string | null) => {
    const address = value === null ? null : resolved(value, page.url);
    if (address) found.add(address);
  };
  await new HTMLRewriter()
    .on('a[href], link[href], area[href]', { element: (element) => add(element.getAttribute('href')) })
    .on('img[src], audio[src], video[src], source[src]', { element: (element) => add(element.getAttribute('src')) })
    .transform(new Response(page.text))
    .arrayBuffer();
  return found;
}

/**
 * Whether the source really links to the target (Webmention §3.2.2): in HTML an element's link to it
 * (relative addresses resolved, fragments ignored); in any other text, the target's address itself.
 */
export async function linksTo(page: FetchedPage, target: string): Promise<boolean> {
  const wanted = resolved(target, target);
  if (!wanted) return false;
  if (!isHtml(page)) return page.text.includes(target);
  return (await linkedAddresses(page)).has(wanted);
}

const firstText = (values: MicroformatProperty[] | undefined): string | undefined => {
  const [value] = values ?? [];
  if (typeof value === 'string') return value;
  if (value && 'value' in value && typeof value.value === 'string') return value.value;
  return undefined;
};

/** The first h-entry in the document, at any depth (an h-feed's children included). */
function firstEntry(items: MicroformatRoot[]): MicroformatRoot | undefined {
  for (const item of items) {
    if (item.type?.includes('h-entry')) return item;
    const nested = firstEntry([...(item.children ?? []), ...Object.values(item.properties).flat().filter(isRoot)]);
    if (nested) return nested;
  }
  return undefined;
}

const isRoot = (value: MicroformatProperty): value is MicroformatRoot =>
  typeof value === 'object' && 'properties' in value;

/** An author property's name: the h-card's `name`, or the property's own text. */
function authorName(author: MicroformatProperty | undefined): string | undefined {
  if (!author) return undefined;
  if (isRoot(author)) return firstText(author.properties.name) ?? firstText(author.properties.url);
  return firstText([author]);
}

const clean = (text: string | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();

const excerpt = (text: string) =>
  text.length <= MAX_EXCERPT_CHARS ? text : `${text.slice(0, MAX_EXCERPT_CHARS - 1).trimEnd()}…`;

async function documentTitle(page: FetchedPage): Promise<string> {
  let title = '';
  await new HTMLRewriter()
    .on('title', {
      text: (chunk) => {
        title += chunk.text;
      },
    })
    .transform(new Response(page.text))
    .arrayBuffer();
  return title;
}

/**
 * Who wrote the source and what it says, from its microformats (microformats.org/wiki/h-entry): the
 * first h-entry's author (an h-card's name) or else the page's h-card, and its content, summary or
 * name; failing those, the page's title, and its host name as the author.
 */
export async function mentionContent(page: FetchedPage): Promise<MentionContent> {
  const host = new URL(page.url).hostname;
  if (!isHtml(page)) return { authorName: host, text: excerpt(clean(page.text)) };
  const { items } = mf2(page.text, { baseUrl: page.url });
  const entry = firstEntry(items);
  const card = items.find((item) => item.type?.includes('h-card'));
  const name = clean(authorName(entry?.properties.author?.[0]) ?? (card && authorName(card)));
  const text = clean(
    firstText(entry?.properties.content) ?? firstText(entry?.properties.summary) ?? firstText(entry?.properties.name),
  );
  return { authorName: name || host, text: excerpt(text || clean(await documentTitle(page)) || page.url) };
}
