/**
 * Other sites on the open web, for the Webmention tests: pages the tests publish, and Webmention
 * receivers that record what they are sent.
 *
 *   POST /_fake/pages {path, body, status?, headers?}   serve `body` at `path` from now on (replacing what was there)
 *   GET /test/N   webmention.rocks discovery test N (test/fixtures/webmention-rocks-discovery.json), with its headers
 *   POST <any other path>   a Webmention receiver: a form with `source` and `target` is recorded and answered
 *                            202 (400 without them, as the Recommendation says)
 *   GET /_fake/received?path=P   the Webmentions received at P (or all, without `path`)
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';

interface Page {
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
}

export interface ReceivedWebmention {
  path: string;
  source: string;
  target: string;
  contentType: string;
}

interface RocksTest {
  num: number;
  link_header: string | string[];
  link_header_name?: string;
  link_tag: string;
  description: string;
}

const rocks: RocksTest[] = JSON.parse(
  readFileSync(new URL('../fixtures/webmention-rocks-discovery.json', import.meta.url), 'utf8'),
).tests;

/** A webmention.rocks test page as its site serves it: the link tag in the head, the description in an h-entry. */
function rocksPage(test: RocksTest, base: string): Page {
  const withBase = (text: string) => text.replaceAll('{base}', base);
  const header = [test.link_header].flat().filter(Boolean).map(withBase);
  return {
    status: 200,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      ...(header.length ? { [test.link_header_name ?? 'Link']: header } : {}),
    },
    body: `<!doctype html><html><head><title>Test #${test.num}</title>${withBase(test.link_tag)}</head>
<body><div class="h-entry"><h3 class="p-name">Test #${test.num}</h3><div class="e-content">${withBase(test.description)}</div></div></body></html>`,
  };
}

export function createFakeWeb(): Server {
  const pages = new Map<string, Page>();
  const received: ReceivedWebmention[] = [];
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(request.url ?? '/', 'http://web.local');
    const base = `http://${request.headers.host}/`;
    const send = (page: Page) => response.writeHead(page.status, page.headers).end(page.body);
    if (request.method === 'POST' && url.pathname === '/_fake/pages') {
      const { path, ...page } = JSON.parse(body) as Partial<Page> & { path: string };
      pages.set(path, {
        status: page.status ?? 200,
        headers: page.headers ?? { 'Content-Type': 'text/html; charset=utf-8' },
        body: page.body ?? '',
      });
      return send({ status: 204, headers: {}, body: '' });
    }
    if (request.method === 'GET' && url.pathname === '/_fake/received') {
      const path = url.searchParams.get('path');
      return send({
        status: 200,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(received.filter((each) => path === null || each.path === path)),
      });
    }
    if (request.method === 'POST') {
      const form = new URLSearchParams(body);
      const source = form.get('source');
      const target = form.get('target');
      if (!source || !target) return send({ status: 400, headers: {}, body: 'source and target are required' });
      received.push({ path: url.pathname, source, target, contentType: request.headers['content-type'] ?? '' });
      return send({ status: 202, headers: {}, body: 'Accepted' });
    }
    const rocksTest = /^\/test\/(\d+)$/.exec(url.pathname);
    const test = rocksTest && rocks.find((each) => each.num === Number(rocksTest[1]));
    if (test) return send(rocksPage(test, base));
    const page = pages.get(url.pathname + url.search) ?? pages.get(url.pathname);
    return send(page ?? { status: 404, headers: { 'Content-Type': 'text/plain' }, body: 'Not found' });
  });
  return server;
}
