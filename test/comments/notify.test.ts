import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import worker from '../../src';
import { createNotifyToken, NOTIFY_CONFIRMATION_LIFETIME_MS } from '../../src/comments/notify-links';
import type { DueSend } from '../../src/comments/notify-queries';
import { MAX_SEND_ATTEMPTS, retryDelaySeconds } from '../../src/newsletter/send';
import {
  fetchPage,
  returningReader,
  SAMPLE_ARTICLE_PATH,
  submitCommentForm,
  visibleText,
  waitOutCommentFlood,
} from '../support/helpers';
import { decodeEncodedWords, linkIn, postForm, type SentMail, watchMail } from '../support/newsletter-helpers';
import { unique } from '../support/unique';

const OTHER_ARTICLE_PATH = '/2010/09/japan-china-trawler-standoff';
const CONFIRM_PATH = '/comments/notifications/confirm';
const UNSUBSCRIBE_PATH = '/comments/notifications/unsubscribe';
const BATCH_WINDOW_SECONDS = 5 * 60;

afterEach(() => {
  vi.restoreAllMocks();
});
// Each test's followers alone (their articles and deliveries go with them).
beforeEach(async () => {
  await env.DB.exec('DELETE FROM notify_recipients');
});

/** Posts a comment through the form; returns its id (from the 303 or the database) and the response. */
async function comment(
  articlePath: string,
  fields: { name: string; email: string; comment: string; parent?: number; notify?: 'replies' | 'all' },
) {
  const { parent, notify, ...rest } = fields;
  const response = await submitCommentForm(articlePath, {
    ...rest,
    ...(parent ? { parent: String(parent) } : {}),
    ...(notify === 'replies' ? { notify: 'replies' } : {}),
    ...(notify === 'all' ? { notify_all: 'all' } : {}),
  });
  expect(response.status).toBe(303);
  const row = await env.DB.prepare('SELECT id, status FROM comments WHERE body = ?')
    .bind(fields.comment)
    .first<{ id: number; status: string }>();
  return { id: row!.id, status: row!.status, response };
}

const recipient = (email: string) =>
  env.DB.prepare('SELECT id, status, confirmed_at FROM notify_recipients WHERE email = ?')
    .bind(email.toLowerCase())
    .first<{ id: number; status: string; confirmed_at: number | null }>();

const deliveriesOf = (commentId: number) =>
  env.DB.prepare('SELECT recipient_id, status, attempts FROM notify_deliveries WHERE comment_id = ? ORDER BY id')
    .bind(commentId)
    .all<{ recipient_id: number; status: string; attempts: number }>()
    .then((result) => result.results);

/** Presses the button of a confirmation email's page, as the reader does. */
async function confirmFrom(mail: SentMail) {
  const link = linkIn(mail, CONFIRM_PATH);
  return postForm(CONFIRM_PATH, { token: link.searchParams.get('token')! });
}

/** A returning reader who posted a published comment with the box ticked and confirmed from the email. */
async function confirmedFollower(mode: 'replies' | 'all' = 'replies', articlePath = SAMPLE_ARTICLE_PATH) {
  const mail = watchMail();
  const email = await returningReader();
  const posted = await comment(articlePath, {
    name: 'Fiona Follower',
    email,
    comment: unique('I follow'),
    notify: mode,
  });
  expect(posted.status).toBe('approved');
  const [confirmation] = await mail.waitFor(email);
  expect((await confirmFrom(confirmation!)).status).toBe(200);
  mail.send.mockRestore();
  return { email, commentId: posted.id };
}

/** Keeps what the Worker queues for notification (instead of the local queue delivering it), to deliver by hand. */
function holdQueue() {
  const sendBatch = vi.spyOn(env.NOTIFY_QUEUE, 'sendBatch').mockResolvedValue({} as never);
  return {
    messages: () =>
      sendBatch.mock.calls.flatMap(([batch]) =>
        [...batch].map((message) => ({ body: message.body as DueSend, delaySeconds: message.delaySeconds })),
      ),
  };
}

/** Hands the Worker's consumer these notification messages, as the queue would; returns its acks and retries. */
async function deliverBatch(bodies: unknown[]) {
  const batch = createMessageBatch(
    'edgepress-notify-local',
    bodies.map((body, i) => ({ id: `n${i}`, timestamp: new Date(), attempts: 1, body })),
  );
  const retries = batch.messages.map((message) => vi.spyOn(message, 'retry'));
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  const result = await getQueueResult(batch, ctx);
  return { ...result, delays: retries.flatMap((retry) => retry.mock.calls.map(([options]) => options?.delaySeconds)) };
}

describe('asking for reply notifications', () => {
  it('shows an unticked box, and the option of every new comment, in the comment form', async () => {
    const html = await (await fetchPage(SAMPLE_ARTICLE_PATH)).text();
    expect(html).toMatch(/<input type="checkbox" name="notify" value="replies"\/?>\s*Email me when\s+someone replies/);
    expect(html).toMatch(/<input type="checkbox" name="notify_all" value="all"\/?>\s*Email me about\s+any new comment/);
    expect(html).not.toMatch(/name="notify[^"]*" value="[a-z]+" checked/);
  });

  it('mails a confirmation; opening its link confirms nothing; only the POST from its page does', async () => {
    const mail = watchMail();
    const email = await returningReader();
    await comment(SAMPLE_ARTICLE_PATH, { name: 'Cora Confirm', email, comment: unique('Tell me'), notify: 'replies' });
    const [confirmation] = await mail.waitFor(email);
    expect(decodeEncodedWords(confirmation!.headers.subject!)).toBe('Confirm comment notifications from edgepress');
    expect(confirmation!.text).toContain('“Russia Eyes Korean Peninsula”');
    const link = linkIn(confirmation!, CONFIRM_PATH);
    expect(link.href).not.toContain(encodeURIComponent(email));

    // A mail scanner follows the link, twice: still unconfirmed.
    for (let visit = 0; visit < 2; visit++) {
      const opened = await fetchPage(link.pathname + link.search);
      expect(opened.status).toBe(200);
      expect(opened.headers.get('Cache-Control')).toBe('private, no-store');
      const html = await opened.text();
      expect(html).toContain(`<form method="post" action="${CONFIRM_PATH}">`);
      expect(visibleText(html)).toContain('Confirm notifications');
    }
    expect((await recipient(email))!.status).toBe('unconfirmed');

    // Another site cannot press the button for the reader.
    const forged = await postForm(
      CONFIRM_PATH,
      { token: link.searchParams.get('token')! },
      { Origin: 'https://evil.example' },
    );
    expect(forged.status).toBe(403);
    expect((await recipient(email))!.status).toBe('unconfirmed');

    const confirmed = await confirmFrom(confirmation!);
    expect(confirmed.status).toBe(200);
    expect(visibleText(await confirmed.text())).toContain('Notifications are on');
    expect((await recipient(email))!.status).toBe('confirmed');

    // Confirmed once: ticking the box under another article asks nothing more.
    await waitOutCommentFlood({ email });
    await comment(OTHER_ARTICLE_PATH, { name: 'Cora Confirm', email, comment: unique('Tell me too'), notify: 'all' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mail.to(email)).toHaveLength(1);
    const follows = await env.DB.prepare('SELECT mode FROM notify_subscriptions WHERE recipient_id = ? ORDER BY id')
      .bind((await recipient(email))!.id)
      .all<{ mode: string }>();
    expect(follows.results.map((row) => row.mode)).toEqual(['replies', 'all']);
  });

  it('sends one confirmation per 10 minutes to an unconfirmed address, and nothing for an unticked box', async () => {
    const mail = watchMail();
    const email = await returningReader();
    await comment(SAMPLE_ARTICLE_PATH, { name: 'Una Ticked', email, comment: unique('No emails, thanks') });
    expect(await recipient(email)).toBeNull();
    for (let post = 0; post < 2; post++) {
      await waitOutCommentFlood({ email });
      await comment(SAMPLE_ARTICLE_PATH, { name: 'Una Ticked', email, comment: unique('Now yes'), notify: 'replies' });
    }
    await mail.waitFor(email);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mail.to(email)).toHaveLength(1);
  });

  it('mails nothing for a comment judged spam, whatever it ticked', async () => {
    const mail = watchMail();
    const email = `victim-${Date.now()}@example.com`;
    const spam = await comment(SAMPLE_ARTICLE_PATH, {
      name: 'Spam Bot',
      email,
      comment: unique('cheap viagra here'),
      notify: 'all',
    });
    expect(spam.status).toBe('spam');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mail.to(email)).toEqual([]);
    expect(await recipient(email)).toBeNull();
  });

  it('keeps the ticked boxes when the form comes back refused', async () => {
    const response = await submitCommentForm(SAMPLE_ARTICLE_PATH, {
      name: '',
      email: 'someone@example.com',
      comment: 'Text kept',
      notify: 'replies',
      notify_all: 'all',
    });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toMatch(/name="notify" value="replies" checked/);
    expect(html).toMatch(/name="notify_all" value="all" checked/);
  });

  it('refuses an altered, truncated or expired link, and confirms nothing', async () => {
    const email = await returningReader();
    const mail = watchMail();
    await comment(SAMPLE_ARTICLE_PATH, { name: 'Ivy Invalid', email, comment: unique('Hmm'), notify: 'replies' });
    const [confirmation] = await mail.waitFor(email);
    const token = linkIn(confirmation!, CONFIRM_PATH).searchParams.get('token')!;
    const { id } = (await recipient(email))!;
    const expired = await createNotifyToken(env, {
      kind: 'confirm',
      followerId: id,
      expiresAt: Date.now() - NOTIFY_CONFIRMATION_LIFETIME_MS - 1,
    });
    const unsubscribe = await createNotifyToken(env, { kind: 'all', followerId: id });
    for (const [bad, status] of [
      [token.replace(/^./, (first) => (first === 'A' ? 'B' : 'A')), 400],
      [token.slice(0, -1).replace(/.$/, (last) => (last === 'A' ? 'B' : 'A')) + token.slice(-1), 400],
      [token.slice(0, 30), 400],
      [unsubscribe, 400],
      [expired, 410],
    ] as const) {
      expect((await fetchPage(`${CONFIRM_PATH}?token=${bad}`)).status).toBe(status);
      expect((await postForm(CONFIRM_PATH, { token: bad })).status).toBe(status);
    }
    expect((await recipient(email))!.status).toBe('unconfirmed');
  });
});

describe('notifications when a reply is published', () => {
  it('emails the confirmed commenter through the queue: the replier’s name and text, links, never their address', async () => {
    const follower = await confirmedFollower();
    const mail = watchMail();
    const replier = await returningReader();
    const text = unique('Ray here, replying to you');
    const reply = await comment(SAMPLE_ARTICLE_PATH, {
      name: 'Ray Replier',
      email: replier,
      comment: text,
      parent: follower.commentId,
    });
    expect(reply.status).toBe('approved');

    // The local queue delivers the message to the Worker's consumer (after its batch timeout, 5 s).
    await vi.waitFor(() => expect(mail.to(follower.email)).toHaveLength(1), { timeout: 15_000, interval: 200 });
    const [notification] = mail.to(follower.email);
    expect(decodeEncodedWords(notification!.headers.subject!)).toBe(
      'Ray Replier replied to you on “Russia Eyes Korean Peninsula”',
    );
    expect(notification!.headers.from).toBe('"edgepress" <newsletter@localhost.example>');
    expect(notification!.text).toContain('Ray Replier replied to your comment:');
    expect(notification!.text).toContain(text);
    expect(notification!.text).toContain(`Read it: http://localhost:8787${SAMPLE_ARTICLE_PATH}#comment-${reply.id}`);
    expect(notification!.html).toContain(text);
    const stopThread = linkIn(notification!, UNSUBSCRIBE_PATH);
    expect(notification!.text).toContain(`Stop emails about this article: ${stopThread.href}`);
    expect(notification!.text).toMatch(
      /Stop all comment emails: http:\/\/localhost:8787\/comments\/notifications\/unsubscribe\?token=/,
    );
    expect(notification!.headers['list-unsubscribe']).toMatch(
      /^<http:\/\/localhost:8787\/comments\/notifications\/unsubscribe\?token=[\w-]+>$/,
    );
    expect(notification!.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    for (const part of [notification!.text, notification!.html, JSON.stringify(notification!.headers)]) {
      expect(part).not.toContain(replier);
    }
    expect(await deliveriesOf(reply.id)).toEqual([
      { recipient_id: (await recipient(follower.email))!.id, status: 'sent', attempts: 1 },
    ]);
    expect(mail.to(replier)).toEqual([]);
  }, 20_000);

  it('emails when a moderator approves a held reply, and not while it is held', async () => {
    const follower = await confirmedFollower();
    const queue = holdQueue();
    const newcomer = `newcomer-${Date.now()}@example.com`;
    const held = await comment(SAMPLE_ARTICLE_PATH, {
      name: 'Nell Newcomer',
      email: newcomer,
      comment: unique('A first reply, held'),
      parent: follower.commentId,
    });
    expect(held.status).toBe('pending');
    expect(await deliveriesOf(held.id)).toEqual([]);
    expect(queue.messages()).toEqual([]);

    const approved = await fetchPage(`/api/moderation/comments/${held.id}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${env.MODERATOR_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ action: 'approve' }),
    });
    expect(approved.status).toBe(200);
    expect(await deliveriesOf(held.id)).toHaveLength(1);
    const [message] = queue.messages();
    expect(message!.delaySeconds).toBe(0);

    const mail = watchMail();
    const outcome = await deliverBatch([message!.body]);
    expect(outcome.explicitAcks).toEqual(['n0']);
    const [notification] = mail.to(follower.email);
    expect(notification!.text).toContain('Nell Newcomer replied to your comment:');
    expect(notification!.text).not.toContain(newcomer);
  });

  it('tells a follower of every comment about new top-level comments too, but another reader only of replies to them', async () => {
    // In this order: the second one's own comment would otherwise be news to the first.
    const repliesOnly = await confirmedFollower('replies');
    const everything = await confirmedFollower('all');
    const queue = holdQueue();
    const newComment = await comment(SAMPLE_ARTICLE_PATH, {
      name: 'Tom Toplevel',
      email: await returningReader(),
      comment: unique('A new thread'),
    });
    const ids = (await deliveriesOf(newComment.id)).map((delivery) => delivery.recipient_id);
    expect(ids).toEqual([(await recipient(everything.email))!.id]);
    const mail = watchMail();
    await deliverBatch(queue.messages().map((message) => message.body));
    expect(mail.to(everything.email)[0]!.text).toContain('Tom Toplevel commented:');
    expect(mail.to(repliesOnly.email)).toEqual([]);
  });

  it('never tells anyone of their own comments or replies, whatever the case of their address', async () => {
    // Set up in the database: the comment flood rule allows one post per address every 15 seconds.
    const email = await returningReader();
    const own = await env.DB.prepare(
      "INSERT INTO comments (article_id, author_name, author_email, body, body_hash, status) SELECT id, 'Fiona Follower', ?1, ?2, ?2, 'approved' FROM articles WHERE slug = 'russia-eyes-korean-peninsula' RETURNING id, article_id",
    )
      .bind(email, unique('My own comment'))
      .first<{ id: number; article_id: number }>();
    const follower = await env.DB.prepare(
      "INSERT INTO notify_recipients (email, status, confirmed_at) VALUES (?, 'confirmed', 0) RETURNING id",
    )
      .bind(email)
      .first<{ id: number }>();
    await env.DB.prepare("INSERT INTO notify_subscriptions (recipient_id, article_id, mode) VALUES (?, ?, 'all')")
      .bind(follower!.id, own!.article_id)
      .run();
    const queue = holdQueue();
    const reply = await comment(SAMPLE_ARTICLE_PATH, {
      name: 'Fiona Follower',
      email: email.toUpperCase(),
      comment: unique('Answering myself'),
      parent: own!.id,
    });
    expect(reply.status).toBe('approved');
    expect(await deliveriesOf(reply.id)).toEqual([]);
    expect(queue.messages()).toEqual([]);

    // The guard is the address: anyone else's reply to that comment is news to them.
    const other = await comment(SAMPLE_ARTICLE_PATH, {
      name: 'Otto Other',
      email: await returningReader(),
      comment: unique('Answering Fiona'),
      parent: own!.id,
    });
    expect(await deliveriesOf(other.id)).toMatchObject([{ recipient_id: follower!.id }]);
  });
});

describe('batching and the queue', () => {
  it('sends at most one email per address and article in the batch window, with the replies gathered in it', async () => {
    const follower = await confirmedFollower();
    const queue = holdQueue();
    const mail = watchMail();
    const reply = (text: string) =>
      returningReader().then((email) =>
        comment(SAMPLE_ARTICLE_PATH, { name: 'Bea Batch', email, comment: unique(text), parent: follower.commentId }),
      );

    await reply('First reply');
    const [first] = queue.messages();
    expect(first!.delaySeconds).toBe(0);
    await deliverBatch([first!.body]);
    expect(mail.to(follower.email)).toHaveLength(1);

    const second = await reply('Second reply');
    const third = await reply('Third reply');
    const later = queue.messages().slice(1);
    expect(later).toHaveLength(1);
    expect(later[0]!.delaySeconds).toBeGreaterThan(BATCH_WINDOW_SECONDS - 5);
    expect(later[0]!.delaySeconds).toBeLessThanOrEqual(BATCH_WINDOW_SECONDS);

    await deliverBatch([later[0]!.body]);
    const emails = mail.to(follower.email);
    expect(emails).toHaveLength(2);
    expect(decodeEncodedWords(emails[1]!.headers.subject!)).toBe('2 new comments on “Russia Eyes Korean Peninsula”');
    expect(emails[1]!.text).toContain(`#comment-${second.id}`);
    expect(emails[1]!.text).toContain(`#comment-${third.id}`);
    expect(emails[1]!.text).not.toContain('First reply');
  });

  it('never sends one reply twice to one person: redelivered messages and a second approval find nothing to send', async () => {
    const follower = await confirmedFollower();
    const queue = holdQueue();
    const mail = watchMail();
    const reply = await comment(SAMPLE_ARTICLE_PATH, {
      name: 'Dora Duplicate',
      email: await returningReader(),
      comment: unique('Said once'),
      parent: follower.commentId,
    });
    const bodies = queue.messages().map((message) => message.body);
    expect(bodies).toHaveLength(1);
    for (let delivery = 0; delivery < 3; delivery++) {
      const outcome = await deliverBatch([bodies[0], bodies[0]]);
      expect(outcome.explicitAcks).toHaveLength(2);
      expect(outcome.retryMessages).toEqual([]);
    }
    // Unpublished and published again by a moderator: the delivery already exists.
    for (const action of ['spam', 'approve']) {
      await fetchPage(`/api/moderation/comments/${reply.id}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${env.MODERATOR_TOKEN}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ action }),
      });
    }
    await deliverBatch(queue.messages().map((message) => message.body));
    expect(mail.to(follower.email)).toHaveLength(1);
    expect(await deliveriesOf(reply.id)).toMatchObject([{ status: 'sent', attempts: 1 }]);
  });

  it('retries a failed send with growing delays, then marks it failed', async () => {
    const follower = await confirmedFollower();
    const queue = holdQueue();
    const reply = await comment(SAMPLE_ARTICLE_PATH, {
      name: 'Bo Bounce',
      email: await returningReader(),
      comment: unique('Bouncing'),
      parent: follower.commentId,
    });
    const [message] = queue.messages();
    const send = vi.spyOn(env.EMAIL, 'send').mockRejectedValue(new Error('mailbox unavailable'));
    for (let attempt = 1; attempt < MAX_SEND_ATTEMPTS; attempt++) {
      const outcome = await deliverBatch([message!.body]);
      expect(outcome.retryMessages).toEqual([{ msgId: 'n0' }]);
      expect(outcome.delays).toEqual([retryDelaySeconds(attempt)]);
      expect(await deliveriesOf(reply.id)).toMatchObject([{ status: 'pending', attempts: attempt }]);
    }
    expect((await deliverBatch([message!.body])).explicitAcks).toEqual(['n0']);
    expect(await deliveriesOf(reply.id)).toMatchObject([{ status: 'failed', attempts: MAX_SEND_ATTEMPTS }]);
    expect(send).toHaveBeenCalledTimes(MAX_SEND_ATTEMPTS);
  });

  it('sends nothing about a reply deleted before its turn, and acknowledges messages it cannot use', async () => {
    const follower = await confirmedFollower();
    const queue = holdQueue();
    const reply = await comment(SAMPLE_ARTICLE_PATH, {
      name: 'Gus Gone',
      email: await returningReader(),
      comment: unique('Soon deleted'),
      parent: follower.commentId,
    });
    await fetchPage(`/api/moderation/comments/${reply.id}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${env.MODERATOR_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ action: 'delete' }),
    });
    const mail = watchMail();
    const outcome = await deliverBatch([
      ...queue.messages().map((message) => message.body),
      { followId: 999_999, sendAt: Date.now() },
      'garbage',
      null,
    ]);
    expect(outcome.explicitAcks).toHaveLength(4);
    expect(mail.sent()).toEqual([]);
    expect(await deliveriesOf(reply.id)).toMatchObject([{ status: 'skipped' }]);
  });
});

describe('unsubscribing', () => {
  async function notifiedFollower() {
    const follower = await confirmedFollower();
    const queue = holdQueue();
    const mail = watchMail();
    await comment(SAMPLE_ARTICLE_PATH, {
      name: 'Una Unsub',
      email: await returningReader(),
      comment: unique('Reply before unsubscribing'),
      parent: follower.commentId,
    });
    await deliverBatch(queue.messages().map((message) => message.body));
    const [notification] = mail.to(follower.email);
    return { ...follower, notification: notification!, queue };
  }

  it('stops everything on the RFC 8058 one-click POST (no Origin), 200 with an empty body, and forgets the address', async () => {
    const { email, commentId, notification, queue } = await notifiedFollower();
    const oneClick = new URL(/^<(.+)>$/.exec(notification.headers['list-unsubscribe']!)![1]!);
    const response = await fetchPage(oneClick.pathname + oneClick.search, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    expect(await recipient(email)).toBeNull();

    const later = await comment(SAMPLE_ARTICLE_PATH, {
      name: 'Late Larry',
      email: await returningReader(),
      comment: unique('Nobody hears this'),
      parent: commentId,
    });
    expect(await deliveriesOf(later.id)).toEqual([]);
    expect(queue.messages()).toHaveLength(1);
    // The same POST again is still a 200: already unsubscribed.
    const again = await fetchPage(oneClick.pathname + oneClick.search, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://mail.provider.example' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(again.status).toBe(200);
  });

  it('stops one article’s emails from its link’s page, by POST only, and keeps the others', async () => {
    const { email, notification } = await notifiedFollower();
    await waitOutCommentFlood({ email });
    await comment(OTHER_ARTICLE_PATH, {
      name: 'Fiona Follower',
      email,
      comment: unique('Elsewhere'),
      notify: 'replies',
    });
    const link = linkIn(notification, UNSUBSCRIBE_PATH);
    const count = () =>
      env.DB.prepare(
        'SELECT count(*) AS n FROM notify_subscriptions s JOIN notify_recipients r ON r.id = s.recipient_id WHERE r.email = ?',
      )
        .bind(email)
        .first<number>('n');
    const opened = await fetchPage(link.pathname + link.search);
    expect(opened.status).toBe(200);
    expect(visibleText(await opened.text())).toContain('Stop emails about this article');
    expect(await count()).toBe(2);
    const pressed = await postForm(link.pathname + link.search, {});
    expect(pressed.status).toBe(200);
    expect(visibleText(await pressed.text())).toContain(
      'You will receive no more emails about comments on this article.',
    );
    expect(await count()).toBe(1);
    expect((await recipient(email))!.status).toBe('confirmed');
    expect((await fetchPage(`${UNSUBSCRIBE_PATH}?token=forged`, { method: 'POST' })).status).toBe(400);
  });
});

describe('a reader’s data', () => {
  it('lists their notifications in the export and forgets them on erasure', async () => {
    const follower = await confirmedFollower('all');
    const mail = watchMail();
    await postForm('/privacy', { email: follower.email });
    const [message] = await mail.waitFor(follower.email);
    const token = linkIn(message!, '/privacy/data').searchParams.get('token')!;
    const opened = visibleText(await (await fetchPage(`/privacy/data?token=${token}`)).text());
    expect(opened).toContain('Comment notifications for 1 article you followed.');

    const data = (await (await postForm('/privacy/data/export', { token })).json()) as {
      commentNotifications: { email: string; status: string; following: { article: string; mode: string }[] };
    };
    expect(data.commentNotifications).toMatchObject({
      email: follower.email,
      status: 'confirmed',
      following: [{ article: 'Russia Eyes Korean Peninsula', mode: 'all' }],
    });

    expect((await postForm('/privacy/data/erase', { token })).status).toBe(200);
    expect(await recipient(follower.email)).toBeNull();
  });

  it('is described on the privacy page', async () => {
    const text = visibleText(await (await fetchPage('/privacy')).text());
    expect(text).toContain('If you tick “Email me when someone replies”: your email address');
    expect(text).toContain('at most one email per article every 5 minutes');
  });
});

it('answers the one-click path without a CSRF check, and the confirmation with one', async () => {
  const crossSite = { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' };
  expect((await fetchPage(CONFIRM_PATH, { method: 'POST', headers: crossSite, body: 'token=x' })).status).toBe(403);
  expect(
    (await fetchPage(`${UNSUBSCRIBE_PATH}?token=x`, { method: 'POST', headers: crossSite, body: '' })).status,
  ).toBe(400);
});
