import type { IssueStatus, NewsletterIssue } from '../../db/schema';
import { DateTime } from '../../layout/date-time';
import type { DeliveryCounts } from '../issue-queries';

/** What both newsletter admin pages show of an issue: its status, when it goes or went out, its deliveries. */
export const ISSUES_PATH = '/admin/newsletter/issues';

export const STATUS_LABELS: Record<IssueStatus, string> = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  sent: 'Sent',
  cancelled: 'Cancelled',
};

export function Deliveries({ counts }: { counts?: DeliveryCounts }) {
  if (!counts) return <>No deliveries</>;
  return (
    <>
      {counts.sent} sent · {counts.failed} failed · {counts.skipped} skipped · {counts.pending + counts.sending} pending
    </>
  );
}

export const OPENS_NOT_TRACKED =
  'Opens and clicks are not tracked: the issues carry no tracking pixel and no redirected links.';

export function When({ issue, timeZone }: { issue: NewsletterIssue; timeZone: string }) {
  if (issue.status === 'sent' && issue.sentAt) return <DateTime date={issue.sentAt} timeZone={timeZone} />;
  if (issue.status === 'scheduled' && issue.scheduledAt)
    return <DateTime date={issue.scheduledAt} timeZone={timeZone} />;
  return null;
}
