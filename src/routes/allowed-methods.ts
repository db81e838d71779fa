import type { Hono } from 'hono';
import type { AppEnv } from '../app-env';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

type RouterMatch = [[unknown, { method: string }], unknown][];

/**
 * The methods some route of `app` answers at `path` (GET implying HEAD), so that a request with
 * another method gets 405 and an `Allow` header rather than 404. Middleware (method ALL) is not a route.
 */
export function allowedMethods(app: Hono<AppEnv>, path: string): string[] {
  const allowed = METHODS.filter((method) =>
    (app.router.match(method, path)[0] as unknown as RouterMatch).some(([[, route]]) => route.method !== 'ALL'),
  );
  return allowed.includes('GET') ? [...allowed, 'HEAD'] : allowed;
}
