/** An editor with JavaScript off: added by `npm run staff:add`, signs in, is emailed a held comment and approves it from the email, approves from the queue, publishes an article. */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from './support/browser';
import { htmlPart, waitForMail } from './support/mail';
import { commentToken, postComment, query } from './support/site';
import { addEditor } from './support/staff';

const EDITOR = 'e2e.editor@example.com';
const ARTICLE = { slug: 'korus-fta-seoul-stalemate', path: '/2010/11/korus-fta-seoul-stalemate' };

let browser: Browser;
let page: Page;

async function submit(button: string) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: button, exact: true }).click()]);
}

beforeAll(async () => {
  browser = await launchBrowser();
  page = await openPage(browser, { javaScriptEnabled: false });
});
afterAll(() => browser?.close());

describe('the admin, JavaScript off', () => {
  it('signs in an editor added with npm run staff:add', async () => {
    const password = addEditor(EDITOR, 'E2E Editor');
    await page.goto('/admin');
    expect(new URL(page.url()).pathname).toBe('/admin/sign-in');
    await page.fill('#email', EDITOR);
    await page.fill('#password', password);
    await submit('Sign in');
    expect(new URL(page.url()).pathname).toBe('/admin');
  });

  it('is emailed a held comment, reads the email and approves the comment from its link', async () => {
    const text = `Told by email, ${Date.now()}.`;
    const fields = {
      name: 'Emailed Reader',
      email: `emailed-reader-${Date.now()}@example.com`,
      comment: text,
      token: await commentToken(ARTICLE.slug),
    };
    expect((await postComment(ARTICLE.path, fields, '192.0.2.11')).status).toBe(303);
    const [held] = query<{ id: number }>(`SELECT id FROM comments WHERE body = '${text}' AND status = 'pending'`);

    // The suite's server gathers for 1 s and emails each moderator at most once a minute.
    const raw = await waitForMail(EDITOR, new RegExp(text.replace('.', '\\.')), 90_000);
    const html = htmlPart(raw);
    const mailbox = await browser.newPage();
    await mailbox.setContent(html);
    await expect(mailbox.getByText(text).count()).resolves.toBe(1);
    const approve = await mailbox.locator(`a[href$="/admin/comments/${held!.id}?action=approve"]`).getAttribute('href');
    await mailbox.screenshot({ path: 'e2e-artifacts/moderator-email.png', fullPage: true });
    await mailbox.close();

    // Opening the link changes nothing: its page asks, and the button posts.
    await page.goto(approve!);
    expect(query<{ status: string }>(`SELECT status FROM comments WHERE id = ${held!.id}`)[0]!.status).toBe('pending');
    await expect(page.locator('main').textContent()).resolves.toContain(text);
    await submit('Approve');
    await expect(page.getByText('1 comment approved.').count()).resolves.toBe(1);
    await page.goto(ARTICLE.path);
    await expect(page.locator(`#comment-${held!.id} .comment-body`).textContent()).resolves.toContain(text);
  });

  it('approves a held comment, which then shows on the article', async () => {
    const text = `Held until an editor looks, ${Date.now()}.`;
    const fields = {
      name: 'New Reader',
      email: `new-reader-${Date.now()}@example.com`,
      comment: text,
      token: await commentToken(ARTICLE.slug),
    };
    expect((await postComment(ARTICLE.path, fields, '192.0.2.10')).status).toBe(303);
    const [held] = query<{ id: number }>(`SELECT id FROM comments WHERE body = '${text}' AND status = 'pending'`);

    await page.goto('/admin/comments');
    await page.check(`input[name=ids][value="${held!.id}"]`);
    await submit('Approve');
    await page.goto(ARTICLE.path);
    await expect(page.locator(`#comment-${held!.id} .comment-body`).textContent()).resolves.toContain(text);
  });

  it('writes and publishes an article, which then leads the home page', async () => {
    const headline = `Edge Desk Files Its First Story ${Date.now()}`;
    await page.goto('/admin/articles/new');
    await page.fill('#headline', headline);
    await page.fill('#standfirst', 'Written and published in the browser by the end-to-end suite.');
    await page.fill('#body', 'A **short** body, with a [link](https://example.com/).');
    await page.selectOption('#authorId', { index: 1 });
    await page.selectOption('#sectionId', { index: 1 });
    await submit('Save draft');
    await submit('Publish');
    await expect(page.locator('.admin-publication').textContent()).resolves.toContain('published');

    await page.goto('/');
    await expect(page.locator('main h2').first().textContent()).resolves.toContain(headline);
  });
});
