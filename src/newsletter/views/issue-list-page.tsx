import type { NewsletterIssue } from '../../db/schema';
import { CsrfField } from '../../layout/admin-layout';
import { AdminTable } from '../../layout/admin-table';
import { DateTime } from '../../layout/date-time';
import type { DeliveryCounts } from '../issue-queries';
import { Deliveries, ISSUES_PATH, OPENS_NOT_TRACKED, STATUS_LABELS, When } from './issue-status';

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
        <AdminTable
          columns={['Issue', 'Status', 'When', 'Deliveries']}
          rows={issues}
          cells={(issue) => [
            <a href={`${ISSUES_PATH}/${issue.id}`}>
              No. {issue.number}: {issue.subject}
            </a>,
            STATUS_LABELS[issue.status],
            <When issue={issue} timeZone={timeZone} />,
            <Deliveries counts={counts.get(issue.id)} />,
          ]}
          empty="No issue yet."
        />
      </section>
    </>
  );
}
