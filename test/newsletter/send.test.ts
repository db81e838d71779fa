import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import worker from '../../src';
import { MAX_SEND_ATTEMPTS, retryDelaySeconds, sendWeeklyIssue } from '../../src/newsletter/send';
import { fetchPage } from '../support/helpers';
import { addSubscriber, watchMail } from '../support/newsletter-helpers';
import { uniqueEmail } from '../support/unique';

afterEach(() => {
  vi.restoreAllMocks();
});

const DAY = 24 * 60 * 60 * 1000;

async function runCron(scheduledTime: number) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime, cron: '0 7 * * MON' }), env, ctx);
  await waitOnExecutionContext(ctx);
}

/** Hands the Worker's consumer a batch of these message bodies; returns its acks and retries (with their delays). */
async function deliverBatch(bodies: unknown[]) {
  const batch = createMessageBatch(
    'edgepress-newsletter-local',
    bodies.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body })),
  );
  const retries = batch.messages.map((message) => vi.spyOn(message, 'retry'));
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  const result = await getQueueResult(batch, ctx);
  return { ...result, delays: retries.flatMap((retry) => retry.mock.calls.map(([options]) => options?.delaySeconds)) };
}

/** A copy of a seed article, published `ageMs` ago. */
async function publishArticle(slug: string, ageMs: number) {
  await env.DB.prepare(
    `INSERT INTO articles (slug, headline, standfirst, body_markdown, body_html, author_id, section_id, status, published_at)
     SELECT ?, 'Mekong Talks Resume in Vientiane', 'Four governments return to the table over the river’s dams.', body_markdown, body_html, author_id, section_id, 'published', ?
     FROM articles WHERE slug = 'russia-eyes-korean-peninsula'`,
  )
    .bind(slug, Date.now() - ageMs)
    .run();
}

const deliveries = () =>
  env.DB.prepare('SELECT subscriber_id, status, attempts, last_error FROM newsletter_deliveries ORDER BY id').all<{
    subscriber_id: number;
    status: string;
    attempts: number;
    last_error: string | null;
  }>();

describe('the weekly send', () => {
  it('builds no issue when nothing was published in the last 7 days', async () => {
    await publishArticle('eight-days-old', 8 * DAY);
    await runCron(Date.now());
    expect(await env.DB.prepare('SELECT count(*) AS n FROM newsletter_issues').first('n')).toBe(0);
  });

  it('sends each confirmed subscriber exactly one copy, however often the cron fires and the batch is delivered', async () => {
    await publishArticle('mekong-talks-resume', 2 * DAY);
    const mail = watchMail();
    const queued = vi.spyOn(env.NEWSLETTER_QUEUE, 'sendBatch');
    const confirmed = [uniqueEmail('confirmed'), uniqueEmail('confirmed')];
    for (const email of confirmed) await addSubscriber(email, 'confirmed');
    const unconfirmed = uniqueEmail('unconfirmed');
    await addSubscriber(unconfirmed, 'unconfirmed');
    const unsubscribed = uniqueEmail('unsubscribed');
    await addSubscriber(unsubscribed, 'unsubscribed');

    const now = Date.now();
    await runCron(now);
    await runCron(now + 60_000);
    const issues = await env.DB.prepare('SELECT number, subject, html, text FROM newsletter_issues').all<
      Record<string, string>
    >();
    expect(issues.results).toHaveLength(1);
    const [issue] = issues.results;
    expect(issue!.subject).toMatch(/^The edgepress Brief No\. 1: /);
    expect(issue!.text).toContain('Mekong Talks Resume in Vientiane');
    expect(issue!.text).not.toContain('Russia Eyes Korean Peninsula');

    // The real queue delivers them to the Worker's consumer.
    await vi.waitFor(
      async () => expect((await deliveries()).results.map((row) => row.status)).toEqual(['sent', 'sent']),
      {
        timeout: 15_000,
        interval: 200,
      },
    );
    // Then every message is delivered again, twice (a redelivered batch).
    const messages = queued.mock.calls.flatMap(([batch]) => [...batch].map((message) => message.body));
    expect(messages.length).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < 2; i++) {
      const result = await deliverBatch(messages);
      expect(result.explicitAcks).toHaveLength(messages.length);
      expect(result.retryMessages).toEqual([]);
    }
    for (const email of confirmed) expect(mail.to(email), email).toHaveLength(1);
    expect(mail.to(unconfirmed)).toEqual([]);
    expect(mail.to(unsubscribed)).toEqual([]);

    const [copy] = mail.to(confirmed[0]!);
    expect(copy!.headers.subject).toBe(issue!.subject);
    const unsubscribeUrl = /^<(http:\/\/localhost:8787\/newsletter\/unsubscribe\?token=[\w.-]+)>$/.exec(
      copy!.headers['list-unsubscribe']!,
    )?.[1];
    expect(unsubscribeUrl).toBeDefined();
    expect(copy!.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(copy!.text).toContain('Mekong Talks Resume in Vientiane');
    expect(copy!.text).toContain('Four governments return to the table');
    expect(copy!.text).toMatch(/http:\/\/localhost:8787\/\d{4}\/\d{2}\/mekong-talks-resume/);
    expect(copy!.text).toContain(`Unsubscribe: ${unsubscribeUrl}`);
    expect(copy!.html).toContain(`<a href="${unsubscribeUrl}">Unsubscribe</a>`);
    expect(copy!.html).not.toContain('{{unsubscribe_url}}');

    // The header's URL is the one-click endpoint.
    const oneClick = await fetchPage(unsubscribeUrl!, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    const status = await env.DB.prepare('SELECT status FROM subscribers WHERE email = ?')
      .bind(confirmed[0])
      .first('status');
    expect(status).toBe('unsubscribed');
  }, 30_000);

  it('retries a failed send with growing delays, then marks it failed', async () => {
    const email = uniqueEmail('bouncing');
    const id = await addSubscriber(email, 'confirmed');
    const queued = vi.spyOn(env.NEWSLETTER_QUEUE, 'sendBatch').mockResolvedValue({} as never);
    const result = await sendWeeklyIssue(env, new Date());
    expect(result.issue?.number).toBe(1);
    const bodies = queued.mock.calls.flatMap(([batch]) => [...batch].map((message) => message.body));
    expect(bodies).toHaveLength(1);

    const send = vi.spyOn(env.EMAIL, 'send').mockRejectedValue(new Error('mailbox unavailable'));
    for (let attempt = 1; attempt < MAX_SEND_ATTEMPTS; attempt++) {
      const outcome = await deliverBatch(bodies);
      expect(outcome.retryMessages).toEqual([{ msgId: 'm0' }]);
      expect(outcome.delays).toEqual([retryDelaySeconds(attempt)]);
      const row = (await deliveries()).results.find((delivery) => delivery.subscriber_id === id)!;
      expect(row).toMatchObject({ status: 'pending', attempts: attempt });
      expect(row.last_error).toContain('mailbox unavailable');
    }
    const last = await deliverBatch(bodies);
    expect(last.explicitAcks).toEqual(['m0']);
    expect((await deliveries()).results.find((delivery) => delivery.subscriber_id === id)).toMatchObject({
      status: 'failed',
      attempts: MAX_SEND_ATTEMPTS,
    });
    expect(send).toHaveBeenCalledTimes(MAX_SEND_ATTEMPTS);
    expect([1, 2, 3, 4, 5, 10].map(retryDelaySeconds)).toEqual([60, 120, 240, 480, 960, 3600]);
  });

  it('skips a subscriber who unsubscribed after the fan-out, and acknowledges messages it cannot use', async () => {
    const email = uniqueEmail('leaving');
    const id = await addSubscriber(email, 'confirmed');
    const queued = vi.spyOn(env.NEWSLETTER_QUEUE, 'sendBatch').mockResolvedValue({} as never);
    await sendWeeklyIssue(env, new Date());
    const bodies = queued.mock.calls.flatMap(([batch]) => [...batch].map((message) => message.body));
    await env.DB.prepare("UPDATE subscribers SET status = 'unsubscribed' WHERE id = ?").bind(id).run();
    const mail = watchMail();
    const outcome = await deliverBatch([...bodies, { deliveryId: 999_999 }, 'garbage', null]);
    expect(outcome.explicitAcks).toHaveLength(bodies.length + 3);
    expect(mail.sent()).toEqual([]);
    expect((await deliveries()).results.find((delivery) => delivery.subscriber_id === id)!.status).toBe('skipped');
  });
});

describe('the editor’s newsletter API', () => {
  const editor = { Authorization: `Bearer ${env.MODERATOR_TOKEN}` };

  it('previews the current and recorded issues as HTML, and sends by hand, only with the bearer token', async () => {
    for (const path of ['/api/newsletter/issues/current/preview', '/api/newsletter/issues/1/preview']) {
      expect((await fetchPage(path)).status).toBe(401);
      const preview = await fetchPage(path, { headers: editor });
      expect(preview.status, path).toBe(200);
      expect(preview.headers.get('Content-Type')).toMatch(/^text\/html/);
      expect(preview.headers.get('Cache-Control')).toBe('private, no-store');
      const html = await preview.text();
      expect(html).toContain('Mekong Talks Resume in Vientiane');
      expect(html).toContain('href="#unsubscribe"');
    }
    const missing = await fetchPage('/api/newsletter/issues/99/preview', { headers: editor });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'There is no issue number 99.' });

    const json = { 'Content-Type': 'application/json' };
    expect((await fetchPage('/api/newsletter/issues/send', { method: 'POST', headers: json })).status).toBe(401);
    vi.spyOn(env.NEWSLETTER_QUEUE, 'sendBatch').mockResolvedValue({} as never);
    const sent = await fetchPage('/api/newsletter/issues/send', { method: 'POST', headers: { ...editor, ...json } });
    expect(sent.status).toBe(202);
    expect(await sent.json()).toMatchObject({ issue: { number: 1 } });

    // An issue an editor decided on is left alone, and the answer says so rather than blaming the articles.
    const { id } = (await env.DB.prepare(
      "UPDATE newsletter_issues SET status = 'cancelled', decided_by = NULL WHERE number = 1 RETURNING id",
    ).first<{ id: number }>())!;
    const left = await fetchPage('/api/newsletter/issues/send', { method: 'POST', headers: { ...editor, ...json } });
    expect(left.status).toBe(200);
    expect(await left.json()).toMatchObject({
      issue: null,
      message: `This week's issue, No. 1, was cancelled by an editor (/admin/newsletter/issues/${id}): the weekly send leaves it alone.`,
    });
  });
});
