import { createApp } from './app';
import { deliverIssueBatch, sendWeeklyIssue } from './newsletter/send';

export { RateLimiter } from './rate-limit/rate-limiter-object';

const app = createApp();

export default {
  fetch: app.fetch,
  /** The weekly newsletter (the Cron Trigger in wrangler.toml). */
  scheduled: async (controller, env, ctx) => {
    ctx.waitUntil(sendWeeklyIssue(env, new Date(controller.scheduledTime)));
  },
  /** The newsletter's deliveries, fanned out by `sendWeeklyIssue`. */
  queue: (batch, env) => deliverIssueBatch(env, batch),
} satisfies ExportedHandler<Env>;
