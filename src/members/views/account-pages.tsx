import type { Child } from 'hono/jsx';
import { DateTime } from '../../layout/date-time';
import { FormField } from '../../layout/form-field';
import { EMAIL_MAX_LENGTH } from '../../lib/email';
import {
  ACCOUNT_PATH,
  ACCOUNT_SIGN_IN_PATH,
  GIFT_REDEEM_PATH,
  MANAGE_SUBSCRIPTION_PATH,
  PRIVACY_PATH,
  SUBSCRIBE_PATH,
} from '../../paths';

/** A page of the reader's own: the account's, sign-in's, paid access's. */
export function AccountSection({ title, children }: { title: string; children?: Child }) {
  return (
    <section class="account-page">
      <h1>{title}</h1>
      {children}
    </section>
  );
}

/** What the last form did (a status), or why it came back (an alert). */
export const Message = ({ text, alert }: { text?: string; alert?: boolean }) =>
  text ? (
    <p class="form-message" role={alert ? 'alert' : 'status'}>
      {text}
    </p>
  ) : null;

function EmailField({ id, value, error }: { id: string; value?: string; error?: string }) {
  return (
    <FormField id={id} name="email" label="Email" error={error}>
      {(attributes) => (
        <input {...attributes} type="email" value={value} required maxlength={EMAIL_MAX_LENGTH} autocomplete="email" />
      )}
    </FormField>
  );
}

export function SignInPage({ siteName, email, error }: { siteName: string; email?: string; error?: string }) {
  return (
    <AccountSection title="Sign in">
      <p>
        Enter your email address and we will email you a link that signs you in to {siteName}, no password needed. If
        you have no account yet, the link makes one.
      </p>
      <form method="post" action={ACCOUNT_SIGN_IN_PATH}>
        <EmailField id="member-email" value={email} error={error} />
        <p>
          <button type="submit">Email me a link</button>
        </p>
      </form>
    </AccountSection>
  );
}

export function CheckInboxPage({ minutes, newAddress }: { minutes: number; newAddress?: boolean }) {
  return (
    <AccountSection title="Check your inbox">
      <p>
        {newAddress
          ? 'We have emailed a link to your new address: open it to use that address for your account.'
          : 'We have emailed you a link: open it to sign in.'}{' '}
        It works once, for {minutes} minutes.
      </p>
      <p>Nothing after a few minutes? Look in your spam folder, or ask again.</p>
    </AccountSection>
  );
}

/** What an emailed link opens: the button uses it (a mail scanner only follows the link). */
export function UseLinkPage({ token, action }: { token: string; action: string }) {
  return (
    <AccountSection title={action}>
      <form method="post" action={`${ACCOUNT_PATH}/link`}>
        <input type="hidden" name="token" value={token} />
        <p>
          <button type="submit">{action}</button>
        </p>
      </form>
    </AccountSection>
  );
}

export function LinkRefusedPage({ message }: { message: string }) {
  return (
    <AccountSection title="This link cannot be used">
      <p>{message}</p>
      <p>
        <a href={ACCOUNT_SIGN_IN_PATH}>Ask for a new link</a>
      </p>
    </AccountSection>
  );
}

/** Paid access: until when, the way to Stripe's Customer Portal, or to subscribe; and gifts. */
function PaidAccess({ paidUntil, timeZone }: { paidUntil: Date | null; timeZone: string }) {
  const paid = paidUntil !== null && paidUntil > new Date();
  return (
    <section aria-labelledby="paid-access">
      <h2 id="paid-access">Subscription</h2>
      <p>
        {paid ? (
          <>
            You have full access until <DateTime date={paidUntil} timeZone={timeZone} />.
          </>
        ) : (
          <>
            You read as a free member. <a href={SUBSCRIBE_PATH}>Subscribe</a>
          </>
        )}
      </p>
      <p>
        {paidUntil !== null && (
          <>
            <a href={MANAGE_SUBSCRIPTION_PATH}>Manage subscription</a> (card, invoices, cancelling) ·{' '}
          </>
        )}
        <a href={GIFT_REDEEM_PATH}>Redeem a gift</a>
      </p>
    </section>
  );
}

export type AccountField = 'name' | 'email';

export interface AccountPageProps {
  email: string;
  name: string;
  newsletterName: string;
  receivesNewsletter: boolean;
  /** The end of the member's paid access (members.paid_until); null if they never had any. */
  paidUntil: Date | null;
  timeZone: string;
  /** What the last form did, or why it came back. */
  message?: string;
  errors?: Partial<Record<AccountField, string>>;
  /** What the reader typed in a form that came back. */
  values?: Partial<Record<AccountField, string>>;
  nameMaxLength: number;
}

export function AccountPage(props: AccountPageProps) {
  const { errors = {}, values = {} } = props;
  return (
    <AccountSection title="Your account">
      <Message text={props.message} alert={Object.keys(errors).length > 0} />
      <p>
        Signed in as <b>{props.email}</b>.
      </p>
      <form method="post" action={`${ACCOUNT_PATH}/name`}>
        <FormField
          id="account-name"
          name="name"
          label="Your name"
          hint="Your comments are published under it."
          error={errors.name}
        >
          {(attributes) => (
            <input
              {...attributes}
              type="text"
              value={values.name ?? props.name}
              required
              maxlength={props.nameMaxLength}
              autocomplete="name"
            />
          )}
        </FormField>
        <p>
          <button type="submit">Save my name</button>
        </p>
      </form>
      <form method="post" action={`${ACCOUNT_PATH}/email`}>
        <EmailField id="account-email" value={values.email} error={errors.email} />
        <p>
          <button type="submit">Change my address</button> We email a link to the new address; it changes once you open
          it.
        </p>
      </form>
      <form method="post" action={`${ACCOUNT_PATH}/newsletter`}>
        <p>
          <label>
            <input type="checkbox" name="newsletter" value="yes" checked={props.receivesNewsletter} /> Send me{' '}
            {props.newsletterName}
          </label>
        </p>
        <p>
          <button type="submit">Save my newsletter choice</button>
        </p>
      </form>
      <PaidAccess paidUntil={props.paidUntil} timeZone={props.timeZone} />
      <form method="post" action={`${ACCOUNT_PATH}/sign-out`}>
        <p>
          <button type="submit">Sign out</button>{' '}
          <button type="submit" name="everywhere" value="yes">
            Sign out on every device
          </button>
        </p>
      </form>
      <p>
        <a href={PRIVACY_PATH}>Download or erase everything we store about you</a>
      </p>
    </AccountSection>
  );
}
