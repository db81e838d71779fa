import { createApp } from './app';

export { RateLimiter } from './rate-limit/rate-limiter-object';

const app = createApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
