/** An editor with JavaScript off writes the week's issue, reorders two stories, sends a test, then sends it; a subscriber's copy links to its page. */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacSign } from '../../src/lib/hmac.ts';
import { launchBrowser, openPage } from './support/browser';
import { linkIn, waitForMail } from './support/mail';
import { BASE_URL, query, SECRETS } from './support/site';
import { addEditor } from './support/staff';

const EDITOR = `issue.editor.${Date.now()}@example.com`;
const SUBSCRIBER = `issue-reader-${Date.now()}@example.com`;
const SUBJECT = `The e2e Brief ${Date.now()}`;
const INTRO = 'Good morning from the e2e desk: two stories, the older first.';
const OLDER = { slug: `e2e-issue-older-${Date.now()}`, headline: 'Ferry Links Restored Across the Strait' };
const NEWER = { slug: `e2e-issue-newer-${Date.now()}`, headline: 'Power Grid Deal Signed in Hanoi' };

let browser: Browser;
let page: Page;

async function submit(button: string) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: button, exact: true }).click()]);
}

/** A copy of a seed article under its own slug and headline, published `ageMs` ago; returns its id. */
function publishArticle({ slug, headline }: { slug: string; headline: string }, ageMs: number): number {
  query(
    `INSERT INTO articles (slug, headline, standfirst, body_markdown, body_html, author_id, section_id, status, published_at)
     SELECT '${slug}', '${headline}', 'A standfirst.', body_markdown, body_html, author_id, section_id, 'published', ${Date.now() - ageMs}
     FROM articles WHERE slug = 'russia-eyes-korean-peninsula'`,
  );
  return query<{ id: number }>(`SELECT id FROM articles WHERE slug = '${slug}'`)[0]!.id;
}

let older: number;
let newer: number;

beforeAll(async () => {
  older = publishArticle(OLDER, 3 * 60 * 60 * 1000);
  newer = publishArticle(NEWER, 60 * 60 * 1000);
  const hash = await hmacSign(SECRETS.SUBSCRIBER_HASH_SALT!, SUBSCRIBER);
  query(`INSERT INTO subscribers (email, email_hash, status) VALUES ('${SUBSCRIBER}', '${hash}', 'confirmed')`);
  // newsletter.e2e.ts may have sent this week's issue before this file ran (the files' order is
  // vitest's): this editor starts from a week with no issue.
  query('DELETE FROM newsletter_deliveries');
  query('DELETE FROM newsletter_issues');
  browser = await launchBrowser();
  page = await openPage(browser, { javaScriptEnabled: false });
});
afterAll(() => browser?.close());

describe('the Issues page, JavaScript off', () => {
  it('writes an introduction, reorders two stories, sends a test, then sends; the subscriber’s copy opens in the browser', async () => {
    const password = addEditor(EDITOR, 'Issue Editor');
    await page.goto('/admin/sign-in');
    await page.fill('#email', EDITOR);
    await page.fill('#password', password);
    await submit('Sign in');

    await page.getByRole('link', { name: 'Newsletter', exact: true }).click();
    expect(new URL(page.url()).pathname).toBe('/admin/newsletter/issues');
    await submit('Write the next issue');
    expect(new URL(page.url()).pathname).toMatch(/^\/admin\/newsletter\/issues\/\d+$/);

    await page.fill('#issue-subject', SUBJECT);
    await page.fill('#issue-intro', INTRO);
    // The newer story is listed first; swapping the two numbers puts the older one first.
    const olderPosition = page.locator(`#issue-position-${older}`);
    const newerPosition = page.locator(`#issue-position-${newer}`);
    const [olderAt, newerAt] = [await olderPosition.inputValue(), await newerPosition.inputValue()];
    expect(Number(newerAt)).toBeLessThan(Number(olderAt));
    await olderPosition.fill(newerAt);
    await newerPosition.fill(olderAt);
    await submit('Save the issue');
    await expect(page.getByRole('status').textContent()).resolves.toBe('The issue is saved.');
    expect(await page.locator('.issue-text').textContent()).toContain(INTRO);

    await submit('Send a test');
    await expect(page.getByRole('status').textContent()).resolves.toBe('The test is on its way.');
    const test = await waitForMail(EDITOR, /Subject: \[Test\] The e2e Brief/);
    expect(test).toContain(INTRO);
    expect(test.indexOf(OLDER.headline)).toBeLessThan(test.indexOf(NEWER.headline));

    await submit('Send to every subscriber now');
    await expect(page.getByRole('status').textContent()).resolves.toBe(
      'The issue is on its way to every confirmed subscriber.',
    );
    expect(await page.locator('h1').textContent()).toMatch(/: Sent$/);

    const copy = await waitForMail(SUBSCRIBER, new RegExp(`Subject: ${SUBJECT}`));
    expect(copy).toContain(INTRO);
    expect(copy.indexOf(OLDER.headline)).toBeLessThan(copy.indexOf(NEWER.headline));
    const webVersion = linkIn(copy, `${BASE_URL}/newsletter/issues/`);

    const reader = await openPage(browser, { javaScriptEnabled: false });
    const response = await reader.goto(webVersion);
    expect(response?.status()).toBe(200);
    await expect(reader.locator('h1').textContent()).resolves.toBe(SUBJECT);
    const text = (await reader.locator('main').textContent()) ?? '';
    expect(text).toContain(INTRO);
    expect(text.indexOf(OLDER.headline)).toBeLessThan(text.indexOf(NEWER.headline));
    expect(await reader.content()).not.toContain('/newsletter/unsubscribe');
    await reader.goto('/newsletter');
    await expect(reader.getByRole('link', { name: new RegExp(SUBJECT) }).count()).resolves.toBe(1);
  });
});
