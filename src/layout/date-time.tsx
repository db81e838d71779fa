import { formatDateTime } from '../lib/dates';

/** A moment as readers see it, in the site's zone and saying so, with the exact instant for machines. */
export function DateTime({ date, timeZone, class: className }: { date: Date; timeZone: string; class?: string }) {
  return (
    <time class={className} datetime={date.toISOString()}>
      {formatDateTime(date, timeZone)}
    </time>
  );
}
