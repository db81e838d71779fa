import { env } from 'cloudflare:workers';
import { csrfTokenFor } from '../../src/admin/sessions';
import { hashPassword } from '../../src/lib/password';
import { fetchPage, freshAddress, ORIGIN } from './helpers';

let editorCounter = 0;

/** An editor in D1, as `npm run editor:add` makes one. */
export async function createEditor(password = 'correct horse battery staple') {
  const email = `editor-${++editorCounter}-${Date.now()}@example.com`;
  await env.DB.prepare('INSERT INTO editors (email, name, password_hash) VALUES (?, ?, ?)')
    .bind(email, `Editor ${editorCounter}`, await hashPassword(password))
    .run();
  return { email, password };
}

export function postSignIn(fields: Record<string, string>, address = freshAddress(), cookie = '') {
  return fetchPage('/admin/sign-in', {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: ORIGIN,
      'CF-Connecting-IP': address,
      ...(cookie ? { Cookie: cookie } : {}),
    },
    body: new URLSearchParams(fields),
  });
}

/** The session token a sign-in response set in its cookie. */
export function sessionCookieToken(response: Response): string | undefined {
  return /editor_session=([^;]+)/.exec(response.headers.get('Set-Cookie') ?? '')?.[1];
}

export interface AdminSession {
  token: string;
  csrf: string;
  /** A request as the signed-in editor's browser would send it (cookie, same-origin Origin on posts). */
  get: (path: string) => Promise<Response>;
  post: (
    path: string,
    fields?: Record<string, string | string[]>,
    options?: { csrf?: string | null; origin?: string },
  ) => Promise<Response>;
}

/** A new editor, signed in through the sign-in form. */
export async function signedInEditor(): Promise<AdminSession> {
  const editor = await createEditor();
  const token = sessionCookieToken(await postSignIn(editor))!;
  const csrf = await csrfTokenFor(token);
  const cookie = `editor_session=${token}`;
  return {
    token,
    csrf,
    get: (path) => fetchPage(path, { redirect: 'manual', headers: { Cookie: cookie } }),
    post: (path, fields = {}, options = {}) => {
      const body = new URLSearchParams();
      for (const [name, value] of Object.entries(fields)) for (const each of [value].flat()) body.append(name, each);
      if (options.csrf !== null) body.set('csrf', options.csrf ?? csrf);
      return fetchPage(path, {
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
