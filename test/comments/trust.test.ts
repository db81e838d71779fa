import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { COMMENTER_COOKIE, commenterCookieValue } from '../../src/comments/commenter-cookie';
import { foldForMatching } from '../../src/comments/normalize';
import { sha256Hex } from '../../src/lib/hash';
import {
  browserOf,
  clearPageCache,
  formToken,
  freshAddress,
  ORIGIN,
  returningReader,
  SAMPLE_ARTICLE_PATH,
  submitCommentForm,
  visibleText,
  waitOutCommentFlood,
} from '../support/helpers';
import { unique, uniqueEmail } from '../support/unique';

const SLUG = 'russia-eyes-korean-peninsula';

function storedComments(body: string) {
  return env.DB.prepare('SELECT author_name, author_email, status, held_reason FROM comments WHERE body = ?')
    .bind(body)
    .all<{ author_name: string; author_email: string; status: string; held_reason: string | null }>()
    .then((result) => result.results);
}

/** The app with the flood rule at its 1 s minimum, so a test can post twice from one email and network. */
function appWithShortFlood() {
  const app = createApp();
  const settings = { ...env, COMMENT_FLOOD_SECONDS: '1', COMMENT_LIMIT_PER_MINUTE: '100' } as Env;
  return async (path: string, init: RequestInit) => {
    const ctx = createExecutionContext();
    const response = await app.fetch(new Request(new URL(path, ORIGIN), init), settings, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  };
}

const formPost = (fields: Record<string, string>, address = freshAddress()) => ({
  method: 'POST',
  redirect: 'manual' as const,
  headers: {
    'Content-Type': 'application/x-www-form-urlencoded',
    Origin: ORIGIN,
    'CF-Connecting-IP': address,
  },
  body: new URLSearchParams(fields),
});

beforeEach(clearPageCache);

/** The `Cookie` header a browser would send after this response. */
const cookieFrom = (response: Response, name: string) =>
  response.headers
    .getSetCookie()
    .find((line) => line.startsWith(`${name}=`))
    ?.split(';')[0];

describe('posting as a returning commenter', () => {
  const REGULAR = 'philipp.ivanov@example.org';

  it('holds a comment with a regular’s address from a browser that has no proof', async () => {
    const seeded = await env.DB.prepare("SELECT id FROM comments WHERE author_email = ? AND status = 'approved'")
      .bind(REGULAR)
      .first<{ id: number }>();
    expect(seeded).not.toBeNull();
    const regular = await returningReader();
    const regularCommentId = Number(/=(\d+)\./.exec(browserOf(regular)!)![1]);
    const attempts: [string, string][] = [
      [REGULAR, ''],
      [regular, ''],
      [regular, `${COMMENTER_COOKIE}=${regularCommentId}.${'A'.repeat(43)}`],
      [regular, `${COMMENTER_COOKIE}=${await commenterCookieValue('another secret', [regularCommentId])}`],
    ];
    const call = appWithShortFlood();
    for (const [email, cookie] of attempts) {
      const text = unique('It is me, trust me.');
      const init = formPost({ token: await formToken(SLUG), name: 'Philipp Ivanov', email, comment: text });
      const response = await call(`${SAMPLE_ARTICLE_PATH}/comments`, {
        ...init,
        headers: { ...init.headers, Cookie: cookie },
      });
      expect(response.headers.get('Location')).toBe(`${SAMPLE_ARTICLE_PATH}#comment-notice`);
      expect(await storedComments(text)).toMatchObject([
        { status: 'pending', held_reason: 'known address, from a browser it was never approved on' },
      ]);
      await waitOutCommentFlood({ email });
    }
  });

  it('holds it even when the impostor’s browser has a comment of its own on record', async () => {
    const own = await submitCommentForm(SAMPLE_ARTICLE_PATH, {
      name: 'Mallory',
      email: `mallory-${Date.now()}@example.com`,
      comment: unique('My own first comment.'),
    });
    const cookie = cookieFrom(own, COMMENTER_COOKIE);
    expect(cookie).toBeDefined();
    const text = unique('Now as a regular.');
    await submitCommentForm(
      SAMPLE_ARTICLE_PATH,
      { name: 'Reg', email: await returningReader(), comment: text },
      { cookie },
    );
    expect((await storedComments(text))[0]?.status).toBe('pending');
  });

  it('knows the browser once its comment is approved: its next comment is published at once', async () => {
    const call = appWithShortFlood();
    const email = `newcomer-${Date.now()}@example.com`;
    const post = async (comment: string, cookie = '') => {
      const init = formPost({ token: await formToken(SLUG), name: 'Nadia', email, comment });
      return call(`${SAMPLE_ARTICLE_PATH}/comments`, { ...init, headers: { ...init.headers, Cookie: cookie } });
    };
    const first = unique('My first comment here.');
    const posted = await post(first);
    expect(posted.headers.getSetCookie().find((line) => line.startsWith(COMMENTER_COOKIE))).toMatch(/HttpOnly/);
    const cookie = cookieFrom(posted, COMMENTER_COOKIE)!;
    expect((await storedComments(first))[0]?.status).toBe('pending');
    await env.DB.prepare("UPDATE comments SET status = 'approved' WHERE body = ?").bind(first).run();

    await waitOutCommentFlood({ email });
    const second = unique('And my second.');
    const again = await post(second, cookie);
    expect(again.headers.get('Location')).toMatch(/#comment-\d+$/);
    expect((await storedComments(second))[0]?.status).toBe('approved');
    await waitOutCommentFlood({ email });
    const elsewhere = unique('From another browser.');
    await post(elsewhere);
    expect((await storedComments(elsewhere))[0]?.status).toBe('pending');
  });
});

describe('the word lists cannot be evaded', () => {
  it.each([
    ['a zero-width space', 'cas\u200Bino', 'pending'],
    ['a soft hyphen', 'Cas\u00ADino', 'pending'],
    ['Cyrillic look-alikes', 'саsіnо', 'pending'],
    ['Greek look-alikes', 'casιnο', 'pending'],
    ['full-width letters', 'ｃａｓｉｎｏ', 'pending'],
    ['a bidi control', 'vi\u202Eagra', 'spam'],
  ])('catches a listed word written with %s', async (_, word, status) => {
    const text = unique(`Visit my ${word} tonight`);
    const response = await submitCommentForm(SAMPLE_ARTICLE_PATH, {
      name: 'Philipp Ivanov',
      email: await returningReader(),
      comment: text,
    });
    expect(response.headers.get('Location')).toContain('#comment-notice');
    const [stored] = await storedComments(text.normalize('NFKC').replace(/\u202E/g, ''));
    expect(stored?.status).toBe(status);
  });
});

describe('names', () => {
  it('stores a name without its bidirectional controls and invisible characters', async () => {
    const text = unique('My name was cleaned.');
    await submitCommentForm(SAMPLE_ARTICLE_PATH, {
      name: 'Ann\u202E\u200B Lee\u2066',
      email: await returningReader(),
      comment: text,
    });
    expect((await storedComments(text))[0]?.author_name).toBe('Ann Lee');
  });

  it.each([
    ['as written', 'Richard Weitz'],
    ['with Cyrillic look-alikes', 'Riсhаrd Wеitz'],
    ['with invisible characters', 'Rich\u200Bard\u00AD Weitz'],
    ['in full-width letters', 'Ｒｉｃｈａｒｄ Ｗｅｉｔｚ'],
    ['in capitals', 'RICHARD WEITZ'],
  ])('refuses a staff member’s name %s, keeping the text', async (_, name) => {
    const text = unique('I am the author, honestly.');
    const response = await submitCommentForm(SAMPLE_ARTICLE_PATH, {
      name,
      email: uniqueEmail('impostor'),
      comment: text,
    });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(visibleText(html)).toContain('This name belongs to a member of our staff');
    expect(html).toContain(`${text}</textarea>`);
    expect(await storedComments(text)).toEqual([]);
  });
});

describe('duplicates', () => {
  it.each([
    ['the address in other case', (email: string) => email.toUpperCase(), (text: string) => text],
    ['a doubled space', (email: string) => email, (text: string) => text.replace(' ', '  ')],
    [
      'other case and a zero-width space',
      (email: string) => ` ${email.toUpperCase()}`,
      (text: string) => `${text}\u200B`,
    ],
  ])('are refused with 409 when only %s differs', async (_, email, text) => {
    const said = unique('I said this before.');
    const known = await returningReader();
    await env.DB.prepare(
      "INSERT INTO comments (article_id, author_name, author_email, body, body_hash, status) SELECT id, 'P', ?, ?, ?, 'approved' FROM articles WHERE slug = ?",
    )
      .bind(known, said, await sha256Hex(foldForMatching(said)), SLUG)
      .run();
    const response = await submitCommentForm(SAMPLE_ARTICLE_PATH, {
      name: 'P',
      email: email(known),
      comment: text(said),
    });
    expect(response.status).toBe(409);
    expect(visibleText(await response.text())).toContain('Duplicate comment');
  });
});

describe('a form token', () => {
  it('stores one comment from a network: a replay from the same email is dropped quietly', async () => {
    const call = appWithShortFlood();
    const token = await formToken(SLUG);
    const bot = freshAddress();
    const email = `replayer-${Date.now()}@example.com`;
    const first = unique('First with this token.');
    const replay = unique('Replayed token.');
    const posted = await call(
      `${SAMPLE_ARTICLE_PATH}/comments`,
      formPost({ token, name: 'Bot', email, comment: first }, bot),
    );
    expect(posted.status).toBe(303);
    await waitOutCommentFlood({ email, address: bot });
    const replayed = await call(
      `${SAMPLE_ARTICLE_PATH}/comments`,
      formPost({ token, name: 'Bot', email, comment: replay }, bot),
    );
    expect(replayed.status).toBe(303);
    expect(replayed.headers.get('Location')).toBe(`${SAMPLE_ARTICLE_PATH}#comment-notice`);
    expect(await storedComments(first)).toHaveLength(1);
    expect(await storedComments(replay)).toEqual([]);
  });

  it('used on the same network with another email gives the form back with a new token, text kept', async () => {
    const call = appWithShortFlood();
    const token = await formToken(SLUG);
    const office = freshAddress();
    const first = formPost(
      { token, name: 'First', email: `first-${Date.now()}@example.com`, comment: unique('1st') },
      office,
    );
    expect((await call(`${SAMPLE_ARTICLE_PATH}/comments`, first)).status).toBe(303);
    await waitOutCommentFlood({ address: office });
    const text = unique('Second reader of the same copy.');
    const response = await call(
      `${SAMPLE_ARTICLE_PATH}/comments`,
      formPost({ token, name: 'Second', email: `second-${Date.now()}@example.com`, comment: text }, office),
    );
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(visibleText(html)).toContain('This copy of the form has already been used');
    expect(html).toContain(`${text}</textarea>`);
    const fresh = /name="token" value="([^"]+)"/.exec(html)![1];
    expect(fresh).not.toBe(token);
    expect(await storedComments(text)).toEqual([]);

    const elsewhere = unique('A reader of the same cached copy on another network.');
    const other = await submitCommentForm(
      SAMPLE_ARTICLE_PATH,
      { name: 'Third', email: `third-${Date.now()}@example.com`, comment: elsewhere },
      { token },
    );
    expect(other.status).toBe(303);
    expect(await storedComments(elsewhere)).toHaveLength(1);
  });

  it('is not used up by a form that came back with 422: the reader sends it again', async () => {
    const token = await formToken(SLUG);
    const text = unique('Fixed my email and sent it again.');
    const refused = await submitCommentForm(
      SAMPLE_ARTICLE_PATH,
      { name: 'Ann', email: 'nope', comment: text },
      { token },
    );
    expect(refused.status).toBe(422);
    const again = await submitCommentForm(
      SAMPLE_ARTICLE_PATH,
      { name: 'Ann', email: `ann-${Date.now()}@example.com`, comment: text },
      { token },
    );
    expect(again.status).toBe(303);
    expect(await storedComments(text)).toHaveLength(1);
  });

  it('stores one comment through the JSON API too', async () => {
    const call = appWithShortFlood();
    const token = await formToken(SLUG);
    const email = `json-replayer-${Date.now()}@example.com`;
    const bot = freshAddress();
    const post = (comment: string, from = email) =>
      call(`/api/articles/${SLUG}/comments`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': bot },
        body: JSON.stringify({ name: 'Bot', email: from, comment, token }),
      });
    expect((await post(unique('JSON first'))).status).toBe(202);
    await waitOutCommentFlood({ email, address: bot });
    const replay = unique('JSON replay');
    const replayed = await post(replay);
    expect(replayed.status).toBe(202);
    await waitOutCommentFlood({ email, address: bot });
    const other = await post(unique('JSON other'), `other-${email}`);
    expect(other.status).toBe(422);
    expect(await other.json()).toMatchObject({ fields: { token: 'used' }, formToken: expect.any(String) });
    expect(await storedComments(replay)).toEqual([]);
  });
});
