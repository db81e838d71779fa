import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/db/schema';
import {
  type AdminSession,
  createStaffMember,
  guardedAdminEndpoints,
  publishFromPage,
  signedInStaff,
} from '../support/admin-helpers';
import { visibleText } from '../support/helpers';

/**
 * Who may use each admin route, written down here independently of the code: `own` is a contributor's
 * own draft (article 1 is the seed's, started by nobody on the staff), `anyone` any signed-in staff member.
 * A route missing from this table fails the first test.
 */
const ACCESS: Record<string, Role | 'own' | 'anyone'> = {
  'POST /admin/sign-out': 'anyone',
  'GET /admin': 'anyone',
  'GET /admin/articles': 'contributor',
  'GET /admin/articles/new': 'contributor',
  'POST /admin/articles': 'contributor',
  'GET /admin/articles/1': 'own',
  'POST /admin/articles/1': 'own',
  'GET /admin/articles/1/preview': 'own',
  'POST /admin/articles/1/publish': 'editor',
  'POST /admin/articles/1/unpublish': 'editor',
  'POST /admin/articles/1/comments': 'editor',
  'GET /admin/articles/1/delete': 'own',
  'POST /admin/articles/1/delete': 'own',
  'GET /admin/articles/1/revisions': 'editor',
  'GET /admin/articles/1/revisions/1': 'editor',
  'POST /admin/articles/1/revisions/1/restore': 'editor',
  'POST /admin/articles/1/review': 'own',
  'POST /admin/articles/1/review/withdraw': 'own',
  'POST /admin/articles/1/review/return': 'editor',
  'GET /admin/reviews': 'editor',
  'GET /admin/media': 'contributor',
  'POST /admin/media': 'contributor',
  'POST /admin/media/1/delete': 'editor',
  'GET /admin/comments': 'editor',
  'POST /admin/comments': 'editor',
  'GET /admin/fediverse': 'editor',
  'POST /admin/comments/notifications': 'editor',
  'GET /admin/comments/1': 'editor',
  'POST /admin/comments/1': 'editor',
  'GET /admin/comments/blocks': 'editor',
  'POST /admin/comments/blocks': 'editor',
  'POST /admin/comments/blocks/1/lift': 'editor',
  'GET /admin/newsletter/issues': 'editor',
  'POST /admin/newsletter/issues': 'editor',
  'GET /admin/newsletter/issues/1': 'editor',
  'POST /admin/newsletter/issues/1': 'editor',
  'GET /admin/newsletter/issues/1/preview': 'editor',
  'GET /admin/newsletter/issues/1/preview.txt': 'editor',
  'POST /admin/newsletter/issues/1/test': 'editor',
  'POST /admin/newsletter/issues/1/send': 'editor',
  'POST /admin/newsletter/issues/1/schedule': 'editor',
  'POST /admin/newsletter/issues/1/cancel': 'editor',
  'POST /admin/newsletter/issues/1/reopen': 'editor',
  'GET /admin/subscribers': 'administrator',
  'GET /admin/subscribers.csv': 'administrator',
  'POST /admin/subscribers/1/erase': 'administrator',
  'GET /admin/tiers': 'administrator',
  'POST /admin/tiers': 'administrator',
  'POST /admin/tiers/1': 'administrator',
  'GET /admin/members': 'editor',
  'GET /admin/members/1': 'editor',
  'POST /admin/members/1/complimentary': 'editor',
  'POST /admin/members/1/complimentary/end': 'editor',
  'GET /admin/staff': 'administrator',
  'POST /admin/staff/invitations': 'administrator',
  'POST /admin/staff/invitations/1/revoke': 'administrator',
  'POST /admin/staff/1': 'administrator',
  'POST /admin/staff/1/remove': 'administrator',
  'GET /admin/pages': 'editor',
  'GET /admin/pages/new': 'editor',
  'GET /admin/pages/1': 'editor',
  'POST /admin/pages': 'editor',
  'POST /admin/pages/1': 'editor',
  'POST /admin/pages/1/delete': 'editor',
  'POST /admin/pages/1/move': 'editor',
  'GET /admin/sections': 'administrator',
  'POST /admin/sections': 'administrator',
  'POST /admin/sections/1': 'administrator',
  'POST /admin/sections/1/move': 'administrator',
  'POST /admin/sections/1/merge': 'administrator',
  'POST /admin/sections/1/delete': 'administrator',
  'GET /admin/authors': 'administrator',
  'POST /admin/authors': 'administrator',
  'POST /admin/authors/1': 'administrator',
  'POST /admin/authors/1/merge': 'administrator',
  'POST /admin/authors/1/delete': 'administrator',
};

const ROLES_IN_ORDER: Role[] = ['contributor', 'editor', 'administrator'];
const allowed = (rule: (typeof ACCESS)[string], role: Role) =>
  rule === 'anyone' ||
  (rule === 'own' ? role !== 'contributor' : ROLES_IN_ORDER.indexOf(role) >= ROLES_IN_ORDER.indexOf(rule));

const guarded = guardedAdminEndpoints();

describe('roles on every admin route', () => {
  const sessions = {} as Record<Role, AdminSession>;
  beforeAll(async () => {
    for (const role of ROLES_IN_ORDER) sessions[role] = await signedInStaff(role);
  });

  it('every route has a rule in this test, and every rule a route', () => {
    expect(guarded.map(({ method, path }) => `${method} ${path}`).sort()).toEqual(Object.keys(ACCESS).sort());
  });

  it.each(guarded)(
    '$method $path: only the roles allowed get past, the others a 403 page',
    async ({ method, path }) => {
      const rule = ACCESS[`${method} ${path}`]!;
      for (const role of ROLES_IN_ORDER) {
        // Signing out ends the session, so it gets one of its own.
        const session = path === '/admin/sign-out' ? await signedInStaff(role) : sessions[role];
        // Deleting gets an article of its own (not the contributor's), so the other routes keep article 1;
        // removing a staff member, a person of its own (staff member 1 is this walk's contributor).
        const target =
          path === '/admin/staff/1/remove'
            ? `/admin/staff/${(await createStaffMember(undefined, 'contributor')).id}/remove`
            : method === 'POST' && path.startsWith('/admin/articles/') && path.endsWith('/delete')
              ? path.replace('/1/', `/${await writeDraft(sessions.administrator, `Doomed ${role}`)}/`)
              : path;
        const response =
          method === 'GET' ? await session.get(target) : await session.post(target, { action: 'approve', ids: '1' });
        expect(response.headers.get('Cache-Control'), `${role} ${method} ${path}`).toBe('private, no-store');
        if (allowed(rule, role)) {
          expect(response.status, `${role} ${method} ${path}`).not.toBe(403);
          if (rule !== 'anyone')
            expect(response.headers.get('Location') ?? '', `${role} ${path}`).not.toBe('/admin/sign-in');
        } else {
          expect(response.status, `${role} ${method} ${path}`).toBe(403);
          const text = visibleText(await response.text());
          expect(text).toContain('Not allowed');
          expect(text).toContain(`You are signed in as ${role}`);
        }
      }
    },
  );
});

const sampleIds = async () => {
  const row = await env.DB.prepare(
    "SELECT (SELECT id FROM authors WHERE slug = 'mina-park') AS author, (SELECT id FROM sections WHERE slug = 'security') AS section",
  ).first<{ author: number; section: number }>();
  return { authorId: String(row!.author), sectionId: String(row!.section) };
};

async function writeDraft(session: AdminSession, headline: string) {
  const response = await session.post('/admin/articles', {
    headline,
    body: 'A first paragraph.',
    ...(await sampleIds()),
  });
  expect(response.status).toBe(303);
  return Number(/\/admin\/articles\/(\d+)/.exec(response.headers.get('Location')!)![1]);
}

describe('contributors', () => {
  it('open, change and preview their own drafts, see only their own articles, and have no publish button', async () => {
    const writer = await signedInStaff('contributor');
    const other = await signedInStaff('contributor');
    const id = await writeDraft(writer, 'Fishing Rights in the Gulf');
    const othersId = await writeDraft(other, 'Someone Else’s Draft');

    const page = await writer.get(`/admin/articles/${id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toContain(`/admin/articles/${id}/publish`);
    expect((await writer.get(`/admin/articles/${id}/preview`)).status).toBe(200);
    const saved = await writer.post(`/admin/articles/${id}`, {
      revision: '1',
      headline: 'Fishing Rights in the Gulf, Revised',
      body: 'A better paragraph.',
      ...(await sampleIds()),
    });
    expect(saved.status).toBe(303);

    expect((await writer.get(`/admin/articles/${othersId}`)).status).toBe(403);
    expect((await writer.post(`/admin/articles/${othersId}/publish`)).status).toBe(403);
    const list = visibleText(await (await writer.get('/admin/articles')).text());
    expect(list).toContain('Fishing Rights in the Gulf, Revised');
    expect(list).not.toContain('Someone Else’s Draft');
    expect(list).not.toContain('Russia Eyes');
    const stored = await env.DB.prepare('SELECT status, created_by FROM articles WHERE id = ?').bind(id).first();
    expect(stored).toEqual({ status: 'draft', created_by: writer.id });
  });

  it('cannot open their article once an editor has published it', async () => {
    const writer = await signedInStaff('contributor');
    const editor = await signedInStaff('editor');
    const id = await writeDraft(writer, 'Ports and Power');
    expect((await publishFromPage(editor, id, '')).status).toBe(303);
    expect((await writer.get(`/admin/articles/${id}`)).status).toBe(403);
    const list = await (await writer.get('/admin/articles')).text();
    expect(list).toContain('Ports and Power');
    expect(list).not.toContain(`href="/admin/articles/${id}"`);
  });

  it('land on their articles, not the dashboard, and see only the admin sections they may open', async () => {
    const writer = await signedInStaff('contributor');
    const home = await writer.get('/admin');
    expect(home.status).toBe(303);
    expect(home.headers.get('Location')).toBe('/admin/articles');
    const navigation = /<nav class="site-nav"[\s\S]*?<\/nav>/.exec(
      await (await writer.get('/admin/articles')).text(),
    )![0];
    expect(navigation).toContain('/admin/articles');
    expect(navigation).not.toContain('/admin/comments');
    expect(navigation).not.toContain('/admin/subscribers');
  });
});

describe('editors', () => {
  it('see their own drafts first in the article list', async () => {
    const editor = await signedInStaff('editor');
    const id = await writeDraft(editor, 'My Own Draft First');
    await writeDraft(await signedInStaff('editor'), 'A Colleague’s Later Draft');
    const list = await (await editor.get('/admin/articles')).text();
    const firstRow = /<tbody>\s*<tr>([\s\S]*?)<\/tr>/.exec(list)![1]!;
    expect(firstRow).toContain(`/admin/articles/${id}`);
  });

  it('linked to an author profile, see the drafts under their byline first, whoever started them', async () => {
    const linked = await signedInStaff('editor');
    const author = await env.DB.prepare(
      "INSERT INTO authors (slug, name) VALUES ('byline-first', 'Byline First') RETURNING id",
    ).first<{ id: number }>();
    await env.DB.prepare('UPDATE editors SET author_id = ? WHERE id = ?').bind(author!.id, linked.id).run();
    const response = await (await signedInStaff('editor')).post('/admin/articles', {
      headline: 'Written for Byline First',
      body: 'A first paragraph.',
      authorId: String(author!.id),
      sectionId: (await sampleIds()).sectionId,
    });
    const id = Number(/\/admin\/articles\/(\d+)/.exec(response.headers.get('Location')!)![1]);
    await writeDraft(await signedInStaff('editor'), 'A Colleague’s Later Draft, Unlinked');
    const firstRow = /<tbody>\s*<tr>([\s\S]*?)<\/tr>/.exec(await (await linked.get('/admin/articles')).text())![1]!;
    expect(firstRow).toContain(`/admin/articles/${id}`);
  });
});

describe('the roles migration', () => {
  it('makes every existing editor an administrator; later ones are contributors unless told otherwise', async () => {
    const db = env.MIGRATION_DB;
    const index = env.TEST_MIGRATIONS.findIndex((migration) => migration.name.includes('staff_roles'));
    expect(index).toBeGreaterThan(0);
    for (const migration of env.TEST_MIGRATIONS.slice(0, index))
      await db.batch(migration.queries.map((query) => db.prepare(query)));
    await db.prepare("INSERT INTO editors (email, password_hash) VALUES ('first@example.com', 'x')").run();
    for (const migration of env.TEST_MIGRATIONS.slice(index))
      await db.batch(migration.queries.map((query) => db.prepare(query)));
    await db.prepare("INSERT INTO editors (email, password_hash) VALUES ('later@example.com', 'x')").run();
    const { results } = await db.prepare('SELECT email, role FROM editors ORDER BY id').all();
    expect(results).toEqual([
      { email: 'first@example.com', role: 'administrator' },
      { email: 'later@example.com', role: 'contributor' },
    ]);
  });
});
