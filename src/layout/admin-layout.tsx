import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { jsxRenderer, useRequestContext } from 'hono/jsx-renderer';
import type { AppEnv } from '../app-env';
import { siteConfig } from '../config';
import type { PageProps } from './layout';

/** The hidden field with the session's CSRF token that every admin form must carry. */
export function CsrfField() {
  const c = useRequestContext<AppEnv>();
  return <input type="hidden" name="csrf" value={c.var.csrfToken} />;
}

/** Who is signed in, and the admin's sections they may open (the admin shell decides which). */
export interface AdminAccount {
  name: string;
  navigation: { href: string; label: string }[];
}

/** The editors' pages: their own header and navigation, nothing of the public site's, never indexed. */
export const adminRenderer = (account: (c: Context<AppEnv>) => AdminAccount | undefined) =>
  jsxRenderer(({ children, title }: PageProps & { children?: Child }, c) => {
    const site = siteConfig(c.env);
    // Undefined on the sign-in page, which is rendered before anyone is signed in.
    const signedIn = account(c);
    return (
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex, nofollow" />
          <title>{`${title ?? 'Admin'} | ${site.name} admin`}</title>
          <meta name="color-scheme" content="light dark" />
          <link rel="stylesheet" href="/styles.css" />
          <link rel="stylesheet" href="/admin.css" />
          <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        </head>
        <body class="admin">
          <header class="site-header">
            <div class="wrap admin-header">
              <a class="site-name" href="/admin">
                {site.name} <span class="admin-badge">admin</span>
              </a>
              {signedIn && (
                <form method="post" action="/admin/sign-out" class="admin-sign-out">
                  <CsrfField />
                  <span>{signedIn.name}</span>{' '}
                  <button type="submit" class="secondary">
                    Sign out
                  </button>
                </form>
              )}
            </div>
            {signedIn && (
              <nav class="site-nav" aria-label="Admin">
                <ul class="wrap">
                  {signedIn.navigation.map(({ href, label }) => (
                    <li>
                      <a href={href}>{label}</a>
                    </li>
                  ))}
                  <li>
                    <a href="/">View site</a>
                  </li>
                </ul>
              </nav>
            )}
          </header>
          <main id="main" class="wrap admin-main">
            {children}
          </main>
        </body>
      </html>
    );
  });

/** A one-line message at the top of a page: what just happened, or why the form came back. */
export function AdminMessage({ text, kind = 'status' }: { text?: string; kind?: 'status' | 'alert' }) {
  if (!text) return null;
  return (
    <p class={kind === 'alert' ? 'form-message' : 'comment-notice'} role={kind}>
      {text}
    </p>
  );
}
