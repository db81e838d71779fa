import { siteConfig } from '../config';
import { type Db, primaryDb } from '../db/client';
import type { NewsletterIssue } from '../db/schema';
import { sendMail } from '../mail/mailer';
import type { MailMessage } from '../mail/sender';
import { addDeliveries, claimDelivery, finishDelivery, pendingDeliveryIds } from './delivery-queries';
import { weeklyIssue } from './issue';
import { issueById } from './issue-queries';
import { unsubscribePath } from './signup';
import { deliveryRecipient } from './subscriber-queries';
import { createSubscriptionToken } from './subscription-token';
import { UNSUBSCRIBE_URL_PLACEHOLDER } from './views/emails';

/** A queue message: one issue to one subscriber, as recorded in newsletter_deliveries. */
export interface DeliveryMessage {
  deliveryId: number;
}

/** Attempts at sending one delivery before it is marked failed (the queue's max_retries leaves room for them). */
export const MAX_SEND_ATTEMPTS = 5;
const QUEUE_SEND_BATCH = 100;

/** 1, 2, 4, 8… minutes after the attempts so far, at most an hour. */
export const retryDelaySeconds = (attempts: number) => Math.min(3600, 60 * 2 ** Math.max(0, attempts - 1));

export interface WeeklySendResult {
  issue: Pick<NewsletterIssue, 'number' | 'subject' | 'week'> | null;
  /** Deliveries put on the queue by this run. */
  queued: number;
}

/**
 * The weekly send (the Cron Trigger, or an editor by hand): records this week's issue if there is
 * none and sends it (queueIssue). Running it twice sends nobody anything twice.
 */
export async function sendWeeklyIssue(env: Env, now: Date): Promise<WeeklySendResult> {
  const db = primaryDb(env);
  const issue = await weeklyIssue(env, db, now);
  if (!issue) return { issue: null, queued: 0 };
  const queued = await queueIssue(env, db, issue.id);
  return { issue: { number: issue.number, subject: issue.subject, week: issue.week }, queued };
}

/**
 * Sends a recorded issue: adds a delivery for every confirmed subscriber who has none and queues the
 * pending ones; returns how many were queued. Deliveries are unique per subscriber and issue, and only
 * a pending one is ever sent, so a second call sends nobody anything twice.
 */
export async function queueIssue(env: Env, db: Db, issueId: number): Promise<number> {
  await addDeliveries(db, issueId);
  let queued = 0;
  for (let afterId = 0; ; ) {
    const ids = await pendingDeliveryIds(db, { issueId, afterId, limit: QUEUE_SEND_BATCH });
    if (ids.length === 0) break;
    await env.NEWSLETTER_QUEUE.sendBatch(ids.map((deliveryId) => ({ body: { deliveryId } satisfies DeliveryMessage })));
    queued += ids.length;
    afterId = ids[ids.length - 1]!;
  }
  return queued;
}

/** The issue as one subscriber receives it: their own unsubscribe link in both parts and in the RFC 8058 headers. */
export function issueMail(env: Env, issue: NewsletterIssue, to: string, unsubscribeUrl: string): MailMessage {
  const site = siteConfig(env);
  return {
    from: { name: site.newsletterName, address: site.newsletter.from },
    to,
    subject: issue.subject,
    text: issue.text.replaceAll(UNSUBSCRIBE_URL_PLACEHOLDER, unsubscribeUrl),
    html: issue.html.replaceAll(UNSUBSCRIBE_URL_PLACEHOLDER, unsubscribeUrl),
    headers: { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}

async function deliver(
  env: Env,
  db: Db,
  message: Message<unknown>,
  issues: Map<number, Promise<NewsletterIssue | undefined>>,
) {
  const deliveryId = (message.body as Partial<DeliveryMessage> | null)?.deliveryId;
  // Not pending (already sent, being sent, failed, skipped) or unknown: a redelivery, nothing to do.
  const claimed = typeof deliveryId === 'number' ? await claimDelivery(db, deliveryId) : undefined;
  if (!claimed || deliveryId === undefined) return message.ack();

  if (!issues.has(claimed.issueId)) issues.set(claimed.issueId, issueById(db, claimed.issueId));
  const [issue, recipient] = await Promise.all([
    issues.get(claimed.issueId),
    deliveryRecipient(db, claimed.subscriberId),
  ]);
  if (!issue || recipient?.status !== 'confirmed' || !recipient.email) {
    await finishDelivery(db, deliveryId, { status: 'skipped' });
    return message.ack();
  }
  const site = siteConfig(env);
  const token = await createSubscriptionToken(
    env.NEWSLETTER_TOKEN_SECRET,
    'unsubscribe',
    claimed.subscriberId,
    Date.now(),
  );
  try {
    await sendMail(env, issueMail(env, issue, recipient.email, site.url + unsubscribePath(token)), {
      purpose: 'newsletter-issue',
      deliveryId,
      attempt: claimed.attempts,
    });
  } catch (error) {
    const failed = claimed.attempts >= MAX_SEND_ATTEMPTS;
    await finishDelivery(db, deliveryId, {
      status: failed ? 'failed' : 'pending',
      lastError: String(error).slice(0, 500),
    });
    return failed ? message.ack() : message.retry({ delaySeconds: retryDelaySeconds(claimed.attempts) });
  }
  await finishDelivery(db, deliveryId, { status: 'sent', sentAt: new Date() });
  message.ack();
}

/**
 * The queue consumer: sends each delivery in the batch at most once. A delivery is claimed before it
 * is sent, so a redelivered batch finds it taken; if the Worker dies between the claim and the send,
 * the delivery stays `sending` and is not retried (never twice beats possibly twice).
 */
export async function deliverIssueBatch(env: Env, batch: MessageBatch<unknown>): Promise<void> {
  const db = primaryDb(env);
  const issues = new Map<number, Promise<NewsletterIssue | undefined>>();
  await Promise.all(batch.messages.map((message) => deliver(env, db, message, issues)));
}
