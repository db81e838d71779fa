import { DateTime } from '../../layout/date-time';
import { NewsletterSignup } from '../../layout/newsletter-signup';
import { renderMarkdown } from '../../lib/markdown';
import { ACCOUNT_SIGN_IN_PATH, NEWSLETTER_PATH, newsletterIssuePath, SUBSCRIBE_PATH } from '../../paths';
import type { SentIssue } from '../issue-queries';

function Markdown({ source }: { source: string }) {
  if (!source.trim()) return null;
  return <div class="issue-note" dangerouslySetInnerHTML={{ __html: renderMarkdown(source) }} />;
}

/** What a reader without paid access gets of a paid-only issue: its preheader and an invitation, never what it said. */
function IssueInvitation({ issue, signedIn }: { issue: SentIssue; signedIn: boolean }) {
  return (
    <>
      {issue.snapshot?.preheader && <p>{issue.snapshot.preheader}</p>}
      <section class="paywall-invitation" aria-labelledby="paywall-heading">
        <h2 id="paywall-heading">Read on: this issue went to paid members</h2>
        <p>
          <a href={SUBSCRIBE_PATH}>Subscribe</a> to read it, and to receive the next ones.
          {!signedIn && (
            <>
              {' '}
              Subscribed already? <a href={ACCOUNT_SIGN_IN_PATH}>Sign in</a>
            </>
          )}
        </p>
      </section>
    </>
  );
}

/**
 * What an issue said, as the archive and its feed show it: the subscriber's own parts (unsubscribe) left
 * out; of a paid-only issue, for a reader without paid access (`readsWhole` false), only the invitation.
 */
export function IssueBody({
  issue,
  readsWhole,
  signedIn,
}: {
  issue: SentIssue;
  readsWhole: boolean;
  signedIn: boolean;
}) {
  if (!readsWhole) return <IssueInvitation issue={issue} signedIn={signedIn} />;
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
              {issue.paidOnly && <small>for paid members </small>}
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
  readsWhole,
  signedIn,
}: {
  newsletterName: string;
  issue: SentIssue;
  timeZone: string;
  readsWhole: boolean;
  signedIn: boolean;
}) {
  return (
    <article class="newsletter-issue">
      <p>
        <a href={NEWSLETTER_PATH}>{newsletterName}</a> · No. {issue.number} ·{' '}
        <IssueDate issue={issue} timeZone={timeZone} />
      </p>
      <h1>{issue.subject}</h1>
      <IssueBody issue={issue} readsWhole={readsWhole} signedIn={signedIn} />
    </article>
  );
}
