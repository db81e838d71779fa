import { and, asc, desc, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import {
  complimentaryAccess,
  gifts,
  memberEmails,
  memberSignIns,
  members,
  newsletterDeliveries,
  newsletterIssues,
  type PaymentKind,
  payments,
  stripeCustomers,
  stripeEvents,
  stripeSubscriptions,
  tiers,
} from '../db/schema';
import type { SubscriptionState } from './subscription-state';

/** The statuses of a subscription that is still billed: the ones the dashboard's revenue counts. */
export const BILLED_STATUSES = ['active', 'trialing', 'past_due'] as const;

export type Tier = typeof tiers.$inferSelect;
export type TierFields = Pick<Tier, 'name' | 'monthlyPrice' | 'yearlyPrice' | 'currency' | 'hidden'>;

export const listTiers = (db: Db, { withHidden }: { withHidden: boolean }) =>
  db
    .select()
    .from(tiers)
    .where(withHidden ? undefined : eq(tiers.hidden, false))
    .orderBy(asc(tiers.monthlyPrice), asc(tiers.id));

export const tierById = (db: Db, id: number) => db.select().from(tiers).where(eq(tiers.id, id)).get();

export async function insertTier(db: Db, fields: TierFields) {
  await db.insert(tiers).values(fields);
}

export async function updateTier(db: Db, id: number, fields: TierFields): Promise<boolean> {
  return (await db.update(tiers).set(fields).where(eq(tiers.id, id)).returning({ id: tiers.id })).length > 0;
}

export async function customerIdOf(db: Db, memberId: number): Promise<string | undefined> {
  const row = await db.select().from(stripeCustomers).where(eq(stripeCustomers.memberId, memberId)).get();
  return row?.customerId;
}

/** Keeps the member's Stripe customer; the first one kept wins (two tabs starting Checkout at once). */
export async function keepCustomer(db: Db, memberId: number, customerId: string): Promise<string> {
  const [, [row]] = await db.batch([
    db.insert(stripeCustomers).values({ memberId, customerId }).onConflictDoNothing(),
    db.select().from(stripeCustomers).where(eq(stripeCustomers.memberId, memberId)),
  ]);
  return row!.customerId;
}

export async function memberOfCustomer(db: Db, customerId: string): Promise<number | undefined> {
  const row = await db.select().from(stripeCustomers).where(eq(stripeCustomers.customerId, customerId)).get();
  return row?.memberId;
}

/**
 * The end of a member's paid access, set from everything that gives it, in one statement: the latest
 * end among their subscriptions, complimentary access and redeemed gifts (null when there is none).
 */
const paidUntilUpdate = (db: Db, memberId: number) =>
  db
    .update(members)
    .set({
      paidUntil: sql`(select max(until) from (
        select ${stripeSubscriptions.accessUntil} as until from ${stripeSubscriptions} where ${stripeSubscriptions.memberId} = ${memberId}
        union all select ${complimentaryAccess.endsAt} from ${complimentaryAccess} where ${complimentaryAccess.memberId} = ${memberId}
        union all select ${gifts.accessUntil} from ${gifts} where ${gifts.redeemedBy} = ${memberId}))`,
    })
    .where(eq(members.id, memberId));

/** Stores a subscription as Stripe describes it now, and the member's paid access with it, in one transaction. */
export async function storeSubscription(db: Db, memberId: number, state: SubscriptionState, now: Date) {
  const row = { ...state, memberId, updatedAt: now };
  await db.batch([
    db.insert(stripeSubscriptions).values(row).onConflictDoUpdate({ target: stripeSubscriptions.id, set: row }),
    paidUntilUpdate(db, memberId),
  ]);
}

/** The member's subscription Stripe still bills, if any: a second Checkout would bill them twice. */
export const billedSubscriptionOf = (db: Db, memberId: number) =>
  db
    .select()
    .from(stripeSubscriptions)
    .where(and(eq(stripeSubscriptions.memberId, memberId), inArray(stripeSubscriptions.status, [...BILLED_STATUSES])))
    .get();

/** Marks an event handled; false if it already was (Stripe sends some more than once). */
export async function claimEvent(db: Db, event: { id: string; type: string }): Promise<boolean> {
  const claimed = await db
    .insert(stripeEvents)
    .values({ id: event.id, type: event.type })
    .onConflictDoNothing()
    .returning({ id: stripeEvents.id });
  return claimed.length > 0;
}

/** Lets a failed event be handled again when Stripe retries it. */
export async function releaseEvent(db: Db, id: string) {
  await db.delete(stripeEvents).where(eq(stripeEvents.id, id));
}

/** Records a payment (once per Stripe object and kind); true if it is new. */
export async function recordPayment(
  db: Db,
  payment: { stripeId: string; kind: PaymentKind; memberId: number | null; amount: number; currency: string; at: Date },
): Promise<boolean> {
  const { stripeId, ...row } = payment;
  const inserted = await db
    .insert(payments)
    .values({ id: `${stripeId}:${payment.kind}`, ...row })
    .onConflictDoNothing()
    .returning({ id: payments.id });
  return inserted.length > 0;
}

/** Gives (or changes, or with null ends) a member's complimentary access, and their paid access with it. */
export async function setComplimentaryAccess(
  db: Db,
  memberId: number,
  access: { endsAt: Date; grantedBy: number; now: Date } | null,
) {
  await db.batch([
    access
      ? db
          .insert(complimentaryAccess)
          .values({ memberId, endsAt: access.endsAt, grantedBy: access.grantedBy, grantedAt: access.now })
          .onConflictDoUpdate({
            target: complimentaryAccess.memberId,
            set: { endsAt: access.endsAt, grantedBy: access.grantedBy, grantedAt: access.now },
          })
      : db.delete(complimentaryAccess).where(eq(complimentaryAccess.memberId, memberId)),
    paidUntilUpdate(db, memberId),
  ]);
}

export type GiftFields = Pick<
  typeof gifts.$inferInsert,
  'checkoutSessionId' | 'paymentIntentId' | 'code' | 'months' | 'tierId' | 'buyerEmail' | 'amount' | 'currency'
>;

/** The gift a paid Checkout session bought, made on first sight (its webhook or its buyer's return, whichever comes first). */
export async function keepGift(
  db: Db,
  gift: GiftFields,
): Promise<{ gift: typeof gifts.$inferSelect; created: boolean }> {
  const [inserted, [row]] = await db.batch([
    db.insert(gifts).values(gift).onConflictDoNothing({ target: gifts.checkoutSessionId }).returning({ id: gifts.id }),
    db.select().from(gifts).where(eq(gifts.checkoutSessionId, gift.checkoutSessionId)),
  ]);
  return { gift: row!, created: inserted.length > 0 };
}

/** The latest end of the gifts a member redeemed: a new one starts there if it is later than now. */
export async function latestGiftEnd(db: Db, memberId: number): Promise<Date | null> {
  const row = await db
    .select({ until: gifts.accessUntil })
    .from(gifts)
    .where(eq(gifts.redeemedBy, memberId))
    .orderBy(desc(gifts.accessUntil))
    .get();
  return row?.until ?? null;
}

export const giftByCode = (db: Db, code: string) => db.select().from(gifts).where(eq(gifts.code, code)).get();

/**
 * Redeems a code for a member, once: the update only takes a gift nobody redeemed and nobody refunded,
 * so two members (or two tabs) pressing at once cannot both have it. False if it was not there to take.
 */
export async function redeemGift(
  db: Db,
  redemption: { code: string; memberId: number; now: Date; accessUntil: Date },
): Promise<boolean> {
  const [taken] = await db.batch([
    db
      .update(gifts)
      .set({ redeemedBy: redemption.memberId, redeemedAt: redemption.now, accessUntil: redemption.accessUntil })
      .where(and(eq(gifts.code, redemption.code), isNull(gifts.redeemedAt), isNull(gifts.refundedAt)))
      .returning({ id: gifts.id }),
    paidUntilUpdate(db, redemption.memberId),
  ]);
  return taken.length > 0;
}

/** A refunded gift's code stops working, unless it was redeemed already. */
export async function withdrawGift(db: Db, paymentIntentId: string, now: Date) {
  await db
    .update(gifts)
    .set({ refundedAt: now })
    .where(and(eq(gifts.paymentIntentId, paymentIntentId), isNull(gifts.redeemedAt)));
}

/** Which members a list shows: those without paid access, those with it, or those given it. */
export const MEMBER_FILTERS = ['all', 'free', 'paid', 'complimentary'] as const;
export type MemberFilter = (typeof MEMBER_FILTERS)[number];

const complimentaryNow = (now: Date) =>
  sql`exists (select 1 from ${complimentaryAccess} where ${complimentaryAccess.memberId} = ${members.id} and ${complimentaryAccess.endsAt} > ${now.getTime()})`;

function filterCondition(filter: MemberFilter, now: Date) {
  switch (filter) {
    case 'free':
      return or(isNull(members.paidUntil), sql`${members.paidUntil} <= ${now.getTime()}`);
    case 'paid':
      return and(gt(members.paidUntil, now), sql`not ${complimentaryNow(now)}`);
    case 'complimentary':
      return complimentaryNow(now);
    default:
      return undefined;
  }
}

/**
 * A page of members, newest first: `limit` of them after the member `after` (the last the page before
 * showed), filtered and searched by address or name. Keyset pagination on the primary key: any page
 * costs what the first does.
 */
export function membersPage(
  db: Db,
  {
    filter,
    search,
    after,
    limit,
    now,
  }: { filter: MemberFilter; search: string; after?: number; limit: number; now: Date },
) {
  const pattern = `%${search.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`;
  return db
    .select({
      id: members.id,
      email: members.email,
      name: members.name,
      paidUntil: members.paidUntil,
      createdAt: members.createdAt,
      complimentary: sql<number>`${complimentaryNow(now)}`,
    })
    .from(members)
    .where(
      and(
        filterCondition(filter, now),
        search
          ? sql`(lower(${members.email}) like ${pattern} escape '\\' or lower(${members.name}) like ${pattern} escape '\\')`
          : undefined,
        after === undefined ? undefined : lt(members.id, after),
      ),
    )
    .orderBy(desc(members.id))
    .limit(limit);
}

/** How many of a member's latest sign-ins, payments, emails and newsletter issues their page shows. */
const HISTORY_LENGTH = 50;

/**
 * One member's page in the admin: the member, their access, subscriptions, payments, gifts, sign-ins,
 * the emails sent about their account and the newsletter issues sent to their address (the latest sent issues, each probing the
 * deliveries' unique (issue, subscriber) index: no scan of all deliveries).
 */
export async function memberHistory(db: Db, memberId: number) {
  const subscriberId = sql`(select ${members.subscriberId} from ${members} where ${members.id} = ${memberId})`;
  const [[member], [complimentary], subscriptions, paymentRows, redeemed, signIns, emails, issues] = await db.batch([
    db.select().from(members).where(eq(members.id, memberId)),
    db.select().from(complimentaryAccess).where(eq(complimentaryAccess.memberId, memberId)),
    db
      .select({ subscription: stripeSubscriptions, tierName: tiers.name })
      .from(stripeSubscriptions)
      .leftJoin(tiers, eq(tiers.id, stripeSubscriptions.tierId))
      .where(eq(stripeSubscriptions.memberId, memberId))
      .orderBy(desc(stripeSubscriptions.currentPeriodStart)),
    db.select().from(payments).where(eq(payments.memberId, memberId)).orderBy(desc(payments.at)).limit(HISTORY_LENGTH),
    db.select().from(gifts).where(eq(gifts.redeemedBy, memberId)).orderBy(desc(gifts.redeemedAt)),
    db
      .select({ at: memberSignIns.at })
      .from(memberSignIns)
      .where(eq(memberSignIns.memberId, memberId))
      .orderBy(desc(memberSignIns.at))
      .limit(HISTORY_LENGTH),
    db
      .select({ purpose: memberEmails.purpose, sentTo: memberEmails.sentTo, sentAt: memberEmails.sentAt })
      .from(memberEmails)
      .where(eq(memberEmails.memberId, memberId))
      .orderBy(desc(memberEmails.sentAt))
      .limit(HISTORY_LENGTH),
    db
      .select({
        number: newsletterIssues.number,
        subject: newsletterIssues.subject,
        status: newsletterDeliveries.status,
        sentAt: newsletterDeliveries.sentAt,
      })
      .from(newsletterIssues)
      .innerJoin(
        newsletterDeliveries,
        and(eq(newsletterDeliveries.issueId, newsletterIssues.id), eq(newsletterDeliveries.subscriberId, subscriberId)),
      )
      .where(eq(newsletterIssues.status, 'sent'))
      .orderBy(desc(newsletterIssues.number))
      .limit(HISTORY_LENGTH),
  ]);
  return (
    member && { member, complimentary, subscriptions, payments: paymentRows, gifts: redeemed, signIns, emails, issues }
  );
}

/** Paid members now, and the monthly recurring revenue by currency (yearly prices as a twelfth), from the stored rows. */
export async function paidFigures(db: Db, now: Date) {
  const [[paid], revenue] = await db.batch([
    db.select({ total: sql<number>`count(*)` }).from(members).where(gt(members.paidUntil, now)),
    db
      .select({
        currency: stripeSubscriptions.currency,
        monthly: sql<number>`sum(case ${stripeSubscriptions.interval} when 'year' then ${stripeSubscriptions.amount} / 12.0 else ${stripeSubscriptions.amount} end)`,
      })
      .from(stripeSubscriptions)
      .where(inArray(stripeSubscriptions.status, [...BILLED_STATUSES]))
      .groupBy(stripeSubscriptions.currency)
      .orderBy(stripeSubscriptions.currency),
  ]);
  return {
    paidMembers: paid?.total ?? 0,
    monthlyRevenue: revenue.map((row) => ({ currency: row.currency, amount: Math.round(row.monthly) })),
  };
}
