import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../app-env';

/** A page for this reader alone (their form, their data, their link): never stored by any cache. */
export function personalPage(c: Context<AppEnv>, title: string, content: Child, status: ContentfulStatusCode = 200) {
  c.header('Cache-Control', 'private, no-store');
  c.status(status);
  return c.render(content, { title });
}
