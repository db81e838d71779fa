/**
 * Paid access end to end, JavaScript off, against the Stripe stand-in: an administrator adds a tier and
 * makes an article for paid members; a reader signs up by the emailed link, subscribes through Checkout,
 * reads the whole article, cancels in the Portal, keeps access until the period ends, then gets the
 * teaser; readers without an account get the cached teaser, with none of the paid body in it.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripeEvent } from '../support/stripe-event.ts';
import { launchBrowser, openPage } from './support/browser';
import { linkIn, waitForMail } from './support/mail';
import { BASE_URL, query, url } from './support/site';
import { signInAdministrator } from './support/staff';
import { changeSubscription, sendWebhook, stripeObject } from './support/stripe';

const ARTICLE = { slug: 'cancun-climate-asia-expectations', path: '/2010/11/cancun-climate-asia-expectations' };
const ADMINISTRATOR = 'e2e.publisher@example.com';
const READER = `paying-reader-${Date.now()}@example.com`;
const TIER = 'Supporter';

/** The article's paragraphs, from its seed file: the first two are its teaser (it has no marker), the rest is paid. */
const paragraphs = readFileSync(`src/seed/articles/${ARTICLE.slug}.md`, 'utf8')
  .split(/^---$/m)[2]!
  .split(/\n\s*\n/)
  .map((paragraph) => paragraph.trim())
  .filter(Boolean);
const teaser = paragraphs.slice(0, 2);
const paidBody = paragraphs.slice(2);
/** Every sentence of the paid part: none may be in what a reader without access receives. */
const paidSentences = paidBody.flatMap((paragraph) => paragraph.split(/(?<=\.) /));

interface Subscription {
  id: string;
  cancel_at_period_end: boolean;
  items: { data: { current_period_end: number }[] };
}

let browser: Browser;
let staff: Page;
let reader: Page;

async function submit(page: Page, button: string) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: button, exact: true }).click()]);
}
const heading = (page: Page) => page.locator('h1').first().textContent();
/** Text with the typographic quotes the site's Markdown makes turned back into the seed file's straight ones. */
const straight = (text: string) => text.replace(/[‘’]/g, "'").replace(/[“”]/g, '"');
const bodyText = async (page: Page) => straight((await page.locator('main').textContent()) ?? '');

const member = () =>
  query<{ id: number; paid_until: number | null }>(`SELECT id, paid_until FROM members WHERE email = '${READER}'`)[0];
const subscriptionId = () =>
  query<{ id: string }>(`SELECT id FROM stripe_subscriptions WHERE member_id = ${member()!.id}`)[0]!.id;

async function expectWhole(page: Page) {
  await page.goto(ARTICLE.path);
  const text = await bodyText(page);
  for (const paragraph of paragraphs) expect(text).toContain(paragraph);
  await expect(page.locator('.paywall-invitation').count()).resolves.toBe(0);
}

async function expectTeaser(page: Page) {
  await page.goto(ARTICLE.path);
  const html = straight(await page.content());
  for (const paragraph of teaser) expect(await bodyText(page)).toContain(paragraph);
  for (const sentence of paidSentences) expect(html).not.toContain(sentence);
  await expect(page.locator('.paywall-invitation h2').textContent()).resolves.toBe(
    'Read on: this article is for subscribers',
  );
}

beforeAll(async () => {
  browser = await launchBrowser();
  staff = await openPage(browser, { javaScriptEnabled: false });
  reader = await openPage(browser, { javaScriptEnabled: false });
});
afterAll(() => browser?.close());

describe('paid access through Stripe, JavaScript off', () => {
  it('an administrator adds a tier and makes an article for paid members', async () => {
    await signInAdministrator(staff, ADMINISTRATOR, 'E2E Publisher');

    await staff.goto('/admin/tiers');
    await staff.fill('#tier-new-name', TIER);
    await staff.fill('#tier-new-currency', 'EUR');
    await staff.fill('#tier-new-monthlyPrice', '5');
    await staff.fill('#tier-new-yearlyPrice', '50');
    await submit(staff, 'Add the tier');
    expect(query<{ name: string }>('SELECT name FROM tiers')).toEqual([{ name: TIER }]);

    const [article] = query<{ id: number }>(`SELECT id FROM articles WHERE slug = '${ARTICLE.slug}'`);
    await staff.goto(`/admin/articles/${article!.id}`);
    await staff.selectOption('#access', 'paid');
    await submit(staff, 'Save changes');
    expect(query<{ access: string }>(`SELECT access FROM articles WHERE id = ${article!.id}`)[0]!.access).toBe('paid');
  });

  it('gives a reader without an account the cached teaser, with no part of the paid body in the response', async () => {
    // The edit's purge goes through the queue: the article is the teaser once it has run.
    const deadline = Date.now() + 30_000;
    let response = await fetch(url(ARTICLE.path));
    while (!(await response.clone().text()).includes('this article is for subscribers') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      response = await fetch(url(ARTICLE.path));
    }
    response = await fetch(url(ARTICLE.path));
    expect(response.status).toBe(200);
    expect(response.headers.get('X-Cache')).toBe('HIT');
    expect(response.headers.get('Cache-Control')).toBe('public, max-age=0, must-revalidate');
    const html = straight(await response.text());
    for (const sentence of paidSentences) expect(html).not.toContain(sentence);
    expect(html).toContain('"isAccessibleForFree":false');
    await expectTeaser(reader);
  });

  it('signs a reader up by the emailed link, subscribes them through Checkout, and shows them the whole article', async () => {
    await reader.locator('.paywall-invitation').getByRole('link', { name: 'Subscribe' }).click();
    expect(new URL(reader.url()).pathname).toBe('/subscribe');
    await reader.getByRole('link', { name: 'Sign in or create an account' }).click();
    await reader.fill('#member-email', READER);
    await submit(reader, 'Email me a link');
    await expect(heading(reader)).resolves.toBe('Check your inbox');

    const email = await waitForMail(READER, /\/account\/link\?token=/);
    await reader.goto(linkIn(email, `${BASE_URL}/account/link?token=`));
    expect(member()).toBeUndefined(); // opening the link alone makes nothing
    await submit(reader, 'Continue');
    expect(member()!.paid_until).toBeNull();

    await reader.goto('/subscribe');
    await Promise.all([
      reader.waitForURL(/\/_fake\/checkout\/cs_test_/),
      reader.getByRole('button', { name: '€5.00 a month' }).click(),
    ]);
    await expect(heading(reader)).resolves.toBe('Pay 5.00 EUR');
    await Promise.all([
      reader.waitForURL(/\/subscribe\/done\?session_id=/),
      reader.getByRole('button', { name: 'Pay', exact: true }).click(),
    ]);
    await expect(bodyText(reader)).resolves.toContain('Your subscription is active: you have full access until');

    await expectWhole(reader);
  });

  it('keeps the access after a cancellation in the Portal until the period ends, then gives the teaser', async () => {
    await reader.goto('/account');
    await Promise.all([
      reader.waitForURL(/\/_fake\/portal\/bps_test_/),
      reader.getByRole('link', { name: 'Manage subscription' }).click(),
    ]);
    await Promise.all([
      reader.waitForURL(/\/account$/),
      reader.getByRole('button', { name: 'Cancel subscription' }).click(),
    ]);

    // Stripe tells the site: the subscription now ends with its period.
    const id = subscriptionId();
    const cancelling = await stripeObject<Subscription>(`/v1/subscriptions/${id}`);
    expect(cancelling.cancel_at_period_end).toBe(true);
    const updated = stripeEvent('customer.subscription.updated', cancelling);
    expect((await sendWebhook(updated)).status).toBe(200);
    const periodEnd = cancelling.items.data[0]!.current_period_end * 1000;
    expect(member()!.paid_until).toBe(periodEnd);
    await reader.goto('/account');
    await expect(bodyText(reader)).resolves.toContain('You have full access until');
    await expectWhole(reader);

    // The period ends: Stripe ends the subscription and says so.
    const ended = await changeSubscription<Subscription>(id, {
      status: 'canceled',
      current_period_end: Math.floor(Date.now() / 1000) - 60,
      ended_at: Math.floor(Date.now() / 1000) - 60,
    });
    const deleted = stripeEvent('customer.subscription.deleted', ended);
    expect((await sendWebhook(deleted)).status).toBe(200);
    const after = member()!.paid_until!;
    expect(after).toBeLessThanOrEqual(Date.now());
    await expectTeaser(reader);
    await reader.goto('/account');
    await expect(bodyText(reader)).resolves.toContain('You read as a free member');

    // Stripe's retries: both events again, newest first, each twice (handled once), then the older
    // one late under a new id (the site stores the subscription as Stripe has it now).
    for (const event of [deleted, deleted, updated, updated]) {
      const response = await sendWebhook(event);
      expect(await response.json()).toEqual({ received: true, duplicate: true });
    }
    expect((await sendWebhook(stripeEvent('customer.subscription.updated', cancelling))).status).toBe(200);
    expect(member()!.paid_until).toBe(after);
    await expectTeaser(reader);
  });
});
