import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { type AppEnv, validInput } from '../app-env';
import { MODERATION_ACTIONS, type ModerationAction, moderateComments } from '../comments/moderation';
import { commentsForModeration } from '../comments/queries';
import { siteConfig } from '../config';
import { primaryDb } from '../db/client';
import { COMMENT_STATUSES, type CommentStatus } from '../db/schema';
import { requireRole } from '../staff/require-role';
import { ModerationPage } from './views/moderation-page';

const QUEUE_LENGTH = 200;
const ACTIONS = Object.keys(MODERATION_ACTIONS) as [ModerationAction, ...ModerationAction[]];
const DONE = { approve: 'approved', spam: 'marked as spam', delete: 'deleted' } as const satisfies Record<
  ModerationAction,
  string
>;

/** `?status=` (pending unless valid) and, after a bulk action, what it did: `?done=approve&count=3`. */
const queueQuery = validInput(
  'query',
  z.object({
    status: z.enum(COMMENT_STATUSES).catch('pending'),
    done: z.enum(ACTIONS).optional().catch(undefined),
    count: z.coerce.number().int().min(0).max(QUEUE_LENGTH).catch(0),
  }),
);

const bulkActionSchema = z.object({
  action: z.enum(ACTIONS),
  ids: z.preprocess(
    (value) => [value ?? []].flat(),
    z.array(z.coerce.number().int().positive()).min(1).max(QUEUE_LENGTH),
  ),
});

async function queuePage(c: Context<AppEnv>, status: CommentStatus, message?: string) {
  const comments = await commentsForModeration(primaryDb(c.env), { status, limit: QUEUE_LENGTH, offset: 0 });
  return c.render(
    <ModerationPage status={status} comments={comments} message={message} timeZone={siteConfig(c.env).timeZone} />,
    {
      title: `Comments: ${status}`,
    },
  );
}

/** The moderation queue: comments of one status, newest first, with email and held reason; bulk approve, spam or delete. */
export const moderationRoutes = new Hono<AppEnv>()
  .get('/admin/comments', requireRole('editor'), queueQuery, (c) => {
    const { status, done, count } = c.req.valid('query');
    return queuePage(c, status, done && `${count} comment${count === 1 ? '' : 's'} ${DONE[done]}.`);
  })
  .post(
    '/admin/comments',
    requireRole('editor'),
    queueQuery,
    validInput('form', bulkActionSchema, (c) => {
      c.status(422);
      return queuePage(
        c,
        z.enum(COMMENT_STATUSES).catch('pending').parse(c.req.query('status')),
        'Tick at least one comment, then choose approve, spam or delete.',
      );
    }),
    async (c) => {
      const { action, ids } = c.req.valid('form');
      const moved = await moderateComments(c.env, primaryDb(c.env), ids, action);
      return c.redirect(`/admin/comments?status=${c.req.valid('query').status}&done=${action}&count=${moved}`, 303);
    },
  );
