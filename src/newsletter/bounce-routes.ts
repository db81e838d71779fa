import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { primaryDb } from '../db/client';
import { normaliseEmail } from '../lib/email';
import { logEvent } from '../lib/log';
import { RESEND_WEBHOOK_PATH, readResendEvent, verifyResendWebhook } from '../mail/resend-webhook';
import { subscriberMailbox } from './signup';
import { suppressSubscribers } from './subscriber-queries';

/**
 * Resend's delivery events (bounces, complaints), signed with Svix. A bad or old signature is 401; a
 * hard bounce or a complaint suppresses the address (status `bounced` / `complained`): it gets
 * nothing more unless it signs up afresh and confirms again. A soft bounce is Resend's to retry.
 */
export const bounceRoutes = new Hono<AppEnv>().post(RESEND_WEBHOOK_PATH, async (c) => {
  const secret = c.env.RESEND_WEBHOOK_SECRET;
  if (!secret) return c.json({ error: 'No webhook is configured here.' }, 404);
  const body = await c.req.text();
  const signed = await verifyResendWebhook(
    secret,
    {
      id: c.req.header('svix-id'),
      timestamp: c.req.header('svix-timestamp'),
      signature: c.req.header('svix-signature'),
    },
    body,
    Date.now(),
  );
  if (!signed) return c.json({ error: 'The webhook signature is missing, wrong or too old.' }, 401);
  const event = readResendEvent(body);
  if (!event) return c.json({ error: 'The body is not a Resend event.' }, 422);
  if (event.kind === 'other' || event.kind === 'soft-bounce') {
    logEvent('info', 'newsletter.webhook-ignored', {
      requestId: c.var.requestId,
      type: event.kind === 'other' ? event.type : 'soft-bounce',
    });
    return c.json({ ok: true, suppressed: 0 });
  }
  const mailboxes = await Promise.all(
    event.addresses.map((address) => subscriberMailbox(c.env, normaliseEmail(address.trim()))),
  );
  const suppressed = await suppressSubscribers(
    primaryDb(c.env),
    mailboxes,
    event.kind === 'complaint' ? 'complained' : 'bounced',
    new Date(),
  );
  logEvent('info', 'newsletter.suppressed', { requestId: c.var.requestId, reason: event.kind, suppressed });
  return c.json({ ok: true, suppressed });
});
