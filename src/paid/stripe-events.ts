import type Stripe from 'stripe';
import type { Db } from '../db/client';
import { memberById } from '../members/member-queries';
import { fulfilGift } from './gifts';
import { mailPaymentFailed } from './paid-emails';
import { memberOfCustomer, recordPayment, withdrawGift } from './paid-queries';
import { fromStripeTime, idOf } from './stripe-client';
import { syncSubscription } from './subscriptions';

const subscriptionOfInvoice = (invoice: Stripe.Invoice) => idOf(invoice.parent?.subscription_details?.subscription);

/**
 * Handles one verified Stripe event. Subscriptions are always fetched from the API and stored as they
 * are now; payments are recorded once per invoice or charge; so the same event twice, or events in any
 * order, leave the same state.
 */
export async function handleStripeEvent(env: Env, db: Db, stripe: Stripe, event: Stripe.Event): Promise<void> {
  switch (event.type) {
    case 'checkout.session.completed': {
      const session = event.data.object;
      const subscription = idOf(session.subscription);
      if (session.mode === 'subscription' && subscription) await syncSubscription(env, db, stripe, subscription);
      const gift = await fulfilGift(env, db, session);
      if (gift) {
        const memberId = session.customer ? await memberOfCustomer(db, idOf(session.customer)!) : undefined;
        await recordPayment(db, {
          stripeId: session.id,
          kind: 'gift',
          memberId: memberId ?? null,
          amount: gift.amount,
          currency: gift.currency,
          at: fromStripeTime(event.created),
        });
      }
      return;
    }
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted':
      await syncSubscription(env, db, stripe, event.data.object.id);
      return;
    case 'invoice.paid':
    case 'invoice.payment_failed': {
      const invoice = event.data.object;
      const subscription = subscriptionOfInvoice(invoice);
      if (!subscription) return;
      const synced = await syncSubscription(env, db, stripe, subscription);
      if (!synced) return;
      const failed = event.type === 'invoice.payment_failed';
      const isNew = await recordPayment(db, {
        stripeId: invoice.id!,
        kind: failed ? 'failed' : 'paid',
        memberId: synced.memberId,
        amount: failed ? invoice.amount_due : invoice.amount_paid,
        currency: invoice.currency,
        at: fromStripeTime(event.created),
      });
      // Told once per invoice, however many retries fail, and only while the grace period still runs.
      const member = await memberById(db, synced.memberId);
      const until = synced.state.accessUntil;
      if (failed && isNew && member && synced.state.status === 'past_due' && until) {
        await mailPaymentFailed(env, db, member.email, until);
      }
      return;
    }
    case 'charge.refunded': {
      const charge = event.data.object;
      const customer = idOf(charge.customer);
      await recordPayment(db, {
        stripeId: charge.id,
        kind: 'refunded',
        memberId: customer ? ((await memberOfCustomer(db, customer)) ?? null) : null,
        amount: charge.amount_refunded,
        currency: charge.currency,
        at: fromStripeTime(event.created),
      });
      const paymentIntent = idOf(charge.payment_intent);
      if (charge.refunded && paymentIntent) await withdrawGift(db, paymentIntent, fromStripeTime(event.created));
      return;
    }
    default:
      return;
  }
}
