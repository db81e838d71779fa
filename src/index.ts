import { Cron } from 'croner';
import { createApp } from './app';
import { REVIEW_EMAIL_SCHEDULE, sendReviewDigest } from './articles/review-digest';
import { deliverNotificationBatch } from './comments/notify-deliver';
import { logEvent } from './lib/log';
import { WEEKLY_SEND_SCHEDULE } from './newsletter/issue';
import { sendDueIssues } from './newsletter/release';
import { deliverIssueBatch, LOCAL_HOUR_SCHEDULE, queueLocalHourDeliveries, sendWeeklyIssue } from './newsletter/send';
import { withMetering } from './ops/metering';
import { purgeDueArticles } from './page-cache/purge';
import { consumePurgeBatch } from './page-cache/purge-queue';
import { applyRetention } from './privacy/retention';
import { consumeWebmentionBatch } from './webmention/queue';
import { pingHubBatch } from './websub/hub';

export { ModeratorDigest } from './comments/moderation/digest-object';
export { SendPacer } from './newsletter/send-pacer';
export { RateLimiter } from './rate-limit/rate-limiter-object';
export { ViewCounter } from './readership/view-counter-object';

const app = createApp();

/**
 * Every scheduled job, by its schedule (cron syntax, UTC). wrangler.toml has one Cron Trigger, every
 * minute, which runs each job whose schedule matches that minute: Cron Triggers are counted per
 * account (5 on the Free plan), and staging and production are two Workers. A trigger of one named
 * schedule (a test, or `/cdn-cgi/handler/scheduled?cron=…` under wrangler dev) runs just that job.
 */
export const CRON_JOBS: Record<string, (env: Env, now: Date) => Promise<unknown>> = {
  [WEEKLY_SEND_SCHEDULE]: sendWeeklyIssue,
  '30 3 * * *': applyRetention,
  '* * * * *': (env, now) => Promise.all([purgeDueArticles(env, now), sendDueIssues(env, now)]),
  [REVIEW_EMAIL_SCHEDULE]: sendReviewDigest,
  [LOCAL_HOUR_SCHEDULE]: queueLocalHourDeliveries,
};
const EVERY_MINUTE = '* * * * *';
const MINUTE_MS = 60_000;

/** The schedules a trigger runs: the named one, or for the minute trigger every schedule due in that minute. */
export function dueSchedules(cron: string, scheduledTime: number): string[] {
  if (cron !== EVERY_MINUTE) return cron in CRON_JOBS ? [cron] : [];
  const minute = new Date(Math.floor(scheduledTime / MINUTE_MS) * MINUTE_MS);
  return Object.keys(CRON_JOBS).filter((schedule) =>
    new Cron(schedule, { timezone: 'UTC', paused: true }).match(minute),
  );
}

/** Each queue's consumer, by the queue's name without its environment suffix (`-local`, `-staging`). */
const QUEUE_CONSUMERS: Record<string, (env: Env, batch: MessageBatch<unknown>) => Promise<void>> = {
  'edgepress-newsletter': deliverIssueBatch,
  'edgepress-purge': consumePurgeBatch,
  'edgepress-notify': deliverNotificationBatch,
  'edgepress-websub': pingHubBatch,
  'edgepress-webmention': consumeWebmentionBatch,
  // Loaded on first use, as in src/fediverse/fediverse-routes.tsx.
  'edgepress-fediverse': async (env, batch) => (await import('./fediverse/outbox')).consumeFediverseBatch(env, batch),
};

export default withMetering({
  fetch: app.fetch,
  scheduled: async (controller, env, ctx) => {
    const schedules = dueSchedules(controller.cron, controller.scheduledTime);
    if (schedules.length === 0) return logEvent('error', 'cron.unknown-schedule', { cron: controller.cron });
    const now = new Date(controller.scheduledTime);
    for (const schedule of schedules) ctx.waitUntil(CRON_JOBS[schedule]!(env, now));
  },
  queue: (batch, env) => {
    const consume = QUEUE_CONSUMERS[batch.queue.replace(/-(local|staging)$/, '')];
    if (!consume) throw new Error(`No consumer for the queue "${batch.queue}"`);
    return consume(env, batch);
  },
});
