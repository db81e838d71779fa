import { html } from 'hono/html';
import { siteConfig } from '../config';
import { primaryDb } from '../db/client';
import { logEvent } from '../lib/log';
import { sendMailToEach } from '../mail/mailer';
import { claimNewReviewsQueries, reviewerRecipientsQuery } from './review-queries';

export const REVIEWS_PATH = '/admin/reviews';
/** How often the review email may go (CRON_JOBS in src/index.ts): the drafts submitted meanwhile are one email. */
export const REVIEW_EMAIL_SCHEDULE = '*/5 * * * *';

/**
 * The periodic job: emails every editor and administrator the drafts submitted for review since the
 * last email, if any. They are marked emailed before the sends, so an email never repeats; a refused
 * send is logged (the review list shows the draft all the same).
 */
export async function sendReviewDigest(env: Env, now: Date): Promise<{ drafts: number; sent: number } | undefined> {
  const db = primaryDb(env);
  const [listed, [total]] = await db.batch(claimNewReviewsQueries(db, now));
  if (!total?.count) return undefined;
  const recipients = await reviewerRecipientsQuery(db);
  const site = siteConfig(env);
  const link = (path: string) => site.url + path;
  const more = total.count - listed.length;
  const items = listed.map((draft) => ({
    ...draft,
    by: draft.submittedByName ? `, submitted by ${draft.submittedByName}` : '',
    preview: link(`/admin/articles/${draft.id}/preview`),
  }));
  const subject =
    total.count === 1
      ? `A draft is waiting for review on ${site.name}`
      : `${total.count} drafts are waiting for review on ${site.name}`;
  const text = [
    ...items.flatMap((item) => [
      `“${item.headline}” by ${item.authorName} (${item.sectionName}${item.by})`,
      ...(item.standfirst ? [item.standfirst] : []),
      `Read it: ${item.preview}`,
      '',
    ]),
    ...(more > 0 ? [`And ${more} more.`, ''] : []),
    `Publish or send back: ${link(REVIEWS_PATH)}`,
  ].join('\n');
  const body = String(
    await html`${items.map(
      (item) =>
        html`<p><a href="${item.preview}"><b>${item.headline}</b></a> by ${item.authorName} (${item.sectionName}${item.by})</p>
${item.standfirst ? html`<p>${item.standfirst}</p>` : ''}`,
    )}${more > 0 ? html`<p>And ${more} more.</p>` : ''}
<p><a href="${link(REVIEWS_PATH)}">Publish or send back</a></p>`,
  );
  const sent = await sendMailToEach(
    env,
    recipients.map((recipient) => recipient.email),
    { from: { name: site.name, address: site.newsletter.from }, subject, text, html: body },
    { purpose: 'review-digest' },
  );
  logEvent('info', 'reviews.emailed', { drafts: total.count, recipients: recipients.length, sent });
  return { drafts: total.count, sent };
}
