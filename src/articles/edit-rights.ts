import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { primaryDb } from '../db/client';
import { forbidden } from '../staff/require-role';
import { hasRole } from '../staff/roles';
import { articleOwnership } from './article-queries';

/**
 * Guards the routes of one article (`:id`): editors and administrators may act on any article; a
 * contributor only on a draft they started (403 otherwise, 404 if there is no such article).
 */
export const ownDraftOrEditor: MiddlewareHandler<AppEnv> = async (c, next) => {
  const staffMember = c.var.staffMember;
  if (!hasRole(staffMember.role, 'editor')) {
    const article = await articleOwnership(primaryDb(c.env), Number(c.req.param('id')));
    if (!article) return c.notFound();
    if (article.createdBy !== staffMember.id || article.status !== 'draft') {
      return forbidden(c, 'Contributors may open and change only the drafts they started.');
    }
  }
  await next();
};
