import type { Child } from 'hono/jsx';
import { FormField } from '../../layout/form-field';
import { NewsletterSignup } from '../../layout/newsletter-signup';
import { clockHour } from '../../lib/dates';

function NewsletterPage({ title, children }: { title: string; children?: Child }) {
  return (
    <section class="newsletter-page">
      <h1>{title}</h1>
      {children}
    </section>
  );
}

export function SignupPage({
  newsletterName,
  email,
  error,
}: {
  newsletterName: string;
  email?: string;
  error?: string;
}) {
  return (
    <NewsletterPage title={newsletterName}>
      <NewsletterSignup newsletterName={newsletterName} placement="page" email={email} error={error} />
    </NewsletterPage>
  );
}

export function CheckInboxPage({ newsletterName }: { newsletterName: string }) {
  return (
    <NewsletterPage title="Check your inbox">
      <p>
        If that address can receive {newsletterName}, a message with a confirmation link is on its way to it. Open the
        link and press “Confirm my subscription”: until then, you are not subscribed.
      </p>
      <p>Nothing after a few minutes? Look in your spam folder, or sign up again.</p>
    </NewsletterPage>
  );
}

/** What a confirmation link opens: nothing is confirmed until the button is pressed (mail scanners only follow links). */
export function ConfirmPage({ newsletterName, token }: { newsletterName: string; token: string }) {
  return (
    <NewsletterPage title="Confirm your subscription">
      <p>One step left: press the button to start receiving {newsletterName}.</p>
      <form method="post" action="/newsletter/confirm">
        <input type="hidden" name="token" value={token} />
        <button type="submit">Confirm my subscription</button>
      </form>
    </NewsletterPage>
  );
}

export function ConfirmedPage({ newsletterName }: { newsletterName: string }) {
  return (
    <NewsletterPage title="You are subscribed">
      <p>Thank you. {newsletterName} will arrive once a week; every issue has a link to unsubscribe.</p>
      <p>
        <a href="/">Go to the front page</a>
      </p>
    </NewsletterPage>
  );
}

/** The subscriber's time zone on the unsubscribe page, when issues arrive at a local hour. */
export interface TimeZoneChoice {
  hour: number;
  /** The stored one, or the one just submitted. */
  current: string;
  error?: string;
  saved?: boolean;
}

/** Every zone Intl knows, grouped by region ("Asia", "Europe"…), with `current` among them even if Intl lists it by another name. */
function zoneGroups(current: string): [string, string[]][] {
  const groups = new Map<string, string[]>();
  for (const zone of new Set([...Intl.supportedValuesOf('timeZone'), current].sort())) {
    const region = zone.includes('/') ? zone.slice(0, zone.indexOf('/')) : 'Other';
    groups.set(region, [...(groups.get(region) ?? []), zone]);
  }
  return [...groups];
}

function TimeZoneForm({ token, choice }: { token: string; choice: TimeZoneChoice }) {
  return (
    <form method="post" action="/newsletter/time-zone" class="time-zone-form">
      <input type="hidden" name="token" value={token} />
      {choice.saved && (
        <p role="status" class="form-message">
          Saved: from the next issue on, yours arrive at {clockHour(choice.hour)} in {choice.current}.
        </p>
      )}
      <FormField
        id="time-zone"
        name="timeZone"
        label="Your time zone"
        hint={`Each issue arrives at ${clockHour(choice.hour)} in your time zone.`}
        error={choice.error}
      >
        {(attributes) => (
          <select {...attributes}>
            {zoneGroups(choice.current).map(([region, zones]) => (
              <optgroup label={region}>
                {zones.map((zone) => (
                  <option value={zone} selected={zone === choice.current}>
                    {zone.replaceAll('_', ' ')}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        )}
      </FormField>
      <button type="submit" class="secondary">
        Save my time zone
      </button>
    </form>
  );
}

export function UnsubscribePage({
  newsletterName,
  action,
  token,
  timeZone,
}: {
  newsletterName: string;
  action: string;
  token: string;
  timeZone?: TimeZoneChoice;
}) {
  return (
    <NewsletterPage title={`Unsubscribe from ${newsletterName}`}>
      {timeZone && <TimeZoneForm token={token} choice={timeZone} />}
      <form method="post" action={action}>
        <button type="submit">Unsubscribe</button>
      </form>
      <p>
        You can also have your address deleted: we then keep only a scrambled fingerprint of it, so no list we import
        later can subscribe you again.
      </p>
      <form method="post" action="/newsletter/erase">
        <input type="hidden" name="token" value={token} />
        <button type="submit" class="secondary">
          Unsubscribe and delete my address
        </button>
      </form>
    </NewsletterPage>
  );
}

export function UnsubscribedPage({ newsletterName, erased }: { newsletterName: string; erased: boolean }) {
  return (
    <NewsletterPage title={erased ? 'Your address is deleted' : 'You are unsubscribed'}>
      <p>
        You will receive no more issues of {newsletterName}.
        {erased && ' Your address is no longer stored anywhere on this site.'}
      </p>
      <p>
        Changed your mind? <a href="/newsletter">Sign up again</a>.
      </p>
    </NewsletterPage>
  );
}

/** An expired, tampered or truncated link, and the way back: the signup form. */
export function InvalidLinkPage({ newsletterName, expired }: { newsletterName: string; expired: boolean }) {
  return (
    <NewsletterPage title={expired ? 'This link has expired' : 'This link is not valid'}>
      <p>
        {expired
          ? 'Confirmation links work for 7 days, and this one is older.'
          : 'The link may have been cut short or changed on its way to you. Copy the whole link from the email into your browser.'}{' '}
        You can sign up again below: we will send you a new link.
      </p>
      <NewsletterSignup newsletterName={newsletterName} placement="page" />
    </NewsletterPage>
  );
}
