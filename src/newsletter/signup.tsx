import { siteConfig } from '../config';
import type { Db } from '../db/client';
import { isTimeZone } from '../lib/dates';
import { mailboxKey } from '../lib/email';
import { hmacSign } from '../lib/hmac';
import { sendMail } from '../mail/mailer';
import { claimConfirmation, type Mailbox, releaseConfirmation } from './subscriber-queries';
import { createSubscriptionToken } from './subscription-token';
import { ConfirmationEmail, confirmationSubject, confirmationText, renderEmailHtml } from './views/emails';

/** The salted hash that identifies a mailbox (`mailboxKey`), kept even after the address itself is erased. */
export const subscriberEmailHash = (env: Env, email: string) => hmacSign(env.SUBSCRIBER_HASH_SALT, mailboxKey(email));

/** The address as the list looks it up (subscriber-queries.ts). */
export const subscriberMailbox = async (env: Env, email: string): Promise<Mailbox> => ({
  emailHash: await subscriberEmailHash(env, email),
  email,
});

export const confirmPath = (token: string) => `/newsletter/confirm?token=${token}`;
export const unsubscribePath = (token: string) => `/newsletter/unsubscribe?token=${token}`;

/**
 * A signup: whatever the address's state, the caller answers the same. A new, unsubscribed or erased
 * address starts a double opt-in; an unconfirmed one gets its confirmation again, at most every 10
 * minutes; a confirmed one gets nothing. The email is handed to `defer` (the request's `waitUntil`),
 * so the answer takes as long whether an email is sent or not.
 */
export async function requestSubscription(
  env: Env,
  db: Db,
  { email, now, requestId, timeZone }: { email: string; now: Date; requestId?: string; timeZone?: unknown },
  defer: (task: Promise<unknown>) => void,
): Promise<void> {
  const claimed = await claimConfirmation(db, {
    ...(await subscriberMailbox(env, email)),
    now,
    // Cloudflare's guess from the connection (request.cf.timezone); the subscriber can change it.
    timeZone: typeof timeZone === 'string' && isTimeZone(timeZone) ? timeZone : undefined,
  });
  if (!claimed) return;
  defer(
    // sendMail has logged the failure; the address may ask again at once.
    sendConfirmation(env, claimed.id, email, now, requestId).catch(() => releaseConfirmation(db, claimed.id, now)),
  );
}

async function sendConfirmation(
  env: Env,
  subscriberId: number,
  email: string,
  now: Date,
  requestId: string | undefined,
): Promise<void> {
  const site = siteConfig(env);
  const token = await createSubscriptionToken(env.NEWSLETTER_TOKEN_SECRET, 'confirm', subscriberId, now.getTime());
  const content = { site, confirmUrl: site.url + confirmPath(token) };
  await sendMail(
    env,
    {
      from: { name: site.newsletterName, address: site.newsletter.from },
      to: email,
      subject: confirmationSubject(content),
      text: confirmationText(content),
      html: await renderEmailHtml(<ConfirmationEmail {...content} />),
    },
    { purpose: 'newsletter-confirmation', requestId },
  );
}
