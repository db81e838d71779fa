import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/lib/hash';
import { DEVICE_LINK_LIFETIME_MS, deviceLinkToken } from '../../src/staff/device-link';
import { SESSION_IDLE_MS } from '../../src/staff/sessions';
import { FAILED_SIGN_IN_RULES } from '../../src/staff/sign-in-routes';
import {
  createStaffMember,
  guardedAdminEndpoints,
  postSignIn,
  sessionCookieToken,
  signedInStaff,
} from '../support/admin-helpers';
import { fetchPage, freshAddress, ORIGIN, visibleText } from '../support/helpers';
import { watchMail } from '../support/newsletter-helpers';

const sessionRow = (token: string) =>
  env.DB.prepare('SELECT * FROM editor_sessions WHERE id = ?').bind(`${token}`).first();
const storedSessionId = (token: string) => sha256Hex(`session|${token}`);

describe('editors’ sign-in', () => {
  it('signs in with the right password: 303 to /admin and a locked-down session cookie', async () => {
    const editor = await createStaffMember();
    const response = await postSignIn(editor);
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/admin');
    const cookie = response.headers.get('Set-Cookie')!;
    expect(cookie).toMatch(/^editor_session=[A-Za-z0-9_-]{43};/);
    for (const attribute of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/admin', 'Max-Age=604800'])
      expect(cookie).toContain(attribute);

    const dashboard = await fetchPage('/admin', {
      headers: { Cookie: `editor_session=${sessionCookieToken(response)}` },
    });
    expect(dashboard.status).toBe(200);
    expect(dashboard.headers.get('Cache-Control')).toBe('private, no-store');
    expect(await dashboard.text()).toContain('Dashboard');
  });

  it('stores only a hash of the session token', async () => {
    const { token } = await signedInStaff();
    expect(await sessionRow(token)).toBeNull();
    expect(await sessionRow(await storedSessionId(token))).not.toBeNull();
  });

  it('refuses a wrong password and an unknown email alike (401, the email kept, no cookie)', async () => {
    const editor = await createStaffMember();
    for (const fields of [
      { ...editor, password: 'wrong' },
      { email: 'nobody@example.com', password: editor.password },
    ]) {
      const response = await postSignIn(fields);
      expect(response.status).toBe(401);
      expect(response.headers.get('Set-Cookie')).toBeNull();
      const html = await response.text();
      expect(html).toContain('do not match');
      expect(html).toContain(`value="${fields.email}"`);
    }
  });

  it('answers an empty form with 422, not a 500', async () => {
    expect((await postSignIn({ email: '' })).status).toBe(422);
  });

  it('is never locked out by ten wrong passwords from ten networks', async () => {
    const editor = await createStaffMember();
    const statuses = [];
    for (let i = 0; i < 10; i++)
      statuses.push((await postSignIn({ ...editor, password: 'wrong' }, freshAddress())).status);
    expect(statuses).toEqual(Array(10).fill(401));
    expect((await postSignIn(editor, freshAddress())).status).toBe(303);
  });

  it('backs off failures for one email from one network, while the editor signs in from another', async () => {
    const editor = await createStaffMember();
    const guesser = freshAddress();
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await postSignIn({ ...editor, password: 'wrong' }, guesser)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const limited = await postSignIn(editor, guesser);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(800);
    expect((await postSignIn(editor, freshAddress())).status).toBe(303);
  });

  it('slows a distributed guesser per email, but not on a browser the staff member signed in on', async () => {
    const editor = await createStaffMember();
    const own = await postSignIn(editor, freshAddress());
    const device = own.headers.getSetCookie().find((line) => line.startsWith('editor_device='))!;
    expect(device).toMatch(/HttpOnly/);
    expect(device).toMatch(/Path=\/admin\/sign-in/);
    const limit = FAILED_SIGN_IN_RULES.email[0]!.limit;
    for (let i = 0; i < limit; i++) {
      expect((await postSignIn({ ...editor, password: `guess ${i}` }, freshAddress())).status).toBe(401);
    }
    expect((await postSignIn({ ...editor, password: 'one more' }, freshAddress())).status).toBe(429);
    expect((await postSignIn(editor, freshAddress())).status).toBe(429);
    expect((await postSignIn(editor, freshAddress(), device.split(';')[0])).status).toBe(303);
  });

  it('counts concurrent guesses before checking any: of 30 at once from 30 networks, only the per-email limit is checked', async () => {
    const editor = await createStaffMember();
    const limit = FAILED_SIGN_IN_RULES.email[0]!.limit;
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => postSignIn({ ...editor, password: `guess ${i}` }, freshAddress())),
    ).then((responses) => responses.map((response) => response.status));
    expect(statuses.filter((status) => status === 401)).toHaveLength(limit);
    expect(statuses.filter((status) => status === 429)).toHaveLength(30 - limit);
  });

  it('does not count a right password as a failure', async () => {
    const editor = await createStaffMember();
    const limit = FAILED_SIGN_IN_RULES.email[0]!.limit;
    for (let i = 0; i <= limit; i++) expect((await postSignIn(editor, freshAddress())).status).toBe(303);
    expect((await postSignIn({ ...editor, password: 'wrong' }, freshAddress())).status).toBe(401);
  });

  it('cannot be locked out of a new browser by strangers: once they spend the email’s budget, the right password mails a one-time link', async () => {
    const editor = await createStaffMember();
    const mail = watchMail();
    const limit = FAILED_SIGN_IN_RULES.email[0]!.limit;
    for (let i = 0; i < limit; i++) {
      expect((await postSignIn({ ...editor, password: `guess ${i}` }, freshAddress())).status).toBe(401);
    }
    // From here a stranger learns nothing: a wrong and a right password get the same answer…
    const wrong = await postSignIn({ ...editor, password: 'still guessing' }, freshAddress());
    const right = await postSignIn(editor, freshAddress());
    expect([wrong.status, right.status]).toEqual([429, 429]);
    const [wrongText, rightText] = [visibleText(await wrong.text()), visibleText(await right.text())];
    expect(rightText).toBe(wrongText);
    expect(rightText).toContain('If your password was right, we have emailed you a link that signs this browser in.');
    expect(right.headers.getSetCookie().some((line) => line.startsWith('editor_session='))).toBe(false);
    // …and only the right one mails the staff member a link.
    const [link] = await mail.waitFor(editor.email);
    expect(link!.headers.subject).toMatch(/Sign in to .* on a new browser/);
    const url = new URL(/https?:\/\/\S+\/admin\/sign-in\/device\?token=\S+/.exec(link!.text)![0]);
    expect(mail.to(editor.email)).toHaveLength(1);

    // Opening it shows a button (a mail scanner's GET signs nobody in); pressing it signs this browser in.
    const page = await fetchPage(url.pathname + url.search);
    expect(page.status).toBe(200);
    expect(page.headers.getSetCookie().some((line) => line.startsWith('editor_session='))).toBe(false);
    const token = url.searchParams.get('token')!;
    const press = () =>
      fetchPage('/admin/sign-in/device', {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN },
        body: new URLSearchParams({ token }),
      });
    const signedIn = await press();
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('Location')).toBe('/admin');
    const session = sessionCookieToken(signedIn)!;
    expect((await fetchPage('/admin', { headers: { Cookie: `editor_session=${session}` } })).status).toBe(200);
    // Once: the sign-in it made uses it up.
    expect((await press()).status).toBe(400);
    // The browser is known now: its password works however many strangers guess.
    const device = signedIn.headers
      .getSetCookie()
      .find((line) => line.startsWith('editor_device='))!
      .split(';')[0];
    expect((await postSignIn(editor, freshAddress(), device)).status).toBe(303);
  });

  it('refuses a device link that expired, was altered, or belongs to another password', async () => {
    const editor = await createStaffMember();
    const member = (await env.DB.prepare('SELECT id, last_signed_in_at, password_hash FROM editors WHERE id = ?')
      .bind(editor.id)
      .first<{ id: number; last_signed_in_at: number | null; password_hash: string }>())!;
    const linked = {
      id: member.id,
      lastSignedInAt: member.last_signed_in_at === null ? null : new Date(member.last_signed_in_at),
      passwordHash: member.password_hash,
    };
    const press = (token: string) =>
      fetchPage('/admin/sign-in/device', {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN },
        body: new URLSearchParams({ token }),
      });
    const expired = await deviceLinkToken(env, linked, new Date(Date.now() - DEVICE_LINK_LIFETIME_MS - 1000));
    const otherPassword = await deviceLinkToken(
      env,
      { ...linked, passwordHash: `${linked.passwordHash}x` },
      new Date(),
    );
    const good = await deviceLinkToken(env, linked, new Date());
    for (const token of [
      expired,
      otherPassword,
      good.replace(/.$/, (last) => (last === 'A' ? 'B' : 'A')),
      'nonsense',
    ]) {
      const response = await press(token);
      expect(response.status, token).toBe(400);
      expect(visibleText(await response.text())).toContain('This sign-in link has expired or has been used.');
    }
    expect((await press(good)).status).toBe(303);
  });

  it('rate-limits attempts per network (10 a minute)', async () => {
    const address = freshAddress();
    const statuses = [];
    for (let i = 0; i < 11; i++)
      statuses.push((await postSignIn({ email: `guess-${i}@example.com`, password: 'x' }, address)).status);
    expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
  });
});

describe('sessions', () => {
  it('end after 12 hours without a request', async () => {
    const session = await signedInStaff();
    const id = await storedSessionId(session.token);
    await env.DB.prepare('UPDATE editor_sessions SET last_seen_at = ? WHERE id = ?')
      .bind(Date.now() - SESSION_IDLE_MS - 1000, id)
      .run();
    const response = await session.get('/admin');
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/admin/sign-in');
    expect(await sessionRow(id)).toBeNull();
  });

  it('end after 7 days however active the editor is', async () => {
    const session = await signedInStaff();
    const id = await storedSessionId(session.token);
    await env.DB.prepare('UPDATE editor_sessions SET expires_at = ? WHERE id = ?')
      .bind(Date.now() - 1, id)
      .run();
    expect((await session.get('/admin')).status).toBe(303);
  });

  it('keep an active editor signed in, recording when they were last seen', async () => {
    const session = await signedInStaff();
    const id = await storedSessionId(session.token);
    const eleven = Date.now() - 11 * 60 * 60 * 1000;
    await env.DB.prepare('UPDATE editor_sessions SET last_seen_at = ? WHERE id = ?').bind(eleven, id).run();
    expect((await session.get('/admin')).status).toBe(200);
    const row = await sessionRow(id);
    expect(row!.last_seen_at as number).toBeGreaterThan(eleven);
  });

  it('end at sign-out: the row is deleted and the cookie cleared', async () => {
    const session = await signedInStaff();
    const response = await session.post('/admin/sign-out');
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/admin/sign-in');
    expect(response.headers.get('Set-Cookie')).toMatch(/editor_session=;.*Max-Age=0/);
    expect(await sessionRow(await storedSessionId(session.token))).toBeNull();
    expect((await session.get('/admin')).status).toBe(303);
  });
});

describe('every /admin route', () => {
  const guarded = guardedAdminEndpoints();

  it('is listed (the test below would pass vacuously otherwise)', () => {
    expect(guarded.length).toBeGreaterThanOrEqual(12);
    expect(guarded.map((endpoint) => `${endpoint.method} ${endpoint.path}`)).toEqual(
      expect.arrayContaining([
        'GET /admin',
        'GET /admin/articles',
        'POST /admin/articles/1/publish',
        'GET /admin/subscribers.csv',
        'POST /admin/comments',
      ]),
    );
  });

  it.each(guarded)('$method $path refuses anyone without a session', async ({ method, path }) => {
    for (const cookie of [undefined, 'editor_session=forged-or-expired-token']) {
      const response = await fetchPage(path, {
        method,
        redirect: 'manual',
        headers: {
          ...(cookie ? { Cookie: cookie } : {}),
          ...(method === 'GET' ? {} : { Origin: ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded' }),
        },
        body: method === 'GET' ? undefined : 'action=approve&ids=1',
      });
      if (method === 'GET') {
        expect(response.status).toBe(303);
        expect(response.headers.get('Location')).toBe('/admin/sign-in');
      } else {
        expect(response.status).toBe(401);
      }
      expect(response.headers.get('Cache-Control')).toBe('private, no-store');
    }
  });
});

describe('admin forms', () => {
  it('refuse a cross-site post even with the session cookie and token (403)', async () => {
    const session = await signedInStaff();
    const response = await session.post(
      '/admin/comments',
      { action: 'approve', ids: '1' },
      { origin: 'https://evil.example' },
    );
    expect(response.status).toBe(403);
  });

  it('refuse a post without the session’s CSRF token, or with another session’s (403)', async () => {
    const session = await signedInStaff();
    const other = await signedInStaff();
    expect((await session.post('/admin/comments', { action: 'approve', ids: '1' }, { csrf: null })).status).toBe(403);
    expect((await session.post('/admin/comments', { action: 'approve', ids: '1' }, { csrf: other.csrf })).status).toBe(
      403,
    );
    expect((await session.post('/admin/sign-out', {}, { csrf: null })).status).toBe(403);
    expect(
      await env.DB.prepare('SELECT 1 FROM editor_sessions WHERE id = ?')
        .bind(await storedSessionId(session.token))
        .first(),
    ).not.toBeNull();
  });

  it('carry the token in every form of the pages', async () => {
    const session = await signedInStaff();
    const html = await (await session.get('/admin/articles/new')).text();
    const forms = html.match(/<form method="post"[\s\S]*?<\/form>/g) ?? [];
    expect(forms.length).toBeGreaterThanOrEqual(2);
    for (const form of forms) expect(form).toContain(`name="csrf" value="${session.csrf}"`);
  });
});
