import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { foldForMatching } from '../../src/comments/normalize';
import { sha256Hex } from '../../src/lib/hash';
import {
  afterPurge,
  browserOf,
  clearPageCache,
  fetchPage,
  formToken,
  freshAddress,
  returningReader,
  SAMPLE_ARTICLE_PATH,
  submitCommentForm,
  visibleText,
} from '../support/helpers';
import { unique } from '../support/unique';

const API = '/api/articles/russia-eyes-korean-peninsula/comments';

/** Posts JSON as an app in the reader's browser would (with that browser's cookie, if `returningReader` made one). */
async function postJson(body: { email?: string } & Record<string, unknown>, address = freshAddress()) {
  const cookie = browserOf(body.email ?? '');
  return fetchPage(API, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': address, ...(cookie ? { Cookie: cookie } : {}) },
    body: JSON.stringify(body),
  });
}

beforeEach(clearPageCache);

describe('the comments JSON API', () => {
  it('lists an article’s approved comments as threads, without any email', async () => {
    const response = await fetchPage(API);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      commentCount: number;
      comments: { authorName: string; createdAt: string }[];
      formToken: string;
    };
    expect(body.commentCount).toBeGreaterThanOrEqual(3);
    expect(body.comments.slice(0, 3).map((comment) => [comment.authorName, comment.createdAt])).toEqual([
      ['Mladen Matosevic', '2010-11-19T22:05:00.000Z'],
      ['Philipp Ivanov', '2010-11-16T22:26:00.000Z'],
      ['R. Jordan Prescott', '2010-11-16T17:24:00.000Z'],
    ]);
    expect(JSON.stringify(body)).not.toMatch(/@example\.|authorEmail|ipHash/);
    expect(body.formToken).toMatch(/^\d{13}\.[\w-]{16}\.[\w-]{43}$/);
    expect((await fetchPage('/api/articles/no-such-article/comments')).status).toBe(404);
    expect((await fetchPage(`${API}?page=0`)).status).toBe(400);
  });

  it('accepts the same fields as JSON and answers in JSON: 202 when held, 201 when published', async () => {
    const held = await postJson({
      name: 'Jay Son',
      email: `json-${Date.now()}@example.com`,
      comment: unique('Posted from an app.'),
      token: await formToken('russia-eyes-korean-peninsula'),
    });
    expect(held.status).toBe(202);
    expect(await held.json()).toEqual({ status: 'pending', message: 'Your comment is awaiting moderation.' });

    const known = await returningReader();
    const published = await postJson({
      name: 'Jay Son',
      email: known,
      comment: unique('Published at once.'),
      token: await formToken('russia-eyes-korean-peninsula'),
    });
    expect(published.status).toBe(201);
    const body = (await published.json()) as { status: string; id: number; url: string };
    expect(body.status).toBe('approved');
    expect(body.url).toBe(`http://localhost:8787${SAMPLE_ARTICLE_PATH}#comment-${body.id}`);
    expect(published.headers.get('Location')).toBe(body.url);
    expect(JSON.stringify(body)).not.toContain(known);
  });

  it('answers invalid input with 422 and the message for each field, malformed JSON with 400', async () => {
    const invalid = await postJson({ name: '', email: 'nope', comment: 'x'.repeat(5001) });
    expect(invalid.status).toBe(422);
    const body = (await invalid.json()) as { fields: Record<string, string> };
    expect(Object.keys(body.fields).sort()).toEqual(['comment', 'email', 'name']);
    expect(JSON.stringify(body)).not.toContain('nope');

    const malformed = await fetchPage(API, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"name":',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toHaveProperty('error');
  });

  it('answers flood with 429 JSON and Retry-After, and duplicates with 409 JSON', async () => {
    const email = `json-flood-${Date.now()}@example.com`;
    const text = unique('Once only.');
    const token = await formToken('russia-eyes-korean-peninsula');
    expect((await postJson({ name: 'F', email, comment: text, token })).status).toBe(202);
    const flood = await postJson({ name: 'F', email, comment: unique('Again'), token });
    expect(flood.status).toBe(429);
    expect(flood.headers.get('Retry-After')).toMatch(/^\d+$/);
    expect(await flood.json()).toMatchObject({ error: expect.stringContaining('too quickly') });

    const known = await returningReader();
    const said = unique('Said twice.');
    await env.DB.prepare(
      "INSERT INTO comments (article_id, author_name, author_email, body, body_hash, status) SELECT id, 'D', ?, ?, ?, 'approved' FROM articles WHERE slug = 'russia-eyes-korean-peninsula'",
    )
      .bind(known, said, await sha256Hex(foldForMatching(said)))
      .run();
    const duplicate = await postJson({
      name: 'D',
      email: known,
      comment: said,
      token: await formToken('russia-eyes-korean-peninsula'),
    });
    expect(duplicate.status).toBe(409);
    expect(await duplicate.json()).toEqual({
      error: 'Duplicate comment: it looks as though you have already said that.',
    });
  });
});

describe('moderation mode "none"', () => {
  it('publishes a new reader’s comment at once: the redirect shows it', async () => {
    const app = createApp();
    const modeNone = { ...env, COMMENT_MODERATION: 'none' } as Env;
    const call = async (request: Request) => {
      const ctx = createExecutionContext();
      const response = await app.fetch(request, modeNone, ctx);
      await waitOnExecutionContext(ctx);
      return response;
    };
    await fetchPage(SAMPLE_ARTICLE_PATH);
    const text = unique('Never commented before, published straight away.');
    const form = new URLSearchParams({
      name: 'Brand New',
      email: `brand-new-${Date.now()}@example.com`,
      comment: text,
      token: await formToken('russia-eyes-korean-peninsula'),
    });
    const posted = await call(
      new Request(`http://localhost:8787${SAMPLE_ARTICLE_PATH}/comments`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Origin: 'http://localhost:8787',
          'CF-Connecting-IP': freshAddress(),
        },
        body: form,
      }),
    );
    expect(posted.status).toBe(303);
    const location = posted.headers.get('Location')!;
    expect(location).toMatch(new RegExp(`^${SAMPLE_ARTICLE_PATH}#comment-\\d+$`));
    const html = await afterPurge(async () => {
      const page = await call(new Request(`http://localhost:8787${location}`));
      expect(page.headers.get('X-Cache')).toBe('MISS');
      return page.text();
    });
    expect(html).toContain(`id="${location.split('#')[1]}"`);
    expect(visibleText(html)).toContain(text);
  });

  it('still holds comments that a spam rule catches', async () => {
    const response = await submitCommentForm(SAMPLE_ARTICLE_PATH, {
      name: 'X',
      email: 'x@example.com',
      comment: 'http://a.example http://b.example',
    });
    expect(response.headers.get('Location')).toContain('#comment-notice');
  });
});
