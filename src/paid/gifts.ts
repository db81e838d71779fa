import type Stripe from 'stripe';
import type { Db } from '../db/client';
import { mailGiftCode } from './paid-emails';
import { keepGift, latestGiftEnd, redeemGift, type Tier } from './paid-queries';
import { idOf } from './stripe-client';
import { addMonths } from './subscription-state';

/** The lengths a gift can have; twelve months cost the yearly price, the others the monthly price each. */
export const GIFT_MONTHS = [1, 3, 6, 12] as const;

export const giftPrice = (tier: Tier, months: number) =>
  months === 12 ? tier.yearlyPrice : tier.monthlyPrice * months;

/** Letters and digits that cannot be misread for one another (no 0/O, 1/I/L). */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** A new code: 16 characters (about 79 random bits) in four groups, `ABCD-EFGH-JKMN-PQRS`. */
export function newGiftCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const chars = [...bytes].map((byte) => ALPHABET[byte % ALPHABET.length]).join('');
  return chars.match(/.{4}/g)!.join('-');
}

/** A code as a recipient may type it (any case, spaces, or no dashes) in its one spelling. */
export function normalizeGiftCode(typed: string): string {
  const chars = typed.toUpperCase().replace(/[^0-9A-Z]/g, '');
  return chars.length === 16 ? chars.match(/.{4}/g)!.join('-') : chars;
}

/**
 * The gift a paid Checkout session bought: made the first time the session is seen (its webhook or
 * the buyer's return to the site, whichever comes first), its code mailed to the buyer then, once.
 * Undefined for a session that is not a paid gift.
 */
export async function fulfilGift(env: Env, db: Db, session: Stripe.Checkout.Session) {
  const months = Number(session.metadata?.gift_months);
  const email = session.customer_details?.email ?? session.customer_email;
  if (session.mode !== 'payment' || session.payment_status !== 'paid' || !months || !email) return undefined;
  const { gift, created } = await keepGift(db, {
    checkoutSessionId: session.id,
    paymentIntentId: idOf(session.payment_intent) ?? null,
    code: newGiftCode(),
    months,
    tierId: Number(session.metadata?.tier_id) || null,
    buyerEmail: email,
    amount: session.amount_total ?? 0,
    currency: session.currency ?? '',
  });
  if (created) await mailGiftCode(env, db, gift);
  return gift;
}

/** Gives a member a gift's months of paid access, after any gift access they still have. */
export async function redeemGiftCode(db: Db, memberId: number, code: string, months: number, now: Date) {
  const latest = await latestGiftEnd(db, memberId);
  const start = latest && latest > now ? latest : now;
  const accessUntil = addMonths(start, months);
  return (await redeemGift(db, { code, memberId, now, accessUntil })) ? accessUntil : undefined;
}
