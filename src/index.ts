import { createApp } from './app';
import { logEvent } from './lib/log';
import { deliverIssueBatch, sendWeeklyIssue } from './newsletter/send';
import { applyRetention } from './privacy/retention';

export { RateLimiter } from './rate-limit/rate-limiter-object';
export { ViewCounter } from './readership/view-counter-object';

const app = createApp();

/** The job of each Cron Trigger schedule in wrangler.toml (a schedule changed there is changed here too). */
export const CRON_JOBS: Record<string, (env: Env, now: Date) => Promise<unknown>> = {
  '0 7 * * MON': sendWeeklyIssue,
  '30 3 * * *': applyRetention,
};

export default {
  fetch: app.fetch,
  scheduled: async (controller, env, ctx) => {
    const job = CRON_JOBS[controller.cron];
    if (!job) return logEvent('error', 'cron.unknown-schedule', { cron: controller.cron });
    ctx.waitUntil(job(env, new Date(controller.scheduledTime)));
  },
  /** The newsletter's deliveries, fanned out by `sendWeeklyIssue`. */
  queue: (batch, env) => deliverIssueBatch(env, batch),
} satisfies ExportedHandler<Env>;
