import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { hmacSign } from '../../../src/lib/hmac';
import { ipGroup } from '../../../src/lib/ip-group';
import { signedInStaff } from '../../support/admin-helpers';
import {
  clearPageCache,
  fetchPage,
  freshAddress,
  SAMPLE_ARTICLE_PATH,
  submitCommentForm,
  visibleText,
} from '../../support/helpers';
import { nextNumber } from '../../support/unique';

const text = (label: string) => `${label} ${nextNumber()}: a comment with enough words in it.`;

async function post(fields: { email: string; comment: string }, address: string) {
  const response = await submitCommentForm(SAMPLE_ARTICLE_PATH, { name: 'Reader', ...fields }, { address });
  expect(response.status).toBe(303);
  // Blocked or not, the reader is told the same thing.
  expect(response.headers.get('Location')).toContain('#comment-notice');
  return env.DB.prepare('SELECT id, status, held_reason AS reason FROM comments WHERE body = ?')
    .bind(fields.comment)
    .first<{ id: number; status: string; reason: string }>();
}

/** A held comment already in the queue, from this email and network (stored as the site stores them). */
async function queued(email: string, address: string) {
  const row = await env.DB.prepare(
    "INSERT INTO comments (article_id, author_name, author_email, body, body_hash, status, ip_hash) SELECT id, 'Pest', ?, ?, ?, 'pending', ? FROM articles WHERE slug = 'russia-eyes-korean-peninsula' RETURNING id",
  )
    .bind(
      email,
      text('Queued'),
      `hash-${nextNumber()}-${Date.now()}`,
      await hmacSign(env.IP_HASH_SALT, ipGroup(address)),
    )
    .first<{ id: number }>();
  return row!.id;
}

/** Forgets the one-comment-per-15-s rule's count for an email, so a test can post from it twice. */
const forgetEmailFlood = (email: string) =>
  runInDurableObject(env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`comment-email:${email}`)), (_, state) =>
    state.storage.sql.exec('DELETE FROM hits'),
  );

describe('blocking a commenter from the moderation queue', () => {
  it('sends the next comments of a blocked email to spam, from any network, until the block is lifted', async () => {
    const editor = await signedInStaff('editor');
    const email = `pest-${Date.now()}@example.com`;
    const first = await queued(email, freshAddress());
    const queue = await (await editor.get('/admin/comments')).text();
    expect(queue).toContain(`value="email:${first}"`);

    const blocked = await editor.post('/admin/comments/blocks', { block: `email:${first}` });
    expect(blocked.status).toBe(303);
    const list = visibleText(await (await editor.get(blocked.headers.get('Location')!)).text());
    expect(list).toContain('Email address blocked');
    expect(list).toContain(`Email ${email}`);

    const next = await post({ email: email.toUpperCase(), comment: text('Again') }, freshAddress());
    expect(next).toMatchObject({ status: 'spam', reason: 'blocked email' });
    expect((await fetchPage('/admin/comments/blocks', { redirect: 'manual' })).status).toBe(303);

    const id = /\/admin\/comments\/blocks\/(\d+)\/lift/.exec(
      await (await editor.get('/admin/comments/blocks')).text(),
    )![1];
    expect((await editor.post(`/admin/comments/blocks/${id}/lift`)).status).toBe(303);
    expect(visibleText(await (await editor.get('/admin/comments/blocks')).text())).not.toContain(email);
    await forgetEmailFlood(email);
    expect((await post({ email, comment: text('Forgiven') }, freshAddress()))!.status).toBe('pending');
  });

  it('sends the next comments from a blocked network (its /24) to spam, whatever the email', async () => {
    const editor = await signedInStaff('administrator');
    const first = await queued(`one-${Date.now()}@example.com`, '198.51.100.20');
    expect((await editor.post('/admin/comments/blocks', { block: `network:${first}` })).status).toBe(303);
    const sibling = await post({ email: `two-${Date.now()}@example.com`, comment: text('Sibling') }, '198.51.100.77');
    expect(sibling).toMatchObject({ status: 'spam', reason: 'blocked network' });
    const elsewhere = await post({ email: `three-${Date.now()}@example.com`, comment: text('Else') }, freshAddress());
    expect(elsewhere!.status).toBe('pending');
  });

  it('is for editors: a contributor gets 403, and no address appears on the public page', async () => {
    const contributor = await signedInStaff('contributor');
    const email = `hidden-${Date.now()}@example.com`;
    const first = await queued(email, freshAddress());
    expect((await contributor.post('/admin/comments/blocks', { block: `email:${first}` })).status).toBe(403);
    expect((await contributor.get('/admin/comments/blocks')).status).toBe(403);
    const count = await env.DB.prepare('SELECT count(*) AS n FROM comment_blocks WHERE value = ?')
      .bind(email)
      .first('n');
    expect(count).toBe(0);
    const editor = await signedInStaff('editor');
    expect((await editor.post('/admin/comments/blocks', { block: 'email:999999' })).status).toBe(404);
    expect((await editor.post('/admin/comments/blocks', { block: 'everything' })).status).toBe(400);
    await clearPageCache();
    expect(await (await fetchPage(SAMPLE_ARTICLE_PATH)).text()).not.toContain('hidden-');
  });
});
