import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { sessionCookieToken, signedInStaff } from '../support/admin-helpers';
import { fetchPage, ORIGIN, visibleText } from '../support/helpers';
import { watchMail } from '../support/newsletter-helpers';
import { uniqueEmail } from '../support/unique';

const PASSWORD = 'a long enough password';

/** The invitation link in the one email sent to `email`, as a path. */
async function invitationLink(mail: ReturnType<typeof watchMail>, email: string, count = 1) {
  const message = (await mail.waitFor(email, count)).at(-1);
  const url = /https?:\/\/\S+\/admin\/invitation\/[A-Za-z0-9_-]+/.exec(message!.text)![0];
  return new URL(url).pathname;
}

const accept = (path: string, fields: Record<string, string>) =>
  fetchPage(path, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN },
    body: new URLSearchParams(fields),
  });

async function invited(role = 'contributor') {
  const admin = await signedInStaff('administrator');
  const mail = watchMail();
  const email = uniqueEmail('invitee');
  const response = await admin.post('/admin/staff/invitations', { email: email.toUpperCase(), name: 'Ana', role });
  expect(response.status).toBe(303);
  return { admin, email, path: await invitationLink(mail, email) };
}

const staffRow = (email: string) =>
  env.DB.prepare('SELECT id, name, role, last_signed_in_at FROM editors WHERE email = ?').bind(email).first();

describe('invitations', () => {
  it('email a link that sets a password once and signs the new staff member in with the role given', async () => {
    const { admin, email, path } = await invited('editor');
    expect(path).toMatch(/^\/admin\/invitation\/[A-Za-z0-9_-]{43}$/);
    const pending = visibleText(await (await admin.get('/admin/staff')).text());
    expect(pending).toContain('Invitations not yet accepted');
    expect(pending).toContain(email);

    const form = await fetchPage(path);
    expect(form.status).toBe(200);
    expect(visibleText(await form.text())).toContain(`You are invited as editor, signing in as ${email}`);

    const response = await accept(path, { name: 'Ana Editor', password: PASSWORD, confirm: PASSWORD });
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/admin');
    const token = sessionCookieToken(response)!;
    const dashboard = await fetchPage('/admin', { headers: { Cookie: `editor_session=${token}` } });
    expect(dashboard.status).toBe(200);
    expect(await staffRow(email)).toMatchObject({ name: 'Ana Editor', role: 'editor' });
    expect(
      await env.DB.prepare('SELECT count(*) AS n FROM staff_invitations WHERE email = ?').bind(email).first(),
    ).toEqual({ n: 0 });
  });

  it('are single use: the link refuses a second password (404), and the first stays', async () => {
    const { email, path } = await invited();
    expect((await accept(path, { name: 'Ana', password: PASSWORD, confirm: PASSWORD })).status).toBe(303);
    const again = await accept(path, {
      name: 'Mallory',
      password: 'another long password',
      confirm: 'another long password',
    });
    expect(again.status).toBe(404);
    expect(visibleText(await again.text())).toContain('This invitation link does not work');
    expect((await fetchPage(path)).status).toBe(404);
    expect(await staffRow(email)).toMatchObject({ name: 'Ana' });
  });

  it('expire after 7 days (410, nothing created)', async () => {
    const { email, path } = await invited();
    await env.DB.prepare('UPDATE staff_invitations SET expires_at = ? WHERE email = ?')
      .bind(Date.now() - 1, email)
      .run();
    const page = await fetchPage(path);
    expect(page.status).toBe(410);
    expect(visibleText(await page.text())).toContain('This invitation has expired');
    expect((await accept(path, { name: 'Ana', password: PASSWORD, confirm: PASSWORD })).status).toBe(410);
    expect(await staffRow(email)).toBeNull();
  });

  it('refuse a tampered link, one character changed (404, nothing created)', async () => {
    const { email, path } = await invited();
    const last = path.at(-1) === 'A' ? 'B' : 'A';
    const tampered = path.slice(0, -1) + last;
    expect((await fetchPage(tampered)).status).toBe(404);
    expect((await accept(tampered, { name: 'Ana', password: PASSWORD, confirm: PASSWORD })).status).toBe(404);
    expect(await staffRow(email)).toBeNull();
  });

  it('stop working when revoked or replaced by a newer invitation', async () => {
    const { admin, email, path } = await invited();
    const mail = watchMail();
    expect((await admin.post('/admin/staff/invitations', { email, role: 'editor' })).status).toBe(303);
    const newer = await invitationLink(mail, email, 2);
    expect((await fetchPage(path)).status).toBe(404);
    expect((await fetchPage(newer)).status).toBe(200);
    const { id } = (await env.DB.prepare('SELECT id FROM staff_invitations WHERE email = ?')
      .bind(email)
      .first<{ id: string }>())!;
    expect((await admin.post(`/admin/staff/invitations/${id}/revoke`)).status).toBe(303);
    expect((await fetchPage(newer)).status).toBe(404);
  });

  it('keep what was typed on a refused form (422) and refuse an address already on the staff', async () => {
    const { path } = await invited();
    const short = await accept(path, { name: 'Ana', password: 'short', confirm: 'short' });
    expect(short.status).toBe(422);
    const html = await short.text();
    expect(html).toContain('value="Ana"');
    expect(visibleText(html)).toContain('at least 12 characters');
    const differ = await accept(path, { name: 'Ana', password: PASSWORD, confirm: `${PASSWORD}!` });
    expect(visibleText(await differ.text())).toContain('The two passwords differ');

    const admin = await signedInStaff('administrator');
    const taken = await admin.post('/admin/staff/invitations', { email: admin.email, role: 'editor' });
    expect(taken.status).toBe(422);
    expect(visibleText(await taken.text())).toContain('already on the staff');
    const bad = await admin.post('/admin/staff/invitations', { email: 'not an address', role: 'owner' });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('value="not an address"');
  });
});

describe('the staff list', () => {
  it('shows name, email, role and last sign-in of everyone', async () => {
    const admin = await signedInStaff('administrator');
    const editor = await signedInStaff('editor');
    const text = visibleText(await (await admin.get('/admin/staff')).text());
    expect(text).toContain(editor.email);
    const row = await env.DB.prepare('SELECT last_signed_in_at FROM editors WHERE id = ?')
      .bind(editor.id)
      .first<{ last_signed_in_at: number }>();
    expect(row!.last_signed_in_at).toBeGreaterThan(Date.now() - 60_000);
  });

  it('changes a role, which ends that person’s sessions at once', async () => {
    const admin = await signedInStaff('administrator');
    const editor = await signedInStaff('editor');
    expect((await editor.get('/admin/comments')).status).toBe(200);
    expect((await admin.post(`/admin/staff/${editor.id}`, { role: 'contributor', authorId: '' })).status).toBe(303);
    expect((await editor.get('/admin/comments')).status).toBe(303);
    expect(
      await env.DB.prepare('SELECT count(*) AS n FROM editor_sessions WHERE editor_id = ?').bind(editor.id).first(),
    ).toEqual({ n: 0 });
    expect(await env.DB.prepare('SELECT role FROM editors WHERE id = ?').bind(editor.id).first()).toEqual({
      role: 'contributor',
    });
  });

  it('removes a person: signed out at once, their articles stay under their author profile', async () => {
    const admin = await signedInStaff('administrator');
    const writer = await signedInStaff('contributor');
    const author = await env.DB.prepare("SELECT id FROM authors WHERE slug = 'mina-park'").first<{ id: number }>();
    const section = await env.DB.prepare("SELECT id FROM sections WHERE slug = 'security'").first<{ id: number }>();
    const created = await writer.post('/admin/articles', {
      headline: 'A Draft That Outlives Its Writer',
      body: 'Text.',
      authorId: String(author!.id),
      sectionId: String(section!.id),
    });
    const articleId = Number(/(\d+)/.exec(created.headers.get('Location')!)![1]);
    const removed = await admin.post(`/admin/staff/${writer.id}/remove`);
    expect(removed.status).toBe(303);
    expect((await writer.get('/admin/articles')).status).toBe(303);
    expect(
      await env.DB.prepare('SELECT count(*) AS n FROM editor_sessions WHERE editor_id = ?').bind(writer.id).first(),
    ).toEqual({ n: 0 });
    expect(
      await env.DB.prepare('SELECT author_id, created_by FROM articles WHERE id = ?').bind(articleId).first(),
    ).toEqual({
      author_id: author!.id,
      created_by: null,
    });
  });

  it('links a staff member to an author profile, whose drafts they see first and whose byline a new article gets', async () => {
    const admin = await signedInStaff('administrator');
    const editor = await signedInStaff('editor');
    const author = await env.DB.prepare("SELECT id FROM authors WHERE slug = 'mina-park'").first<{ id: number }>();
    expect(
      (await admin.post(`/admin/staff/${editor.id}`, { role: 'editor', authorId: String(author!.id) })).status,
    ).toBe(303);
    expect(await env.DB.prepare('SELECT author_id FROM editors WHERE id = ?').bind(editor.id).first()).toEqual({
      author_id: author!.id,
    });
  });

  it('keeps at least one administrator, and an administrator cannot remove themselves', async () => {
    const admin = await signedInStaff('administrator');
    await env.DB.prepare("UPDATE editors SET role = 'editor' WHERE role = 'administrator' AND id <> ?")
      .bind(admin.id)
      .run();
    const demote = await admin.post(`/admin/staff/${admin.id}`, { role: 'editor', authorId: '' });
    expect(demote.status).toBe(422);
    expect(visibleText(await demote.text())).toContain('at least one administrator');
    expect((await admin.post(`/admin/staff/${admin.id}/remove`)).status).toBe(422);
    expect(await env.DB.prepare('SELECT role FROM editors WHERE id = ?').bind(admin.id).first()).toEqual({
      role: 'administrator',
    });
  });
});
