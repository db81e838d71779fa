import { AdminMessage, CsrfField } from '../../layout/admin-layout';
import { AdminTable } from '../../layout/admin-table';
import { DateTime } from '../../layout/date-time';
import { FormField } from '../../layout/form-field';
import { MEMBER_EMAIL_NAMES, MEMBER_EMAIL_SENT_TO_NAMES } from '../../members/member-emails';
import { newsletterIssuePath } from '../../paths';
import { formatMoney, fromMinorUnits } from '../money';
import { MEMBER_FILTERS, type MemberFilter, type memberHistory, type membersPage, type Tier } from '../paid-queries';

export type TierField = 'name' | 'currency' | 'monthlyPrice' | 'yearlyPrice';

/** A tier's form: a new one (no tier) or an existing one, with what was typed if it came back. */
function TierForm({
  tier,
  values = {},
  errors = {},
}: {
  tier?: Tier;
  values?: Partial<Record<TierField | 'hidden', string>>;
  errors?: Partial<Record<TierField, string>>;
}) {
  const prefix = tier ? `tier-${tier.id}` : 'tier-new';
  const value = (field: TierField) =>
    values[field] ??
    (tier &&
      (field === 'monthlyPrice' || field === 'yearlyPrice'
        ? fromMinorUnits(tier[field], tier.currency)
        : field === 'currency'
          ? tier.currency.toUpperCase()
          : tier.name));
  const text = (field: TierField, label: string, hint?: string) => (
    <FormField id={`${prefix}-${field}`} name={field} label={label} hint={hint} error={errors[field]}>
      {(attributes) => <input {...attributes} type="text" value={value(field)} required maxlength={80} />}
    </FormField>
  );
  return (
    <form method="post" action={tier ? `/admin/tiers/${tier.id}` : '/admin/tiers'}>
      <CsrfField />
      {text('name', 'Name')}
      {text('currency', 'Currency', 'ISO 4217 code: EUR, USD, JPY…')}
      {text('monthlyPrice', 'Monthly price', 'e.g. 5.00')}
      {text('yearlyPrice', 'Yearly price', 'e.g. 50.00')}
      {tier && (
        <p>
          <label>
            <input
              type="checkbox"
              name="hidden"
              value="yes"
              checked={(values.hidden ?? (tier.hidden ? 'yes' : '')) === 'yes'}
            />{' '}
            Hidden: no longer offered (its subscribers keep it)
          </label>
        </p>
      )}
      <p>
        <button type="submit">{tier ? `Save ${tier.name}` : 'Add the tier'}</button>
      </p>
    </form>
  );
}

export function TiersPage({
  tiers,
  message,
  refused,
}: {
  tiers: Tier[];
  message?: string;
  /** A refused form: which tier (undefined: the new one), what was typed and what is wrong. */
  refused?: {
    tierId?: number;
    values: Partial<Record<TierField | 'hidden', string>>;
    errors: Partial<Record<TierField, string>>;
  };
}) {
  const refusedFor = (tierId?: number) => (refused && refused.tierId === tierId ? refused : undefined);
  return (
    <>
      <h1>Tiers</h1>
      <p>What readers can subscribe to on /subscribe, each by the month or by the year, through Stripe Checkout.</p>
      <AdminMessage text={message} />
      {tiers.map((tier) => (
        <section>
          <h2>
            {tier.name}: {formatMoney(tier.monthlyPrice, tier.currency)} a month,{' '}
            {formatMoney(tier.yearlyPrice, tier.currency)} a year{tier.hidden ? ' (hidden)' : ''}
          </h2>
          <TierForm tier={tier} {...refusedFor(tier.id)} />
        </section>
      ))}
      <section>
        <h2>A new tier</h2>
        <TierForm {...refusedFor(undefined)} />
      </section>
    </>
  );
}

const FILTER_LABELS: Record<MemberFilter, string> = {
  all: 'All',
  free: 'Free',
  paid: 'Paid',
  complimentary: 'Complimentary',
};

type ListedMember = Awaited<ReturnType<typeof membersPage>>[number];

function memberAccess(member: ListedMember, now: Date) {
  if (member.complimentary) return 'complimentary';
  return member.paidUntil && member.paidUntil > now ? 'paid' : 'free';
}

export function MembersPage({
  members,
  filter,
  search,
  olderPath,
  timeZone,
  now,
}: {
  members: ListedMember[];
  filter: MemberFilter;
  search: string;
  /** The next page's address; undefined on the last. */
  olderPath?: string;
  timeZone: string;
  now: Date;
}) {
  return (
    <>
      <h1>Members</h1>
      {/* biome-ignore lint/a11y/useSemanticElements: role=search on the form is what older screen readers announce */}
      <form method="get" action="/admin/members" class="admin-filters" role="search">
        <label>
          Show{' '}
          <select name="filter">
            {MEMBER_FILTERS.map((each) => (
              <option value={each} selected={each === filter}>
                {FILTER_LABELS[each]}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          Address or name contains <input type="search" name="q" value={search} maxlength={254} />
        </label>{' '}
        <button type="submit" class="secondary">
          Show
        </button>
      </form>
      <AdminTable
        columns={['Address', 'Name', 'Access', 'Joined']}
        rows={members}
        cells={(member) => [
          <a href={`/admin/members/${member.id}`}>{member.email}</a>,
          member.name,
          <>
            {memberAccess(member, now)}
            {member.paidUntil && member.paidUntil > now && (
              <>
                {' '}
                until <DateTime date={member.paidUntil} timeZone={timeZone} />
              </>
            )}
          </>,
          <DateTime date={member.createdAt} timeZone={timeZone} />,
        ]}
        empty="No member matches."
      />
      {olderPath && (
        <p>
          <a href={olderPath} rel="next">
            Older members
          </a>
        </p>
      )}
    </>
  );
}

type History = NonNullable<Awaited<ReturnType<typeof memberHistory>>>;

export function MemberPage({
  history,
  sessions,
  timeZone,
  message,
  error,
  complimentaryValue,
}: {
  history: History;
  sessions: { createdAt: Date; lastSeenAt: Date }[];
  timeZone: string;
  message?: string;
  error?: string;
  complimentaryValue?: string;
}) {
  const { member, complimentary, subscriptions, payments, gifts, signIns, emails, issues } = history;
  const when = (date: Date | null) => (date ? <DateTime date={date} timeZone={timeZone} /> : '—');
  return (
    <>
      <h1>{member.name || member.email}</h1>
      <AdminMessage text={message} />
      <ul>
        <li>Address: {member.email}</li>
        <li>Joined: {when(member.createdAt)}</li>
        <li>Last signed in: {when(member.lastSignedInAt)}</li>
        <li>Paid access until: {when(member.paidUntil)}</li>
      </ul>
      <h2>Complimentary access</h2>
      <p>{complimentary ? <>Given until {when(complimentary.endsAt)}.</> : 'None.'}</p>
      <form method="post" action={`/admin/members/${member.id}/complimentary`}>
        <CsrfField />
        <FormField
          id="complimentary-until"
          name="until"
          label="Complimentary access until (the end of that day)"
          error={error}
        >
          {(attributes) => <input {...attributes} type="date" value={complimentaryValue} required />}
        </FormField>
        <p>
          <button type="submit">Give complimentary access</button>
        </p>
      </form>
      {complimentary && (
        <form method="post" action={`/admin/members/${member.id}/complimentary/end`}>
          <CsrfField />
          <p>
            <button type="submit" class="secondary">
              End complimentary access now
            </button>
          </p>
        </form>
      )}
      <h2>Subscriptions</h2>
      {subscriptions.length === 0 ? (
        <p>None.</p>
      ) : (
        <ul>
          {subscriptions.map(({ subscription, tierName }) => (
            <li>
              {tierName ?? 'A removed tier'}, {formatMoney(subscription.amount, subscription.currency)} a{' '}
              {subscription.interval}: {subscription.status}
              {subscription.cancelAtPeriodEnd ? ', cancelled at the period’s end' : ''}; access until{' '}
              {when(subscription.accessUntil)} ({subscription.id})
            </li>
          ))}
        </ul>
      )}
      <h2>Payments</h2>
      <AdminTable
        caption={{ hidden: 'Payments, as Stripe reported them, newest first' }}
        columns={['When', 'What', 'Amount']}
        rows={payments}
        cells={(payment) => [when(payment.at), payment.kind, formatMoney(payment.amount, payment.currency)]}
        empty="None."
      />
      <h2>Gifts redeemed</h2>
      {gifts.length === 0 ? (
        <p>None.</p>
      ) : (
        <ul>
          {gifts.map((gift) => (
            <li>
              {gift.months} months, redeemed {when(gift.redeemedAt)}, until {when(gift.accessUntil)}
            </li>
          ))}
        </ul>
      )}
      <h2>Sign-ins</h2>
      <p>Each by a link emailed to the member’s address (the latest 50 at most).</p>
      <AdminTable
        caption={{ hidden: 'Sign-ins, newest first' }}
        columns={['When']}
        rows={signIns}
        cells={(signIn) => [when(signIn.at)]}
        empty="None recorded."
      />
      <h2>Emails</h2>
      <p>
        The emails the site sent about their account (the latest 50 at most): which, when and where to; the links in
        them are never kept. Newsletter issues are below.
      </p>
      <AdminTable
        caption={{ hidden: 'Emails sent about the member’s account, newest first' }}
        columns={['When', 'Email', 'Sent to']}
        rows={emails}
        cells={(email) => [
          when(email.sentAt),
          MEMBER_EMAIL_NAMES[email.purpose],
          MEMBER_EMAIL_SENT_TO_NAMES[email.sentTo],
        ]}
        empty="None recorded."
      />
      <h2>Newsletter issues sent</h2>
      <AdminTable
        caption={{ hidden: 'Newsletter issues sent to the member’s address, newest first' }}
        columns={['Issue', 'Delivery', 'Sent']}
        rows={issues}
        cells={(issue) => [
          <a href={newsletterIssuePath(issue.number)}>
            No. {issue.number}: {issue.subject}
          </a>,
          issue.status,
          when(issue.sentAt),
        ]}
        empty="None."
      />
      <h2>Signed in on</h2>
      {sessions.length === 0 ? (
        <p>No browser.</p>
      ) : (
        <ul>
          {sessions.map((session) => (
            <li>
              Signed in {when(session.createdAt)}, last seen {when(session.lastSeenAt)}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
