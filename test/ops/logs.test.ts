import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app';
import { redact } from '../../src/lib/log';
import { returningReader, SAMPLE_ARTICLE_PATH, submitCommentForm } from '../support/helpers';
import { signUp } from '../support/newsletter-helpers';
import { uniqueEmail } from '../support/unique';

const ADDRESS = '203.0.113.91';
const ADDRESS_V6 = '2001:db8:91::7';
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) PrivacyProbe/9.1';

/** Every line the Worker wrote to the console during this file's requests: what Workers Logs would keep. */
const lines: string[] = [];
const emails: string[] = [];

beforeAll(() => {
  for (const method of ['log', 'info', 'warn', 'error'] as const) {
    const original = console[method].bind(console);
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
      original(...args);
    });
  }
});
afterAll(() => vi.restoreAllMocks());

const events = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
const event = (name: string) => events().filter((line) => line.event === name);

describe('log lines', () => {
  it('a rate-limit refusal is logged with the request id, the kind of key and the rule', async () => {
    const email = await returningReader();
    emails.push(email);
    const fields = { name: 'Log Probe', email, comment: 'A first comment for the log probe.' };
    expect((await submitCommentForm(SAMPLE_ARTICLE_PATH, fields, { address: ADDRESS })).status).toBe(303);
    const refused = await submitCommentForm(
      SAMPLE_ARTICLE_PATH,
      { ...fields, comment: 'A second one at once.' },
      { address: ADDRESS },
    );
    expect(refused.status).toBe(429);
    const [line] = event('rate-limit.refused');
    expect(line).toMatchObject({ level: 'warn', path: `${SAMPLE_ARTICLE_PATH}/comments`, limit: 1 });
    expect(line!.requestId).toEqual(expect.any(String));
    expect(['comment-ip', 'comment-email']).toContain(line!.key);
  });

  it('a send failure is logged with the request id and the kind of email, not the recipient', async () => {
    const email = uniqueEmail('log-probe');
    emails.push(email);
    vi.spyOn(env.EMAIL, 'send').mockRejectedValueOnce(new Error(`destination ${email} refused by ${ADDRESS}`));
    const response = await signUp(email, {
      'CF-Connecting-IP': ADDRESS_V6,
      'CF-Ray': 'ray-send-1',
      'User-Agent': USER_AGENT,
    });
    expect(response.status).toBe(303);
    await vi.waitFor(() => expect(event('mail.send-failed')).toHaveLength(1));
    expect(event('mail.send-failed')[0]).toMatchObject({
      level: 'error',
      purpose: 'newsletter-confirmation',
      requestId: 'ray-send-1',
      error: 'Error: destination [email] refused by [address]',
    });
  });

  it('a 5xx is logged with the request id (the CF-Ray)', async () => {
    const app = createApp();
    const response = await app.fetch(
      new Request(`http://localhost:8787${SAMPLE_ARTICLE_PATH}`, {
        headers: { 'CF-Ray': 'ray-500-1', 'CF-Connecting-IP': ADDRESS, 'User-Agent': USER_AGENT },
      }),
      { ...env, DB: env.MIGRATION_DB },
      { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext,
    );
    expect(response.status).toBe(500);
    expect(event('request.failed')).toContainEqual(
      expect.objectContaining({ level: 'error', requestId: 'ray-500-1', status: 500, path: SAMPLE_ARTICLE_PATH }),
    );
  });

  it('every line is one JSON object, and none holds an email, an address or a user agent', () => {
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of events()) expect(line.event).toEqual(expect.any(String));
    const everything = lines.join('\n');
    for (const secret of [...emails, ADDRESS, ADDRESS_V6, 'PrivacyProbe', '@example.com']) {
      expect(everything).not.toContain(secret);
    }
  });
});

describe('redact', () => {
  it('replaces emails and IPv4 and IPv6 addresses, and leaves times, hashes and ids alone', () => {
    expect(redact('to <reader@example.com> from 198.51.100.4 and 2001:db8::1, fe80::1')).toBe(
      'to <[email]> from [address] and [address], [address]',
    );
    expect(redact('at 12:30:45, ray 8f0c2a1b3c4d5e6f-NRT, hash 9f86d081884c7d65')).toBe(
      'at 12:30:45, ray 8f0c2a1b3c4d5e6f-NRT, hash 9f86d081884c7d65',
    );
  });
});
