import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { commentsClosed } from '../../src/comments/closing';
import { postComment } from '../../src/comments/post-comment';
import { primaryDb } from '../../src/db/client';
import { signedInStaff } from '../support/admin-helpers';
import {
  afterPurge,
  clearPageCache,
  fetchPage,
  formToken,
  freshAddress,
  SAMPLE_ARTICLE_PATH,
  submitCommentForm,
  visibleText,
} from '../support/helpers';
import { nextNumber, uniqueEmail } from '../support/unique';

const SLUG = 'russia-eyes-korean-peninsula';
const API = `/api/articles/${SLUG}/comments`;
const comment = () => ({
  name: 'Late Reader',
  email: uniqueEmail('late'),
  comment: `A late thought, number ${nextNumber()}, that must not be lost.`,
});
const stored = (text: string) =>
  env.DB.prepare('SELECT count(*) AS n FROM comments WHERE body = ?').bind(text).first('n');
const articleId = async () =>
  (await env.DB.prepare('SELECT id FROM articles WHERE slug = ?').bind(SLUG).first<number>('id'))!;

beforeEach(clearPageCache);

describe('closing comments', () => {
  it('by an editor: the article shows its comments, says they are closed, and refuses posts with a 403 that keeps the text', async () => {
    const editor = await signedInStaff('editor');
    const id = await articleId();
    const closed = await editor.post(`/admin/articles/${id}/comments`, { closed: 'on' });
    expect(closed.status).toBe(303);
    expect(await (await editor.get(`/admin/articles/${id}`)).text()).toMatch(/name="closed" value="on" checked/);

    const html = await afterPurge(async () => {
      const body = await (await fetchPage(SAMPLE_ARTICLE_PATH)).text();
      expect(visibleText(body)).toContain('Comments are closed on this article.');
      return body;
    });
    expect(visibleText(html)).toContain('Mladen Matosevic');
    expect(html).not.toContain(`action="${SAMPLE_ARTICLE_PATH}/comments#respond"`);
    expect(html).not.toContain('?replyto=');

    const fields = comment();
    const refused = await submitCommentForm(SAMPLE_ARTICLE_PATH, fields);
    expect(refused.status).toBe(403);
    const refusedHtml = await refused.text();
    expect(visibleText(refusedHtml)).toContain('Your comment was not posted');
    expect(refusedHtml).toContain(fields.comment);
    expect(refused.headers.get('Cache-Control')).toBe('private, no-store');
    expect(await stored(fields.comment)).toBe(0);

    const json = comment();
    const api = await fetchPage(API, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': freshAddress() },
      body: JSON.stringify({ ...json, token: await formToken(SLUG) }),
    });
    expect(api.status).toBe(403);
    expect(await api.json()).toEqual({ error: 'Comments are closed on this article.' });
    expect(((await (await fetchPage(API)).json()) as { commentsOpen: boolean }).commentsOpen).toBe(false);
    expect(await stored(json.comment)).toBe(0);

    expect((await editor.post(`/admin/articles/${id}/comments`, {})).status).toBe(303);
    const reopened = comment();
    expect((await submitCommentForm(SAMPLE_ARTICLE_PATH, reopened)).status).toBe(303);
    expect(await stored(reopened.comment)).toBe(1);
    await afterPurge(async () =>
      expect(visibleText(await (await fetchPage(SAMPLE_ARTICLE_PATH)).text())).toContain('Share your thoughts'),
    );
  });

  it('site-wide after COMMENTS_CLOSE_AFTER_DAYS (off by default)', async () => {
    const submission = (fields: ReturnType<typeof comment>) => ({
      slug: SLUG,
      authorName: fields.name,
      authorEmail: fields.email,
      body: fields.comment,
      ipAddress: freshAddress(),
      browserCommentIds: [],
      formToken: null,
      now: new Date(),
    });
    const aged = { ...env, COMMENTS_CLOSE_AFTER_DAYS: '30' } as Env;
    // The sample article was published in 2010.
    expect(await postComment(aged, primaryDb(env), submission(comment()))).toEqual({ outcome: 'closed' });
    expect((await postComment(env, primaryDb(env), submission(comment()))).outcome).toBe('held');

    const now = new Date('2026-12-01T00:00:00Z');
    const open = { commentsClosed: false, publishedAt: new Date('2026-11-01T12:00:00Z') };
    expect(commentsClosed(open, 30, now)).toBe(false);
    expect(commentsClosed(open, 29, now)).toBe(true);
    expect(commentsClosed(open, 0, now)).toBe(false);
    expect(commentsClosed({ ...open, commentsClosed: true }, 0, now)).toBe(true);
  });
});
