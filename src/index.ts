import { createApp } from './app';
import { deliverNotificationBatch } from './comments/notify-deliver';
import { logEvent } from './lib/log';
import { deliverIssueBatch, sendWeeklyIssue } from './newsletter/send';
import { withMetering } from './ops/metering';
import { purgeDueArticles } from './page-cache/purge';
import { consumePurgeBatch } from './page-cache/purge-queue';
import { applyRetention } from './privacy/retention';

export { ModeratorDigest } from './moderators/digest-object';
export { RateLimiter } from './rate-limit/rate-limiter-object';
export { ViewCounter } from './readership/view-counter-object';

const app = createApp();

/** The job of each Cron Trigger schedule in wrangler.toml (a schedule changed there is changed here too). */
export const CRON_JOBS: Record<string, (env: Env, now: Date) => Promise<unknown>> = {
  '0 7 * * MON': sendWeeklyIssue,
  '30 3 * * *': applyRetention,
  '* * * * *': purgeDueArticles,
};

/** Each queue's consumer, by the queue's name without its environment suffix (`-local`, `-staging`). */
const QUEUE_CONSUMERS: Record<string, (env: Env, batch: MessageBatch<unknown>) => Promise<void>> = {
  'edgepress-newsletter': deliverIssueBatch,
  'edgepress-purge': consumePurgeBatch,
  'edgepress-notify': deliverNotificationBatch,
};

export default withMetering({
  fetch: app.fetch,
  scheduled: async (controller, env, ctx) => {
    const job = CRON_JOBS[controller.cron];
    if (!job) return logEvent('error', 'cron.unknown-schedule', { cron: controller.cron });
    ctx.waitUntil(job(env, new Date(controller.scheduledTime)));
  },
  queue: (batch, env) => {
    const consume = QUEUE_CONSUMERS[batch.queue.replace(/-(local|staging)$/, '')];
    if (!consume) throw new Error(`No consumer for the queue "${batch.queue}"`);
    return consume(env, batch);
  },
});
