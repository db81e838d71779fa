import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { type AppEnv, validInput } from '../../app-env';
import { siteConfig } from '../../config';
import { primaryDb } from '../../db/client';
import { COMMENT_STATUSES, type CommentStatus } from '../../db/schema';
import { doneMessages } from '../../layout/done-messages';
import { requireRole } from '../../staff/require-role';
import { commentsForModeration } from '../queries';
import { MODERATION_ACTIONS, type ModerationAction, moderateComment, moderateComments } from './moderation';
import { moderationEmailsOn, setModerationEmails } from './moderator-queries';
import { CommentModerationPage, ModerationPage } from './views/moderation-page';

const QUEUE_LENGTH = 200;
const ACTIONS = Object.keys(MODERATION_ACTIONS) as [ModerationAction, ...ModerationAction[]];
const comments = (n: number) => `${n} comment${n === 1 ? '' : 's'}`;
const done = doneMessages({
  approve: (n) => `${comments(n)} approved.`,
  spam: (n) => `${comments(n)} marked as spam.`,
  delete: (n) => `${comments(n)} deleted.`,
  'emails-on': 'Emails when comments are held: on.',
  'emails-off': 'Emails when comments are held: off.',
});

/** `?status=` (pending unless valid) and, after an action, what it did: `?done=approve&n=3`. */
const queueQuery = validInput('query', done.schema.extend({ status: z.enum(COMMENT_STATUSES).catch('pending') }));

const bulkActionSchema = z.object({
  action: z.enum(ACTIONS),
  ids: z.preprocess(
    (value) => [value ?? []].flat(),
    z.array(z.coerce.number().int().positive()).min(1).max(QUEUE_LENGTH),
  ),
});

async function queuePage(c: Context<AppEnv>, status: CommentStatus, message?: string) {
  const db = primaryDb(c.env);
  const comments = await commentsForModeration(db, { status, limit: QUEUE_LENGTH });
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
    const query = c.req.valid('query');
    return queuePage(c, query.status, done.message(query));
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
      return c.redirect(done.path(`/admin/comments?status=${c.req.valid('query').status}`, action, moved), 303);
    },
  )
  .post(
    '/admin/comments/notifications',
    requireRole('editor'),
    validInput('form', z.object({ emails: z.enum(['on', 'off']) }), badForm('Choose on or off.')),
    async (c) => {
      const on = c.req.valid('form').emails === 'on';
      await setModerationEmails(primaryDb(c.env), c.var.staffMember.id, on);
      return c.redirect(`${done.path('/admin/comments', on ? 'emails-on' : 'emails-off')}#moderator-emails`, 303);
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
      return c.redirect(done.path('/admin/comments?status=pending', action, 1), 303);
    },
  );
