import { siteConfig } from '../config';
import { type Db, primaryDb } from '../db/client';
import { sendMail } from '../mail/mailer';
import { MAX_SEND_ATTEMPTS, retryDelaySeconds } from '../newsletter/send';
import { renderEmailHtml } from '../newsletter/views/emails';
import { articlePath, pagePath } from '../paths';
import { notifyLinkUrl } from './notify-links';
import {
  claimDeliveries,
  claimSend,
  type DueSend,
  finishDeliveries,
  notificationContent,
  rescheduleSend,
  skipUnpublished,
} from './notify-queries';
import { commentPageOf } from './queries';
import { COMMENTS_PER_PAGE } from './threads';
import {
  type NotificationContent,
  NotificationEmail,
  notificationSubject,
  notificationText,
} from './views/notify-emails';

function dueSend(body: unknown): DueSend | undefined {
  const { followId, sendAt } = (body ?? {}) as Partial<DueSend>;
  return Number.isSafeInteger(followId) && Number.isSafeInteger(sendAt)
    ? { followId: followId!, sendAt: sendAt! }
    : undefined;
}

async function deliver(env: Env, db: Db, message: Message<unknown>): Promise<void> {
  const send = dueSend(message.body);
  const claimed = send && (await claimSend(db, send, new Date()));
  // Redelivered, outdated (another send took its place), unfollowed or malformed: nothing to do.
  if (!send || !claimed) return message.ack();
  const attempt = await claimDeliveries(db, send.followId);
  if (attempt === 0) return message.ack();
  await skipUnpublished(db, send.followId);
  const { follower, article, comments, total } = await notificationContent(db, { ...send, ...claimed });
  if (!follower || !article || comments.length === 0) {
    await finishDeliveries(db, send.followId, { status: 'skipped' });
    return message.ack();
  }

  const site = siteConfig(env);
  const path = articlePath(article, site.timeZone);
  const content: NotificationContent = {
    site,
    headline: article.headline,
    comments: await Promise.all(
      comments.map(async (comment) => {
        const page = await commentPageOf(db, {
          rootId: comment.rootId ?? comment.id,
          perPage: COMMENTS_PER_PAGE,
        });
        return { ...comment, url: `${site.url}${pagePath(path, page)}#comment-${comment.id}` };
      }),
    ),
    more: { count: total - comments.length, url: `${site.url}${path}#comments` },
    stopThreadUrl: await notifyLinkUrl(env, site.url, { kind: 'thread', followId: send.followId }),
    stopAllUrl: await notifyLinkUrl(env, site.url, { kind: 'all', followerId: claimed.followerId }),
  };
  try {
    await sendMail(
      env,
      {
        from: { name: site.name, address: site.newsletter.from },
        to: follower.email,
        subject: notificationSubject(content),
        text: notificationText(content),
        html: await renderEmailHtml(<NotificationEmail {...content} />),
        headers: {
          'List-Unsubscribe': `<${content.stopAllUrl}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        },
      },
      { purpose: 'comment-notification', attempt },
    );
  } catch (error) {
    await finishDeliveries(db, send.followId, {
      status: 'retry',
      lastError: String(error).slice(0, 500),
      maxAttempts: MAX_SEND_ATTEMPTS,
    });
    if (attempt >= MAX_SEND_ATTEMPTS) return message.ack();
    await rescheduleSend(db, send);
    return message.retry({ delaySeconds: retryDelaySeconds(attempt) });
  }
  await finishDeliveries(db, send.followId, { status: 'sent', sentAt: new Date() });
  message.ack();
}

/**
 * The notification queue's consumer: one email per message, with every reply gathered since the
 * last one. A send is claimed, then its deliveries, before anything is mailed, so a redelivered
 * message finds nothing left; a Worker that dies between claim and send leaves the deliveries
 * `sending` (never twice rather than possibly twice), as the newsletter does.
 */
export async function deliverNotificationBatch(env: Env, batch: MessageBatch<unknown>): Promise<void> {
  const db = primaryDb(env);
  await Promise.all(batch.messages.map((message) => deliver(env, db, message)));
}
