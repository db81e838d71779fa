import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AdminSession, signedInStaff } from '../../support/admin-helpers';
import { SAMPLE_ARTICLE_PATH, submitCommentForm, visibleText } from '../../support/helpers';
import { type SentMail, watchMail } from '../../support/newsletter-helpers';
import { nextNumber, uniqueEmail } from '../../support/unique';

const digest = () => env.MODERATOR_DIGEST.get(env.MODERATOR_DIGEST.idFromName('moderators'));
const alarmAt = () => runInDurableObject(digest(), (_, state) => state.storage.getAlarm());

/** A first comment from a new address: held under the default `first-time` moderation. */
async function holdComment(text = `A held thought number ${nextNumber()}, with some words.`) {
  const response = await submitCommentForm(SAMPLE_ARTICLE_PATH, {
    name: 'Newcomer',
    email: uniqueEmail('newcomer'),
    comment: text,
  });
  expect(response.headers.get('Location')).toContain('#comment-notice');
  const row = await env.DB.prepare('SELECT id, status FROM comments WHERE body = ?')
    .bind(text)
    .first<{ id: number; status: string }>();
  expect(row?.status).toBe('pending');
  return { id: row!.id, text };
}

/** The approve or spam link of one comment in a moderator email's text. */
function linkFor(mail: SentMail, id: number, action: 'approve' | 'spam'): URL {
  const link = new RegExp(`https?://\\S+/admin/comments/${id}\\?action=${action}`).exec(mail.text)?.[0];
  expect(link, `${action} link for comment ${id}`).toBeDefined();
  return new URL(link!);
}

let watch: ReturnType<typeof watchMail>;
beforeEach(() => {
  watch = watchMail();
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('moderator emails', () => {
  let editor: AdminSession;
  let administrator: AdminSession;
  let contributor: AdminSession;
  let quiet: AdminSession;

  it('go to each editor and administrator once for a wave of held comments, with text, article and links', async () => {
    [editor, administrator, contributor, quiet] = [
      await signedInStaff('editor'),
      await signedInStaff('administrator'),
      await signedInStaff('contributor'),
      await signedInStaff('editor'),
    ];
    const off = await quiet.post('/admin/comments/notifications', { emails: 'off' });
    expect(off.status).toBe(303);
    expect(visibleText(await (await quiet.get(off.headers.get('Location')!)).text())).toContain(
      'Emails when comments are held: off',
    );

    const wave = [await holdComment(), await holdComment(), await holdComment()];
    const before = Date.now();
    const scheduled = await alarmAt();
    // Set by the first held comment, a gathering delay (60 s by default) away, and not moved by the others.
    expect(scheduled).toBeGreaterThan(before + 50_000);
    expect(watch.sent()).toHaveLength(0);

    expect(await runDurableObjectAlarm(digest())).toBe(true);
    const sent = watch.sent();
    expect(sent.map((mail) => mail.to).sort()).toEqual([administrator.email, editor.email].sort());
    const [mail] = watch.to(editor.email);
    expect(mail!.headers.subject).toMatch(/^\d+ comments are waiting for moderation on edgepress$/);
    for (const comment of wave) {
      expect(mail!.text).toContain(comment.text);
      linkFor(mail!, comment.id, 'approve');
      linkFor(mail!, comment.id, 'spam');
    }
    expect(mail!.text).toContain('on “Russia Eyes');
    expect(mail!.html).toContain(wave[0]!.text);
    // The commenters' addresses are not in it.
    expect(mail!.text).not.toContain('newcomer-');
  });

  it('wait the interval after the last email, then cover only what was held since', async () => {
    const later = await holdComment();
    const scheduled = await alarmAt();
    expect(scheduled).toBeGreaterThan(Date.now() + 9 * 60_000);
    expect(await runDurableObjectAlarm(digest())).toBe(true);
    const [mail] = watch.to(editor.email);
    expect(mail!.headers.subject).toBe('A comment is waiting for moderation on edgepress');
    expect(mail!.text).toContain(later.text);
    expect(mail!.text.match(/\/admin\/comments\/\d+\?action=approve/g)).toHaveLength(1);
  });

  it('approve from the link: it opens the comment’s page, and only that page’s POST acts', async () => {
    const held = await holdComment();
    await runDurableObjectAlarm(digest());
    const [mail] = watch.to(editor.email);
    const link = linkFor(mail!, held.id, 'approve');

    const page = await editor.get(link.pathname + link.search);
    expect(page.status).toBe(200);
    const text = visibleText(await page.text());
    expect(text).toContain(held.text);
    expect(text).toContain('This comment is pending');
    const status = () => env.DB.prepare('SELECT status FROM comments WHERE id = ?').bind(held.id).first('status');
    expect(await status()).toBe('pending');

    expect((await editor.post(link.pathname, { action: 'approve' }, { csrf: null })).status).toBe(403);
    expect((await contributor.post(link.pathname, { action: 'approve' })).status).toBe(403);
    expect(await status()).toBe('pending');
    const approved = await editor.post(link.pathname, { action: 'approve' });
    expect(approved.status).toBe(303);
    expect(await status()).toBe('approved');
  });

  it('are not sent when nothing new is waiting, nor to anyone who turned them off', async () => {
    await runInDurableObject(digest(), (_, state) => state.storage.setAlarm(Date.now() + 60_000));
    expect(await runDurableObjectAlarm(digest())).toBe(true);
    expect(watch.sent()).toHaveLength(0);
    await holdComment();
    await runDurableObjectAlarm(digest());
    expect(watch.to(quiet.email)).toHaveLength(0);
    expect(watch.to(contributor.email)).toHaveLength(0);
    expect(watch.to(editor.email)).toHaveLength(1);
  });
});
