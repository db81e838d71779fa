import type { SubscriberStatus } from '../../db/schema';
import { AdminMessage, CsrfField } from '../../layout/admin-layout';
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
      {results && results.length === 0 && <p>No address contains “{query}”.</p>}
      {results && results.length > 0 && (
        <table class="admin-table">
          <thead>
            <tr>
              <th scope="col">Address</th>
              <th scope="col">Status</th>
              <th scope="col">Signed up</th>
              <th scope="col">Erase on request</th>
            </tr>
          </thead>
          <tbody>
            {results.map((subscriber) => (
              <tr>
                <td>{subscriber.email}</td>
                <td>{subscriber.status}</td>
                <td>
                  <DateTime date={subscriber.createdAt} timeZone={timeZone} />
                </td>
                <td>
                  <form method="post" action={`/admin/subscribers/${subscriber.id}/erase`}>
                    <CsrfField />
                    <button type="submit" class="secondary">
                      Erase {subscriber.email}
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
