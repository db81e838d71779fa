/**
 * A local stand-in for a WebSub hub (W3C WebSub, www.w3.org/TR/websub/, and the `hub.mode=publish`
 * notification hubs such as Google's and Superfeedr's take from publishers): a form POST with
 * `hub.mode=publish` and `hub.url` (or `hub.topic`) is answered 202 Accepted and recorded; a request
 * without a topic, or another mode, 400 with a plain-text reason, as hubs answer.
 *
 * For the tests (topics keep parallel test files apart):
 *   GET /_fake/pings?topic=URL   the publish notifications received for that topic (or all, without `topic`)
 *   POST /_fake/fail {status, times}   the next `times` notifications are answered `status`
 */
import { createServer, type Server } from 'node:http';

export interface ReceivedPing {
  topic: string;
  contentType: string;
}

export function createFakeHub(): Server {
  const pings: ReceivedPing[] = [];
  let failures: { status: number; times: number } = { status: 503, times: 0 };
  return createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(request.url ?? '/', 'http://hub.local');
    const answer = (status: number, text = '') => {
      response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(text);
    };
    if (request.method === 'GET' && url.pathname === '/_fake/pings') {
      const topic = url.searchParams.get('topic');
      response.writeHead(200, { 'Content-Type': 'application/json' });
      return response.end(JSON.stringify(pings.filter((ping) => topic === null || ping.topic === topic)));
    }
    if (request.method === 'POST' && url.pathname === '/_fake/fail') {
      failures = JSON.parse(body);
      return answer(204);
    }
    if (request.method !== 'POST' || url.pathname !== '/') return answer(405, 'Only POST is supported');
    const contentType = request.headers['content-type'] ?? '';
    if (!contentType.startsWith('application/x-www-form-urlencoded')) return answer(400, 'Invalid content type');
    const form = new URLSearchParams(body);
    if (form.get('hub.mode') !== 'publish') return answer(400, 'Unsupported hub.mode');
    const topics = [...form.getAll('hub.url'), ...form.getAll('hub.topic')];
    if (topics.length === 0 || !topics.every((topic) => /^https?:\/\//.test(topic))) {
      return answer(400, 'hub.url must be an http(s) URL');
    }
    if (failures.times > 0) {
      failures.times -= 1;
      return answer(failures.status, 'Try again later');
    }
    for (const topic of topics) pings.push({ topic, contentType });
    return answer(202);
  });
}
