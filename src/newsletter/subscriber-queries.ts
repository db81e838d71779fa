import { and, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { type SubscriberStatus, subscribers } from '../db/schema';

/** A confirmation is sent again at most this often, however many times an address signs up. */
export const CONFIRMATION_RESEND_INTERVAL_MS = 10 * 60 * 1000;

/** One mailbox as the list knows it: its salted hash (kept after an erasure) and the address as typed. */
export interface Mailbox {
  emailHash: string;
  email: string;
}

/**
 * The rows of these mailboxes: by hash, or by any spelling of the address (a row from before addresses
 * were folded was hashed as typed; the unique index on lower(email) keeps one row per spelling).
 */
function ofMailboxes(mailboxes: Mailbox[]) {
  const hashes = JSON.stringify(mailboxes.map((mailbox) => mailbox.emailHash));
  const emails = JSON.stringify(mailboxes.map((mailbox) => mailbox.email));
  return sql`(${subscribers.emailHash} IN (SELECT value FROM json_each(${hashes})) OR lower(${subscribers.email}) IN (SELECT lower(value) FROM json_each(${emails})))`;
}

/**
 * Records a signup in one transaction: a row from before addresses were folded takes the mailbox's hash;
 * the address's row is created if there is none (one row per mailbox, ever: the unique hash and the
 * unique lower-case address make concurrent signups a no-op conflict), then claimed for a
 * confirmation email if it needs one — a new, unsubscribed, suppressed (bounced, complained) or erased address, or an unconfirmed
 * one whose last confirmation went out over 10 minutes ago. The claim is one conditional UPDATE, so
 * of many concurrent signups exactly one gets the subscriber's id back and sends the email.
 */
export async function claimConfirmation(
  db: Db,
  { email, emailHash, now, timeZone }: Mailbox & { now: Date; timeZone?: string },
) {
  const [, , claimed] = await db.batch([
    db
      .update(subscribers)
      .set({ emailHash })
      .where(
        and(
          sql`lower(${subscribers.email}) = lower(${email})`,
          sql`NOT EXISTS (SELECT 1 FROM ${subscribers} AS other WHERE other.email_hash = ${emailHash})`,
        ),
      ),
    db.insert(subscribers).values({ email, emailHash, status: 'unconfirmed' }).onConflictDoNothing(),
    db
      .update(subscribers)
      .set({ email, status: 'unconfirmed', confirmationSentAt: now, erasedAt: null, ...(timeZone && { timeZone }) })
      .where(
        and(
          eq(subscribers.emailHash, emailHash),
          or(
            inArray(subscribers.status, ['unsubscribed', 'bounced', 'complained']),
            and(
              eq(subscribers.status, 'unconfirmed'),
              or(
                isNull(subscribers.confirmationSentAt),
                lte(subscribers.confirmationSentAt, new Date(now.getTime() - CONFIRMATION_RESEND_INTERVAL_MS)),
              ),
            ),
          ),
        ),
      )
      .returning({ id: subscribers.id }),
  ]);
  return claimed[0];
}

/** Gives a claim back when its email could not be sent, so the reader's next signup tries again. */
export async function releaseConfirmation(db: Db, id: number, claimedAt: Date): Promise<void> {
  await db
    .update(subscribers)
    .set({ confirmationSentAt: null })
    .where(and(eq(subscribers.id, id), eq(subscribers.confirmationSentAt, claimedAt)));
}

/** Confirms an unconfirmed subscriber; returns the status the row has afterwards (undefined: no such row). */
export async function confirmSubscriber(db: Db, id: number, now: Date) {
  const [confirmed] = await db
    .update(subscribers)
    .set({ status: 'confirmed', confirmedAt: now })
    .where(and(eq(subscribers.id, id), eq(subscribers.status, 'unconfirmed')))
    .returning({ status: subscribers.status });
  if (confirmed) return confirmed.status;
  const [row] = await db.select({ status: subscribers.status }).from(subscribers).where(eq(subscribers.id, id));
  return row?.status;
}

/** Unsubscribes (idempotent: the first time is the one recorded); false if there is no such subscriber. */
export async function unsubscribeSubscriber(db: Db, id: number, now: Date): Promise<boolean> {
  const [row] = await db
    .update(subscribers)
    .set({ status: 'unsubscribed', unsubscribedAt: sql`coalesce(${subscribers.unsubscribedAt}, ${now.getTime()})` })
    .where(eq(subscribers.id, id))
    .returning({ id: subscribers.id });
  return row !== undefined;
}

/**
 * Erases a subscriber's address on request: the row stays, unsubscribed, with only the salted hash,
 * so an import of an old list cannot subscribe them again. False if there is no such subscriber.
 */
export async function eraseSubscriber(db: Db, id: number, now: Date): Promise<boolean> {
  const [row] = await db
    .update(subscribers)
    .set({
      email: null,
      timeZone: null,
      status: 'unsubscribed',
      unsubscribedAt: sql`coalesce(${subscribers.unsubscribedAt}, ${now.getTime()})`,
      erasedAt: sql`coalesce(${subscribers.erasedAt}, ${now.getTime()})`,
    })
    .where(eq(subscribers.id, id))
    .returning({ id: subscribers.id });
  return row !== undefined;
}

/** The subscriber's own time zone (null: none, the site's); undefined if there is no such subscriber. */
export async function subscriberTimeZone(db: Db, id: number): Promise<string | null | undefined> {
  const [row] = await db.select({ timeZone: subscribers.timeZone }).from(subscribers).where(eq(subscribers.id, id));
  return row?.timeZone;
}

/** Sets a subscriber's time zone; false if there is no such subscriber (or it was erased). */
export async function setSubscriberTimeZone(db: Db, id: number, timeZone: string): Promise<boolean> {
  const rows = await db
    .update(subscribers)
    .set({ timeZone })
    .where(and(eq(subscribers.id, id), isNull(subscribers.erasedAt)))
    .returning({ id: subscribers.id });
  return rows.length > 0;
}

export async function subscriberIdOf(db: Db, mailbox: Mailbox): Promise<number | undefined> {
  const [row] = await db
    .select({ id: subscribers.id })
    .from(subscribers)
    .where(ofMailboxes([mailbox]))
    .limit(1);
  return row?.id;
}

/** Who issue deliveries go to, by subscriber id: the address, and whether they are (still) confirmed. */
export async function deliveryRecipients(db: Db, ids: number[]) {
  if (ids.length === 0) return new Map<number, { email: string | null; status: SubscriberStatus }>();
  const rows = await db
    .select({ id: subscribers.id, email: subscribers.email, status: subscribers.status })
    .from(subscribers)
    .where(inArray(subscribers.id, ids));
  return new Map(rows.map(({ id, ...row }) => [id, row]));
}

/**
 * Suppresses mailboxes after a hard bounce or a complaint: nothing more is sent to them unless they
 * sign up afresh and confirm again. Returns how many rows changed.
 */
export async function suppressSubscribers(
  db: Db,
  mailboxes: Mailbox[],
  status: Extract<SubscriberStatus, 'bounced' | 'complained'>,
  now: Date,
): Promise<number> {
  if (mailboxes.length === 0) return 0;
  const rows = await db
    .update(subscribers)
    .set({ status, suppressedAt: now })
    .where(and(ofMailboxes(mailboxes), isNull(subscribers.erasedAt)))
    .returning({ id: subscribers.id });
  return rows.length;
}

/** Suppresses one subscriber whose address the sender refused as on its suppression list (Email Service's own). */
export async function suppressSubscriber(db: Db, id: number, now: Date): Promise<void> {
  await db.update(subscribers).set({ status: 'bounced', suppressedAt: now }).where(eq(subscribers.id, id));
}

/**
 * Subscribes a mailbox its owner has just proved (a signed-in member choosing the newsletter on their
 * account page): confirmed at once, with no confirmation email. An existing row keeps its id and its
 * history (when it signed up, first unsubscribed…); returns the row's id.
 */
export async function confirmProvenMailbox(db: Db, mailbox: Mailbox, now: Date): Promise<number> {
  const { email, emailHash } = mailbox;
  const [, , [row]] = await db.batch([
    db.insert(subscribers).values({ email, emailHash, status: 'confirmed', confirmedAt: now }).onConflictDoNothing(),
    db
      .update(subscribers)
      .set({ email, status: 'confirmed', confirmedAt: now, erasedAt: null })
      .where(and(ofMailboxes([mailbox]), sql`${subscribers.status} <> 'confirmed'`)),
    db
      .select({ id: subscribers.id })
      .from(subscribers)
      .where(ofMailboxes([mailbox]))
      .limit(1),
  ]);
  return row!.id;
}

/** Whether this subscriber receives the newsletter (is confirmed). */
export async function isConfirmedSubscriber(db: Db, id: number): Promise<boolean> {
  const [row] = await db.select({ status: subscribers.status }).from(subscribers).where(eq(subscribers.id, id));
  return row?.status === 'confirmed';
}
