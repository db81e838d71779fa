import type { IssueStatus, NewsletterIssue } from '../../db/schema';
import { AdminMessage, CsrfField } from '../../layout/admin-layout';
import { DateTime } from '../../layout/date-time';
import { FormField } from '../../layout/form-field';
import { clockHour, toLocalDateTime, zoneName } from '../../lib/dates';
import { newsletterIssuePath } from '../../paths';
import { ISSUE_LIMITS, type IssueField } from '../editorial-input';
import type { IssueArticleChoice } from '../issue';
import type { DeliveryCounts } from '../issue-queries';

export const ISSUES_PATH = '/admin/newsletter/issues';

const STATUS_LABELS: Record<IssueStatus, string> = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  sent: 'Sent',
  cancelled: 'Cancelled',
};

function Deliveries({ counts }: { counts?: DeliveryCounts }) {
  if (!counts) return <>No deliveries</>;
  return (
    <>
      {counts.sent} sent · {counts.failed} failed · {counts.skipped} skipped · {counts.pending + counts.sending} pending
    </>
  );
}

const OPENS_NOT_TRACKED =
  'Opens and clicks are not tracked: the issues carry no tracking pixel and no redirected links.';

function When({ issue, timeZone }: { issue: NewsletterIssue; timeZone: string }) {
  if (issue.status === 'sent' && issue.sentAt) return <DateTime date={issue.sentAt} timeZone={timeZone} />;
  if (issue.status === 'scheduled' && issue.scheduledAt)
    return <DateTime date={issue.scheduledAt} timeZone={timeZone} />;
  return null;
}

export interface IssuesPageProps {
  issues: NewsletterIssue[];
  counts: Map<number, DeliveryCounts>;
  /** The issue the next weekly send belongs to, if an editor or a send has recorded it. */
  next?: NewsletterIssue;
  weekArticleCount: number;
  weeklySend: Date;
  timeZone: string;
}

export function IssuesPage({ issues, counts, next, weekArticleCount, weeklySend, timeZone }: IssuesPageProps) {
  return (
    <>
      <h1>Newsletter issues</h1>
      <section aria-labelledby="next-issue">
        <h2 id="next-issue">The next issue</h2>
        <p>
          The weekly send goes out <DateTime date={weeklySend} timeZone={timeZone} />, with every article published in
          the 7 days before it ({weekArticleCount} so far), unless an editor sends, schedules or cancels the issue
          first.
        </p>
        {next ? (
          <p>
            <a href={`${ISSUES_PATH}/${next.id}`}>
              No. {next.number}: {next.subject}
            </a>{' '}
            ({STATUS_LABELS[next.status]})
          </p>
        ) : (
          <form method="post" action={ISSUES_PATH}>
            <CsrfField />
            <button type="submit">Write the next issue</button>
          </form>
        )}
      </section>
      <section aria-labelledby="past-issues">
        <h2 id="past-issues">Issues</h2>
        <p>{OPENS_NOT_TRACKED}</p>
        {issues.length === 0 ? (
          <p>No issue yet.</p>
        ) : (
          <table class="admin-table">
            <thead>
              <tr>
                <th scope="col">Issue</th>
                <th scope="col">Status</th>
                <th scope="col">When</th>
                <th scope="col">Deliveries</th>
              </tr>
            </thead>
            <tbody>
              {issues.map((issue) => (
                <tr>
                  <td>
                    <a href={`${ISSUES_PATH}/${issue.id}`}>
                      No. {issue.number}: {issue.subject}
                    </a>
                  </td>
                  <td>{STATUS_LABELS[issue.status]}</td>
                  <td>
                    <When issue={issue} timeZone={timeZone} />
                  </td>
                  <td>
                    <Deliveries counts={counts.get(issue.id)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

export type IssueFormValues = Record<'subject' | 'preheader' | 'intro' | 'closing', string>;

export interface IssuePageProps {
  issue: NewsletterIssue;
  values: IssueFormValues;
  /** The chosen articles in their order, then the recent ones that are not. */
  articles: (IssueArticleChoice & { included: boolean })[];
  /** The issue takes the week's articles by itself (no editor has chosen yet). */
  automatic: boolean;
  counts?: DeliveryCounts;
  /** The text part as the signed-in editor would get it. */
  text: string;
  weeklySend: Date;
  timeZone: string;
  testAddresses: string[];
  errors?: Partial<Record<IssueField, string>>;
  message?: string;
  alert?: boolean;
  scheduleValue?: string;
  scheduleError?: string;
  /** The site's local hour (NEWSLETTER_LOCAL_HOUR), or null. */
  localHour: number | null;
  sendError?: string;
}

function ArticleChoices({
  articles,
  automatic,
  error,
  timeZone,
}: Pick<IssuePageProps, 'articles' | 'automatic' | 'timeZone'> & { error?: string }) {
  return (
    <fieldset aria-describedby={error ? 'issue-positions-error' : undefined}>
      <legend>Articles</legend>
      <p class="field-hint">
        Tick the articles the issue carries; they go in the order of their numbers.
        {automatic &&
          ' Until you change this list, the issue carries every article published in the 7 days before it is sent.'}
      </p>
      {automatic && <input type="hidden" name="automatic" value="1" />}
      {error && (
        <p class="field-error" id="issue-positions-error">
          {error}
        </p>
      )}
      {articles.length === 0 && <p>No article was published in the last 14 days.</p>}
      <ol class="issue-articles">
        {articles.map((article, index) => (
          <li>
            <input type="hidden" name="article" value={String(article.id)} />
            <label for={`issue-position-${article.id}`}>Position</label>{' '}
            <input
              id={`issue-position-${article.id}`}
              name="position"
              type="number"
              min="1"
              max="99"
              size={2}
              value={String(index + 1)}
            />{' '}
            <input
              id={`issue-include-${article.id}`}
              name="include"
              type="checkbox"
              value={String(article.id)}
              checked={article.included}
            />{' '}
            <label for={`issue-include-${article.id}`}>{article.headline}</label>
            {article.publishedAt && (
              <>
                {' '}
                <small>
                  <DateTime date={article.publishedAt} timeZone={timeZone} />
                </small>
              </>
            )}
          </li>
        ))}
      </ol>
    </fieldset>
  );
}

function IssueForm({ issue, values, errors = {}, ...rest }: IssuePageProps) {
  return (
    <form method="post" action={`${ISSUES_PATH}/${issue.id}`} class="issue-form">
      <CsrfField />
      <FormField id="issue-subject" name="subject" label="Subject" error={errors.subject}>
        {(attributes) => (
          <input {...attributes} type="text" value={values.subject} required maxlength={ISSUE_LIMITS.subject} />
        )}
      </FormField>
      <FormField
        id="issue-preheader"
        name="preheader"
        label="Preheader"
        hint="The line mail programs show after the subject."
        error={errors.preheader}
      >
        {(attributes) => (
          <input {...attributes} type="text" value={values.preheader} maxlength={ISSUE_LIMITS.preheader} />
        )}
      </FormField>
      <FormField
        id="issue-intro"
        name="intro"
        label="Introduction"
        hint="Markdown: *italics*, **bold**, [a link](https://…), a blank line between paragraphs."
        error={errors.intro}
      >
        {(attributes) => (
          <textarea {...attributes} rows={8} maxlength={ISSUE_LIMITS.intro}>
            {values.intro}
          </textarea>
        )}
      </FormField>
      <ArticleChoices {...rest} error={errors.positions} />
      <FormField
        id="issue-closing"
        name="closing"
        label="Closing note"
        hint="Optional, Markdown, below the articles."
        error={errors.closing}
      >
        {(attributes) => (
          <textarea {...attributes} rows={3} maxlength={ISSUE_LIMITS.closing}>
            {values.closing}
          </textarea>
        )}
      </FormField>
      <button type="submit">Save the issue</button>
    </form>
  );
}

function DeliveryChoice({ localHour, error }: { localHour: number; error?: string }) {
  return (
    <fieldset aria-describedby={error ? 'issue-delivery-error' : undefined}>
      <legend>Deliver</legend>
      {error && (
        <p class="field-error" id="issue-delivery-error">
          {error}
        </p>
      )}
      <label>
        <input type="radio" name="delivery" value="local-hour" checked /> Each copy at {clockHour(localHour)} in its
        subscriber’s time zone, over the next day
      </label>
      <label>
        <input type="radio" name="delivery" value="now" /> Every copy now
      </label>
    </fieldset>
  );
}

/** A sent local-hour issue: when its copies go out. */
function LocalHourNote({ localHour }: { localHour: number | null }) {
  if (localHour === null) return null;
  return (
    <p>
      Each copy goes out at {clockHour(localHour)} in its subscriber’s time zone (the site’s for those who have none),
      so the last ones leave up to a day after the send.
    </p>
  );
}

function IssueActions({
  issue,
  weeklySend,
  timeZone,
  testAddresses,
  scheduleValue,
  scheduleError,
  localHour,
  sendError,
}: IssuePageProps) {
  const action = (name: string) => `${ISSUES_PATH}/${issue.id}/${name}`;
  const zone = zoneName(weeklySend, timeZone);
  return (
    <section aria-labelledby="issue-actions">
      <h2 id="issue-actions">Test and send</h2>
      <form method="post" action={action('test')}>
        <CsrfField />
        <p>
          A test goes to {testAddresses.join(', ')}, with “[Test]” before its subject; it records no delivery and
          changes nothing in the issue.
        </p>
        <button type="submit" class="secondary">
          Send a test
        </button>
      </form>
      {issue.status === 'sent' ? null : issue.status === 'cancelled' ? (
        <form method="post" action={action('reopen')}>
          <CsrfField />
          <p>This issue is cancelled: no send will send it.</p>
          <button type="submit">Reopen the issue</button>
        </form>
      ) : (
        <>
          <form method="post" action={action('send')}>
            <CsrfField />
            <p>Sending freezes the issue: what subscribers get can no longer be changed.</p>
            {localHour !== null && <DeliveryChoice localHour={localHour} error={sendError} />}
            <button type="submit">{localHour === null ? 'Send to every subscriber now' : 'Send the issue'}</button>
          </form>
          <form method="post" action={action('schedule')}>
            <CsrfField />
            <FormField
              id="issue-at"
              name="at"
              label={`Send at (${timeZone}, ${zone})`}
              hint={issue.status === 'scheduled' ? 'Change the time, or cancel below.' : undefined}
              error={scheduleError}
            >
              {(attributes) => (
                <input
                  {...attributes}
                  type="datetime-local"
                  required
                  value={
                    scheduleValue ?? (issue.scheduledAt ? toLocalDateTime(issue.scheduledAt, timeZone) : undefined)
                  }
                />
              )}
            </FormField>
            <button type="submit" class="secondary">
              Schedule
            </button>
          </form>
          <form method="post" action={action('cancel')}>
            <CsrfField />
            <p>
              {issue.status === 'scheduled'
                ? 'Cancelling stops the scheduled send, and the weekly send will not send it either.'
                : 'Without a decision, the weekly send sends this issue as it stands '}
              {issue.status !== 'scheduled' && <DateTime date={weeklySend} timeZone={timeZone} />}
              {issue.status !== 'scheduled' && '.'}
            </p>
            <button type="submit" class="secondary">
              Cancel this issue’s send
            </button>
          </form>
        </>
      )}
    </section>
  );
}

export function IssuePage(props: IssuePageProps) {
  const { issue, counts, timeZone, text, message, alert } = props;
  const frozen = issue.status === 'sent';
  return (
    <>
      <p>
        <a href={ISSUES_PATH}>All issues</a>
      </p>
      <h1>
        Issue No. {issue.number}: {STATUS_LABELS[issue.status]}
      </h1>
      <AdminMessage text={message} kind={alert ? 'alert' : 'status'} />
      {issue.status === 'scheduled' && issue.scheduledAt && (
        <p>
          Scheduled for <DateTime date={issue.scheduledAt} timeZone={timeZone} />.
        </p>
      )}
      {frozen ? (
        <>
          <p>
            Sent {issue.sentAt && <DateTime date={issue.sentAt} timeZone={timeZone} />}: <Deliveries counts={counts} />.{' '}
            {OPENS_NOT_TRACKED} <a href={newsletterIssuePath(issue.number)}>Its page in the archive</a>.
          </p>
          <LocalHourNote localHour={issue.localHour} />
          <p>Subject: {issue.subject}</p>
        </>
      ) : (
        <IssueForm {...props} />
      )}
      <section aria-labelledby="issue-preview">
        <h2 id="issue-preview">Preview</h2>
        <p>
          As you would receive it{frozen ? '' : ' if it went out now (save first to see your changes)'}: your own
          unsubscribe link if you are on the list, else a sample one.{' '}
          <a href={`${ISSUES_PATH}/${issue.id}/preview`}>HTML</a> ·{' '}
          <a href={`${ISSUES_PATH}/${issue.id}/preview.txt`}>plain text</a>
        </p>
        <iframe
          src={`${ISSUES_PATH}/${issue.id}/preview`}
          title={`Issue No. ${issue.number} as HTML`}
          class="issue-preview"
          width="100%"
          height="600"
        />
        <details>
          <summary>The plain-text part</summary>
          <pre class="issue-text">{text}</pre>
        </details>
      </section>
      <IssueActions {...props} />
    </>
  );
}
