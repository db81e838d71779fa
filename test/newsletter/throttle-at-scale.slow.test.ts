import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { primaryDb } from '../../src/db/client';
import { queueIssue } from '../../src/newsletter/send';
import { recordTestIssue } from '../support/newsletter-helpers';
import {
  addSubscribers,
  busiestSecond,
  deliveriesOf,
  providerSummary,
  simulatedQueue,
  throttledEnv,
} from '../support/simulated-queue';

// In `npm run test:slow`: 100,000 deliveries through the real queue consumer, D1 and the pacer take minutes.

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the throttle at scale (an injected clock, the real queue, D1, pacer and local Resend)', () => {
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
