import { AdminMessage } from '../../layout/admin-layout';
import { DateTime } from '../../layout/date-time';
import { clockHour } from '../../lib/dates';
import { newsletterIssuePath } from '../../paths';
import { IssueActions } from './issue-actions';
import { IssueForm, type IssuePageProps } from './issue-form';
import { Deliveries, ISSUES_PATH, OPENS_NOT_TRACKED, STATUS_LABELS } from './issue-status';

function LocalHourNote({ localHour }: { localHour: number | null }) {
  if (localHour === null) return null;
  return (
    <p>
      Each copy goes out at {clockHour(localHour)} in its subscriber’s time zone (the site’s for those who have none),
      so the last ones leave up to a day after the send.
    </p>
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
          {issue.paidOnly && <p>For paid members only: sent to the subscribers who are members with paid access.</p>}
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
