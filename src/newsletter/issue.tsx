import { and, gt, lte } from 'drizzle-orm';
import { siteConfig } from '../config';
import { publishedArticlesPageQueries } from '../db/articles';
import type { Db } from '../db/client';
import { articles, type NewsletterIssue } from '../db/schema';
import { formatDate, isoWeek } from '../lib/dates';
import { articlePath } from '../paths';
import { type IssueDraft, issueForWeek, nextIssueNumber, recordIssue } from './issue-queries';
import { IssueEmail, issueSubject, issueText, renderEmailHtml } from './views/emails';

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;
const MOST_ARTICLES = 30;

/** The issue as it would be built at `now`: the articles published in the 7 days before, newest first; null if none. */
export async function draftIssue(env: Env, db: Db, now: Date): Promise<IssueDraft | null> {
  const site = siteConfig(env);
  const [articlesQuery] = publishedArticlesPageQueries(db, {
    page: 1,
    perPage: MOST_ARTICLES,
    where: and(gt(articles.publishedAt, new Date(now.getTime() - WEEK_MS)), lte(articles.publishedAt, now)),
  });
  const published = await articlesQuery;
  if (published.length === 0) return null;
  const content = {
    site,
    number: await nextIssueNumber(db),
    date: formatDate(now, site.timeZone),
    articles: published.map((article) => ({
      headline: article.headline,
      standfirst: article.standfirst,
      url: site.url + articlePath(article, site.timeZone),
    })),
  };
  return {
    week: isoWeek(now, site.timeZone),
    number: content.number,
    subject: issueSubject(content),
    html: await renderEmailHtml(<IssueEmail {...content} />),
    text: issueText(content),
  };
}

/** This week's issue as it stands: the one recorded already, or the draft a send would record now; null when there is neither. */
export async function currentIssue(env: Env, db: Db, now: Date): Promise<NewsletterIssue | IssueDraft | null> {
  return (await issueForWeek(db, isoWeek(now, siteConfig(env).timeZone))) ?? (await draftIssue(env, db, now));
}

/** This week's issue, recorded now if it was not yet; null when the week had no articles. */
export async function weeklyIssue(env: Env, db: Db, now: Date): Promise<NewsletterIssue | null> {
  const issue = await currentIssue(env, db, now);
  if (!issue || 'id' in issue) return issue;
  const recorded = await recordIssue(db, issue);
  if (!recorded)
    throw new Error(`newsletter issue number ${issue.number} was taken while ${issue.week}'s issue was built`);
  return recorded;
}
