import { html } from 'hono/html';
import { siteConfig } from '../../config';
import { primaryDb } from '../../db/client';
import { logEvent } from '../../lib/log';
import { sendMailToEach } from '../../mail/mailer';
import { articlePath } from '../../paths';
import { heldSinceQueries, moderatorRecipientsQuery } from './moderator-queries';

/** The page a moderator email's links open: the comment, and the buttons that post the action. */
export const moderationLinkPath = (commentId: number, action: 'approve' | 'spam') =>
  `/admin/comments/${commentId}?action=${action}`;
export const MODERATOR_EMAILS_SETTING_PATH = '/admin/comments#moderator-emails';

const excerpt = (text: string, length = 300) => (text.length > length ? `${text.slice(0, length).trimEnd()}…` : text);

/**
 * Emails every moderator who wants it the comments held since `afterId` (all still waiting), and
 * returns the highest id it covered, or undefined when there was nothing to tell. A refused send is
 * logged and not retried (the others still go, and the queue lists everything anyway).
 */
export async function sendModeratorDigest(
  env: Env,
  afterId: number,
  now: Date,
): Promise<{ coveredUpTo: number; sent: number } | undefined> {
  const db = primaryDb(env);
  const [listed, [total], recipients] = await db.batch([
    ...heldSinceQueries(db, afterId),
    moderatorRecipientsQuery(db),
  ]);
  if (!total?.lastId) return undefined;
  const site = siteConfig(env);
  const link = (path: string) => site.url + path;
  const more = total.count - listed.length;
  const minutes = site.moderatorEmails.intervalMinutes;
  const everyInterval = minutes === 1 ? 'once a minute' : `once every ${minutes} minutes`;
  const items = listed.map((comment) => ({
    ...comment,
    body: excerpt(comment.body),
    articleUrl: link(
      articlePath({ slug: comment.articleSlug, publishedAt: comment.articlePublishedAt }, site.timeZone),
    ),
    approve: link(moderationLinkPath(comment.id, 'approve')),
    spam: link(moderationLinkPath(comment.id, 'spam')),
  }));
  const subject =
    total.count === 1
      ? `A comment is waiting for moderation on ${site.name}`
      : `${total.count} comments are waiting for moderation on ${site.name}`;
  const text = [
    ...items.flatMap((item) => [
      `${item.authorName} on “${item.articleHeadline}” (${item.articleUrl}):`,
      item.body,
      `Held: ${item.heldReason ?? 'moderation'}`,
      `Approve: ${item.approve}`,
      `Spam: ${item.spam}`,
      '',
    ]),
    ...(more > 0 ? [`And ${more} more in the queue: ${link('/admin/comments')}`, ''] : []),
    `You get these at most ${everyInterval}. Turn them off: ${link(MODERATOR_EMAILS_SETTING_PATH)}`,
  ].join('\n');
  const body = String(
    await html`${items.map(
      (item) =>
        html`<p><b>${item.authorName}</b> on <a href="${item.articleUrl}">${item.articleHeadline}</a>:</p>
<blockquote>${item.body}</blockquote>
<p>Held: ${item.heldReason ?? 'moderation'}<br><a href="${item.approve}">Approve</a> · <a href="${item.spam}">Spam</a></p>`,
    )}${more > 0 ? html`<p>And ${more} more in <a href="${link('/admin/comments')}">the queue</a>.</p>` : ''}
<p>You get these at most ${everyInterval}. <a href="${link(MODERATOR_EMAILS_SETTING_PATH)}">Turn them off</a>.</p>`,
  );
  // A refused send is not retried: the next email covers only newer comments, and the queue shows these.
  const sent = await sendMailToEach(
    env,
    recipients.map((recipient) => recipient.email),
    { from: { name: site.name, address: site.newsletter.from }, subject, text, html: body },
    { purpose: 'moderator-digest' },
  );
  logEvent('info', 'moderators.emailed', {
    comments: total.count,
    recipients: recipients.length,
    sent,
    at: now.getTime(),
  });
  return { coveredUpTo: total.lastId, sent };
}
