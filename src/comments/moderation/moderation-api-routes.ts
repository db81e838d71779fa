import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { type AppEnv, validInput } from '../../app-env';
import { primaryDb } from '../../db/client';
import { COMMENT_STATUSES } from '../../db/schema';
import { moderatorAuth } from '../../lib/api-token';
import { placeParam, placeText } from '../../lib/pagination';
import { commentsForModeration } from '../queries';
import { MODERATION_ACTIONS, type ModerationAction, moderateComment } from './moderation';

const PER_PAGE = 100;

const badRequest = (message: string) => (c: Context<AppEnv>) => c.json({ error: message }, 400);

/**
 * The moderators' API for scripts (the admin's queue is /admin/comments): `Authorization: Bearer $MODERATOR_TOKEN`.
 * Lists comments by status (with email: moderators only), 100 a page newest first, the next page at
 * `?cursor=<nextCursor>`; and approves, marks as spam or deletes.
 */
export const moderationApiRoutes = new Hono<AppEnv>()
  .use('/api/moderation/*', moderatorAuth())
  .get(
    '/api/moderation/comments',
    validInput(
      'query',
      z.object({
        status: z.enum(COMMENT_STATUSES).default('pending'),
        cursor: placeParam.optional(),
        // Numbered pages were read with OFFSET (page 1,000 read 100,000 index entries): only the first is left.
        page: z.literal('1').optional(),
      }),
      badRequest(
        `status must be one of ${COMMENT_STATUSES.join(', ')}; cursor the nextCursor of the page before. ` +
          'page is no longer read beyond 1: follow nextCursor.',
      ),
    ),
    async (c) => {
      const { status, cursor } = c.req.valid('query');
      const rows = await commentsForModeration(primaryDb(c.env), { status, limit: PER_PAGE + 1, after: cursor });
      const comments = rows.slice(0, PER_PAGE);
      const last = comments.at(-1);
      const nextCursor =
        rows.length > PER_PAGE && last ? placeText({ at: last.createdAt.getTime(), id: last.id }) : null;
      return c.json({ status, comments, nextCursor });
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
