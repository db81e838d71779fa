import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import worker from '../../src';
import { primaryDb } from '../../src/db/client';
import { RESEND_WEBHOOK_PATH } from '../../src/mail/resend-webhook';
import { queueIssue } from '../../src/newsletter/send';
import { signedInStaff } from '../support/admin-helpers';
import { fetchPage, visibleText } from '../support/helpers';
import {
  addSubscriber,
  linkIn,
  postForm,
  recordTestIssue,
  signUp,
  subscriberRows,
  watchMail,
} from '../support/newsletter-helpers';
import { uniqueEmail } from '../support/unique';

afterEach(() => {
  vi.restoreAllMocks();
});

const SECRET_BYTES = new TextEncoder().encode('edgepress-test-webhook-secret-32b');
const WEBHOOK_SECRET = `whsec_${btoa(String.fromCharCode(...SECRET_BYTES))}`;
const webhookEnv = { ...env, RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET };

/** The headers Svix sends with a body: `svix-signature` is `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body`. */
async function svixHeaders(body: string, { secret = WEBHOOK_SECRET, timestamp = Math.floor(Date.now() / 1000) } = {}) {
  const id = `msg_${crypto.randomUUID()}`;
  const keyBytes = Uint8Array.from(atob(secret.slice('whsec_'.length)), (char) => char.charCodeAt(0));
  const key = await crypto.subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${id}.${timestamp}.${body}`));
  return {
    'svix-id': id,
    'svix-timestamp': String(timestamp),
    'svix-signature': `v1,${btoa(String.fromCharCode(...new Uint8Array(mac)))}`,
  };
}

const bounceEvent = (to: string, type = 'Permanent') =>
  JSON.stringify({
    type: 'email.bounced',
    created_at: new Date().toISOString(),
    data: {
      email_id: crypto.randomUUID(),
      from: 'newsletter@localhost.example',
      to: [to],
      subject: 'The edgepress Brief',
      bounce: { type, subType: 'General', message: 'The mailbox does not exist.' },
    },
  });
const complaintEvent = (to: string) =>
  JSON.stringify({ type: 'email.complained', created_at: new Date().toISOString(), data: { email_id: 'e', to: [to] } });

async function postEvent(body: string, headers: Record<string, string>, workerEnv: Env = webhookEnv) {
  const request = new Request(new URL(RESEND_WEBHOOK_PATH, 'http://localhost:8787'), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body,
  });
  const ctx = createExecutionContext();
  const response = await worker.fetch(request as Request<unknown, IncomingRequestCfProperties>, workerEnv, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

const statusOf = async (email: string) => (await subscriberRows(email))[0]?.status;

describe('the bulk provider’s webhook (Resend, signed with Svix)', () => {
  it('suppresses an address after a hard bounce, another after a complaint; a soft bounce suppresses nobody', async () => {
    const [hard, complaint, soft] = [uniqueEmail('hard'), uniqueEmail('complaint'), uniqueEmail('soft')];
    for (const email of [hard, complaint, soft]) await addSubscriber(email, 'confirmed');
    for (const body of [bounceEvent(hard), complaintEvent(complaint), bounceEvent(soft, 'Transient')]) {
      const response = await postEvent(body, await svixHeaders(body));
      expect(response.status).toBe(200);
    }
    expect(await statusOf(hard)).toBe('bounced');
    expect(await statusOf(complaint)).toBe('complained');
    expect(await statusOf(soft)).toBe('confirmed');
  });

  it('refuses, 401, a body whose signature is missing, forged, from another secret or too old, and changes nothing', async () => {
    const email = uniqueEmail('forged');
    await addSubscriber(email, 'confirmed');
    const body = bounceEvent(email);
    const good = await svixHeaders(body);
    const otherSecret = `whsec_${btoa('another-secret-another-secret-00')}`;
    const cases: Record<string, string>[] = [
      {},
      { ...good, 'svix-signature': `v1,${btoa('x'.repeat(32))}` },
      await svixHeaders(body, { secret: otherSecret }),
      await svixHeaders(body, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }),
      await svixHeaders(body, { timestamp: Math.floor(Date.now() / 1000) + 6 * 60 }),
      { ...good, 'svix-id': 'msg_another' },
    ];
    for (const headers of cases) {
      const response = await postEvent(body, headers);
      expect(response.status, JSON.stringify(headers)).toBe(401);
    }
    // The signed body, changed by one character, is refused too.
    expect((await postEvent(body.replace('Permanent', 'Permanenu'), good)).status).toBe(401);
    expect(await statusOf(email)).toBe('confirmed');
    // Several signatures (a secret being rotated): one good one is enough.
    const rotated = { ...good, 'svix-signature': `v1,${btoa('y'.repeat(32))} ${good['svix-signature']}` };
    expect((await postEvent(body, rotated)).status).toBe(200);
    expect(await statusOf(email)).toBe('bounced');
  });

  it('answers 404 where no webhook secret is configured', async () => {
    const body = bounceEvent(uniqueEmail());
    expect(
      (
        await fetchPage(RESEND_WEBHOOK_PATH, {
          method: 'POST',
          body,
          headers: { 'Content-Type': 'application/json', ...(await svixHeaders(body)) },
        })
      ).status,
    ).toBe(404);
  });

  it('a suppressed address gets no issue, and only a fresh signup, confirmed again, brings it back', async () => {
    const email = uniqueEmail('suppressed');
    await addSubscriber(email, 'confirmed');
    const body = complaintEvent(email);
    await postEvent(body, await svixHeaders(body));
    expect(await statusOf(email)).toBe('complained');

    await addSubscriber(uniqueEmail('still-subscribed'), 'confirmed');
    const issueId = await recordTestIssue();
    await queueIssue(env, primaryDb(env), issueId);
    const subscriberId = (await subscriberRows(email))[0]!.id;
    const deliveries = await env.DB.prepare('SELECT count(*) AS n FROM newsletter_deliveries WHERE subscriber_id = ?')
      .bind(subscriberId)
      .first<number>('n');
    expect(deliveries).toBe(0);

    const mail = watchMail();
    expect((await signUp(email)).status).toBe(303);
    const [confirmation] = await mail.waitFor(email);
    expect(await statusOf(email)).toBe('unconfirmed');
    const confirm = linkIn(confirmation!, '/newsletter/confirm');
    expect((await postForm('/newsletter/confirm', { token: confirm.searchParams.get('token')! })).status).toBe(200);
    expect(await statusOf(email)).toBe('confirmed');
  });

  it('suppresses an address Email Service refuses as on its suppression list, and the admin pages count it', async () => {
    const email = uniqueEmail('cf-suppressed');
    const subscriberId = await addSubscriber(email, 'confirmed');
    const issueId = await recordTestIssue();
    const delivery = await env.DB.prepare(
      'INSERT INTO newsletter_deliveries (issue_id, subscriber_id) VALUES (?, ?) RETURNING id',
    )
      .bind(issueId, subscriberId)
      .first<{ id: number }>();
    // The local binding keeps no suppression list: its documented refusal is played by the spy.
    vi.spyOn(env.EMAIL, 'send').mockRejectedValueOnce(
      Object.assign(new Error('recipient is suppressed'), { code: 'E_RECIPIENT_SUPPRESSED' }),
    );
    const batch = createMessageBatch('edgepress-newsletter-local', [
      { id: 'm0', timestamp: new Date(), attempts: 1, body: { deliveryId: delivery!.id } },
    ]);
    await worker.queue(batch, env);
    const result = await getQueueResult(batch, createExecutionContext());
    expect(result.explicitAcks).toEqual(['m0']);
    expect(result.retryMessages).toEqual([]);
    expect(await statusOf(email)).toBe('bounced');
    const row = await env.DB.prepare('SELECT status, last_error FROM newsletter_deliveries WHERE id = ?')
      .bind(delivery!.id)
      .first<{ status: string; last_error: string }>();
    expect(row).toMatchObject({ status: 'failed', last_error: expect.stringContaining('E_RECIPIENT_SUPPRESSED') });

    const counts = await env.DB.prepare(
      "SELECT sum(status = 'bounced') AS bounced, sum(status = 'complained') AS complained FROM subscribers",
    ).first<{ bounced: number; complained: number }>();
    const admin = await signedInStaff();
    for (const path of ['/admin/subscribers', '/admin']) {
      const page = visibleText(await (await admin.get(path)).text());
      expect(page, path).toContain(`${counts!.bounced} bounced`);
      expect(page, path).toContain(`${counts!.complained} complained`);
    }
  });
});
