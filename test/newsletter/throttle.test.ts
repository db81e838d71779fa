import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { primaryDb } from '../../src/db/client';
import { queueIssue } from '../../src/newsletter/send';
import { FAKE_RESEND_URL } from '../support/bulk-sender';
import { recordTestIssue } from '../support/newsletter-helpers';
import { addSubscribers, simulatedQueue, throttledEnv } from '../support/simulated-queue';

afterEach(() => {
  vi.restoreAllMocks();
});

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
