import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AdminSession, signedInStaff } from '../support/admin-helpers';
import { visibleText } from '../support/helpers';
import { askForLink, emailsSection, signedInMember, useLink } from '../support/member-helpers';
import { linkIn, postForm, watchMail } from '../support/newsletter-helpers';
import { deliver, FAKE_STRIPE_URL, paidSite, stripeObject, stripeSide } from '../support/paid-helpers';
import { stripeEvent } from '../support/stripe-event';
import { unique, uniqueEmail } from '../support/unique';

const DAY = 24 * 60 * 60 * 1000;

let mail: ReturnType<typeof watchMail>;
beforeEach(() => {
  mail = watchMail();
});
afterEach(() => {
  vi.restoreAllMocks();
});

let administrator: AdminSession;
let tierId: number;
const tierName = unique('Supporter');
beforeAll(async () => {
  administrator = await signedInStaff('administrator', paidSite);
  const added = await administrator.post('/admin/tiers', {
    name: tierName,
    currency: 'EUR',
    monthlyPrice: '5',
    yearlyPrice: '50.00',
  });
  expect(added.status).toBe(303);
  tierId = (await env.DB.prepare('SELECT id FROM tiers WHERE name = ?').bind(tierName).first<{ id: number }>())!.id;
});

const asMember = (cookie: string, path: string) => paidSite(path, { redirect: 'manual', headers: { Cookie: cookie } });

const memberRow = (email: string) =>
  env.DB.prepare('SELECT id, paid_until FROM members WHERE email = ?')
    .bind(email)
    .first<{ id: number; paid_until: number | null }>();

/** A member who subscribed through Checkout and came back: their cookie, and the subscription's id. */
async function subscribedMember(interval: 'month' | 'year' = 'month', email = uniqueEmail('payer')) {
  const cookie = await signedInMember(email, undefined, paidSite);
  const checkout = await postForm('/subscribe', { tier: String(tierId), interval }, { Cookie: cookie }, paidSite);
  expect(checkout.status).toBe(303);
  const location = checkout.headers.get('Location')!;
  expect(location).toMatch(new RegExp(`^${FAKE_STRIPE_URL}/_fake/checkout/cs_test_`));
  const sessionId = location.split('/').at(-1)!;
  const session = await stripeSide<{ subscription: string }>(`/_fake/checkout/${sessionId}/complete`);
  const back = await asMember(cookie, `/subscribe/done?session_id=${sessionId}`);
  expect(back.status).toBe(200);
  return { cookie, email, subscriptionId: session.subscription, sessionId, text: visibleText(await back.text()) };
}

describe('tiers and subscribing through Stripe Checkout', () => {
  it('lets the subscribe and gift forms go on to Checkout, and no other page’s forms', async () => {
    const formAction = async (path: string) =>
      /form-action ([^;]+)/.exec((await paidSite(path)).headers.get('Content-Security-Policy') ?? '')?.[1];
    expect(await formAction('/subscribe')).toBe(`'self' ${FAKE_STRIPE_URL}`);
    expect(await formAction('/gift')).toBe(`'self' ${FAKE_STRIPE_URL}`);
    expect(await formAction('/account/sign-in')).toBe("'self'");
    expect(await formAction('/')).toBe("'self'");
  });

  it('lets only administrators manage tiers, and refuses a bad price with what was typed', async () => {
    const editor = await signedInStaff('editor', paidSite);
    expect((await editor.get('/admin/tiers')).status).toBe(403);
    expect(
      (await editor.post('/admin/tiers', { name: 'Cheap', currency: 'EUR', monthlyPrice: '1', yearlyPrice: '9' }))
        .status,
    ).toBe(403);
    const refused = await administrator.post('/admin/tiers', {
      name: 'Odd',
      currency: 'JPY',
      monthlyPrice: '500.5',
      yearlyPrice: '5000',
    });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain('Not a price in JPY');
    expect(html).toContain('value="500.5"');
    expect(await env.DB.prepare("SELECT count(*) AS n FROM tiers WHERE name = 'Odd'").first('n')).toBe(0);
  });

  it('lists the tiers on /subscribe, asks a signed-out reader to sign in, and starts Checkout for a member', async () => {
    const page = visibleText(await (await paidSite('/subscribe')).text());
    expect(page).toContain(tierName);
    expect(page).toContain('€5.00 a month');
    expect(page).toContain('€50.00 a year');
    expect(page).toContain('Sign in or create an account to subscribe');
    const anonymous = await postForm('/subscribe', { tier: String(tierId), interval: 'month' }, {}, paidSite);
    expect([anonymous.status, anonymous.headers.get('Location')]).toEqual([303, '/account/sign-in']);

    const { cookie, email, subscriptionId, sessionId, text } = await subscribedMember('year');
    const session = await stripeObject<Record<string, unknown>>(`/v1/checkout/sessions/${sessionId}`);
    expect(session).toMatchObject({ mode: 'subscription', status: 'complete', amount_total: 5000, currency: 'eur' });
    expect(text).toContain('Your subscription is active: you have full access until');
    const member = await memberRow(email);
    const subscription = await stripeObject<{ items: { data: { current_period_end: number }[] } }>(
      `/v1/subscriptions/${subscriptionId}`,
    );
    expect(member!.paid_until).toBe(subscription.items.data[0]!.current_period_end * 1000);
    expect(member!.paid_until! - Date.now()).toBeGreaterThan(360 * DAY);

    const account = visibleText(await (await asMember(cookie, '/account')).text());
    expect(account).toContain('You have full access until');
    const portal = await asMember(cookie, '/account/subscription');
    expect(portal.status).toBe(303);
    expect(portal.headers.get('Location')).toMatch(new RegExp(`^${FAKE_STRIPE_URL}/_fake/portal/bps_test_`));

    const twice = await postForm(
      '/subscribe',
      { tier: String(tierId), interval: 'month' },
      { Cookie: cookie },
      paidSite,
    );
    expect(twice.status).toBe(409);
    expect(visibleText(await twice.text())).toContain('You already have a subscription');
  });
});

/** What the site keeps of a member's paid access: what replaying events must leave alone. */
async function paidState(email: string) {
  const member = await memberRow(email);
  const { results: subscriptions } = await env.DB.prepare(
    'SELECT id, status, current_period_start, current_period_end, cancel_at_period_end, ended_at, access_until FROM stripe_subscriptions WHERE member_id = ?',
  )
    .bind(member!.id)
    .all();
  const { results: paymentRows } = await env.DB.prepare(
    'SELECT id, kind, amount, currency FROM payments WHERE member_id = ? ORDER BY id',
  )
    .bind(member!.id)
    .all();
  return { paidUntil: member!.paid_until, subscriptions, payments: paymentRows };
}

const invoice = (id: string, subscription: string, customer: string, amount: number) => ({
  id,
  object: 'invoice',
  customer,
  currency: 'eur',
  amount_due: amount,
  amount_paid: amount,
  parent: { type: 'subscription_details', subscription_details: { subscription, metadata: {} } },
});

describe('Stripe webhooks', () => {
  it('leaves the same state whether events arrive in order, out of order or twice; a failed renewal keeps access for the grace period and tells the member once', async () => {
    const { email, subscriptionId } = await subscribedMember('month');
    const active = await stripeObject<{ customer: string; items: { data: { current_period_end: number }[] } }>(
      `/v1/subscriptions/${subscriptionId}`,
    );
    const renewal = active.items.data[0]!.current_period_end;
    // Stripe's clock: the renewal came and its payment failed; Stripe retries it.
    const pastDue = await stripeSide(`/_fake/subscriptions/${subscriptionId}`, {
      status: 'past_due',
      current_period_start: renewal,
      current_period_end: renewal + 30 * 24 * 3600,
    });
    const paid = invoice(`in_test_first_${Date.now()}`, subscriptionId, active.customer, 500);
    const failed = invoice(`in_test_renewal_${Date.now()}`, subscriptionId, active.customer, 500);
    const events = [
      stripeEvent('customer.subscription.created', active),
      stripeEvent('invoice.paid', paid),
      stripeEvent('customer.subscription.updated', pastDue),
      stripeEvent('invoice.payment_failed', failed),
    ];
    for (const event of events) expect((await deliver(event)).status).toBe(200);
    const inOrder = await paidState(email);
    expect(inOrder.paidUntil).toBe((renewal + 14 * 24 * 3600) * 1000);
    expect(inOrder.subscriptions).toMatchObject([{ status: 'past_due', access_until: inOrder.paidUntil }]);
    expect(inOrder.payments).toEqual([
      { id: `${paid.id}:paid`, kind: 'paid', amount: 500, currency: 'eur' },
      { id: `${failed.id}:failed`, kind: 'failed', amount: 500, currency: 'eur' },
    ]);
    // The sign-in link, then the failed payment's email.
    const told = (await mail.waitFor(email, 2)).at(-1)!;
    expect(told.headers.subject).toMatch(/payment did not go through/);
    expect(told.text).toContain('you keep full access until');

    // The same events again, newest first, each twice: handled once each, and the same state.
    for (const event of [...events].reverse()) {
      for (let time = 0; time < 2; time++) {
        const response = await deliver(event);
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ received: true, duplicate: true });
      }
    }
    // New events (new ids) carrying the old objects, out of order: the state is still what Stripe says now.
    for (const event of [...events].reverse()) {
      expect((await deliver(stripeEvent(event.type, event.data.object))).status).toBe(200);
    }
    expect(await paidState(email)).toEqual(inOrder);
    expect(mail.to(email)).toHaveLength(2);
    // In the member's history once, as sent: the sign-in link that made the account came before it.
    const { id } = (await memberRow(email))!;
    const html = await (await administrator.get(`/admin/members/${id}`)).text();
    expect(emailsSection(html)).toBe('When Email Sent to TIME Payment failed Their address');
  });

  it('refuses a bad signature with 400 and changes nothing', async () => {
    const { email, subscriptionId } = await subscribedMember('month');
    const before = await paidState(email);
    await stripeSide(`/_fake/subscriptions/${subscriptionId}`, {
      status: 'canceled',
      ended_at: Math.floor(Date.now() / 1000),
    });
    const cancelled = await stripeObject(`/v1/subscriptions/${subscriptionId}`);
    const event = stripeEvent('customer.subscription.deleted', cancelled);
    const forged = await deliver(event, 'whsec_not_the_endpoints');
    expect(forged.status).toBe(400);
    const tampered = await deliver(event, undefined, JSON.stringify({ ...event, type: 'invoice.paid' }));
    expect(tampered.status).toBe(400);
    const unsigned = await paidSite('/api/paid/webhooks/stripe', { method: 'POST', body: JSON.stringify(event) });
    expect(unsigned.status).toBe(400);
    expect(await paidState(email)).toEqual(before);
    expect(await env.DB.prepare('SELECT count(*) AS n FROM stripe_events WHERE id = ?').bind(event.id).first('n')).toBe(
      0,
    );

    // Signed, it is what Stripe says: cancelled now, access over.
    expect((await deliver(event)).status).toBe(200);
    expect((await paidState(email)).paidUntil).toBeLessThanOrEqual(Date.now());
  });

  it('keeps access until the end of the period after a cancellation in the Portal, then shows the member as free', async () => {
    const { cookie, email, subscriptionId } = await subscribedMember('month');
    const portal = (await asMember(cookie, '/account/subscription')).headers.get('Location')!;
    const cancel = await fetch(`${portal}/cancel`, { method: 'POST', redirect: 'manual' });
    expect(cancel.headers.get('Location')).toBe('http://localhost:8787/account');
    const cancelling = await stripeObject<{
      cancel_at_period_end: boolean;
      items: { data: { current_period_end: number }[] };
    }>(`/v1/subscriptions/${subscriptionId}`);
    expect(cancelling.cancel_at_period_end).toBe(true);
    expect((await deliver(stripeEvent('customer.subscription.updated', cancelling))).status).toBe(200);
    const periodEnd = cancelling.items.data[0]!.current_period_end * 1000;
    expect((await memberRow(email))!.paid_until).toBe(periodEnd);
    expect(visibleText(await (await asMember(cookie, '/account')).text())).toContain('You have full access until');

    // The period ends: Stripe ends the subscription and says so.
    const ended = await stripeSide(`/_fake/subscriptions/${subscriptionId}`, {
      status: 'canceled',
      current_period_end: Math.floor(Date.now() / 1000) - 60,
      ended_at: Math.floor(Date.now() / 1000) - 60,
    });
    expect((await deliver(stripeEvent('customer.subscription.deleted', ended))).status).toBe(200);
    expect(visibleText(await (await asMember(cookie, '/account')).text())).toContain('You read as a free member');
  });
});

describe('privacy', () => {
  it('exports a member’s paid access, and erasure cancels their subscription in Stripe before deleting it', async () => {
    const { email, subscriptionId } = await subscribedMember('month');
    expect((await postForm('/privacy', { email }, {}, paidSite)).status).toBe(303);
    const token = linkIn((await mail.waitFor(email, 2)).at(-1)!, '/privacy/data').searchParams.get('token')!;
    const exported = await (await postForm('/privacy/data/export', { token }, {}, paidSite)).json<{
      paidAccess: { subscriptions: { tier: string; status: string }[] };
    }>();
    expect(exported.paidAccess.subscriptions).toMatchObject([{ tier: tierName, status: 'active' }]);

    expect((await postForm('/privacy/data/erase', { token }, {}, paidSite)).status).toBe(200);
    expect(await stripeObject(`/v1/subscriptions/${subscriptionId}`)).toMatchObject({ status: 'canceled' });
    expect(await memberRow(email)).toBeNull();
    const left = await env.DB.prepare('SELECT count(*) AS n FROM stripe_subscriptions WHERE id = ?')
      .bind(subscriptionId)
      .first('n');
    expect(left).toBe(0);
  });
});

describe('gifts and complimentary access', () => {
  it('sells a gift through Checkout, shows and mails its code once, and the code gives its months once', async () => {
    const buyer = uniqueEmail('giver');
    const buyerCookie = await signedInMember(buyer, undefined, paidSite);
    const checkout = await postForm('/gift', { tier: String(tierId), months: '3' }, { Cookie: buyerCookie }, paidSite);
    expect(checkout.status).toBe(303);
    const sessionId = checkout.headers.get('Location')!.split('/').at(-1)!;
    const session = await stripeSide<Record<string, unknown>>(`/_fake/checkout/${sessionId}/complete`);
    expect(session).toMatchObject({ mode: 'payment', payment_status: 'paid', amount_total: 1500 });

    const back = visibleText(await (await asMember(buyerCookie, `/gift/done?session_id=${sessionId}`)).text());
    const code = /[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}/.exec(back)?.[0];
    expect(code, 'the code on the page').toBeDefined();
    const mailed = (await mail.waitFor(buyer, 2)).at(-1)!;
    expect(mailed.text).toContain(code);
    // Its webhook comes after: the same gift, no second email, and the payment in the buyer's history.
    expect((await deliver(stripeEvent('checkout.session.completed', session))).status).toBe(200);
    expect(mail.to(buyer)).toHaveLength(2);
    const buyerId = (await memberRow(buyer))!.id;
    expect(await env.DB.prepare('SELECT kind, amount FROM payments WHERE member_id = ?').bind(buyerId).first()).toEqual(
      {
        kind: 'gift',
        amount: 1500,
      },
    );
    // The code's email is in the buyer's history, once (the link that made the account came before it).
    const buyerEmails = env.DB.prepare('SELECT purpose, sent_to FROM member_emails WHERE member_id = ?').bind(buyerId);
    expect((await buyerEmails.all()).results).toEqual([{ purpose: 'gift-code', sent_to: 'account' }]);

    const recipient = uniqueEmail('recipient');
    const recipientCookie = await signedInMember(recipient, undefined, paidSite);
    const typed = code!.toLowerCase().replace(/-/g, ' ');
    const redeemed = await postForm('/gift/redeem', { code: typed }, { Cookie: recipientCookie }, paidSite);
    expect(redeemed.status).toBe(200);
    expect(visibleText(await redeemed.text())).toContain('Enjoy your gift: you have full access until');
    const paidUntil = (await memberRow(recipient))!.paid_until!;
    expect(paidUntil - Date.now()).toBeGreaterThan(88 * DAY);
    expect(paidUntil - Date.now()).toBeLessThan(93 * DAY);

    const again = await postForm('/gift/redeem', { code: code! }, { Cookie: buyerCookie }, paidSite);
    expect(again.status).toBe(409);
    expect(visibleText(await again.text())).toContain('This code has been redeemed already');
    expect((await memberRow(buyer))!.paid_until).toBeNull();
  });

  it('withdraws the code of a gift refunded before it was redeemed', async () => {
    const checkout = await postForm('/gift', { tier: String(tierId), months: '1' }, {}, paidSite);
    const sessionId = checkout.headers.get('Location')!.split('/').at(-1)!;
    const session = await stripeSide<{ payment_intent: string; customer: string | null }>(
      `/_fake/checkout/${sessionId}/complete`,
    );
    expect((await deliver(stripeEvent('checkout.session.completed', session))).status).toBe(200);
    const { code } = (await env.DB.prepare('SELECT code FROM gifts WHERE checkout_session_id = ?')
      .bind(sessionId)
      .first<{ code: string }>())!;
    const charge = {
      id: `ch_test_${Date.now()}`,
      object: 'charge',
      amount: 500,
      amount_refunded: 500,
      refunded: true,
      currency: 'eur',
      customer: null,
      payment_intent: session.payment_intent,
    };
    expect((await deliver(stripeEvent('charge.refunded', charge))).status).toBe(200);
    const cookie = await signedInMember(uniqueEmail('late'), undefined, paidSite);
    const refused = await postForm('/gift/redeem', { code }, { Cookie: cookie }, paidSite);
    expect(refused.status).toBe(404);
  });

  it('lets an editor give complimentary access until a date; the members list filters, searches and pages by key', async () => {
    const email = uniqueEmail('guest');
    const name = unique('Guest Writer');
    await signedInMember(email, name, paidSite);
    const { id } = (await memberRow(email))!;
    const editor = await signedInStaff('editor', paidSite);
    const refused = await editor.post(`/admin/members/${id}/complimentary`, { until: '2001-01-01' });
    expect(refused.status).toBe(422);
    expect((await memberRow(email))!.paid_until).toBeNull();
    const until = new Date(Date.now() + 40 * DAY).toISOString().slice(0, 10);
    expect((await editor.post(`/admin/members/${id}/complimentary`, { until })).status).toBe(303);
    const paidUntil = (await memberRow(email))!.paid_until!;
    expect(paidUntil - Date.now()).toBeGreaterThan(39 * DAY);

    const complimentary = visibleText(await (await editor.get('/admin/members?filter=complimentary')).text());
    expect(complimentary).toContain(email);
    const free = visibleText(
      await (await editor.get(`/admin/members?filter=free&q=${encodeURIComponent(name)}`)).text(),
    );
    expect(free).toContain('No member matches');
    const history = visibleText(await (await editor.get(`/admin/members/${id}`)).text());
    expect(history).toContain('Given until');
    expect(history).toContain('Signed in');

    // Keyset pages of 50: the next page starts after the last member shown, whatever joined since.
    for (let n = 0; n < 51; n++) {
      await env.DB.prepare('INSERT INTO members (email) VALUES (?)').bind(uniqueEmail('bulk')).run();
    }
    const first = await (await editor.get('/admin/members?filter=free&q=bulk-')).text();
    const next = /href="(\/admin\/members\?[^"]*after=(\d+))"/.exec(first);
    expect(next, 'a link to older members').not.toBeNull();
    const second = visibleText(await (await editor.get(next![1]!.replace(/&amp;/g, '&'))).text());
    expect(second.match(/bulk-/g)).toHaveLength(1);

    expect((await editor.post(`/admin/members/${id}/complimentary/end`)).status).toBe(303);
    expect((await memberRow(email))!.paid_until).toBeNull();
  });

  it('shows one member’s history: each sign-in, the payments Stripe reported, the newsletter issues sent to them', async () => {
    const { cookie, email, subscriptionId } = await subscribedMember('month');
    expect((await useLink(await askForLink(email, undefined, paidSite), undefined, paidSite)).status).toBe(303);
    const { customer } = await stripeObject<{ customer: string }>(`/v1/subscriptions/${subscriptionId}`);
    const paid = invoice(`in_test_history_${Date.now()}`, subscriptionId, customer, 500);
    expect((await deliver(stripeEvent('invoice.paid', paid))).status).toBe(200);
    // The member takes the newsletter from their account; an issue went to their address, as the send records it.
    expect((await postForm('/account/newsletter', { newsletter: 'yes' }, { Cookie: cookie }, paidSite)).status).toBe(
      303,
    );
    const subject = unique('Harbours and prices');
    const issue = await env.DB.prepare(
      `INSERT INTO newsletter_issues (number, week, subject, html, text, status, sent_at)
       SELECT coalesce(max(number), 0) + 1, ?, ?, '', '', 'sent', ? FROM newsletter_issues RETURNING id, number`,
    )
      .bind(`history-${Date.now()}`, subject, Date.now())
      .first<{ id: number; number: number }>();
    await env.DB.prepare(
      `INSERT INTO newsletter_deliveries (issue_id, subscriber_id, status, sent_at)
       SELECT ?, subscriber_id, 'sent', ? FROM members WHERE email = ?`,
    )
      .bind(issue!.id, Date.now(), email)
      .run();

    const { id } = (await memberRow(email))!;
    const editor = await signedInStaff('editor', paidSite);
    const html = await (await editor.get(`/admin/members/${id}`)).text();
    const section = (heading: string) => visibleText(html.split(`<h2>${heading}</h2>`)[1]!.split('<h2>')[0]!);
    expect(section('Sign-ins').match(/\d{4} at \d{2}:\d{2}/g)).toHaveLength(2);
    expect(section('Payments')).toMatch(/paid €5\.00/);
    expect(section('Newsletter issues sent')).toContain(`No. ${issue!.number}: ${subject} sent`);
  });

  it('shows the paid members and the monthly recurring revenue on the dashboard, yearly prices as a twelfth', async () => {
    const expected = await env.DB.prepare(
      "SELECT round(sum(CASE interval WHEN 'year' THEN amount / 12.0 ELSE amount END)) AS mrr FROM stripe_subscriptions WHERE status IN ('active', 'trialing', 'past_due')",
    ).first<{ mrr: number }>();
    const paid = await env.DB.prepare('SELECT count(*) AS n FROM members WHERE paid_until > ?')
      .bind(Date.now())
      .first<{ n: number }>();
    expect(expected!.mrr).toBeGreaterThan(0);
    const dashboard = visibleText(await (await administrator.get('/admin')).text());
    expect(dashboard).toContain(`${paid!.n} with paid access`);
    expect(dashboard).toContain(`€${(expected!.mrr / 100).toFixed(2)} monthly recurring revenue`);
  });
});
