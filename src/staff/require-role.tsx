import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import type { Role } from '../db/schema';
import { hasRole } from './roles';
import { ForbiddenPage } from './views/forbidden-page';

/** The admin's 403 page: what was refused and why, in the admin layout. */
export function forbidden(c: Context<AppEnv>, reason: string) {
  c.status(403);
  return c.render(<ForbiddenPage reason={reason} role={c.var.staffMember.role} />, { title: 'Not allowed' });
}

/**
 * Lets through only a signed-in staff member whose role is `role` or above (after requireEditor);
 * anyone else gets the 403 page. Every admin route but sign-in and sign-out names its role.
 *
 * @example
 * .get('/admin/subscribers', requireRole('administrator'), (c) => …)
 */
export function requireRole(role: Role): MiddlewareHandler<AppEnv> {
  return async function requireRoleMiddleware(c, next) {
    if (!hasRole(c.var.staffMember.role, role)) {
      return forbidden(
        c,
        `This page is for ${role === 'administrator' ? 'administrators' : 'editors and administrators'}.`,
      );
    }
    await next();
  };
}
