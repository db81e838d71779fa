import type { SubscriberStatus } from '../../db/schema';
import { formatMoney } from '../../paid/money';
import { BarChart, type DailyCount } from '../../readership/views/bar-chart';
import { ReadershipFigures, type ReadershipProps } from '../../readership/views/readership-figures';

export interface DashboardProps {
  articles: { draft: number; scheduled: number; published: number };
  pendingComments: number;
  subscribers: Record<SubscriberStatus, number>;
  /** Paid members now, and the monthly recurring revenue in each currency (minor units). */
  paid: { paidMembers: number; monthlyRevenue: { currency: string; amount: number }[] };
  commentsPerDay: DailyCount[];
  signupsPerDay: DailyCount[];
  readership: ReadershipProps;
}

export function DashboardPage(props: DashboardProps) {
  return (
    <>
      <h1>Dashboard</h1>
      <div class="admin-figures">
        <section>
          <h2>
            <a href="/admin/articles">Articles</a>
          </h2>
          <ul>
            <li>
              <a href="/admin/articles?state=published">{props.articles.published} published</a>
            </li>
            <li>
              <a href="/admin/articles?state=scheduled">{props.articles.scheduled} scheduled</a>
            </li>
            <li>
              <a href="/admin/articles?state=draft">
                {props.articles.draft} {props.articles.draft === 1 ? 'draft' : 'drafts'}
              </a>
            </li>
          </ul>
        </section>
        <section>
          <h2>
            <a href="/admin/comments">Comments</a>
          </h2>
          <ul>
            <li>
              <a href="/admin/comments">{props.pendingComments} awaiting moderation</a>
            </li>
          </ul>
        </section>
        <section>
          <h2>
            <a href="/admin/subscribers">Subscribers</a>
          </h2>
          <ul>
            {Object.entries(props.subscribers).map(([status, total]) => (
              <li>
                {total} {status}
              </li>
            ))}
          </ul>
        </section>
        <section>
          <h2>
            <a href="/admin/members?filter=paid">Members</a>
          </h2>
          <ul>
            <li>
              <a href="/admin/members?filter=paid">{props.paid.paidMembers} with paid access</a>
            </li>
            {props.paid.monthlyRevenue.length === 0 ? (
              <li>No recurring revenue yet</li>
            ) : (
              props.paid.monthlyRevenue.map(({ currency, amount }) => (
                <li>{formatMoney(amount, currency)} monthly recurring revenue</li>
              ))
            )}
          </ul>
        </section>
      </div>
      <h2>The last 30 days</h2>
      <BarChart id="comments-chart" title="Comments received per day" days={props.commentsPerDay} />
      <BarChart id="signups-chart" title="Confirmed newsletter signups per day" days={props.signupsPerDay} />
      <ReadershipFigures {...props.readership} />
    </>
  );
}
