import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { type SiteConfig, siteConfig } from '../config';
import { readerDb } from '../db/session';
import { type ReaderAccess, readsWhole, requestAccess } from '../members/reader-access';
import { type SentIssue, sentIssueByNumber, sentIssues } from '../newsletter/issue-queries';
import { ArchivedIssuePage, ArchivePage, IssueBody } from '../newsletter/views/archive-pages';
import { absoluteUrl, NEWSLETTER_FEED_PATH, NEWSLETTER_PATH, newsletterIssuePath } from '../paths';
import { publicPageCache } from './public-page-cache';
import { ATOM_CONTENT_TYPE, atomFeed, type FeedEntry } from './views/feed-xml';

/** The archive lists this many issues (two years of weekly ones); the feed the latest 20. */
const ARCHIVE_LENGTH = 104;
const FEED_LENGTH = 20;

function FeedLink({ site }: { site: SiteConfig }) {
  return (
    <link
      rel="alternate"
      type="application/atom+xml"
      title={`${site.newsletterName}: past issues (Atom)`}
      href={NEWSLETTER_FEED_PATH}
    />
  );
}

/** Whether this reader gets what the issue said: a paid-only issue is for readers with paid access, as a paid article. */
const readsIssue = (issue: SentIssue, reader: ReaderAccess) => readsWhole(issue.paidOnly ? 'paid' : 'public', reader);

async function feedEntry(site: SiteConfig, issue: SentIssue, reader: ReaderAccess): Promise<FeedEntry> {
  const sent = issue.sentAt ?? new Date(0);
  return {
    id: `tag:${new URL(site.url).hostname},${sent.toISOString().slice(0, 10)}:newsletter/issues/${issue.number}`,
    url: absoluteUrl(site.url, newsletterIssuePath(issue.number)),
    title: `No. ${issue.number}: ${issue.subject}`,
    summary:
      issue.snapshot?.preheader ||
      (readsIssue(issue, reader) && issue.snapshot?.articles.map((article) => article.headline).join(' · ')) ||
      '',
    html: await (
      <IssueBody issue={issue} readsWhole={readsIssue(issue, reader)} signedIn={reader !== 'anonymous'} />
    ).toString(),
    published: sent,
    updated: sent,
    authorName: site.newsletterName,
  };
}

/**
 * The newsletter's archive, for readers: the signup page with the past issues, each issue's page and
 * an Atom feed of them, all through the page cache (sending an issue purges them: archivePaths).
 */
export const newsletterArchiveRoutes = new Hono<AppEnv>()
  .get(NEWSLETTER_PATH, publicPageCache(), async (c) => {
    const site = siteConfig(c.env);
    const issues = await sentIssues(readerDb(c), ARCHIVE_LENGTH);
    return c.render(<ArchivePage newsletterName={site.newsletterName} issues={issues} timeZone={site.timeZone} />, {
      title: 'Newsletter',
      description: `${site.newsletterName}: sign up, and read the past issues.`,
      head: <FeedLink site={site} />,
    });
  })
  .get(NEWSLETTER_FEED_PATH, publicPageCache(), async (c) => {
    const site = siteConfig(c.env);
    const issues = await sentIssues(readerDb(c), FEED_LENGTH);
    const reader = requestAccess(c);
    const entries = await Promise.all(issues.map((issue) => feedEntry(site, issue, reader)));
    const feed = atomFeed({
      title: site.newsletterName,
      subtitle: `The past issues of ${site.newsletterName}, the weekly newsletter of ${site.name}.`,
      pageUrl: absoluteUrl(site.url, NEWSLETTER_PATH),
      selfUrl: absoluteUrl(site.url, NEWSLETTER_FEED_PATH),
      siteUrl: site.url,
      updated: new Date(Math.max(0, ...entries.map((entry) => entry.updated.getTime()))),
      entries,
    });
    return c.body(feed, 200, { 'Content-Type': ATOM_CONTENT_TYPE });
  })
  .get(`${NEWSLETTER_PATH}/issues/:number{[1-9][0-9]{0,8}}`, publicPageCache(), async (c) => {
    const site = siteConfig(c.env);
    const issue = await sentIssueByNumber(readerDb(c), Number(c.req.param('number')));
    if (!issue) return c.notFound();
    const reader = requestAccess(c);
    const page = (
      <ArchivedIssuePage
        newsletterName={site.newsletterName}
        issue={issue}
        timeZone={site.timeZone}
        readsWhole={readsIssue(issue, reader)}
        signedIn={reader !== 'anonymous'}
      />
    );
    return c.render(page, {
      title: issue.subject,
      description: issue.snapshot?.preheader || `No. ${issue.number} of ${site.newsletterName}.`,
      head: <FeedLink site={site} />,
    });
  });
