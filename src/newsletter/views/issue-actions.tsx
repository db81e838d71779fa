import { CsrfField } from '../../layout/admin-layout';
import { DateTime } from '../../layout/date-time';
import { FormField } from '../../layout/form-field';
import { clockHour, toLocalDateTime, zoneName } from '../../lib/dates';
import type { IssuePageProps } from './issue-form';
import { ISSUES_PATH } from './issue-status';

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

export function IssueActions({
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
