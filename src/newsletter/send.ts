import { siteConfig } from '../config';
import { type Db, primaryDb } from '../db/client';
import type { NewsletterIssue } from '../db/schema';
import { isTimeZone, nextLocalHour } from '../lib/dates';
import { logSendFailure, senderFor } from '../mail/mailer';
import { type MailMessage, MailRefused } from '../mail/sender';
import {
  addDeliveries,
  claimDeliveries,
  countPendingDeliveries,
  type DeliveryOutcome,
  type DueTimes,
  type DueWindow,
  finishDeliveries,
  pendingDeliveries,
  pendingDeliveryIds,
  subscriberTimeZones,
  withPaidAccess,
} from './delivery-queries';
import { weeklyIssue } from './issue';
import { advanceQueuedUntil, issueById, localHourIssuesToQueue } from './issue-queries';
import { sendPacer } from './send-pacer';
import { unsubscribePath } from './signup';
import { deliveryRecipients, suppressSubscriber } from './subscriber-queries';
import { createSubscriptionToken } from './subscription-token';
import { UNSUBSCRIBE_URL_PLACEHOLDER } from './views/emails';

/** A queue message: one issue to one subscriber, as recorded in newsletter_deliveries. */
export interface DeliveryMessage {
  deliveryId: number;
}

/** A queue message: queue the issue's next page of pending deliveries, those after `afterId` (and due in `window`). */
export interface FanOutMessage {
  issueId: number;
  afterId: number;
  window?: DueWindow;
}

/** Attempts at sending one delivery before it is marked failed (the queue's max_retries leaves room for them). */
export const MAX_SEND_ATTEMPTS = 5;
/** Deliveries queued per fan-out message: a Queue's sendBatch takes at most 100 messages (and 256 KB). */
export const FAN_OUT_PAGE = 100;
/** The longest delay a Queue message may have (12 hours). */
export const MAX_QUEUE_DELAY_SECONDS = 43_200;
/** How often the local-hour job runs (LOCAL_HOUR_SCHEDULE); each run queues the deliveries due before the next. */
const HOUR_MS = 3_600_000;
export const LOCAL_HOUR_SCHEDULE = '0 * * * *';
/** How long one consumer invocation waits for the rate to let its batch go, before handing the rest back to the queue. */
const MAX_WAIT_SECONDS = 60;

/** 1, 2, 4, 8… minutes after the attempts so far, at most an hour. */
export const retryDelaySeconds = (attempts: number) => Math.min(3600, 60 * 2 ** Math.max(0, attempts - 1));

/** The consumer's clock: the real one, or a test's. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}
const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface WeeklySendResult {
  issue: Pick<NewsletterIssue, 'number' | 'subject' | 'week'> | null;
  /** Deliveries waiting to be sent after this run. */
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
 * Sends a recorded issue: adds a delivery for every confirmed subscriber who has none (of a paid-only
 * issue, every one whose member has paid access) and queues the
 * first page of pending ones; each page queues the next (fanOut), so no invocation pages through a
 * large list alone. Returns how many deliveries wait to be sent. Deliveries are unique per subscriber
 * and issue, and only a pending one is ever sent, so a second call sends nobody anything twice.
 */
export async function queueIssue(env: Env, db: Db, issueId: number, clock: Clock = realClock): Promise<number> {
  const issue = await issueById(db, issueId);
  if (!issue) return 0;
  const now = new Date(clock.now());
  if (issue.localHour === null) {
    await addDeliveries(db, issue, now);
    await fanOut(env, db, { issueId, afterId: 0 }, clock);
  } else {
    await addDeliveries(db, issue, now, await localDueTimes(env, db, issue, clock.now()));
    await queueDueDeliveries(env, db, issue, clock);
  }
  return countPendingDeliveries(db, issueId);
}

/**
 * When each subscriber's copy of a local-hour issue is due: the next time it is that hour in their time
 * zone (the site's for those without one). Never inside the hours already queued, which a later
 * hourly run would not look at again.
 */
async function localDueTimes(env: Env, db: Db, issue: NewsletterIssue, now: number): Promise<DueTimes> {
  const { timeZone } = siteConfig(env);
  const after = (issue.queuedUntil?.getTime() ?? 0) + 1;
  const dueIn = (zone: string) => Math.max(after, nextLocalHour(new Date(now), zone, issue.localHour!).getTime());
  const zones = (await subscriberTimeZones(db)).filter(isTimeZone);
  return { byZone: Object.fromEntries(zones.map((zone) => [zone, dueIn(zone)])), otherwise: dueIn(timeZone) };
}

/**
 * Queues a local-hour issue's deliveries due from where the last run stopped until the next hourly run,
 * each delayed until its time. The mark moves in one conditional UPDATE, so of two concurrent runs one
 * queues the hour.
 */
async function queueDueDeliveries(env: Env, db: Db, issue: NewsletterIssue, clock: Clock): Promise<void> {
  const window = { after: issue.queuedUntil?.getTime() ?? 0, until: clock.now() + HOUR_MS };
  if (!(await advanceQueuedUntil(db, issue.id, issue.queuedUntil, new Date(window.until)))) return;
  await fanOut(env, db, { issueId: issue.id, afterId: 0, window }, clock);
}

/** The hourly job: queues the copies of local-hour issues whose subscribers' hour comes before the next run. */
export async function queueLocalHourDeliveries(env: Env, now: Date, clock: Clock = realClock): Promise<void> {
  const db = primaryDb(env);
  for (const issue of await localHourIssuesToQueue(db, now)) await queueDueDeliveries(env, db, issue, clock);
}

/**
 * Queues one page of the issue's pending deliveries, spread over the seconds the rate needs for them,
 * and the next page for when they are due. While the day's quota is used up, it waits for the next
 * UTC day instead.
 */
async function fanOut(env: Env, db: Db, page: FanOutMessage, clock: Clock): Promise<void> {
  const pace = siteConfig(env).newsletter.pace;
  const paused = await sendPacer(env).pausedFor(clock.now(), pace);
  if (paused > 0) {
    await env.NEWSLETTER_QUEUE.send(page, { delaySeconds: Math.min(paused, MAX_QUEUE_DELAY_SECONDS) });
    return;
  }
  const rows = await pendingDeliveryIds(db, { ...page, limit: FAN_OUT_PAGE });
  if (rows.length === 0) return;
  const now = clock.now();
  await env.NEWSLETTER_QUEUE.sendBatch(
    rows.map(({ id, dueAt }, i) => ({
      body: { deliveryId: id } satisfies DeliveryMessage,
      delaySeconds: Math.min(
        Math.max(0, Math.ceil(((dueAt?.getTime() ?? now) - now) / 1000)) + Math.floor(i / pace.perSecond),
        MAX_QUEUE_DELAY_SECONDS,
      ),
    })),
  );
  if (rows.length === FAN_OUT_PAGE) {
    await env.NEWSLETTER_QUEUE.send({ ...page, afterId: rows[rows.length - 1]!.id } satisfies FanOutMessage, {
      delaySeconds: Math.ceil(FAN_OUT_PAGE / pace.perSecond),
    });
  }
}

const fanOutOf = (message: Message<unknown>): FanOutMessage | undefined => {
  const body = message.body as Partial<FanOutMessage> | null;
  if (typeof body?.issueId !== 'number' || typeof body.afterId !== 'number') return undefined;
  const window = body.window;
  return {
    issueId: body.issueId,
    afterId: body.afterId,
    ...(typeof window?.after === 'number' && typeof window.until === 'number'
      ? { window: { after: window.after, until: window.until } }
      : {}),
  };
};

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

const deliveryIdOf = (message: Message<unknown>) => {
  const id = (message.body as Partial<DeliveryMessage> | null)?.deliveryId;
  return typeof id === 'number' ? id : undefined;
};

/**
 * Claims, sends and records deliveries the pacer let go now. A delivery is claimed before it is sent,
 * so a redelivered message finds it taken; if the Worker dies between the claim and the send, the
 * delivery stays `sending` and is not retried (never twice beats possibly twice).
 */
async function sendDeliveries(
  env: Env,
  db: Db,
  messages: Message<unknown>[],
  issues: Map<number, Promise<NewsletterIssue | undefined>>,
  now: number,
): Promise<void> {
  const claimed = await claimDeliveries(
    db,
    messages.map((message) => deliveryIdOf(message)!),
  );
  const claims = new Map(claimed.map((claim) => [claim.id, claim]));
  const recipients = await deliveryRecipients(
    db,
    claimed.map((claim) => claim.subscriberId),
  );
  // Of a paid-only issue, a copy goes to a subscriber whose paid access still runs when its turn comes.
  let paid: Promise<Set<number>> | undefined;
  const paidNow = async (subscriberId: number) => {
    paid ??= withPaidAccess(
      db,
      claimed.map((claim) => claim.subscriberId),
      new Date(now),
    );
    return (await paid).has(subscriberId);
  };
  const site = siteConfig(env);
  const outcomes: DeliveryOutcome[] = [];
  const sending: { message: Message<unknown>; claim: (typeof claimed)[number]; mail: MailMessage }[] = [];
  for (const message of messages) {
    const claim = claims.get(deliveryIdOf(message)!);
    // Each claim is used once, even when the batch carries its delivery twice (the send started twice).
    claims.delete(deliveryIdOf(message)!);
    // Not pending (already sent, being sent, failed, skipped) or unknown: a redelivery, nothing to do.
    if (!claim) {
      message.ack();
      continue;
    }
    if (!issues.has(claim.issueId)) issues.set(claim.issueId, issueById(db, claim.issueId));
    const issue = await issues.get(claim.issueId);
    const recipient = recipients.get(claim.subscriberId);
    if (
      !issue ||
      recipient?.status !== 'confirmed' ||
      !recipient.email ||
      (issue.paidOnly && !(await paidNow(claim.subscriberId)))
    ) {
      outcomes.push({ id: claim.id, status: 'skipped' });
      message.ack();
      continue;
    }
    const token = await createSubscriptionToken(env.NEWSLETTER_TOKEN_SECRET, 'unsubscribe', claim.subscriberId, now);
    const mail = issueMail(env, issue, recipient.email, site.url + unsubscribePath(token));
    // Resend remembers a key for 24 hours; staging and production may share an account and their delivery ids overlap.
    const idempotencyKey = `newsletter/${new URL(site.url).host}/${issue.week}/${claim.id}`;
    sending.push({ message, claim, mail: { ...mail, idempotencyKey } });
  }

  const results = await senderFor(env, 'newsletter-issue').sendMany(sending.map(({ mail }) => mail));
  for (const [i, { message, claim }] of sending.entries()) {
    const result = results[i]!;
    if (!(result instanceof MailRefused)) {
      outcomes.push({ id: claim.id, status: 'sent', sentAt: new Date(now) });
      message.ack();
      continue;
    }
    logSendFailure({ purpose: 'newsletter-issue', deliveryId: claim.id, attempt: claim.attempts }, result);
    // Email Service keeps its own suppression list: an address on it gets nothing more from us either.
    if (result.kind === 'suppressed') await suppressSubscriber(db, claim.subscriberId, new Date(now));
    const final = result.kind === 'suppressed' || result.kind === 'invalid' || claim.attempts >= MAX_SEND_ATTEMPTS;
    outcomes.push({ id: claim.id, status: final ? 'failed' : 'pending', lastError: result.message.slice(0, 500) });
    if (final) message.ack();
    else message.retry({ delaySeconds: Math.max(result.retryAfterSeconds ?? 0, retryDelaySeconds(claim.attempts)) });
  }
  await finishDeliveries(db, outcomes);
}

/**
 * The queue consumer: fans out pages of deliveries, and sends deliveries at the configured rate. It
 * asks the pacer (one Durable Object, exact) how many may go this second, sends those, waits for the
 * next second, and so on; once the day's quota is used, it hands the rest back to the queue for the
 * next UTC day. Each delivery is sent at most once.
 */
export async function deliverIssueBatch(
  env: Env,
  batch: MessageBatch<unknown>,
  clock: Clock = realClock,
): Promise<void> {
  const db = primaryDb(env);
  const pace = siteConfig(env).newsletter.pace;
  const issues = new Map<number, Promise<NewsletterIssue | undefined>>();
  let waiting: Message<unknown>[] = [];
  for (const message of batch.messages) {
    const page = fanOutOf(message);
    if (page) {
      await fanOut(env, db, page, clock);
      message.ack();
    } else if (
      deliveryIdOf(message) !== undefined &&
      !waiting.some((other) => deliveryIdOf(other) === deliveryIdOf(message))
    ) {
      waiting.push(message);
    } else {
      message.ack();
    }
  }

  // Deliveries already sent (a redelivered message) take none of the rate's slots.
  const pending = new Set(
    await pendingDeliveries(
      db,
      waiting.map((message) => deliveryIdOf(message)!),
    ),
  );
  for (const message of waiting) if (!pending.has(deliveryIdOf(message)!)) message.ack();
  waiting = waiting.filter((message) => pending.has(deliveryIdOf(message)!));
  const started = clock.now();
  while (waiting.length > 0) {
    const { granted, retryAfterSeconds } = await sendPacer(env).reserve(waiting.length, clock.now(), pace);
    if (granted > 0) await sendDeliveries(env, db, waiting.slice(0, granted), issues, clock.now());
    waiting = waiting.slice(granted);
    if (waiting.length === 0) break;
    if (retryAfterSeconds > 1 || clock.now() - started >= MAX_WAIT_SECONDS * 1000) {
      // New messages rather than retries: waiting for the rate is no failed attempt.
      await env.NEWSLETTER_QUEUE.sendBatch(
        waiting.map((message) => ({
          body: { deliveryId: deliveryIdOf(message)! } satisfies DeliveryMessage,
          delaySeconds: Math.min(retryAfterSeconds, MAX_QUEUE_DELAY_SECONDS),
        })),
      );
      for (const message of waiting) message.ack();
      break;
    }
    await clock.sleep(1000 - (clock.now() % 1000));
  }
}
