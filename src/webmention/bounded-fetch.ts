/** How long another site has to answer, per request. */
export const FETCH_TIMEOUT_MS = 10_000;
/** The most of a page read: a link or an endpoint further down is not seen. */
export const MAX_PAGE_BYTES = 1_000_000;
/** Redirects followed; each is a subrequest. */
export const MAX_REDIRECTS = 2;
/** The most subrequests one fetchBounded makes: the request and its redirects. */
export const SUBREQUESTS_PER_FETCH = 1 + MAX_REDIRECTS;

export interface FetchedPage {
  status: number;
  /** The address after redirects: relative links resolve against it. */
  url: string;
  headers: Headers;
  /** At most MAX_PAGE_BYTES of it, decoded as UTF-8. */
  text: string;
}

const isHttp = (url: URL) => url.protocol === 'http:' || url.protocol === 'https:';

/** The first MAX_PAGE_BYTES of a body; the rest is never downloaded. */
async function boundedText(body: ReadableStream<Uint8Array> | null): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < MAX_PAGE_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value.subarray(0, MAX_PAGE_BYTES - size));
    size += value.byteLength;
  }
  await reader.cancel();
  const bytes = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/**
 * GETs a page of another site: http(s) only, at most MAX_REDIRECTS redirects (each checked), a
 * timeout for the whole, and at most MAX_PAGE_BYTES read. Throws on a network failure or timeout.
 */
export async function fetchBounded(address: string, accept = 'text/html, text/plain;q=0.5'): Promise<FetchedPage> {
  const signal = AbortSignal.timeout(FETCH_TIMEOUT_MS);
  let url = new URL(address);
  for (let redirects = 0; ; redirects += 1) {
    if (!isHttp(url)) throw new Error(`not an http(s) address: ${url.href}`);
    const response = await fetch(url, { redirect: 'manual', signal, headers: { Accept: accept } });
    const location = response.headers.get('Location');
    if (response.status >= 300 && response.status < 400 && location && redirects < MAX_REDIRECTS) {
      await response.body?.cancel();
      url = new URL(location, url);
      continue;
    }
    return {
      status: response.status,
      url: url.href,
      headers: response.headers,
      text: await boundedText(response.body),
    };
  }
}
