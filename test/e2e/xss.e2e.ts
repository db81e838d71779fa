/**
 * The XSS corpus (xss-vectors.txt, one vector a line): each posted as a comment's name and text, published,
 * and sent back in the comment and newsletter forms' error pages; every page is loaded in Chromium with
 * JavaScript on and the CSP bypassed (so the escaping is tested, not the CSP): no dialog opens, no
 * payload sets `window.__xss`, and each vector reads back exactly as the text it was.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeBody, normalizeName } from '../../src/comments/normalize.ts';
import { launchBrowser, openPage } from './support/browser';
import { approveComment, commentToken, inBatches, postComment, query } from './support/site';

const ARTICLE = { slug: 'obama-india-indian-ocean', path: '/2010/11/obama-india-indian-ocean' };
const VECTORS = readFileSync(new URL('./xss-vectors.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line !== '');
const NAME_LENGTH = 80; // the comment form's limit

let browser: Browser;
let page: Page;
const dialogs: string[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  page = await openPage(browser, { bypassCSP: true });
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()} on ${page.url()}`);
    void dialog.dismiss();
  });
});
afterAll(() => browser?.close());

/** Nothing ran: no dialog so far, and no payload's global on the current page (after its images had time to fail). */
async function expectNoScriptRan() {
  await page.waitForLoadState('load');
  await page.waitForTimeout(100);
  expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
  expect(dialogs).toEqual([]);
}

/** Fills a form's fields as given (bypassing the browser's own checks) and submits it. */
async function submitRaw(formSelector: string, fields: Record<string, string>) {
  const [response] = await Promise.all([
    page.waitForNavigation(),
    page.evaluate(
      ({ formSelector, fields }) => {
        const form = document.querySelector<HTMLFormElement>(formSelector)!;
        for (const [name, value] of Object.entries(fields))
          (form.elements.namedItem(name) as HTMLInputElement).value = value;
        form.submit();
      },
      { formSelector, fields },
    ),
  ]);
  return response!;
}

describe(`the XSS corpus (${VECTORS.length} vectors)`, () => {
  it('has at least 100 distinct vectors', () => {
    expect(VECTORS.length).toBeGreaterThanOrEqual(100);
    expect(new Set(VECTORS).size).toBe(VECTORS.length);
  });

  it('would notice a payload that runs (a dialog, or window.__xss)', async () => {
    await page.setContent('<img src=x onerror=window.__xss=1><script>alert("control")</script>');
    await page.waitForFunction(() => (window as unknown as { __xss?: unknown }).__xss === 1);
    expect(dialogs).toEqual([expect.stringContaining('alert: control')]);
    dialogs.length = 0;
  });

  it('shows every vector posted as a comment’s name and text as text, and runs none', async () => {
    const statuses = await inBatches(VECTORS, 10, async (vector, index) => {
      const token = await commentToken(ARTICLE.slug);
      const fields = { name: vector.slice(0, NAME_LENGTH), email: `xss-${index}@example.com`, comment: vector, token };
      return (await postComment(ARTICLE.path, fields, `10.66.${index}.1`)).status;
    });
    expect(statuses.every((status) => status === 303)).toBe(true);
    const stored = query<{ id: number; author_email: string }>(
      "SELECT id, author_email FROM comments WHERE author_email LIKE 'xss-%'",
    );
    expect(stored).toHaveLength(VECTORS.length);
    await inBatches(stored, 10, ({ id }) => approveComment(id));

    const idOf = new Map(stored.map((row) => [Number(/^xss-(\d+)@/.exec(row.author_email)![1]), row.id]));
    const seen = new Set<number>();
    for (let pageNumber = 1; seen.size < VECTORS.length; pageNumber++) {
      expect((await page.goto(`${ARTICLE.path}?page=${pageNumber}`))!.status()).toBe(200);
      await expectNoScriptRan();
      for (const [index, vector] of VECTORS.entries()) {
        const item = page.locator(`#comment-${idOf.get(index)} > article`);
        if ((await item.count()) === 0) continue;
        seen.add(index);
        await expect(item.locator('.comment-author').textContent()).resolves.toBe(
          normalizeName(vector.slice(0, NAME_LENGTH)),
        );
        await expect(item.locator('.comment-body').textContent()).resolves.toBe(normalizeBody(vector));
      }
      expect(pageNumber, 'every vector is on one of the pages').toBeLessThan(10);
    }
  });

  it('keeps every vector as the values of the comment form sent back with errors (422), and runs none', async () => {
    await page.goto(ARTICLE.path);
    for (const vector of VECTORS) {
      const response = await submitRaw('#respond form', { name: vector, email: 'not-an-email', comment: vector });
      expect(response.status()).toBe(422);
      await expectNoScriptRan();
      await expect(page.locator('#comment-name').inputValue()).resolves.toBe(vector);
      await expect(page.locator('#comment-comment').inputValue()).resolves.toBe(vector);
    }
  });

  it('keeps every vector as the value of the newsletter form sent back with errors (422), and runs none', async () => {
    await page.goto('/newsletter');
    for (const vector of VECTORS) {
      const response = await submitRaw('.newsletter-page form', { email: vector });
      expect(response.status()).toBe(422);
      await expectNoScriptRan();
      await expect(page.locator('#newsletter-page-email').inputValue()).resolves.toBe(vector);
    }
  });
});
