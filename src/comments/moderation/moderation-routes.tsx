import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { type AppEnv, validInput } from '../../app-env';
import { siteConfig } from '../../config';
import { primaryDb } from '../../db/client';
import { COMMENT_STATUSES, type CommentStatus } from '../../db/schema';
import { requireRole } from '../../staff/require-role';
import { commentsForModeration } from '../queries';
import { MODERATION_ACTIONS, type ModerationAction, moderateComment, moderateComments } from './moderation';
import { moderationEmailsOn, setModerationEmails } from './moderator-queries';
import { CommentModerationPage, ModerationPage } from './views/moderation-page';

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
    emails: z.enum(['on', 'off']).optional().catch(undefined),
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
  const db = primaryDb(c.env);
  const comments = await commentsForModeration(db, { status, limit: QUEUE_LENGTH, offset: 0 });
  return c.render(
    <ModerationPage
      status={status}
      comments={comments}
      message={message}
      timeZone={siteConfig(c.env).timeZone}
      emailsOn={await moderationEmailsOn(db, c.var.staffMember.id)}
    />,
    { title: `Comments: ${status}` },
  );
}

const ID = ':id{[0-9]{1,15}}';
const badForm = (message: string) => () => {
  throw new HTTPException(400, { message });
};
const actionSchema = z.object({ action: z.enum(ACTIONS) });

/** The moderation queue: comments of one status, newest first, with email and held reason; bulk approve, spam or delete. */
export const moderationRoutes = new Hono<AppEnv>()
  .get('/admin/comments', requireRole('editor'), queueQuery, (c) => {
    const { status, done, count, emails } = c.req.valid('query');
    if (emails) return queuePage(c, status, `Emails when comments are held: ${emails}.`);
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
  )
  .post(
    '/admin/comments/notifications',
    requireRole('editor'),
    validInput('form', z.object({ emails: z.enum(['on', 'off']) }), badForm('Choose on or off.')),
    async (c) => {
      const on = c.req.valid('form').emails === 'on';
      await setModerationEmails(primaryDb(c.env), c.var.staffMember.id, on);
      return c.redirect(`/admin/comments?emails=${on ? 'on' : 'off'}#moderator-emails`, 303);
    },
  )
  // A moderator email's approve and spam links open this page; only its form's POST acts.
  .get(
    `/admin/comments/${ID}`,
    requireRole('editor'),
    validInput('query', z.object({ action: z.enum(['approve', 'spam']).catch('approve') })),
    async (c) => {
      const [comment] = await commentsForModeration(primaryDb(c.env), {
        id: Number(c.req.param('id')),
        limit: 1,
        offset: 0,
      });
      if (!comment) return c.notFound();
      return c.render(
        <CommentModerationPage
          comment={comment}
          action={c.req.valid('query').action}
          timeZone={siteConfig(c.env).timeZone}
        />,
        { title: `Comment #${comment.id}` },
      );
    },
  )
  .post(
    `/admin/comments/${ID}`,
    requireRole('editor'),
    validInput('form', actionSchema, badForm('Choose approve, spam or delete.')),
    async (c) => {
      const { action } = c.req.valid('form');
      if (!(await moderateComment(c.env, primaryDb(c.env), Number(c.req.param('id')), action))) return c.notFound();
      return c.redirect(`/admin/comments?status=pending&done=${action}&count=1`, 303);
    },
  );
