/** A reader with JavaScript off: reads the sample article, comments (held and published), replies, fixes a refused form. */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from './support/browser';
import { approveComment, KNOWN_COMMENTER, query } from './support/site';

const ARTICLE = '/2010/11/russia-eyes-korean-peninsula';
const NEWCOMER = `first-${Date.now()}@example.com`;

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  page = await openPage(browser, { javaScriptEnabled: false });
});
afterAll(() => browser?.close());

/** Fills the comment form like a reader who takes more than the 3 s a bot would not, and posts it. */
async function fillAndPost(fields: { name: string; email: string; comment: string }) {
  await page.waitForTimeout(3_100);
  await page.fill('#comment-name', fields.name);
  await page.fill('#comment-email', fields.email);
  await page.fill('#comment-comment', fields.comment);
  const [response] = await Promise.all([page.waitForNavigation(), page.click('#respond button[type=submit]')]);
  return response!;
}

describe('the sample article, JavaScript off', () => {
  it('shows the headline, the hero credit and the three seed comments', async () => {
    const response = await page.goto(ARTICLE);
    expect(response!.status()).toBe(200);
    await expect(page.locator('h1').textContent()).resolves.toBe('Russia Eyes Korean Peninsula');
    await expect(page.locator('figcaption').textContent()).resolves.toBe(
      "Image Credit: South Korean President's Office",
    );
    expect(await page.locator('.comment-list li.comment').count()).toBe(3);
    await expect(page.locator('.comment-list').textContent()).resolves.toContain('Mladen Matosevic');
  });

  it('holds a first-time commenter’s comment and says so', async () => {
    await page.goto(ARTICLE);
    await fillAndPost({ name: 'First Timer', email: NEWCOMER, comment: 'My very first comment here.' });
    expect(page.url()).toMatch(/#comment-notice$/);
    await expect(page.locator('#comment-notice').textContent()).resolves.toContain(
      'Your comment is awaiting moderation.',
    );
    await expect(page.locator('.comment-list').textContent()).resolves.not.toContain('My very first comment here.');
  });

  it('holds a regular’s address typed in a browser it was never approved from', async () => {
    await page.goto(ARTICLE);
    await fillAndPost({ name: 'Mladen Matosevic', email: KNOWN_COMMENTER, comment: 'Not really Mladen.' });
    expect(page.url()).toMatch(/#comment-notice$/);
    await expect(page.locator('.comment-list').textContent()).resolves.not.toContain('Not really Mladen.');
  });

  it('publishes a returning commenter’s comment at once from the browser whose comment was approved', async () => {
    const [first] = query<{ id: number }>("SELECT id FROM comments WHERE body = 'My very first comment here.'");
    await approveComment(first!.id);
    await page.goto(ARTICLE);
    await fillAndPost({ name: 'First Timer', email: NEWCOMER, comment: 'A second thought, end to end.' });
    const anchor = new URL(page.url()).hash;
    expect(anchor).toMatch(/^#comment-\d+$/);
    await expect(page.locator(`${anchor} .comment-body`).first().textContent()).resolves.toContain(
      'A second thought, end to end.',
    );
  });

  it('posts a reply through the Reply link, shown under its parent', async () => {
    await page.goto(ARTICLE);
    const parent = page.locator('.comment-list > li.comment').filter({ hasText: 'R. Jordan Prescott' });
    const parentId = await parent.getAttribute('id');
    await Promise.all([page.waitForNavigation(), parent.locator('.comment-reply').first().click()]);
    expect(page.url()).toContain('replyto=');
    await expect(page.locator('.replying-to').textContent()).resolves.toContain('R. Jordan Prescott');
    await fillAndPost({ name: 'First Timer', email: NEWCOMER, comment: 'Replying to RJP, end to end.' });
    const reply = page
      .locator(`#${parentId} .comment-replies li.comment`)
      .filter({ hasText: 'Replying to RJP, end to end.' });
    expect(await reply.count()).toBe(1);
  });

  it('keeps the text when the form comes back with errors (422)', async () => {
    await page.goto(ARTICLE);
    const response = await fillAndPost({
      name: '   ',
      email: 'kept@example.com',
      comment: 'Text that must survive a refusal.',
    });
    expect(response.status()).toBe(422);
    await expect(page.locator('#comment-name-error').textContent()).resolves.toBe('Please enter your name.');
    await expect(page.locator('#comment-name').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#comment-comment').inputValue()).resolves.toBe('Text that must survive a refusal.');
    await expect(page.locator('#comment-email').inputValue()).resolves.toBe('kept@example.com');
  });
});
