import { siteConfig } from '../config';
import type { Db } from '../db/client';
import type { NotifyMode } from '../db/schema';
import { logEvent } from '../lib/log';
import { sendMail } from '../mail/mailer';
import { renderEmailHtml } from '../newsletter/views/emails';
import { NOTIFY_CONFIRMATION_LIFETIME_MS, notifyLinkUrl } from './notify-links';
import {
  addCommentDeliveries,
  commentArticle,
  type DueSend,
  followArticle,
  releaseConfirmation,
} from './notify-queries';
import { NotifyConfirmationEmail, notifyConfirmationSubject, notifyConfirmationText } from './views/notify-emails';

/** Queues.sendBatch takes at most 100 messages. */
const QUEUE_SEND_BATCH = 100;

/**
 * Called whenever a comment becomes visible to readers (published at once, or approved by a
 * moderator): records who is to hear of it and queues each follower's next email, at the end of
 * their batch window. A failure here is logged, never the reader's or moderator's error: the
 * comment is stored, and a lost send is queued again by the article's next comment.
 */
export async function notifyFollowers(env: Env, db: Db, commentId: number, now: Date): Promise<void> {
  try {
    const due = await addCommentDeliveries(db, {
      commentId,
      now,
      batchWindowMs: siteConfig(env).comments.notifyBatchMinutes * 60_000,
    });
    for (let start = 0; start < due.length; start += QUEUE_SEND_BATCH) {
      await env.NOTIFY_QUEUE.sendBatch(
        due.slice(start, start + QUEUE_SEND_BATCH).map((send) => ({
          body: send satisfies DueSend,
          delaySeconds: Math.max(0, Math.ceil((send.sendAt - now.getTime()) / 1000)),
        })),
      );
    }
  } catch (error) {
    logEvent('error', 'notify.queue-failed', {
      commentId,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
  }
}

/**
 * A commenter ticked "Email me when someone replies": the address follows the article, and, unless
 * it has confirmed before, gets a confirmation email (handed to `defer`, the request's waitUntil).
 */
export async function followFromComment(
  env: Env,
  db: Db,
  request: {
    commentId: number;
    email: string;
    mode: NotifyMode;
    now: Date;
    requestId?: string;
  },
  defer: (task: Promise<unknown>) => void,
): Promise<void> {
  const article = await commentArticle(db, request.commentId);
  // A comment judged spam asks for nothing: no confirmation goes to the address it typed.
  if (!article || article.status === 'spam') return;
  const { followerId, confirmationDue } = await followArticle(db, { ...request, articleId: article.id });
  if (!confirmationDue) return;
  const site = siteConfig(env);
  const content = {
    site,
    headline: article.headline,
    confirmUrl: await notifyLinkUrl(env, site.url, {
      kind: 'confirm',
      followerId,
      expiresAt: request.now.getTime() + NOTIFY_CONFIRMATION_LIFETIME_MS,
    }),
  };
  defer(
    (async () =>
      sendMail(
        env,
        {
          from: { name: site.name, address: site.newsletter.from },
          to: request.email,
          subject: notifyConfirmationSubject(content),
          text: notifyConfirmationText(content),
          html: await renderEmailHtml(<NotifyConfirmationEmail {...content} />),
        },
        { purpose: 'comment-notify-confirmation', requestId: request.requestId },
      ))().catch(() => releaseConfirmation(db, followerId, request.now)),
  );
}
