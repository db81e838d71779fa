import { Cron } from 'croner';
import { and, gt, inArray, lte } from 'drizzle-orm';
import { type SiteConfig, siteConfig } from '../config';
import { publishedArticlesQuery } from '../db/articles';
import type { Db } from '../db/client';
import { articles, type IssueSnapshot, type NewsletterIssue } from '../db/schema';
import { formatDate, isoWeek } from '../lib/dates';
import { mediaShownBy, publishMedia } from '../media/queries';
import { requestPurge } from '../page-cache/purge-queue';
import {
  absoluteUrl,
  articlePath,
  NEWSLETTER_FEED_PATH,
  NEWSLETTER_PATH,
  newsletterIssuePath,
  PAGES_SITEMAP_PATH,
  SITEMAP_PATH,
} from '../paths';
import { type IssueDraft, issueForWeek, nextIssueNumber, recordIssue, transitionIssue } from './issue-queries';
import { defaultIssueSubject, IssueEmail, issueText, renderEmailHtml } from './views/emails';

/** When the weekly send runs (cron syntax, UTC): CRON_JOBS in src/index.ts runs it on this schedule. */
export const WEEKLY_SEND_SCHEDULE = '0 7 * * MON';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The most articles one issue carries (and an editor may pick). */
export const MOST_ARTICLES = 30;

/** The weekly send's next run after `now`. */
export const nextWeeklySend = (now: Date): Date =>
  new Cron(WEEKLY_SEND_SCHEDULE, { timezone: 'UTC', paused: true }).nextRun(now) ?? now;

/** The week of the issue the next weekly send will send: the one editors write now. */
export const nextIssueWeek = (env: Env, now: Date) => isoWeek(nextWeeklySend(now), siteConfig(env).timeZone);

/** A published article as an issue lists it. */
export type IssueArticleChoice = IssueSnapshot['articles'][number] & { id: number; publishedAt: Date | null };

function toIssueArticle(
  site: SiteConfig,
  article: Parameters<typeof articlePath>[0] & Omit<IssueArticleChoice, 'url'>,
) {
  return {
    id: article.id,
    headline: article.headline,
    standfirst: article.standfirst,
    publishedAt: article.publishedAt,
    url: site.url + articlePath(article, site.timeZone),
  };
}

/** The articles published in the `days` before `until`, newest first (the 7 days': what an issue carries by default). */
export async function recentArticles(env: Env, db: Db, until: Date, days = 7): Promise<IssueArticleChoice[]> {
  const query = publishedArticlesQuery(db, {
    limit: MOST_ARTICLES,
    listing: {
      where: and(gt(articles.publishedAt, new Date(until.getTime() - days * DAY_MS)), lte(articles.publishedAt, until)),
    },
  });
  const site = siteConfig(env);
  return (await query).map((article) => toIssueArticle(site, article));
}

/** These published articles in this order (ids no longer published are left out). */
async function chosenArticles(env: Env, db: Db, ids: number[]): Promise<IssueArticleChoice[]> {
  if (ids.length === 0) return [];
  const query = publishedArticlesQuery(db, {
    limit: MOST_ARTICLES,
    listing: { where: inArray(articles.id, ids.slice(0, MOST_ARTICLES)) },
  });
  const site = siteConfig(env);
  const byId = new Map((await query).map((article) => [article.id, toIssueArticle(site, article)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** The issue's articles if it went out at `at`: the editor's choice, or the 7 days' before. */
export const issueArticles = (env: Env, db: Db, issue: Pick<NewsletterIssue, 'articleIds'>, at: Date) =>
  issue.articleIds ? chosenArticles(env, db, issue.articleIds) : recentArticles(env, db, at);

type IssueText = Pick<NewsletterIssue, 'preheader' | 'intro' | 'closing' | 'articleIds'>;

/** What the issue says if it goes out at `at`. */
export async function issueSnapshot(env: Env, db: Db, issue: IssueText, at: Date): Promise<IssueSnapshot> {
  const chosen = await issueArticles(env, db, issue, at);
  return {
    date: formatDate(at, siteConfig(env).timeZone),
    preheader: issue.preheader,
    intro: issue.intro,
    closing: issue.closing,
    articles: chosen.map(({ headline, standfirst, url }) => ({ headline, standfirst, url })),
  };
}

/** The email's HTML and text parts, each with the unsubscribe placeholder and the link to the issue's page. */
export async function renderIssue(
  env: Env,
  { number, subject, snapshot }: { number: number; subject: string; snapshot: IssueSnapshot },
) {
  const site = siteConfig(env);
  const content = { site, number, webUrl: absoluteUrl(site.url, newsletterIssuePath(number)), ...snapshot };
  return { html: await renderEmailHtml(<IssueEmail subject={subject} {...content} />), text: issueText(content) };
}

const UNTOUCHED = { preheader: '', intro: '', closing: '', articleIds: null } as const;

/**
 * The issue a weekly send at `now` would build if no editor touched it, for `week`, its subject dated
 * `sendDate`, and how many articles it carries.
 */
async function untouchedIssue(env: Env, db: Db, now: Date, week: string, sendDate: Date) {
  const snapshot = await issueSnapshot(env, db, UNTOUCHED, now);
  const number = await nextIssueNumber(db);
  const subject = defaultIssueSubject(siteConfig(env), number, formatDate(sendDate, siteConfig(env).timeZone));
  const draft: IssueDraft = {
    week,
    number,
    subject,
    ...UNTOUCHED,
    ...(await renderIssue(env, { number, subject, snapshot })),
  };
  return { draft, articleCount: snapshot.articles.length };
}

async function recordOrThrow(db: Db, draft: IssueDraft): Promise<NewsletterIssue> {
  const recorded = await recordIssue(db, draft);
  if (!recorded)
    throw new Error(`newsletter issue number ${draft.number} was taken while ${draft.week}'s issue was built`);
  return recorded;
}

/** The issue editors write now, recorded as a draft (even with no articles yet) if it was not already. */
export async function recordNextIssue(env: Env, db: Db, now: Date): Promise<NewsletterIssue> {
  const week = nextIssueWeek(env, now);
  const existing = await issueForWeek(db, week);
  if (existing) return existing;
  return recordOrThrow(db, (await untouchedIssue(env, db, now, week, nextWeeklySend(now))).draft);
}

/** This week's issue as it stands: the one recorded already, or the draft a send would record now; null when there is neither. */
export async function currentIssue(env: Env, db: Db, now: Date): Promise<NewsletterIssue | IssueDraft | null> {
  const week = isoWeek(now, siteConfig(env).timeZone);
  const recorded = await issueForWeek(db, week);
  if (recorded) return recorded;
  const { draft, articleCount } = await untouchedIssue(env, db, now, week, now);
  return articleCount > 0 ? draft : null;
}

/** The archive's pages an issue appears on: purged when one is sent. */
export const archivePaths = (number: number) => [
  NEWSLETTER_PATH,
  newsletterIssuePath(number),
  NEWSLETTER_FEED_PATH,
  SITEMAP_PATH,
  PAGES_SITEMAP_PATH,
];

/**
 * Freezes a draft or scheduled issue as it stands at `now` (what it says, its HTML and text) and marks it
 * sent, purging its archive pages. Undefined if it has no articles to send, or is no longer a draft or
 * scheduled (sent or cancelled meanwhile): then nothing changed.
 */
export async function freezeIssue(
  env: Env,
  db: Db,
  issue: NewsletterIssue,
  now: Date,
  decidedBy: number | null,
  localHour: number | null,
): Promise<NewsletterIssue | undefined> {
  const snapshot = await issueSnapshot(env, db, issue, now);
  if (snapshot.articles.length === 0) return undefined;
  const frozen = await transitionIssue(db, issue.id, ['draft', 'scheduled'], {
    status: 'sent',
    sentAt: now,
    localHour,
    snapshot,
    decidedBy: decidedBy ?? issue.decidedBy,
    ...(await renderIssue(env, { number: issue.number, subject: issue.subject, snapshot })),
  });
  if (frozen) {
    // Library images in the intro or closing are now in subscribers' mail and the issue's archive page.
    const bodyMarkdown = `${snapshot.intro}\n${snapshot.closing}`;
    await publishMedia(db, mediaShownBy({ heroImageUrl: null, bodyMarkdown }), now);
    await requestPurge(env, archivePaths(frozen.number));
  }
  return frozen;
}

/**
 * This week's issue for the weekly send: the editors' draft frozen as it stands, or one built from the
 * week's articles and frozen. Null when the week has no articles, or an editor sent, scheduled or
 * cancelled the issue. An issue the weekly send itself sent comes back (the cron fired twice, or a
 * retry reaches subscribers confirmed since): queueIssue sends nobody anything twice.
 */
export async function weeklyIssue(env: Env, db: Db, now: Date): Promise<NewsletterIssue | null> {
  const week = isoWeek(now, siteConfig(env).timeZone);
  let issue = await issueForWeek(db, week);
  if (!issue) {
    const { draft, articleCount } = await untouchedIssue(env, db, now, week, now);
    if (articleCount === 0) return null;
    issue = await recordOrThrow(db, draft);
  }
  if (issue.status === 'sent') return issue.decidedBy === null ? issue : null;
  if (issue.status !== 'draft') return null;
  return (await freezeIssue(env, db, issue, now, null, siteConfig(env).newsletter.localHour)) ?? null;
}
