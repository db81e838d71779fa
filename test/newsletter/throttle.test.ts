import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { primaryDb } from '../../src/db/client';
import { type Clock, deliverIssueBatch, queueIssue } from '../../src/newsletter/send';
import { bulkSenderEnv, FAKE_RESEND_URL } from '../support/bulk-sender';
import { recordTestIssue } from '../support/newsletter-helpers';

afterEach(() => {
  vi.restoreAllMocks();
});

interface Queued {
  body: unknown;
  dueAt: number;
}

/**
 * Plays the newsletter queue for a Worker whose producer is the suite's consumer-less queue: what the
 * Worker sends (with its delays) is recorded, handed to the consumer when due on the injected clock,
 * in batches of the consumer's max_batch_size, one invocation at a time (max_concurrency = 1);
 * retries come back after their delay.
 */
function simulatedQueue(workerEnv: Env, startAt: number, batchSize = 50) {
  let now = startAt;
  const clock: Clock = {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  };
  const queued: Queued[] = [];
  // The Worker's producer is a real queue with no consumer: the spies pass everything on to it, noting when it was sent.
  const queue = workerEnv.NEWSLETTER_QUEUE;
  const send = queue.send.bind(queue);
  const sendBatch = queue.sendBatch.bind(queue);
  vi.spyOn(queue, 'send').mockImplementation((body, options) => {
    queued.push({ body, dueAt: now + (options?.delaySeconds ?? 0) * 1000 });
    return send(body, options);
  });
  vi.spyOn(queue, 'sendBatch').mockImplementation((messages, options) => {
    for (const message of messages)
      queued.push({ body: message.body, dueAt: now + (message.delaySeconds ?? 0) * 1000 });
    return sendBatch(messages, options);
  });
  let invocations = 0;
  return {
    clock,
    queued,
    get now() {
      return now;
    },
    get invocations() {
      return invocations;
    },
    /** Runs the consumer until the queue is empty (at most `limit` invocations). */
    async drain(limit: number) {
      while (queued.length > 0 && invocations < limit) {
        queued.sort((a, b) => a.dueAt - b.dueAt);
        now = Math.max(now, queued[0]!.dueAt);
        const due = queued.filter((message) => message.dueAt <= now).slice(0, batchSize);
        for (const message of due) queued.splice(queued.indexOf(message), 1);
        const batch = createMessageBatch(
          'edgepress-newsletter-local',
          due.map((message, i) => ({
            id: `m${invocations}-${i}`,
            timestamp: new Date(now),
            attempts: 1,
            body: message.body,
          })),
        );
        const retries = batch.messages.map((message) => vi.spyOn(message, 'retry'));
        await deliverIssueBatch(workerEnv, batch, clock);
        const result = await getQueueResult(batch, createExecutionContext());
        for (const { msgId } of result.retryMessages) {
          const index = batch.messages.findIndex((message) => message.id === msgId);
          const delay = retries[index]!.mock.calls[0]?.[0]?.delaySeconds ?? 0;
          queued.push({ body: batch.messages[index]!.body, dueAt: now + delay * 1000 });
        }
        invocations += 1;
      }
    },
  };
}

/** A workerEnv sending through the local Resend, at these limits, into the consumer-less queue. */
const throttledEnv = (perSecond: number, perDay = 0) => ({
  ...bulkSenderEnv({ NEWSLETTER_SENDS_PER_SECOND: String(perSecond), NEWSLETTER_SENDS_PER_DAY: String(perDay) }),
  NEWSLETTER_QUEUE: env.TEST_NEWSLETTER_QUEUE,
});

/** `count` confirmed subscribers whose addresses start with `prefix`, in one statement. */
async function addSubscribers(prefix: string, count: number): Promise<void> {
  await env.DB.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
     INSERT INTO subscribers (email, email_hash, status) SELECT ? || i || '@example.com', ? || i, 'confirmed' FROM n`,
  )
    .bind(count, prefix, `hash-${prefix}`)
    .run();
}

const deliveriesOf = (issueId: number) =>
  env.DB.prepare(
    `SELECT count(*) AS total, count(DISTINCT subscriber_id) AS subscribers, sum(status = 'sent') AS sent,
            min(sent_at) AS first, max(sent_at) AS last FROM newsletter_deliveries WHERE issue_id = ?`,
  )
    .bind(issueId)
    .first<{ total: number; subscribers: number; sent: number; first: number; last: number }>();

/** The most deliveries sent in any one second (by the injected clock). */
const busiestSecond = (issueId: number) =>
  env.DB.prepare(
    `SELECT max(sends) AS most FROM (SELECT count(*) AS sends FROM newsletter_deliveries WHERE issue_id = ? AND status = 'sent' GROUP BY sent_at / 1000)`,
  )
    .bind(issueId)
    .first<number>('most');

const confirmedCount = () =>
  env.DB.prepare("SELECT count(*) AS n FROM subscribers WHERE status = 'confirmed'").first<number>('n');

async function providerSummary(prefix: string) {
  const response = await fetch(`${FAKE_RESEND_URL}/_fake/summary?prefix=${encodeURIComponent(prefix)}`);
  return response.json<{ emails: number; recipients: number }>();
}

describe('the throttle (an injected clock, the real queue, D1, pacer and local Resend)', () => {
  it('pauses when the day’s quota is used and resumes the next UTC day, sending nobody anything twice', async () => {
    await addSubscribers('quota-', 40);
    const subscribers = (await confirmedCount())!;
    const workerEnv = throttledEnv(10, 25);
    const startAt = Date.UTC(2026, 11, 3, 23, 59, 57);
    const queue = simulatedQueue(workerEnv, startAt);
    const issueId = await recordTestIssue();
    // The send is started twice (an editor and the cron): every delivery is queued twice.
    await queueIssue(workerEnv, primaryDb(workerEnv), issueId, queue.clock);
    await queueIssue(workerEnv, primaryDb(workerEnv), issueId, queue.clock);
    await queue.drain(1000);

    const midnight = Date.UTC(2026, 11, 4);
    const sentBefore = await env.DB.prepare(
      "SELECT count(*) AS n FROM newsletter_deliveries WHERE issue_id = ? AND status = 'sent' AND sent_at < ?",
    )
      .bind(issueId, midnight)
      .first<number>('n');
    expect(sentBefore).toBe(25);
    expect(await deliveriesOf(issueId)).toMatchObject({ total: subscribers, subscribers, sent: subscribers });
    expect((await deliveriesOf(issueId))!.last).toBeGreaterThanOrEqual(midnight);
    expect((await deliveriesOf(issueId))!.last).toBeLessThan(midnight + 60_000);
    expect(await busiestSecond(issueId)).toBeLessThanOrEqual(10);
    expect(await providerSummary('quota-')).toEqual({ emails: 40, recipients: 40 });
    await env.DB.prepare("UPDATE subscribers SET status = 'unsubscribed' WHERE status = 'confirmed'").run();
  });

  it('spreads 100,000 deliveries at 10 a second: never more in any second, nobody twice', async () => {
    await env.DB.prepare("UPDATE subscribers SET status = 'unsubscribed' WHERE status = 'confirmed'").run();
    await addSubscribers('scale-', 100_000);
    const workerEnv = throttledEnv(10);
    const startAt = Date.UTC(2026, 11, 7, 7);
    const queue = simulatedQueue(workerEnv, startAt);
    const issueId = await recordTestIssue();
    expect(await queueIssue(workerEnv, primaryDb(workerEnv), issueId, queue.clock)).toBe(100_000);
    await queue.drain(50_000);

    expect(await deliveriesOf(issueId)).toMatchObject({ total: 100_000, subscribers: 100_000, sent: 100_000 });
    expect(await busiestSecond(issueId)).toBe(10);
    const { first, last } = (await deliveriesOf(issueId))!;
    // 10,000 seconds of sending, give or take the seconds between batches.
    expect((last - first) / 1000).toBeGreaterThanOrEqual(9_999);
    expect((last - first) / 1000).toBeLessThan(10_500);
    expect(await providerSummary('scale-')).toEqual({ emails: 100_000, recipients: 100_000 });
  }, 300_000);
});
