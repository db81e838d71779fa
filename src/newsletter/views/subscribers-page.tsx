import type { SubscriberStatus } from '../../db/schema';
import { AdminMessage, CsrfField } from '../../layout/admin-layout';
import { AdminTable } from '../../layout/admin-table';
import { DateTime } from '../../layout/date-time';
import { EMAIL_MAX_LENGTH } from '../../lib/email';
import type { ListedSubscriber } from '../subscriber-list';

export interface SubscribersPageProps {
  counts: Record<SubscriberStatus, number>;
  query: string;
  /** Matches for the search; undefined when nothing was searched. */
  results?: ListedSubscriber[];
  message?: string;
  timeZone: string;
}

export function SubscribersPage({ counts, query, results, message, timeZone }: SubscribersPageProps) {
  return (
    <>
      <h1>Subscribers</h1>
      <ul class="admin-counts">
        {Object.entries(counts).map(([status, total]) => (
          <li>
            <b>{total}</b> {status}
          </li>
        ))}
      </ul>
      <p>
        <a href="/admin/subscribers.csv" download>
          Export the list (CSV)
        </a>
      </p>
      <AdminMessage text={message} />
      {/* biome-ignore lint/a11y/useSemanticElements: role=search on the form is what older screen readers announce */}
      <form method="get" action="/admin/subscribers" class="admin-filters" role="search">
        <label>
          Address contains <input type="search" name="q" value={query} maxlength={EMAIL_MAX_LENGTH} />
        </label>{' '}
        <button type="submit" class="secondary">
          Search
        </button>
      </form>
      {results && (
        <AdminTable
          columns={['Address', 'Status', 'Signed up', 'Erase on request']}
          rows={results}
          cells={(subscriber) => [
            subscriber.email,
            subscriber.status,
            <DateTime date={subscriber.createdAt} timeZone={timeZone} />,
            <form method="post" action={`/admin/subscribers/${subscriber.id}/erase`}>
              <CsrfField />
              <button type="submit" class="secondary">
                Erase {subscriber.email}
              </button>
            </form>,
          ]}
          empty={<>No address contains “{query}”.</>}
        />
      )}
    </>
  );
}
