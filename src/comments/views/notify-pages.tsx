import type { Child } from 'hono/jsx';
import { NOTIFY_CONFIRM_PATH } from '../notify-links';

function NotifyPage({ title, children }: { title: string; children?: Child }) {
  return (
    <section class="notify-page">
      <h1>{title}</h1>
      {children}
    </section>
  );
}

const home = (
  <p>
    <a href="/">Go to the front page</a>
  </p>
);

/** What a confirmation link opens: nothing is confirmed until the button is pressed (mail scanners only follow links). */
export function NotifyConfirmPage({ token }: { token: string }) {
  return (
    <NotifyPage title="Confirm comment notifications">
      <p>One step left: press the button, and we will email you when someone replies.</p>
      <form method="post" action={NOTIFY_CONFIRM_PATH}>
        <input type="hidden" name="token" value={token} />
        <button type="submit">Confirm notifications</button>
      </form>
    </NotifyPage>
  );
}

export function NotifyConfirmedPage() {
  return (
    <NotifyPage title="Notifications are on">
      <p>
        We will email you when someone replies, at most one email per article every few minutes. Every email has a link
        to stop them.
      </p>
      {home}
    </NotifyPage>
  );
}

/** The unsubscribe link's page: a button that POSTs to the same address (which also takes RFC 8058 one-click POSTs). */
export function NotifyUnsubscribePage({ action, all }: { action: string; all: boolean }) {
  return (
    <NotifyPage title={all ? 'Stop all comment emails' : 'Stop emails about this article'}>
      <p>
        {all
          ? 'Press the button and we will send this address no more comment notifications, and forget it.'
          : 'Press the button and we will send you no more emails about comments on this article.'}
      </p>
      <form method="post" action={action}>
        <button type="submit">{all ? 'Stop all comment emails' : 'Stop emails about this article'}</button>
      </form>
    </NotifyPage>
  );
}

export function NotifyUnsubscribedPage({ all }: { all: boolean }) {
  return (
    <NotifyPage title="You will get no more of these emails">
      <p>
        {all
          ? 'This address will receive no more comment notifications, and it is no longer stored for them.'
          : 'You will receive no more emails about comments on this article.'}{' '}
        To be told again, tick “Email me when someone replies” with your next comment.
      </p>
      {home}
    </NotifyPage>
  );
}

export function NotifyLinkInvalidPage({ expired }: { expired: boolean }) {
  return (
    <NotifyPage title={expired ? 'This link has expired' : 'This link is not valid'}>
      <p>
        {expired
          ? 'Confirmation links work for 7 days, and this one is older. Tick “Email me when someone replies” with your next comment to get a new one.'
          : 'The link may have been cut short or changed on its way to you. Copy the whole link from the email into your browser.'}
      </p>
      {home}
    </NotifyPage>
  );
}
