import { type FetchedPage, fetchBounded } from './bounded-fetch';

const hasWebmentionRel = (rel: string | null | undefined) =>
  (rel ?? '').toLowerCase().split(/\s+/).includes('webmention');

/** The first `rel="webmention"` (or unquoted, or among other rels) address of a `Link` header (RFC 8288), unresolved. */
export function linkHeaderEndpoint(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const [, address, params] of header.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]*(?:"[^"]*")?[^;,]*)*)/g)) {
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(params ?? '');
    if (rel && hasWebmentionRel(rel[1] ?? rel[2])) return address;
  }
  return undefined;
}

/** The first `<link>` or `<a>` with `rel="webmention"` and an `href`, in document order, as workerd's HTML parser reads the page. */
async function htmlEndpoint(page: FetchedPage): Promise<string | undefined> {
  let found: string | undefined;
  await new HTMLRewriter()
    .on('link[href], a[href]', {
      element: (element) => {
        if (found === undefined && hasWebmentionRel(element.getAttribute('rel'))) found = element.getAttribute('href')!;
      },
    })
    .transform(new Response(page.text))
    .arrayBuffer();
  return found;
}

/**
 * A page's Webmention endpoint, discovered as the Recommendation says (§3.1.2): the page fetched
 * (redirects followed), the first `Link` header with rel=webmention, else the first `<link>` or `<a>`
 * element with it; relative addresses resolved against the page's final address (an empty one is
 * the page itself), the query kept. Null when the page names none or cannot be read.
 */
export async function discoverEndpoint(target: string): Promise<string | null> {
  const page = await fetchBounded(target);
  if (page.status >= 400) return null;
  const address =
    linkHeaderEndpoint(page.headers.get('Link')) ??
    (/html/i.test(page.headers.get('Content-Type') ?? '') ? await htmlEndpoint(page) : undefined);
  if (address === undefined) return null;
  const endpoint = new URL(address.trim(), page.url);
  endpoint.hash = '';
  return endpoint.protocol === 'http:' || endpoint.protocol === 'https:' ? endpoint.href : null;
}
