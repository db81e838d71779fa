import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { primaryDb } from '../../src/db/client';
import { queueIssue } from '../../src/newsletter/send';
import { recordTestIssue } from '../support/newsletter-helpers';
import {
  addSubscribers,
  busiestSecond,
  confirmedCount,
  deliveriesOf,
  providerSummary,
  simulatedQueue,
  throttledEnv,
} from '../support/simulated-queue';

afterEach(() => {
  vi.restoreAllMocks();
});

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
});
