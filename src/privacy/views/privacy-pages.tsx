import type { Child } from 'hono/jsx';
import { FormField } from '../../layout/form-field';
import { EMAIL_MAX_LENGTH } from '../../lib/email';
import { PRIVACY_PATH } from '../../paths';
import type { StoredItem } from '../statement';

function PrivacySection({ title, children }: { title: string; children?: Child }) {
  return (
    <section class="privacy-page">
      <h1>{title}</h1>
      {children}
    </section>
  );
}

/** The form that mails a link to the data stored under an address. */
export function DataRequestForm({ email, error }: { email?: string; error?: string }) {
  return (
    <form method="post" action={PRIVACY_PATH} class="privacy-request" novalidate>
      <FormField
        id="privacy-email"
        name="email"
        label="Your email"
        hint="We email a link to this address; from it you can download your data or erase it."
        error={error}
      >
        {(attributes) => (
          <input
            {...attributes}
            type="email"
            required
            maxlength={EMAIL_MAX_LENGTH}
            autocomplete="email"
            value={email}
          />
        )}
      </FormField>
      <button type="submit">Email me a link</button>
    </form>
  );
}

export function PrivacyPage(props: {
  siteName: string;
  items: StoredItem[];
  linkLifetimeHours: number;
  email?: string;
  error?: string;
}) {
  return (
    <PrivacySection title="Your data">
      <p>
        This is everything {props.siteName} stores about readers, why, and for how long. The site sets no tracking or
        advertising cookies and shows no third-party content.
      </p>
      <table class="privacy-table">
        <thead>
          <tr>
            <th scope="col">What</th>
            <th scope="col">Why</th>
            <th scope="col">How long</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((item) => (
            <tr>
              <td>{item.what}</td>
              <td>{item.why}</td>
              <td>{item.howLong}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        Cookies: a cookie of at most a minute after you post, so that you see your own comment at once, and one that
        carries the “awaiting moderation” notice to your next page view. Rate limits count requests per network (the
        first three parts of the address) and per email address for at most an hour. Email is sent through Cloudflare;
        the site, its database and its logs run on Cloudflare, and logs never contain your email or network address.
      </p>
      <h2 id="your-data">Get or erase your data</h2>
      <p>
        Enter the email address you used. If we hold anything for it, we send it a link (valid for{' '}
        {props.linkLifetimeHours} hours); the link opens a page where you can download every comment and subscription
        stored under that address, or erase them. Erased comments that others have replied to stay in their thread as
        “[removed at the author’s request]”, without your name or text; the others disappear.
      </p>
      <DataRequestForm email={props.email} error={props.error} />
    </PrivacySection>
  );
}

export function DataRequestSentPage() {
  return (
    <PrivacySection title="Check your inbox">
      <p>
        If we hold anything for that address, a message with a link is on its way to it. Open the link to download or
        erase your data; nothing happens until you press a button there.
      </p>
    </PrivacySection>
  );
}

/** What a data link opens: nothing is sent or erased until a button is pressed (mail scanners only follow links). */
const followed = (articles: number) => `${articles} ${articles === 1 ? 'article' : 'articles'} you followed`;

export function DataActionsPage({
  token,
  account,
  comments,
  subscriptions,
  followedArticles,
}: {
  token: string;
  account: boolean;
  comments: number;
  subscriptions: number;
  followedArticles: number;
}) {
  return (
    <PrivacySection title="Your data">
      <p>
        Stored under your address: {account && 'your account (your name, when you joined and last signed in), '}
        {comments} {comments === 1 ? 'comment' : 'comments'} and {subscriptions}{' '}
        {subscriptions === 1 ? 'newsletter subscription' : 'newsletter subscriptions'}.
        {followedArticles > 0 && ` Comment notifications for ${followed(followedArticles)}.`}
      </p>
      <form method="post" action={`${PRIVACY_PATH}/data/export`}>
        <input type="hidden" name="token" value={token} />
        <button type="submit">Download my data (JSON)</button>
      </form>
      <form method="post" action={`${PRIVACY_PATH}/data/erase`} class="privacy-erase">
        <input type="hidden" name="token" value={token} />
        <p>
          Erasing cannot be undone: your comments are deleted (or emptied, where others replied), your email address and
          network hashes are removed, you are unsubscribed from the newsletter, and you get no more comment
          notifications.
        </p>
        <button type="submit">Erase my data</button>
      </form>
    </PrivacySection>
  );
}

export function ErasedPage({
  account,
  comments,
  subscriptions,
  followedArticles,
}: {
  account: boolean;
  comments: number;
  subscriptions: number;
  followedArticles: number;
}) {
  return (
    <PrivacySection title="Your data has been erased">
      <p>
        {account && 'Your account is deleted and signed out everywhere. '}
        {comments} {comments === 1 ? 'comment' : 'comments'} and {subscriptions}{' '}
        {subscriptions === 1 ? 'subscription' : 'subscriptions'} erased.
        {followedArticles > 0 && ` No more comment notifications for the ${followed(followedArticles)}.`} Cached copies
        of the pages they were on are refreshed within a minute.
      </p>
      <p>
        <a href="/">Go to the front page</a>
      </p>
    </PrivacySection>
  );
}

export function DataLinkInvalidPage({ expired }: { expired: boolean }) {
  return (
    <PrivacySection title={expired ? 'This link has expired' : 'This link is not valid'}>
      <p>
        {expired
          ? 'Data links work for a day, and this one is older.'
          : 'The link may have been cut short or changed on its way to you.'}{' '}
        Ask for a new one below.
      </p>
      <DataRequestForm />
    </PrivacySection>
  );
}
