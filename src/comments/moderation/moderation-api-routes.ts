import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { type AppEnv, validInput } from '../../app-env';
import { primaryDb } from '../../db/client';
import { COMMENT_STATUSES } from '../../db/schema';
import { moderatorAuth } from '../../lib/api-token';
import { commentsForModeration } from '../queries';
import { MODERATION_ACTIONS, type ModerationAction, moderateComment } from './moderation';

const PER_PAGE = 100;

const badRequest = (message: string) => (c: Context<AppEnv>) => c.json({ error: message }, 400);

/**
 * The moderators' API for scripts (the admin's queue is /admin/comments): `Authorization: Bearer $MODERATOR_TOKEN`.
 * Lists comments by status (with email: moderators only) and approves, marks as spam or deletes.
 */
export const moderationApiRoutes = new Hono<AppEnv>()
  .use('/api/moderation/*', moderatorAuth())
  .get(
    '/api/moderation/comments',
    validInput(
      'query',
      z.object({
        status: z.enum(COMMENT_STATUSES).default('pending'),
        page: z.coerce.number().int().min(1).default(1),
      }),
      badRequest(`status must be one of ${COMMENT_STATUSES.join(', ')}; page a whole number from 1.`),
    ),
    async (c) => {
      const { status, page } = c.req.valid('query');
      const rows = await commentsForModeration(primaryDb(c.env), {
        status,
        limit: PER_PAGE,
        offset: (page - 1) * PER_PAGE,
      });
      return c.json({ status, page, comments: rows });
    },
  )
  .post(
    '/api/moderation/comments/:id{[0-9]+}',
    validInput(
      'json',
      z.object({ action: z.enum(Object.keys(MODERATION_ACTIONS) as [ModerationAction, ...ModerationAction[]]) }),
      badRequest(`Send {"action": "approve" | "spam" | "delete"}.`),
    ),
    async (c) => {
      const id = Number(c.req.param('id'));
      const { action } = c.req.valid('json');
      const found = await moderateComment(c.env, primaryDb(c.env), id, action);
      if (!found) return c.json({ error: `There is no comment ${id}.` }, 404);
      return c.json({ id, status: MODERATION_ACTIONS[action] });
    },
  );
