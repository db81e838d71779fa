import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { vi } from 'vitest';
import { type Clock, deliverIssueBatch } from '../../src/newsletter/send';
import { bulkSenderEnv, FAKE_RESEND_URL } from './bulk-sender';

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
export function simulatedQueue(workerEnv: Env, startAt: number, batchSize = 50) {
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
  const passSend = queue.send.bind(queue);
  const passSendBatch = queue.sendBatch.bind(queue);
  const send = vi.spyOn(queue, 'send').mockImplementation((body, options) => {
    queued.push({ body, dueAt: now + (options?.delaySeconds ?? 0) * 1000 });
    return passSend(body, options);
  });
  const sendBatch = vi.spyOn(queue, 'sendBatch').mockImplementation((messages, options) => {
    for (const message of messages)
      queued.push({ body: message.body, dueAt: now + (message.delaySeconds ?? 0) * 1000 });
    return passSendBatch(messages, options);
  });
  let invocations = 0;
  return {
    clock,
    queued,
    /** How many delivery messages the Worker queued in all (not retries), e.g. to see none was queued twice. */
    get deliveriesQueued() {
      return [
        ...send.mock.calls.map(([body]) => body),
        ...sendBatch.mock.calls.flatMap(([messages]) => [...messages].map((message) => message.body)),
      ].filter((body) => typeof (body as { deliveryId?: unknown }).deliveryId === 'number').length;
    },
    get now() {
      return now;
    },
    get invocations() {
      return invocations;
    },
    /** Runs the consumer until the queue is empty (at most `limit` invocations), or only up to the time `until`. */
    async drain(limit: number, until = Number.POSITIVE_INFINITY) {
      while (queued.length > 0 && invocations < limit) {
        queued.sort((a, b) => a.dueAt - b.dueAt);
        if (queued[0]!.dueAt > until) break;
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
      if (until !== Number.POSITIVE_INFINITY) now = Math.max(now, until);
    },
  };
}

/** A workerEnv sending through the local Resend, at these limits (and other `vars`), into the consumer-less queue. */
export const throttledEnv = (perSecond: number, perDay = 0, vars: Record<string, string> = {}) => ({
  ...bulkSenderEnv({
    NEWSLETTER_SENDS_PER_SECOND: String(perSecond),
    NEWSLETTER_SENDS_PER_DAY: String(perDay),
    ...vars,
  }),
  NEWSLETTER_QUEUE: env.TEST_NEWSLETTER_QUEUE,
});

/** `count` confirmed subscribers whose addresses start with `prefix` (in `timeZone`, if given), in one statement. */
export async function addSubscribers(prefix: string, count: number, timeZone: string | null = null): Promise<void> {
  await env.DB.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
     INSERT INTO subscribers (email, email_hash, status, time_zone) SELECT ? || i || '@example.com', ? || i, 'confirmed', ? FROM n`,
  )
    .bind(count, prefix, `hash-${prefix}`, timeZone)
    .run();
}

/** Deliveries of an issue: how many, to how many subscribers, how many sent, first and last send time. */
export const deliveriesOf = (issueId: number) =>
  env.DB.prepare(
    `SELECT count(*) AS total, count(DISTINCT subscriber_id) AS subscribers, sum(status = 'sent') AS sent,
            min(sent_at) AS first, max(sent_at) AS last FROM newsletter_deliveries WHERE issue_id = ?`,
  )
    .bind(issueId)
    .first<{ total: number; subscribers: number; sent: number; first: number; last: number }>();

/** The most deliveries sent in any one second (by the injected clock). */
export const busiestSecond = (issueId: number) =>
  env.DB.prepare(
    `SELECT max(sends) AS most FROM (SELECT count(*) AS sends FROM newsletter_deliveries WHERE issue_id = ? AND status = 'sent' GROUP BY sent_at / 1000)`,
  )
    .bind(issueId)
    .first<number>('most');

export const confirmedCount = () =>
  env.DB.prepare("SELECT count(*) AS n FROM subscribers WHERE status = 'confirmed'").first<number>('n');

/** What the local Resend received for addresses starting with `prefix`. */
export async function providerSummary(prefix: string) {
  const response = await fetch(`${FAKE_RESEND_URL}/_fake/summary?prefix=${encodeURIComponent(prefix)}`);
  return response.json<{ emails: number; recipients: number }>();
}
