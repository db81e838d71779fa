import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Role } from '../../src/db/schema';
import { csrfTokenFor } from '../../src/staff/sessions';
import { createStaffMember, postSignIn, sessionCookieToken } from '../support/admin-helpers';
import {
  clearPageCache,
  fetchPage,
  ORIGIN,
  SAMPLE_ARTICLE_PATH,
  submitCommentForm,
  visibleText,
} from '../support/helpers';
import { nextNumber, uniqueEmail } from '../support/unique';

const STAFF_COOKIE = /edgepress_staff=([^;]*)/;

/** A staff member signed in through the form: their name, and the cookies the sign-in set. */
async function signedIn(role: Role) {
  const editor = await createStaffMember(undefined, role);
  const response = await postSignIn({ email: editor.email, password: editor.password });
  const setCookie = response.headers.get('Set-Cookie') ?? '';
  const staff = STAFF_COOKIE.exec(setCookie)?.[1];
  expect(staff, 'the sign-in sets the staff-commenter cookie').toBeTruthy();
  expect(setCookie).toMatch(/edgepress_staff=[^;]+; Max-Age=\d+; Path=\/; HttpOnly; Secure; SameSite=Strict/);
  const name = await env.DB.prepare('SELECT name FROM editors WHERE id = ?').bind(editor.id).first<string>('name');
  return { ...editor, name: name!, cookie: `edgepress_staff=${staff}`, session: sessionCookieToken(response)! };
}

const approvedCommentId = async () =>
  (await env.DB.prepare(
    "SELECT c.id FROM comments c JOIN articles a ON a.id = c.article_id WHERE a.slug = 'russia-eyes-korean-peninsula' AND c.status = 'approved' AND c.parent_id IS NULL ORDER BY c.id LIMIT 1",
  ).first<number>('id'))!;

const reply = async (name: string) => ({
  name,
  email: uniqueEmail('someone'),
  comment: `A reply from the desk, number ${nextNumber()}, with the facts.`,
  parent: String(await approvedCommentId()),
});
const row = (text: string) =>
  env.DB.prepare('SELECT status, staff, author_name AS name, author_email AS email FROM comments WHERE body = ?')
    .bind(text)
    .first<{ status: string; staff: number; name: string; email: string }>();

beforeEach(clearPageCache);

describe('staff replies', () => {
  it('from a signed-in editor are published at once under their staff name, with a visible staff mark', async () => {
    const editor = await signedIn('editor');
    const fields = await reply('Whatever I typed');
    const response = await submitCommentForm(SAMPLE_ARTICLE_PATH, fields, { cookie: editor.cookie });
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toMatch(/#comment-\d+$/);
    expect(await row(fields.comment)).toEqual({ status: 'approved', staff: 1, name: editor.name, email: editor.email });

    const html = await (await fetchPage(SAMPLE_ARTICLE_PATH)).text();
    expect(visibleText(html)).toContain(`${editor.name} Staff`);
    expect(html).toContain(fields.comment);
    expect(html).not.toContain(editor.email);
    const api = await (await fetchPage('/api/articles/russia-eyes-korean-peninsula/comments')).json();
    expect(JSON.stringify(api)).toContain(`"authorName":"${editor.name}"`);
    expect(JSON.stringify(api)).not.toContain(editor.email);
  });

  it('cannot be faked: the staff name without the cookie, with a forged one, or after sign-out is refused', async () => {
    const editor = await signedIn('administrator');
    const refusedName = async (cookie?: string) => {
      const fields = await reply(editor.name);
      const response = await submitCommentForm(SAMPLE_ARTICLE_PATH, fields, { cookie });
      expect(response.status).toBe(422);
      expect(visibleText(await response.text())).toContain('This name belongs to a member of our staff');
      expect(await row(fields.comment)).toBeNull();
    };
    await refusedName();
    const [id] = editor.cookie.split('=')[1]!.split('.');
    await refusedName(`edgepress_staff=${id}.${'A'.repeat(43)}`);

    const signOut = await fetchPage('/admin/sign-out', {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: ORIGIN,
        Cookie: `editor_session=${editor.session}`,
      },
      body: new URLSearchParams({ csrf: await csrfTokenFor(editor.session) }),
    });
    expect(signOut.headers.get('Set-Cookie')).toMatch(/edgepress_staff=; Max-Age=0/);
    await refusedName(editor.cookie);
  });

  it('are not given to contributors: their comment is a reader’s, held and unmarked', async () => {
    const contributor = await signedIn('contributor');
    const fields = await reply('A Freelancer');
    expect((await submitCommentForm(SAMPLE_ARTICLE_PATH, fields, { cookie: contributor.cookie })).status).toBe(303);
    expect(await row(fields.comment)).toMatchObject({ status: 'pending', staff: 0, name: 'A Freelancer' });
  });
});
