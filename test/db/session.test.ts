import { beforeEach, describe, expect, it } from 'vitest';
import {
  clearPageCache,
  fetchPage,
  returningReader,
  SAMPLE_ARTICLE_PATH,
  submitCommentForm,
  visibleText,
} from '../support/helpers';

beforeEach(clearPageCache);

describe('D1 sessions: reading your own writes', () => {
  it('hands a reader who posted a bookmark, and renders their next views fresh from it', async () => {
    await fetchPage(SAMPLE_ARTICLE_PATH);
    expect((await fetchPage(SAMPLE_ARTICLE_PATH)).headers.get('X-Cache')).toBe('HIT');

    const text = `Read-your-writes check ${Date.now()}`;
    const posted = await submitCommentForm(SAMPLE_ARTICLE_PATH, {
      name: 'Bookmark Reader',
      email: await returningReader(),
      comment: text,
    });
    expect(posted.status).toBe(303);
    const cookie = posted.headers.getSetCookie().find((line) => line.startsWith('edgepress_d1_bookmark='));
    expect(cookie).toMatch(/^edgepress_d1_bookmark=[^;]+; Max-Age=60; Path=\/; HttpOnly; SameSite=Lax$/);

    const next = await fetchPage(posted.headers.get('Location')!, { headers: { Cookie: cookie!.split(';')[0]! } });
    expect(next.status).toBe(200);
    expect(next.headers.get('X-Cache')).toBe('BYPASS');
    expect(visibleText(await next.text())).toContain(text);
  });

  it('ignores a malformed bookmark instead of failing', async () => {
    const response = await fetchPage(SAMPLE_ARTICLE_PATH, { headers: { Cookie: 'edgepress_d1_bookmark=<script>' } });
    expect(response.status).toBe(200);
  });

  it('gives no bookmark to readers who only read, or whose post was refused', async () => {
    expect((await fetchPage(SAMPLE_ARTICLE_PATH)).headers.get('Set-Cookie')).toBeNull();
    const refused = await submitCommentForm(SAMPLE_ARTICLE_PATH, { name: '', email: 'x', comment: '' });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('Set-Cookie')).toBeNull();
  });
});
