import { DateTime } from '../../layout/date-time';
import { NewsletterSignup } from '../../layout/newsletter-signup';
import { renderMarkdown } from '../../lib/markdown';
import { NEWSLETTER_PATH, newsletterIssuePath } from '../../paths';
import type { SentIssue } from '../issue-queries';

function Markdown({ source }: { source: string }) {
  if (!source.trim()) return null;
  return <div class="issue-note" dangerouslySetInnerHTML={{ __html: renderMarkdown(source) }} />;
}

/** What an issue said, as the archive and its feed show it: the subscriber's own parts (unsubscribe) left out. */
export function IssueBody({ issue }: { issue: SentIssue }) {
  const { snapshot } = issue;
  // Issues sent before the archive existed kept only their email parts: the text part, without its footer.
  if (!snapshot) return <pre class="issue-text">{issue.text.split('\n--\n')[0]}</pre>;
  return (
    <>
      <Markdown source={snapshot.intro} />
      <ol class="issue-articles">
        {snapshot.articles.map((article) => (
          <li>
            <h2>
              <a href={article.url}>{article.headline}</a>
            </h2>
            {article.standfirst && <p>{article.standfirst}</p>}
          </li>
        ))}
      </ol>
      <Markdown source={snapshot.closing} />
    </>
  );
}

function IssueDate({ issue, timeZone }: { issue: SentIssue; timeZone: string }) {
  return issue.sentAt ? <DateTime date={issue.sentAt} timeZone={timeZone} /> : null;
}

export function ArchivePage({
  newsletterName,
  issues,
  timeZone,
}: {
  newsletterName: string;
  issues: SentIssue[];
  timeZone: string;
}) {
  return (
    <section class="newsletter-page">
      <h1>{newsletterName}</h1>
      <NewsletterSignup newsletterName={newsletterName} placement="page" />
      <h2>Past issues</h2>
      {issues.length === 0 ? (
        <p>No issue has been sent yet.</p>
      ) : (
        <ul class="issue-list">
          {issues.map((issue) => (
            <li>
              <a href={newsletterIssuePath(issue.number)}>
                No. {issue.number}: {issue.subject}
              </a>{' '}
              <small>
                <IssueDate issue={issue} timeZone={timeZone} />
              </small>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function ArchivedIssuePage({
  newsletterName,
  issue,
  timeZone,
}: {
  newsletterName: string;
  issue: SentIssue;
  timeZone: string;
}) {
  return (
    <article class="newsletter-issue">
      <p>
        <a href={NEWSLETTER_PATH}>{newsletterName}</a> · No. {issue.number} ·{' '}
        <IssueDate issue={issue} timeZone={timeZone} />
      </p>
      <h1>{issue.subject}</h1>
      <IssueBody issue={issue} />
    </article>
  );
}
