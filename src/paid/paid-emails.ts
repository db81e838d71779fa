import { html } from 'hono/html';
import { siteConfig } from '../config';
import type { Db } from '../db/client';
import { formatDate } from '../lib/dates';
import { mailMember } from '../members/member-emails';
import { GIFT_REDEEM_PATH, MANAGE_SUBSCRIPTION_PATH } from '../paths';

/** Tells a member their renewal payment failed, and until when they keep access while Stripe retries. */
export async function mailPaymentFailed(env: Env, db: Db, to: string, accessUntil: Date) {
  const site = siteConfig(env);
  const url = `${site.url}${MANAGE_SUBSCRIPTION_PATH}`;
  const intro = `The payment for your ${site.name} subscription did not go through. We will try again over the next days, and you keep full access until ${formatDate(accessUntil, site.timeZone)}.`;
  const action = 'To pay with another card, open your subscription:';
  await mailMember(
    env,
    db,
    {
      from: { name: site.name, address: site.newsletter.from },
      to,
      subject: `Your ${site.name} payment did not go through`,
      text: [intro, '', action, url].join('\n'),
      html: String(await html`<p>${intro}</p><p>${action} <a href="${url}">${url}</a></p>`),
    },
    { purpose: 'payment-failed' },
  );
}

/** Sends a gift's buyer its code, to pass on (in the buyer's history if they are a member). */
export async function mailGiftCode(env: Env, db: Db, gift: { buyerEmail: string; code: string; months: number }) {
  const site = siteConfig(env);
  const url = `${site.url}${GIFT_REDEEM_PATH}`;
  const intro = `Thank you for giving ${gift.months} ${gift.months === 1 ? 'month' : 'months'} of ${site.name}. Here is the gift code to pass on:`;
  const how = `Its recipient signs in (or up) and enters it at ${url}. It works once.`;
  await mailMember(
    env,
    db,
    {
      from: { name: site.name, address: site.newsletter.from },
      to: gift.buyerEmail,
      subject: `Your ${site.name} gift code`,
      text: [intro, '', gift.code, '', how].join('\n'),
      html: String(await html`<p>${intro}</p><p><b>${gift.code}</b></p><p>${how}</p>`),
    },
    { purpose: 'gift-code' },
  );
}
