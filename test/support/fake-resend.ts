/**
 * A local stand-in for Resend's HTTP API (https://resend.com/docs/api-reference), for the tests and
 * for trying a send by hand: POST /emails and POST /emails/batch answer as Resend documents (the
 * email's id; 401/403 without the key; 422 validation_error; 429 rate_limit_exceeded with
 * retry-after; 500 application_error), honour Idempotency-Key, and record every email accepted.
 *
 * For the tests (addresses keep parallel test files apart):
 *   GET /_fake/emails?to=ADDRESS   the emails accepted for that address (or all, without `to`)
 *   GET /_fake/summary?prefix=P   how many emails went to addresses starting with P, and to how many addresses
 *   POST /_fake/fail {to, status, times}   the next `times` calls with a message to `to` answer `status`
 *
 * By hand: `npx tsx test/support/fake-resend.ts 8828` (API key: anything but "wrong-key").
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface ReceivedEmail {
  id: string;
  idempotencyKey: string | null;
  /** Which endpoint took it. */
  endpoint: '/emails' | '/emails/batch';
  email: {
    from: string;
    to: string[];
    subject: string;
    text?: string;
    html?: string;
    headers?: Record<string, string>;
  };
}

const ERRORS = {
  401: { name: 'missing_api_key', message: 'Missing API key in the authorization header.' },
  403: { name: 'invalid_api_key', message: 'API key is invalid.' },
  409: { name: 'invalid_idempotent_request', message: 'Same idempotency key used with a different request payload.' },
  422: { name: 'validation_error', message: 'Invalid `to` field.' },
  429: { name: 'rate_limit_exceeded', message: 'Too many requests. You can only make 2 requests per second.' },
  500: { name: 'application_error', message: 'An unexpected error occurred.' },
} as const;
type ErrorStatus = keyof typeof ERRORS;

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
const addressOf = (value: string) => /<([^>]+)>\s*$/.exec(value)?.[1] ?? value;

function valid(email: unknown): email is ReceivedEmail['email'] {
  const candidate = email as Partial<ReceivedEmail['email']> | null;
  return (
    !!candidate &&
    typeof candidate.from === 'string' &&
    ADDRESS.test(addressOf(candidate.from)) &&
    Array.isArray(candidate.to) &&
    candidate.to.length > 0 &&
    candidate.to.length <= 50 &&
    candidate.to.every((to) => typeof to === 'string' && ADDRESS.test(to)) &&
    typeof candidate.subject === 'string' &&
    (typeof candidate.text === 'string' || typeof candidate.html === 'string')
  );
}

export function createFakeResend(): Server {
  const received: ReceivedEmail[] = [];
  const failures = new Map<string, { status: ErrorStatus; times: number }>();
  const idempotent = new Map<string, { body: string; answer: unknown }>();

  const answer = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
  };
  const refuse = (response: ServerResponse, status: ErrorStatus) =>
    answer(
      response,
      status,
      { statusCode: status, ...ERRORS[status] },
      status === 429
        ? { 'retry-after': '1', 'ratelimit-limit': '2', 'ratelimit-remaining': '0', 'ratelimit-reset': '1' }
        : {},
    );
  const scriptedFailure = (emails: ReceivedEmail['email'][]) => {
    for (const email of emails) {
      for (const to of email.to) {
        const failure = failures.get(to);
        if (failure && failure.times > 0) {
          failure.times -= 1;
          return failure.status;
        }
      }
    }
    return undefined;
  };

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://fake');
    let raw = '';
    for await (const chunk of request) raw += chunk;

    if (url.pathname === '/_fake/emails' && request.method === 'GET') {
      const to = url.searchParams.get('to');
      return answer(response, 200, to ? received.filter((email) => email.email.to.includes(to)) : received);
    }
    if (url.pathname === '/_fake/summary' && request.method === 'GET') {
      const prefix = url.searchParams.get('prefix') ?? '';
      const recipients = received.flatMap((email) => email.email.to).filter((to) => to.startsWith(prefix));
      return answer(response, 200, { emails: recipients.length, recipients: new Set(recipients).size });
    }
    if (url.pathname === '/_fake/fail' && request.method === 'POST') {
      const { to, status, times = 1 } = JSON.parse(raw) as { to: string; status: ErrorStatus; times?: number };
      failures.set(to, { status, times });
      return answer(response, 200, { ok: true });
    }
    if (request.method !== 'POST' || (url.pathname !== '/emails' && url.pathname !== '/emails/batch')) {
      return answer(response, 404, {
        statusCode: 404,
        name: 'not_found',
        message: 'The requested endpoint does not exist.',
      });
    }
    const key = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!key) return refuse(response, 401);
    if (key === 'wrong-key') return refuse(response, 403);

    const idempotencyKey = (request.headers['idempotency-key'] as string | undefined) ?? null;
    if (idempotencyKey) {
      const earlier = idempotent.get(idempotencyKey);
      if (earlier) return earlier.body === raw ? answer(response, 200, earlier.answer) : refuse(response, 409);
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return refuse(response, 422);
    }
    const batch = url.pathname === '/emails/batch';
    const emails = batch ? body : [body];
    if (!Array.isArray(emails) || emails.length === 0 || emails.length > 100 || !emails.every(valid)) {
      return refuse(response, 422);
    }
    const failure = scriptedFailure(emails);
    if (failure) return refuse(response, failure);

    const accepted = emails.map((email) => ({
      id: randomUUID(),
      idempotencyKey,
      endpoint: url.pathname as ReceivedEmail['endpoint'],
      email,
    }));
    received.push(...accepted);
    const result = batch ? { data: accepted.map(({ id }) => ({ id })) } : { id: accepted[0]!.id };
    if (idempotencyKey) idempotent.set(idempotencyKey, { body: raw, answer: result });
    answer(response, 200, result);
  }

  return createServer((request, response) => {
    handle(request, response).catch((error) => answer(response, 500, { statusCode: 500, message: String(error) }));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.argv[2] ?? 8828);
  createFakeResend().listen(port, '127.0.0.1', () => console.log(`fake Resend on http://127.0.0.1:${port}`));
}
