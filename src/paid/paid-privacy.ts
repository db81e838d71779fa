import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { complimentaryAccess, gifts, members, payments, stripeSubscriptions, tiers } from '../db/schema';
import { BILLED_STATUSES } from './paid-queries';
import { stripeClient } from './stripe-client';

const memberOf = (email: string) =>
  sql`(select ${members.id} from ${members} where lower(${members.email}) = lower(${email}))`;
const boughtBy = (email: string) => sql`lower(${gifts.buyerEmail}) = lower(${email})`;

/** The paid access stored under `email`, as a privacy export states it: statements for the export's batch. */
export function paidDataQueries(db: Db, email: string) {
  return [
    db
      .select({
        tier: tiers.name,
        status: stripeSubscriptions.status,
        interval: stripeSubscriptions.interval,
        amount: stripeSubscriptions.amount,
        currency: stripeSubscriptions.currency,
        currentPeriodEnd: stripeSubscriptions.currentPeriodEnd,
        cancelAtPeriodEnd: stripeSubscriptions.cancelAtPeriodEnd,
        accessUntil: stripeSubscriptions.accessUntil,
      })
      .from(stripeSubscriptions)
      .leftJoin(tiers, eq(tiers.id, stripeSubscriptions.tierId))
      .where(eq(stripeSubscriptions.memberId, memberOf(email))),
    db
      .select({ kind: payments.kind, amount: payments.amount, currency: payments.currency, at: payments.at })
      .from(payments)
      .where(eq(payments.memberId, memberOf(email))),
    db
      .select({ endsAt: complimentaryAccess.endsAt, grantedAt: complimentaryAccess.grantedAt })
      .from(complimentaryAccess)
      .where(eq(complimentaryAccess.memberId, memberOf(email))),
    db
      .select({
        months: gifts.months,
        boughtAt: gifts.createdAt,
        bought: boughtBy(email).mapWith(Boolean),
        redeemedAt: gifts.redeemedAt,
        accessUntil: gifts.accessUntil,
      })
      .from(gifts)
      .where(sql`${boughtBy(email)} or ${gifts.redeemedBy} = ${memberOf(email)}`),
  ] as const;
}

/**
 * Before an account is erased: its subscriptions Stripe still bills are cancelled there (nobody pays for
 * an account that no longer exists), and the gifts the address bought forget it (their codes still
 * work for their recipients). The member's own rows go with the member (cascade). Returns how many
 * subscriptions were cancelled.
 */
export async function erasePaidData(env: Env, db: Db, email: string): Promise<number> {
  const billed = await db
    .select({ id: stripeSubscriptions.id })
    .from(stripeSubscriptions)
    .where(
      and(eq(stripeSubscriptions.memberId, memberOf(email)), inArray(stripeSubscriptions.status, [...BILLED_STATUSES])),
    );
  const stripe = stripeClient(env);
  if (billed.length > 0 && !stripe) throw new Error('the account has a subscription but Stripe is not set up');
  for (const { id } of billed) await stripe!.subscriptions.cancel(id);
  await db.update(gifts).set({ buyerEmail: '' }).where(boughtBy(email));
  return billed.length;
}
