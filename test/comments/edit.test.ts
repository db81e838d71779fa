import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { COMMENTER_COOKIE } from '../../src/comments/commenter-cookie';
import {
  afterPurge,
  browserOf,
  clearPageCache,
  fetchPage,
  ORIGIN,
  returningReader,
  SAMPLE_ARTICLE_PATH,
  submitCommentForm,
  visibleText,
} from '../support/helpers';
import { unique, uniqueEmail } from '../support/unique';

beforeEach(clearPageCache);

/** Posts a comment through the form and returns its id and the edit cookie the 303 set. */
async function post(body: string, email?: string) {
  email ??= await returningReader();
  const response = await submitCommentForm(SAMPLE_ARTICLE_PATH, {
    name: 'Tess Typo',
    email,
    comment: body,
  });
  expect(response.status).toBe(303);
  const row = await env.DB.prepare('SELECT id, status FROM comments WHERE body = ?')
    .bind(body)
    .first<{ id: number; status: string }>();
  const setCookie = response.headers.getSetCookie().find((cookie) => cookie.startsWith(`edgepress_edit_${row!.id}=`));
  // What the browser sends next: the edit capability, and the commenter cookie that lists its comments.
  const commenter = response.headers.getSetCookie().find((cookie) => cookie.startsWith(`${COMMENTER_COOKIE}=`));
  const cookie = [setCookie, commenter ?? browserOf(email)].flatMap((each) => (each ? [each.split(';')[0]!] : []));
  return { ...row!, setCookie, cookie: cookie.join('; ') };
}

const asAuthor = (cookie: string, init: RequestInit = {}) => ({
  ...init,
  headers: { ...(init.headers as Record<string, string>), Cookie: cookie },
});

const postAs = (cookie: string, path: string, fields: Record<string, string>) =>
  fetchPage(path, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN, Cookie: cookie },
    body: new URLSearchParams(fields),
  });

const row = (id: number) =>
  env.DB.prepare('SELECT status, body, edited_at, removal FROM comments WHERE id = ?').bind(id).first<{
    status: string;
    body: string;
    edited_at: number | null;
    removal: string | null;
  }>();

describe('the edit capability', () => {
  it('is a signed, HttpOnly cookie scoped to the article, for the edit window', async () => {
    const { id, setCookie } = await post(unique('Capability check'));
    expect(setCookie).toMatch(
      new RegExp(
        `^edgepress_edit_${id}=\\d+\\.[A-Za-z0-9_-]{43}; Max-Age=(899|900); Path=${SAMPLE_ARTICLE_PATH}; HttpOnly; SameSite=Lax$`,
      ),
    );
  });

  it('shows Edit and Delete to the author alone, on a page never stored in the shared cache', async () => {
    const body = unique('Only I may edit this');
    const { id, cookie } = await post(body);
    const own = await fetchPage(SAMPLE_ARTICLE_PATH, asAuthor(cookie));
    expect(own.headers.get('Cache-Control')).toBe('private, no-store');
    expect(own.headers.get('X-Cache')).toBe('BYPASS');
    const ownHtml = await own.text();
    expect(ownHtml).toContain(`href="${SAMPLE_ARTICLE_PATH}/comments/${id}/edit"`);
    expect(ownHtml).toContain(`href="${SAMPLE_ARTICLE_PATH}/comments/${id}/delete"`);

    for (let view = 0; view < 2; view++) {
      const shared = await fetchPage(SAMPLE_ARTICLE_PATH);
      const html = await shared.text();
      expect(html).toContain(body);
      expect(html).not.toContain('/edit"');
    }
    expect((await fetchPage(SAMPLE_ARTICLE_PATH)).headers.get('X-Cache')).toBe('HIT');
    const { keys } = await env.PAGE_CACHE.list({ prefix: 'page:' });
    expect(keys.length).toBeGreaterThan(0);
    for (const { name } of keys) {
      const stored = await env.PAGE_CACHE.get(name);
      expect(stored, name).not.toContain(`/comments/${id}/edit`);
      const edge = await caches.default.match(
        new Request(`https://page-cache.edgepress.internal/${encodeURIComponent(name)}`),
      );
      if (edge) expect(await edge.text(), name).not.toContain(`/comments/${id}/edit`);
    }
  });
});

describe('editing within the window', () => {
  it('fixes a typo: the new text is shown, marked edited, and the cached page is purged', async () => {
    const { id, cookie } = await post(unique('I cant spel'));
    await (await fetchPage(SAMPLE_ARTICLE_PATH)).text();
    const form = await fetchPage(`${SAMPLE_ARTICLE_PATH}/comments/${id}/edit`, asAuthor(cookie));
    expect(form.status).toBe(200);
    expect(form.headers.get('Cache-Control')).toBe('private, no-store');
    expect(await form.text()).toContain('I cant spel');

    const fixed = unique('I can’t spell');
    const saved = await postAs(cookie, `${SAMPLE_ARTICLE_PATH}/comments/${id}/edit`, { comment: fixed });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('Location')).toBe(`${SAMPLE_ARTICLE_PATH}#comment-${id}`);
    expect((await row(id))!.edited_at).not.toBeNull();

    const text = await afterPurge(async () => {
      const shown = visibleText(await (await fetchPage(SAMPLE_ARTICLE_PATH)).text());
      expect(shown).toContain(fixed);
      return shown;
    });
    expect(text).not.toContain('I cant spel');
    expect(text).toMatch(/· edited [A-Z][a-z]+ \d+, \d{4} at \d{2}:\d{2} UTC\+9/);
  });

  it('runs every rule again: added links hold a published comment; a held one stays held', async () => {
    const { id, cookie } = await post(unique('Soon with links'));
    const linked = unique('See https://a.example and https://b.example');
    const held = await postAs(cookie, `${SAMPLE_ARTICLE_PATH}/comments/${id}/edit`, { comment: linked });
    expect(held.status).toBe(303);
    expect(held.headers.get('Location')).toBe(`${SAMPLE_ARTICLE_PATH}#comment-notice`);
    expect((await row(id))!.status).toBe('pending');
    expect(visibleText(await (await fetchPage(SAMPLE_ARTICLE_PATH)).text())).not.toContain('Soon with links');

    const newcomer = await post(unique('A first comment, held'), `new-${Date.now()}@example.com`);
    expect(newcomer.status).toBe('pending');
    await postAs(newcomer.cookie, `${SAMPLE_ARTICLE_PATH}/comments/${newcomer.id}/edit`, {
      comment: unique('Still a first comment'),
    });
    expect((await row(newcomer.id))!.status).toBe('pending');
  });

  it('judges an edit of an approved comment as a new comment: a newcomer’s approval does not vouch for new text', async () => {
    // A newcomer's first comment, held, then approved by a moderator: it is all the site knows of them.
    const newcomer = await post(unique('A harmless first comment'), uniqueEmail('newcomer'));
    expect(newcomer.status).toBe('pending');
    await env.DB.prepare("UPDATE comments SET status = 'approved' WHERE id = ?").bind(newcomer.id).run();
    const swapped = unique('Cheap pills at https://spam.example today');
    const edit = await postAs(newcomer.cookie, `${SAMPLE_ARTICLE_PATH}/comments/${newcomer.id}/edit`, {
      comment: swapped,
    });
    expect(edit.headers.get('Location')).toBe(`${SAMPLE_ARTICLE_PATH}#comment-notice`);
    expect(await row(newcomer.id)).toMatchObject({ status: 'pending', body: swapped });
    await clearPageCache();
    expect(visibleText(await (await fetchPage(SAMPLE_ARTICLE_PATH)).text())).not.toContain('spam.example');

    // A regular, with another approved comment from this browser, edits in one link: published, as a new comment would be.
    const regular = await returningReader();
    const own = await post(unique('A regular’s point'), regular);
    expect(own.status).toBe('approved');
    const linked = unique('A regular’s point, with a source: https://news.example/story');
    await postAs(own.cookie, `${SAMPLE_ARTICLE_PATH}/comments/${own.id}/edit`, {
      comment: linked,
    });
    expect(await row(own.id)).toMatchObject({ status: 'approved', body: linked });
  });

  it('sends an empty edit back with a 422 and keeps the comment as it was', async () => {
    const body = unique('Keep me');
    const { id, cookie } = await post(body);
    const refused = await postAs(cookie, `${SAMPLE_ARTICLE_PATH}/comments/${id}/edit`, { comment: '   ' });
    expect(refused.status).toBe(422);
    expect(visibleText(await refused.text())).toContain('Please write your comment.');
    expect((await row(id))!.body).toBe(body);
  });
});

describe('deleting within the window', () => {
  it('removes a comment nobody answered, and leaves a marker where there are replies', async () => {
    const alone = await post(unique('Nobody will answer'));
    const gone = await postAs(alone.cookie, `${SAMPLE_ARTICLE_PATH}/comments/${alone.id}/delete`, {});
    expect(gone.status).toBe(303);
    expect(gone.headers.get('Location')).toBe(`${SAMPLE_ARTICLE_PATH}#comments`);
    expect(gone.headers.getSetCookie().join()).toMatch(new RegExp(`edgepress_edit_${alone.id}=; Max-Age=0`));
    expect(await row(alone.id)).toBeNull();

    const answered = await post(unique('Someone will answer'));
    await submitCommentForm(SAMPLE_ARTICLE_PATH, {
      name: 'Ray Replier',
      email: await returningReader(),
      comment: unique('My reply stays'),
      parent: String(answered.id),
    });
    await postAs(answered.cookie, `${SAMPLE_ARTICLE_PATH}/comments/${answered.id}/delete`, {});
    expect(await row(answered.id)).toMatchObject({ body: '', removal: 'deleted-by-author' });
    const text = visibleText(await (await fetchPage(SAMPLE_ARTICLE_PATH)).text());
    expect(text).toContain('This comment was deleted by its author.');
    expect(text).not.toContain('Someone will answer');
    expect(text).toContain('My reply stays');
  });

  it('shows the author the page without it at once, though the delete took their last edit cookie and the cached page still has it', async () => {
    const body = unique('Gone for me at once');
    const { id, cookie } = await post(body);
    expect(await (await fetchPage(SAMPLE_ARTICLE_PATH)).text()).toContain(body); // the shared copy, now cached
    const deleted = await postAs(cookie, `${SAMPLE_ARTICLE_PATH}/comments/${id}/delete`, {});
    expect(deleted.status).toBe(303);
    // What the browser sends next, its post a minute behind it: the cookies of the 303, less the edit cookie it took.
    const kept = deleted.headers
      .getSetCookie()
      .filter((line) => !/Max-Age=0/.test(line))
      .map((line) => line.split(';')[0]);
    const next = await fetchPage(SAMPLE_ARTICLE_PATH, { headers: { Cookie: kept.join('; ') } });
    expect(next.headers.get('X-Cache')).toBe('BYPASS');
    expect(visibleText(await next.text())).not.toContain(body);
  });
});

describe('outside the window, or from another browser', () => {
  it('refuses with a clear 403 page and changes nothing', async () => {
    const body = unique('Too late to change');
    const { id, cookie, setCookie } = await post(body);
    const path = `${SAMPLE_ARTICLE_PATH}/comments/${id}`;
    const editCookie = setCookie!.split(';')[0]!;
    for (const attempt of [
      () => fetchPage(`${path}/edit`),
      () => postAs('', `${path}/edit`, { comment: 'From elsewhere' }),
      () => postAs('', `${path}/delete`, {}),
      () =>
        postAs(
          editCookie.replace(/.$/, (last) => (last === 'A' ? 'B' : 'A')),
          `${path}/edit`,
          { comment: 'Forged' },
        ),
    ]) {
      const response = await attempt();
      expect(response.status).toBe(403);
      expect(visibleText(await response.text())).toContain('This comment can no longer be changed');
    }
    await env.DB.prepare('UPDATE comments SET created_at = ? WHERE id = ?')
      .bind(Date.now() - 16 * 60_000, id)
      .run();
    expect((await postAs(cookie, `${path}/edit`, { comment: 'After the window' })).status).toBe(403);
    expect((await postAs(cookie, `${path}/delete`, {})).status).toBe(403);
    expect((await row(id))!.body).toBe(body);
    expect(await (await fetchPage(SAMPLE_ARTICLE_PATH, asAuthor(cookie))).text()).not.toContain(`${path}/edit`);
  });
});
