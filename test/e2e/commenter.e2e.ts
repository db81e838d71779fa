/**
 * The commenter's loop with JavaScript off: reply notifications (confirmed by a POST, stopped with one
 * click), a typo fixed within the edit window, a comment deleted, and data erased from /privacy.
 * Each reader browses from a network of their own: a cached page's form token stores one comment per
 * network, and the suite's other browsers share 127.0.0.1.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from './support/browser';
import { htmlPart, linkIn, mailTo, waitForMail } from './support/mail';
import { approveComment, BASE_URL, query } from './support/site';

const ARTICLE = '/2010/10/rare-earths-supply-jitters';
const RUN = Date.now();
const ALICE = { name: 'Alice Follower', email: `alice-${RUN}@example.com`, address: '198.18.21.1' };
const BOB = { name: 'Bob Replier', email: `bob-${RUN}@example.com`, address: '198.18.22.1' };
const DAVE = { name: 'Dave Eraser', email: `dave-${RUN}@example.com`, address: '198.18.24.1' };
/** The batch window of the suite's server (COMMENT_NOTIFY_BATCH_MINUTES = 1), and the queue's 5 s batch timeout with room to spare. */
const BATCH_WINDOW_MS = 60_000;
const QUEUE_SLACK_MS = 15_000;
const REPLY_EMAIL = /replied to your comment:/;

let browser: Browser;
let alice: Page;
let bob: Page;
let dave: Page;
/** A reader who never posts: served the shared, cached copy of the page. */
let carol: Page;

const readerPage = (reader: { address: string }) =>
  openPage(browser, { javaScriptEnabled: false, extraHTTPHeaders: { 'CF-Connecting-IP': reader.address } });

beforeAll(async () => {
  browser = await launchBrowser();
  [alice, bob, dave] = await Promise.all([readerPage(ALICE), readerPage(BOB), readerPage(DAVE)]);
  carol = await openPage(browser, { javaScriptEnabled: false });
});
afterAll(() => browser?.close());

async function submit(page: Page, button: string) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: button, exact: true }).click()]);
}

/** Fills the comment form on the page as it is (the article, or its reply form), past the form's 3 s, and posts it. */
async function comment(page: Page, reader: { name: string; email: string }, text: string, notify = false) {
  await page.waitForTimeout(3_100);
  await page.fill('#comment-name', reader.name);
  await page.fill('#comment-email', reader.email);
  await page.fill('#comment-comment', text);
  if (notify) await page.getByLabel('Email me when someone replies').check();
  await Promise.all([page.waitForNavigation(), page.click('#respond button[type=submit]')]);
}

/** Opens a comment's Reply link (the article page is reloaded until the comment shows: purges are queued) and replies. */
async function reply(page: Page, reader: { name: string; email: string }, parentId: number, text: string) {
  await showsComment(page, parentId);
  await Promise.all([page.waitForNavigation(), page.locator(`#comment-${parentId} .comment-reply`).first().click()]);
  await comment(page, reader, text);
}

const commentId = (text: string) => query<{ id: number }>(`SELECT id FROM comments WHERE body = '${text}'`)[0]!.id;
const anchoredId = (page: Page) => Number(/^#comment-(\d+)$/.exec(new URL(page.url()).hash)?.[1]);

/** The text of a comment's own item (not its replies), reloading the article until `ready` says it is current. */
async function commentText(page: Page, id: number, ready: (text: string) => boolean): Promise<string> {
  let text = '';
  await expect
    .poll(
      async () => {
        await page.goto(ARTICLE);
        const item = page.locator(`#comment-${id} > article`);
        text = (await item.count()) > 0 ? ((await item.textContent()) ?? '') : '';
        return ready(text);
      },
      { timeout: 20_000, interval: 1_000 },
    )
    .toBe(true);
  return text;
}

const showsComment = (page: Page, id: number) => commentText(page, id, (text) => text !== '');

let aliceCommentId: number;
let bobReplyId: number;
let firstNotificationSeenAt: number;

describe('reply notifications, JavaScript off', () => {
  it('ticks “Email me when someone replies”, and confirms from the emailed link by pressing its button', async () => {
    await alice.goto(ARTICLE);
    const text = `Supply shocks come in waves, ${RUN}.`;
    await comment(alice, ALICE, text, true);
    await expect(alice.locator('#comment-notice').textContent()).resolves.toContain(
      'Your comment is awaiting moderation.',
    );
    aliceCommentId = commentId(text);
    await approveComment(aliceCommentId);

    const confirmation = await waitForMail(ALICE.email, /\/comments\/notifications\/confirm\?token=/);
    await alice.goto(linkIn(confirmation, `${BASE_URL}/comments/notifications/confirm?token=`));
    await expect(alice.locator('h1').textContent()).resolves.toBe('Confirm comment notifications');
    const status = () =>
      query<{ status: string }>(`SELECT status FROM notify_recipients WHERE email = '${ALICE.email}'`)[0]?.status;
    expect(status()).toBe('unconfirmed'); // opening the link alone confirms nothing
    await submit(alice, 'Confirm notifications');
    await expect(alice.locator('h1').textContent()).resolves.toBe('Notifications are on');
    expect(status()).toBe('confirmed');
  });

  it('emails the reply once it is published: name, text, link, both stop links and headers, never the replier’s address', async () => {
    const text = `Waves that recycling will not flatten, ${RUN}.`;
    await reply(bob, BOB, aliceCommentId, text);
    await expect(bob.locator('#comment-notice').textContent()).resolves.toContain(
      'Your comment is awaiting moderation.',
    );
    bobReplyId = commentId(text);
    await approveComment(bobReplyId);

    const raw = await waitForMail(ALICE.email, REPLY_EMAIL);
    firstNotificationSeenAt = Date.now();
    expect(raw).toContain(`${BOB.name} replied to your comment:`);
    expect(raw).toContain(text);
    expect(raw).toMatch(
      /^List-Unsubscribe: <http:\/\/127\.0\.0\.1:8799\/comments\/notifications\/unsubscribe\?token=\S+>\r$/m,
    );
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);
    expect(raw).not.toContain(`bob-${RUN}`); // the replier's address, in no header field, part or link

    const mailbox = await browser.newPage();
    await mailbox.setContent(htmlPart(raw));
    await expect(mailbox.getByText(text).count()).resolves.toBe(1);
    await expect(mailbox.getByRole('link', { name: 'Stop emails about this article' }).count()).resolves.toBe(1);
    await expect(mailbox.getByRole('link', { name: 'Stop all comment emails' }).count()).resolves.toBe(1);
    const readIt = await mailbox.getByRole('link', { name: /^Read it on / }).getAttribute('href');
    await mailbox.screenshot({ path: 'e2e-artifacts/reply-notification-email.png', fullPage: true });
    await mailbox.close();

    expect(readIt).toBe(`${BASE_URL}${ARTICLE}#comment-${bobReplyId}`);
    await alice.goto(readIt!);
    await expect(alice.locator(`#comment-${bobReplyId} .comment-body`).textContent()).resolves.toContain(text);
    await expect(alice.locator(`#comment-${bobReplyId} .comment-author`).textContent()).resolves.toBe(BOB.name);
  });

  it('stops with the mail provider’s one-click POST: the next reply is published and emails nobody', async () => {
    const [raw] = await mailTo(ALICE.email, REPLY_EMAIL);
    const oneClick = /^List-Unsubscribe: <(\S+)>\r$/m.exec(raw!)![1]!;
    // RFC 8058: what a mail provider posts, with no Origin and no cookie.
    const response = await fetch(oneClick, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(response.status).toBe(200);

    // Bob's browser has had a comment approved: his second reply is published at once.
    const text = `And a second thought for Alice, ${RUN}.`;
    await reply(bob, BOB, aliceCommentId, text);
    const secondId = anchoredId(bob);
    expect(secondId).toBe(commentId(text));
    await expect(bob.locator(`#comment-${secondId} .comment-body`).textContent()).resolves.toContain(text);
    // Whether a second email comes is seen once its batch window is over (after the edit below).
  });
});

let typoId: number;

describe('editing within the window, JavaScript off', () => {
  it('fixes a typo through the Edit link: the page shows the fixed text, “edited”, and no Edit link to others', async () => {
    await alice.goto(ARTICLE);
    await comment(alice, ALICE, `Rare earths are teh new oil, ${RUN}.`);
    typoId = anchoredId(alice);
    const own = alice.locator(`#comment-${typoId} > article`);
    await expect(own.locator('.comment-body').textContent()).resolves.toContain('teh new oil');
    await Promise.all([alice.waitForNavigation(), own.getByRole('link', { name: 'Edit', exact: true }).click()]);
    await expect(alice.locator('h1').textContent()).resolves.toBe('Edit your comment');
    await expect(alice.locator('#edit-comment').inputValue()).resolves.toBe(`Rare earths are teh new oil, ${RUN}.`);
    await alice.fill('#edit-comment', `Rare earths are the new oil, ${RUN}.`);
    await submit(alice, 'Save changes');
    expect(anchoredId(alice)).toBe(typoId);
    await expect(own.locator('.comment-body').textContent()).resolves.toBe(`Rare earths are the new oil, ${RUN}.`);
    await expect(own.locator('.comment-edited').textContent()).resolves.toContain('edited');

    const seen = await commentText(carol, typoId, (text) => text.includes('the new oil'));
    expect(seen).toContain('edited');
    expect(seen).not.toContain('teh new oil');
    await expect(carol.getByRole('link', { name: 'Edit', exact: true }).count()).resolves.toBe(0);
    await expect(carol.locator('.comment-own').count()).resolves.toBe(0);
  });
});

describe('reply notifications, once the batch window is over', () => {
  it('sent no second reply notification after the one-click stop, even once the batch window is over', async () => {
    const due = firstNotificationSeenAt + BATCH_WINDOW_MS + QUEUE_SLACK_MS;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
    const [raw, ...more] = await mailTo(ALICE.email, REPLY_EMAIL);
    expect(more).toHaveLength(0);

    // The email's visible link opens a page whose button posts (a second stop changes nothing).
    await alice.goto(linkIn(raw!, `${BASE_URL}/comments/notifications/unsubscribe?token=`));
    await expect(alice.locator('h1').textContent()).resolves.toBe('Stop emails about this article');
    await submit(alice, 'Stop emails about this article');
    await expect(alice.locator('h1').textContent()).resolves.toBe('You will get no more of these emails');
  });
});

describe('deleting within the window, JavaScript off', () => {
  it('deletes a comment without replies: it is gone', async () => {
    await alice.goto(ARTICLE);
    const own = alice.locator(`#comment-${typoId} > article`);
    await Promise.all([alice.waitForNavigation(), own.getByRole('link', { name: 'Delete', exact: true }).click()]);
    await expect(alice.locator('h1').textContent()).resolves.toBe('Delete your comment?');
    await submit(alice, 'Delete my comment');
    expect(new URL(alice.url()).hash).toBe('#comments');
    await expect(alice.locator(`#comment-${typoId}`).count()).resolves.toBe(0);
    await expect(alice.locator('.comment-list').textContent()).resolves.not.toContain('the new oil');
    await commentText(carol, typoId, (text) => text === '');
  });

  it('deletes a comment with replies: “This comment was deleted by its author”, the replies stay', async () => {
    await alice.goto(ARTICLE);
    const own = alice.locator(`#comment-${aliceCommentId} > article`);
    await Promise.all([alice.waitForNavigation(), own.getByRole('link', { name: 'Delete', exact: true }).click()]);
    await submit(alice, 'Delete my comment');
    await expect(own.textContent()).resolves.toBe('This comment was deleted by its author.');

    const seen = await commentText(carol, aliceCommentId, (text) => text.includes('deleted by its author'));
    expect(seen).not.toContain(ALICE.name);
    expect(seen).not.toContain('Supply shocks come in waves');
    await expect(carol.locator(`#comment-${aliceCommentId} .comment-replies`).textContent()).resolves.toContain(
      `Waves that recycling will not flatten, ${RUN}.`,
    );
  });
});

describe('erasing one’s data from /privacy, JavaScript off', () => {
  it('mails a link from /privacy whose Erase button removes the comment: “[removed at the author’s request]”', async () => {
    const text = `Stockpiles are a policy choice, ${RUN}.`;
    await dave.goto(ARTICLE);
    await comment(dave, DAVE, text);
    const daveId = commentId(text);
    await approveComment(daveId);
    const answer = `Answering Dave before he goes, ${RUN}.`;
    await reply(bob, BOB, daveId, answer);

    await dave.goto(ARTICLE);
    await Promise.all([
      dave.waitForNavigation(),
      dave.getByRole('link', { name: 'What we store about commenters, and how to get or erase it' }).click(),
    ]);
    expect(new URL(dave.url()).pathname).toBe('/privacy');
    await dave.fill('#privacy-email', DAVE.email);
    await submit(dave, 'Email me a link');
    await expect(dave.locator('h1').textContent()).resolves.toBe('Check your inbox');

    const link = linkIn(await waitForMail(DAVE.email, /\/privacy\/data\?token=/), `${BASE_URL}/privacy/data?token=`);
    await dave.goto(link);
    await expect(dave.locator('main').textContent()).resolves.toContain(
      'Stored under your address: 1 comment and 0 newsletter subscriptions.',
    );
    await submit(dave, 'Erase my data');
    await expect(dave.locator('h1').textContent()).resolves.toBe('Your data has been erased');
    await expect(dave.locator('main').textContent()).resolves.toContain('1 comment and 0 subscriptions erased.');

    const seen = await commentText(carol, daveId, (shown) => shown.includes('removed'));
    expect(seen).toBe('[removed at the author’s request]');
    await expect(carol.locator('.comment-list').textContent()).resolves.not.toContain(DAVE.name);
    await expect(carol.locator(`#comment-${daveId} .comment-replies`).textContent()).resolves.toContain(answer);
    await carol.screenshot({ path: 'e2e-artifacts/commenter-article.png', fullPage: true });
  });
});
