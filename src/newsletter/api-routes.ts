import { Hono } from 'hono';
import { type AppEnv, validInput } from '../app-env';
import { primaryDb } from '../db/client';
import { firstErrorPerField } from '../lib/form-errors';
import { CHECK_YOUR_INBOX, signupLimitMessage, signupRateLimit, signupVerdict } from './guards';
import { requestSubscription } from './signup';
import { BLOCKED_DOMAIN, newsletterSignupSchema } from './signup-input';

/** Every signup that gets this far is answered the same, whether the address was new, pending, confirmed or unsubscribed. */
const ACCEPTED = { status: 'check-your-inbox', message: CHECK_YOUR_INBOX } as const;

/** The newsletter signup for JavaScript clients: `POST {"email": "…"}`, answered 202 (never revealing whether the address was known). */
export const newsletterApiRoutes = new Hono<AppEnv>().post(
  '/api/newsletter/subscriptions',
  validInput('json', newsletterSignupSchema, (c, error) =>
    c.json({ error: 'Some fields are not valid.', fields: firstErrorPerField(error, ['email']) }, 422),
  ),
  async (c, next) => {
    const input = c.req.valid('json');
    c.set('newsletterSignup', input);
    const verdict = signupVerdict(c.env, input);
    if (verdict === 'trapped') return c.json(ACCEPTED, 202);
    if (verdict === 'blocked') return c.json({ error: BLOCKED_DOMAIN, fields: { email: BLOCKED_DOMAIN } }, 422);
    await next();
  },
  signupRateLimit((c, refusal) =>
    c.json({ error: signupLimitMessage(refusal), retryAfterSeconds: refusal.retryAfterSeconds }, 429),
  ),
  async (c) => {
    const { email } = c.req.valid('json');
    await requestSubscription(
      c.env,
      primaryDb(c.env),
      { email, now: new Date(), requestId: c.var.requestId, timeZone: c.req.raw.cf?.timezone },
      (task) => c.executionCtx.waitUntil(task),
    );
    return c.json(ACCEPTED, 202);
  },
);
