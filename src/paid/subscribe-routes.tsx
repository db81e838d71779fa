import { type Context, Hono } from 'hono';
import type Stripe from 'stripe';
import { z } from 'zod';
import { type AppEnv, validInput } from '../app-env';
import { siteConfig } from '../config';
import { type Db, primaryDb } from '../db/client';
import { BILLING_INTERVALS } from '../db/schema';
import { personalPage } from '../layout/personal-page';
import { canonicalPositiveInteger } from '../lib/pagination';
import type { SignedInMember } from '../members/member-session';
import {
  ACCOUNT_PATH,
  ACCOUNT_SIGN_IN_PATH,
  GIFT_PATH,
  GIFT_REDEEM_PATH,
  MANAGE_SUBSCRIPTION_PATH,
  SUBSCRIBE_PATH,
} from '../paths';
import { fulfilGift, GIFT_MONTHS, giftPrice, normalizeGiftCode, redeemGiftCode } from './gifts';
import { billedSubscriptionOf, customerIdOf, giftByCode, keepCustomer, listTiers, tierById } from './paid-queries';
import { idOf, stripeClient } from './stripe-client';
import { syncSubscription } from './subscriptions';
import { GiftBoughtPage, GiftPage, RedeemPage, SubscribedPage, SubscribePage } from './views/paid-pages';

const SUBSCRIBED_PATH = `${SUBSCRIBE_PATH}/done`;
const GIFT_BOUGHT_PATH = `${GIFT_PATH}/done`;
/** Stripe puts the session's id in the address it sends the buyer back to. */
const WITH_SESSION = '?session_id={CHECKOUT_SESSION_ID}';

const tierField = canonicalPositiveInteger(9);
const subscribeForm = z.object({ tier: tierField, interval: z.enum(BILLING_INTERVALS) });
const giftForm = z.object({
  tier: tierField,
  months: z.coerce.number().refine((months) => (GIFT_MONTHS as readonly number[]).includes(months)),
});
const sessionQuery = z.object({ session_id: z.string().regex(/^cs_[A-Za-z0-9_]{1,200}$/) });
const redeemForm = z.object({ code: z.string().trim().min(1, 'Enter the code you were given.').max(40) });

async function subscribePage(c: Context<AppEnv>, status: 200 | 404 | 409 | 503, message?: string) {
  const tiers = await listTiers(primaryDb(c.env), { withHidden: false });
  return personalPage(
    c,
    'Subscribe',
    <SubscribePage
      tiers={tiers}
      signedIn={c.var.member !== undefined}
      available={stripeClient(c.env) !== undefined}
      message={message}
    />,
    status,
  );
}

async function giftPage(c: Context<AppEnv>, status: 200 | 404 | 503, message?: string) {
  const tiers = await listTiers(primaryDb(c.env), { withHidden: false });
  return personalPage(
    c,
    'Give a subscription',
    <GiftPage tiers={tiers} available={stripeClient(c.env) !== undefined} message={message} />,
    status,
  );
}

/** The member's Stripe customer, made the first time they pay (its idempotency key makes a retry return the same one). */
async function customerFor(stripe: Stripe, db: Db, member: SignedInMember): Promise<string> {
  const known = await customerIdOf(db, member.id);
  if (known) return known;
  const customer = await stripe.customers.create(
    { email: member.email, ...(member.name ? { name: member.name } : {}), metadata: { member_id: String(member.id) } },
    { idempotencyKey: `edgepress-member-${member.id}` },
  );
  return keepCustomer(db, member.id, customer.id);
}

const redeemPage = (
  c: Context<AppEnv>,
  status: 200 | 404 | 409 | 422,
  props: { code?: string; error?: string; redeemedUntil?: Date } = {},
) =>
  personalPage(
    c,
    'Redeem a gift',
    <RedeemPage signedIn={c.var.member !== undefined} timeZone={siteConfig(c.env).timeZone} {...props} />,
    status,
  );

/** Subscribing through Stripe Checkout, the Customer Portal, and gifts bought and redeemed. */
export const subscribeRoutes = new Hono<AppEnv>()
  .get(SUBSCRIBE_PATH, (c) => subscribePage(c, 200))
  .post(
    SUBSCRIBE_PATH,
    validInput('form', subscribeForm, (c) => subscribePage(c, 404, 'Choose one of the tiers below.')),
    async (c) => {
      const member = c.var.member;
      if (!member) return c.redirect(ACCOUNT_SIGN_IN_PATH, 303);
      const stripe = stripeClient(c.env);
      if (!stripe) return subscribePage(c, 503);
      const db = primaryDb(c.env);
      const { tier: tierId, interval } = c.req.valid('form');
      const tier = await tierById(db, tierId);
      if (!tier || tier.hidden) return subscribePage(c, 404, 'This tier is no longer offered: choose another.');
      if (await billedSubscriptionOf(db, member.id)) {
        return subscribePage(
          c,
          409,
          'You already have a subscription: change or cancel it from “Manage subscription” on your account page.',
        );
      }
      const site = siteConfig(c.env);
      const metadata = { member_id: String(member.id), tier_id: String(tier.id) };
      const session = await stripe.checkout.sessions.create({
        mode: 'subscription',
        customer: await customerFor(stripe, db, member),
        client_reference_id: String(member.id),
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: tier.currency,
              unit_amount: interval === 'year' ? tier.yearlyPrice : tier.monthlyPrice,
              recurring: { interval },
              product_data: { name: `${site.name}: ${tier.name}` },
            },
          },
        ],
        metadata,
        subscription_data: { metadata },
        success_url: `${site.url}${SUBSCRIBED_PATH}${WITH_SESSION}`,
        cancel_url: `${site.url}${SUBSCRIBE_PATH}`,
      });
      return c.redirect(session.url!, 303);
    },
  )
  // Back from Checkout: the subscription is stored now if Stripe has made it, before its webhook arrives.
  .get(
    SUBSCRIBED_PATH,
    validInput('query', sessionQuery, (c) => c.redirect(SUBSCRIBE_PATH, 303)),
    async (c) => {
      const member = c.var.member;
      const stripe = stripeClient(c.env);
      if (!member || !stripe) return c.redirect(SUBSCRIBE_PATH, 303);
      const db = primaryDb(c.env);
      const session = await stripe.checkout.sessions.retrieve(c.req.valid('query').session_id);
      const customer = await customerIdOf(db, member.id);
      const subscription = idOf(session.subscription);
      const synced =
        subscription && customer && idOf(session.customer) === customer
          ? await syncSubscription(c.env, db, stripe, subscription)
          : undefined;
      const until = synced?.state.accessUntil;
      return personalPage(
        c,
        'Thank you',
        <SubscribedPage
          paidUntil={until && until > new Date() ? until : undefined}
          timeZone={siteConfig(c.env).timeZone}
        />,
      );
    },
  )
  // The member's subscription in Stripe's Customer Portal: change the card, see invoices, cancel.
  .get(MANAGE_SUBSCRIPTION_PATH, async (c) => {
    const member = c.var.member;
    if (!member) return c.redirect(ACCOUNT_SIGN_IN_PATH, 303);
    const stripe = stripeClient(c.env);
    const customer = await customerIdOf(primaryDb(c.env), member.id);
    if (!stripe || !customer) return c.redirect(SUBSCRIBE_PATH, 303);
    const portal = await stripe.billingPortal.sessions.create({
      customer,
      return_url: `${siteConfig(c.env).url}${ACCOUNT_PATH}`,
    });
    return c.redirect(portal.url, 303);
  })
  .get(GIFT_PATH, (c) => giftPage(c, 200))
  .post(
    GIFT_PATH,
    validInput('form', giftForm, (c) => giftPage(c, 404, 'Choose a tier and a length below.')),
    async (c) => {
      const stripe = stripeClient(c.env);
      if (!stripe) return giftPage(c, 503);
      const db = primaryDb(c.env);
      const { tier: tierId, months } = c.req.valid('form');
      const tier = await tierById(db, tierId);
      if (!tier || tier.hidden) return giftPage(c, 404, 'This tier is no longer offered: choose another.');
      const site = siteConfig(c.env);
      const member = c.var.member;
      const session = await stripe.checkout.sessions.create({
        mode: 'payment',
        ...(member ? { customer: await customerFor(stripe, db, member) } : {}),
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: tier.currency,
              unit_amount: giftPrice(tier, months),
              product_data: {
                name: `${site.name}: ${tier.name}, a gift of ${months} ${months === 1 ? 'month' : 'months'}`,
              },
            },
          },
        ],
        metadata: { gift_months: String(months), tier_id: String(tier.id) },
        success_url: `${site.url}${GIFT_BOUGHT_PATH}${WITH_SESSION}`,
        cancel_url: `${site.url}${GIFT_PATH}`,
      });
      return c.redirect(session.url!, 303);
    },
  )
  // Back from a gift's Checkout: the code, made now if its webhook has not made it yet.
  .get(
    GIFT_BOUGHT_PATH,
    validInput('query', sessionQuery, (c) => c.redirect(GIFT_PATH, 303)),
    async (c) => {
      const stripe = stripeClient(c.env);
      if (!stripe) return c.redirect(GIFT_PATH, 303);
      const session = await stripe.checkout.sessions.retrieve(c.req.valid('query').session_id);
      const gift = await fulfilGift(c.env, primaryDb(c.env), session);
      return personalPage(c, 'Thank you', <GiftBoughtPage code={gift?.code} months={gift?.months} />);
    },
  )
  .get(GIFT_REDEEM_PATH, (c) => redeemPage(c, 200))
  .post(
    GIFT_REDEEM_PATH,
    validInput('form', redeemForm, (c, error) => redeemPage(c, 422, { error: error.issues[0]?.message })),
    async (c) => {
      const member = c.var.member;
      if (!member) return c.redirect(ACCOUNT_SIGN_IN_PATH, 303);
      const typed = c.req.valid('form').code;
      const db = primaryDb(c.env);
      const now = new Date();
      const gift = await giftByCode(db, normalizeGiftCode(typed));
      if (!gift || gift.refundedAt) {
        return redeemPage(c, 404, { code: typed, error: 'No gift has this code: check it against the email.' });
      }
      const redeemedUntil = gift.redeemedAt
        ? undefined
        : await redeemGiftCode(db, member.id, gift.code, gift.months, now);
      if (!redeemedUntil) return redeemPage(c, 409, { code: typed, error: 'This code has been redeemed already.' });
      return redeemPage(c, 200, { redeemedUntil });
    },
  );
