/**
 * Issue 16's "Done means", with JavaScript off: a three-person newsroom runs from the admin alone. The
 * administrator (added with `npm run staff:add`) invites a contributor and an editor, who set their
 * passwords from the emailed links; the contributor's draft goes through review to the home page; the
 * editor restores an old revision; the administrator adds a section to the navigation; and each is
 * refused (403) what their role does not allow.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from './support/browser';
import { linkIn, waitForMail } from './support/mail';
import { BASE_URL, query, url } from './support/site';
import { signInAdministrator } from './support/staff';

const stamp = Date.now();
const ADMINISTRATOR = `newsroom.admin.${stamp}@example.com`;
const CONTRIBUTOR = { email: `newsroom.contributor.${stamp}@example.com`, name: 'Cora Contributor' };
const EDITOR = { email: `newsroom.editor.${stamp}@example.com`, name: 'Eli Editor' };
const PASSWORD = 'a newsroom password of some length';
const HEADLINE = `Mekong Fishers Count the Cost ${stamp}`;
const FIRST_BODY = 'Fishers on the Mekong say the catch has halved since the dams closed.';
const SECOND_BODY = 'Fishers on the Mekong say the catch has fallen since the dams closed, and officials disagree.';
const SECTION = { name: `Mekong Desk ${stamp}`, slug: `mekong-desk-${stamp}` };

let browser: Browser;
let administrator: Page;
let contributor: Page;
let editor: Page;
let articleId: number;

/** Clicks a button (in `scope`, else anywhere on the page) and waits for the page it leads to. */
async function press(page: Page, button: string, scope = page.locator('body')) {
  await Promise.all([page.waitForNavigation(), scope.getByRole('button', { name: button, exact: true }).click()]);
}

const mainText = (page: Page) => page.locator('main').textContent();

/** What a page answers after the purge queue has run: polls the public page, at most 30 s. */
async function eventually(page: Page, path: string, check: (text: string) => boolean): Promise<string> {
  let text = '';
  for (let attempt = 0; attempt < 60; attempt += 1) {
    await page.goto(path);
    text = (await page.locator('body').textContent()) ?? '';
    if (check(text)) return text;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return text;
}

/** A form post with this person's session cookie and CSRF token, as a hand-made form would send it. */
async function postAs(page: Page, path: string, fields: Record<string, string>): Promise<number> {
  const cookies = await page.context().cookies();
  const session = cookies.find((cookie) => cookie.name === 'editor_session');
  const csrf = await page.locator('input[name=csrf]').first().getAttribute('value');
  const response = await fetch(url(path), {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: BASE_URL,
      Cookie: `editor_session=${session!.value}`,
    },
    body: new URLSearchParams({ ...fields, csrf: csrf! }),
  });
  return response.status;
}

beforeAll(async () => {
  browser = await launchBrowser();
  administrator = await openPage(browser, { javaScriptEnabled: false });
  contributor = await openPage(browser, { javaScriptEnabled: false });
  editor = await openPage(browser, { javaScriptEnabled: false });
});
afterAll(() => browser?.close());

describe('a three-person newsroom, JavaScript off', () => {
  it('the administrator invites a contributor and an editor, who set their passwords from the emailed links', async () => {
    await signInAdministrator(administrator, ADMINISTRATOR, 'Nora Administrator');

    for (const [person, role] of [
      [CONTRIBUTOR, 'contributor'],
      [EDITOR, 'editor'],
    ] as const) {
      await administrator.goto('/admin/staff');
      await administrator.fill('#email', person.email);
      await administrator.selectOption('#role', role);
      await press(administrator, 'Send the invitation');
      await expect(mainText(administrator)).resolves.toContain(person.email);
    }

    for (const [page, person] of [
      [contributor, CONTRIBUTOR],
      [editor, EDITOR],
    ] as const) {
      const invitation = await waitForMail(person.email, /\/admin\/invitation\//);
      await page.goto(linkIn(invitation, `${BASE_URL}/admin/invitation/`));
      await page.fill('#name', person.name);
      await page.fill('#password', PASSWORD);
      await page.fill('#confirm', PASSWORD);
      await press(page, 'Set my password and sign in');
      await expect(page.locator('.admin-sign-out').textContent()).resolves.toContain(person.name);
    }
    expect(new URL(contributor.url()).pathname).toBe('/admin/articles');
    const roles = query<{ email: string; role: string }>(
      `SELECT email, role FROM editors WHERE email IN ('${CONTRIBUTOR.email}', '${EDITOR.email}') ORDER BY role`,
    );
    expect(roles).toEqual([
      { email: CONTRIBUTOR.email, role: 'contributor' },
      { email: EDITOR.email, role: 'editor' },
    ]);
  });

  it('the contributor writes a draft, revises it and submits it for review', async () => {
    await contributor.goto('/admin/articles/new');
    await contributor.fill('#headline', HEADLINE);
    await contributor.fill('#standfirst', 'Catches fall along the river, and so do incomes.');
    await contributor.fill('#body', FIRST_BODY);
    await contributor.selectOption('#authorId', { index: 1 });
    await contributor.selectOption('#sectionId', { index: 1 });
    await press(contributor, 'Save draft');
    articleId = Number(/\/admin\/articles\/(\d+)/.exec(contributor.url())![1]);
    await contributor.fill('#body', SECOND_BODY);
    await press(contributor, 'Save changes');
    await expect(contributor.getByRole('button', { name: 'Publish', exact: true }).count()).resolves.toBe(0);

    await press(contributor, 'Submit for review');
    const page = await mainText(contributor);
    expect(page).toContain('Submitted for review');
    expect(page).toContain('This draft is in review since');
    await contributor.goto('/admin/articles');
    await expect(contributor.locator('tr', { hasText: HEADLINE }).textContent()).resolves.toContain('in review');
  });

  it('the editor is emailed, finds the draft in Reviews and publishes it: it leads the home page', async () => {
    // wrangler dev runs a schedule's job on request; deployed, the every-minute trigger runs it every fifth minute.
    const job = await fetch(url(`/cdn-cgi/handler/scheduled?cron=${encodeURIComponent('*/5 * * * *')}`));
    expect(job.status).toBe(200);
    const mail = await waitForMail(EDITOR.email, /waiting for review/);
    expect(mail).toContain(`“${HEADLINE}”`);
    expect(mail).not.toContain(CONTRIBUTOR.email);

    await editor.goto(linkIn(mail, `${BASE_URL}/admin/reviews`));
    const item = editor.locator('.admin-reviews li', { hasText: HEADLINE });
    await expect(item.textContent()).resolves.toContain(`submitted by ${CONTRIBUTOR.name}`);
    await press(editor, 'Publish now', item);
    await expect(editor.locator('.admin-publication').first().textContent()).resolves.toContain('published');
    await editor.goto('/admin/reviews');
    await expect(mainText(editor)).resolves.not.toContain(HEADLINE);

    const reader = await openPage(browser, { javaScriptEnabled: false });
    await reader.goto('/');
    await expect(reader.locator('main h2').first().textContent()).resolves.toContain(HEADLINE);
    await reader.context().close();
  });

  it('the editor restores the first revision: readers get its text again', async () => {
    await editor.goto(`/admin/articles/${articleId}/revisions`);
    await Promise.all([
      editor.waitForNavigation(),
      editor.locator(`a[href="/admin/articles/${articleId}/revisions/1"]`).click(),
    ]);
    await press(editor, 'Restore revision 1');
    await expect(mainText(editor)).resolves.toContain('Revision 1 restored, as a new revision.');
    const articlePath = await editor.getByRole('link', { name: 'Read it on the site' }).getAttribute('href');

    const reader = await openPage(browser, { javaScriptEnabled: false });
    const text = await eventually(reader, articlePath!, (body) => body.includes(FIRST_BODY));
    expect(text).toContain(FIRST_BODY);
    expect(text).not.toContain(SECOND_BODY);
    await reader.context().close();
  });

  it('the administrator adds a section, which then appears in the site’s navigation', async () => {
    await administrator.goto('/admin/sections');
    await administrator.fill('#new-name', SECTION.name);
    await administrator.fill('#new-slug', SECTION.slug);
    await press(administrator, 'Add');
    await expect(mainText(administrator)).resolves.toContain('Added.');

    const reader = await openPage(browser, { javaScriptEnabled: false });
    await eventually(reader, '/', (body) => body.includes(SECTION.name));
    await expect(reader.locator('nav.site-nav').textContent()).resolves.toContain(SECTION.name);
    expect(await reader.locator(`nav.site-nav a[href="/section/${SECTION.slug}"]`).count()).toBe(1);
    await reader.context().close();
  });

  it('nobody can do what their role does not allow: each refusal is a 403 page', async () => {
    for (const [page, path] of [
      [contributor, '/admin/reviews'],
      [contributor, '/admin/staff'],
      [contributor, '/admin/comments'],
      [editor, '/admin/staff'],
      [editor, '/admin/sections'],
    ] as const) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(403);
      await expect(mainText(page)).resolves.toContain('Not allowed');
    }

    // A contributor's hand-made publish form, with their own session and CSRF token: refused, still a draft.
    await contributor.goto('/admin/articles/new');
    await contributor.fill('#headline', `Not Yet ${stamp}`);
    await contributor.fill('#body', 'A draft its contributor would like to publish alone.');
    await contributor.selectOption('#authorId', { index: 1 });
    await contributor.selectOption('#sectionId', { index: 1 });
    await press(contributor, 'Save draft');
    const draft = Number(/\/admin\/articles\/(\d+)/.exec(contributor.url())![1]);
    expect(await postAs(contributor, `/admin/articles/${draft}/publish`, { publishAt: '', revision: '1' })).toBe(403);
    expect(await postAs(contributor, `/admin/staff/invitations`, { email: 'friend@example.com', role: 'editor' })).toBe(
      403,
    );
    expect(query<{ status: string }>(`SELECT status FROM articles WHERE id = ${draft}`)[0]!.status).toBe('draft');
    expect(query(`SELECT id FROM staff_invitations WHERE email = 'friend@example.com'`)).toEqual([]);
    // The same forged form from the editor is accepted: the refusal above is the role's, not the form's.
    expect(await postAs(editor, `/admin/articles/${draft}/publish`, { publishAt: '', revision: '1' })).toBe(303);
  });
});
