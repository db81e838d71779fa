import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { ADMIN_PUBLIC_PATHS, adminRoutes } from '../../src/admin/admin-routes';
import type { Role } from '../../src/db/schema';
import { hashPassword } from '../../src/lib/password';
import { csrfTokenFor } from '../../src/staff/sessions';
import { fetchPage, freshAddress, ORIGIN } from './helpers';
import { nextNumber } from './unique';

/** A staff member in D1, as `npm run staff:add` makes one (an administrator unless `role` says otherwise). */
export async function createStaffMember(password = 'correct horse battery staple', role: Role = 'administrator') {
  const n = nextNumber();
  const email = `staff-${n}-${Date.now()}@example.com`;
  const row = await env.DB.prepare(
    'INSERT INTO editors (email, name, password_hash, role) VALUES (?, ?, ?, ?) RETURNING id',
  )
    .bind(email, `Staff Member ${n}`, await hashPassword(password), role)
    .first<{ id: number }>();
  return { email, password, id: row!.id };
}

export function postSignIn(
  { email = '', password }: { email?: string; password?: string },
  address = freshAddress(),
  cookie = '',
) {
  const fields = new URLSearchParams({ email });
  if (password !== undefined) fields.set('password', password);
  return fetchPage('/admin/sign-in', {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: ORIGIN,
      'CF-Connecting-IP': address,
      ...(cookie ? { Cookie: cookie } : {}),
    },
    body: fields,
  });
}

/** The session token a sign-in response set in its cookie. */
export function sessionCookieToken(response: Response): string | undefined {
  return /editor_session=([^;]+)/.exec(response.headers.get('Set-Cookie') ?? '')?.[1];
}

export interface AdminSession {
  /** The staff member's row id. */
  id: number;
  email: string;
  token: string;
  csrf: string;
  /** A request as the signed-in editor's browser would send it (cookie, same-origin Origin on posts). */
  get: (path: string) => Promise<Response>;
  /** A GET from the same browser on the public site, where only the staff-commenter cookie goes. */
  browse: (path: string, headers?: Record<string, string>) => Promise<Response>;
  post: (
    path: string,
    fields?: Record<string, string | string[]>,
    options?: { csrf?: string | null; origin?: string },
  ) => Promise<Response>;
}

/**
 * A new staff member (an administrator unless `role` says otherwise), signed in through the sign-in form;
 * their requests go to `site` (by default the Worker as the suite configures it).
 */
export async function signedInStaff(role: Role = 'administrator', site = fetchPage): Promise<AdminSession> {
  const editor = await createStaffMember(undefined, role);
  const signIn = await postSignIn({ email: editor.email, password: editor.password });
  const token = sessionCookieToken(signIn)!;
  const staffCookie = /edgepress_staff=[^;]+/.exec(signIn.headers.get('Set-Cookie') ?? '')![0];
  const csrf = await csrfTokenFor(token);
  const cookie = `editor_session=${token}`;
  return {
    id: editor.id,
    email: editor.email,
    token,
    csrf,
    get: (path) => site(path, { redirect: 'manual', headers: { Cookie: cookie } }),
    browse: (path, headers = {}) => site(path, { redirect: 'manual', headers: { ...headers, Cookie: staffCookie } }),
    post: (path, fields = {}, options = {}) => {
      const body = new URLSearchParams();
      for (const [name, value] of Object.entries(fields)) for (const each of [value].flat()) body.append(name, each);
      if (options.csrf !== null) body.set('csrf', options.csrf ?? csrf);
      return site(path, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Origin: options.origin ?? ORIGIN,
          Cookie: cookie,
        },
        body,
      });
    },
  };
}

/** Every route the admin router declares (middleware excluded), with a sample value for each parameter. */
export function adminEndpoints() {
  const endpoints = adminRoutes.routes
    .filter((route) => route.method !== 'ALL')
    .map((route) => ({ method: route.method, path: route.path.replace(/:[a-z]+(\{(?:[^{}]|\{[^}]*\})*\})?/gi, '1') }));
  return [...new Map(endpoints.map((endpoint) => [`${endpoint.method} ${endpoint.path}`, endpoint])).values()];
}

/** The routes only a signed-in staff member may use: all but the public ones (sign-in, device links) and the invitation links. */
export const guardedAdminEndpoints = () =>
  adminEndpoints().filter(
    ({ path }) =>
      !ADMIN_PUBLIC_PATHS.some((open) => (typeof open === 'string' ? open === path : open.test(path))) &&
      !path.startsWith('/admin/invitation/'),
  );

/** Presses Publish on the article's page, as an editor does: with the revision that page shows, and `publishAt` (empty: now). */
export async function publishFromPage(session: AdminSession, id: number | string, publishAt = ''): Promise<Response> {
  const html = await (await session.get(`/admin/articles/${id}`)).text();
  const form = /<form method="post" action="\/admin\/articles\/\d+\/publish">([\s\S]*?)<\/form>/.exec(html)?.[1] ?? '';
  const revision = /name="revision" value="(\d+)"/.exec(form)?.[1];
  if (revision === undefined) throw new Error(`no publish form with a revision on /admin/articles/${id}`);
  return session.post(`/admin/articles/${id}/publish`, { publishAt, revision });
}

/** The ids the article form takes: the sample author Mina Park, the Security and Economy sections. */
export const articleFormIds = async () => {
  const author = await env.DB.prepare("SELECT id FROM authors WHERE slug = 'mina-park'").first<{ id: number }>();
  const security = await env.DB.prepare("SELECT id FROM sections WHERE slug = 'security'").first<{ id: number }>();
  const economy = await env.DB.prepare("SELECT id FROM sections WHERE slug = 'economy'").first<{ id: number }>();
  return { authorId: String(author!.id), security: String(security!.id), economy: String(economy!.id) };
};

/** The editor's form as a browser sends it; for a stored article (`id`), with the revision the form was loaded at. */
export async function articleFields(overrides: Record<string, string> = {}, id?: number) {
  const { authorId, security } = await articleFormIds();
  const n = nextNumber();
  const loaded =
    id === undefined
      ? undefined
      : await env.DB.prepare('SELECT revision FROM articles WHERE id = ?').bind(id).first<{ revision: number }>();
  return {
    ...(loaded ? { revision: String(loaded.revision) } : {}),
    headline: `Shipping Lanes Under Watch ${n}`,
    slug: '',
    standfirst: 'Navies gather in the strait.',
    body: 'The **first** paragraph.\n\nThe second, with [a link](https://example.com).',
    heroImageUrl: '',
    heroImageAlt: '',
    heroImageCredit: '',
    authorId,
    sectionId: security,
    tags: 'Shipping, Strait of Malacca',
    ...overrides,
  };
}

/** A new draft written through the article form; its id. */
export async function createArticle(session: AdminSession, overrides: Record<string, string> = {}) {
  const response = await session.post('/admin/articles', await articleFields(overrides));
  expect(response.status).toBe(303);
  return Number(/\/admin\/articles\/(\d+)/.exec(response.headers.get('Location')!)![1]);
}
