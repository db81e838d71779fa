import { DateTime } from '../../layout/date-time';
import { FormField } from '../../layout/form-field';
import { AccountSection, Message } from '../../members/views/account-pages';
import { ACCOUNT_PATH, ACCOUNT_SIGN_IN_PATH, GIFT_PATH, GIFT_REDEEM_PATH, SUBSCRIBE_PATH } from '../../paths';
import { GIFT_MONTHS, giftPrice } from '../gifts';
import { formatMoney } from '../money';
import type { Tier } from '../paid-queries';

const NotOffered = () => <p>Subscriptions are not offered yet.</p>;

/** The tiers, each with a button per billing period; a signed-out reader is asked to sign in first. */
export function SubscribePage({
  tiers,
  signedIn,
  available,
  message,
}: {
  tiers: Tier[];
  signedIn: boolean;
  available: boolean;
  message?: string;
}) {
  return (
    <AccountSection title="Subscribe">
      <Message text={message} alert />
      {!available || tiers.length === 0 ? (
        <NotOffered />
      ) : (
        <>
          {!signedIn && (
            <p>
              <a href={ACCOUNT_SIGN_IN_PATH}>Sign in or create an account</a> to subscribe: we email you a link, no
              password needed.
            </p>
          )}
          <ul class="tiers">
            {tiers.map((tier) => (
              <li>
                <h2>{tier.name}</h2>
                <form method="post" action={SUBSCRIBE_PATH}>
                  <input type="hidden" name="tier" value={String(tier.id)} />
                  <p>
                    <button type="submit" name="interval" value="month" disabled={!signedIn}>
                      {formatMoney(tier.monthlyPrice, tier.currency)} a month
                    </button>{' '}
                    <button type="submit" name="interval" value="year" disabled={!signedIn}>
                      {formatMoney(tier.yearlyPrice, tier.currency)} a year
                    </button>
                  </p>
                </form>
              </li>
            ))}
          </ul>
          <p>
            Payment is by Stripe; you can cancel at any time from your account, and keep access until the end of the
            period paid for. <a href={GIFT_PATH}>Give a subscription</a> · <a href={GIFT_REDEEM_PATH}>Redeem a gift</a>
          </p>
        </>
      )}
    </AccountSection>
  );
}

/** After Checkout: the access the member now has, or that the payment is still being confirmed. */
export function SubscribedPage({ paidUntil, timeZone }: { paidUntil?: Date; timeZone: string }) {
  return (
    <AccountSection title="Thank you">
      {paidUntil ? (
        <p>
          Your subscription is active: you have full access until <DateTime date={paidUntil} timeZone={timeZone} />, and
          it renews by itself.
        </p>
      ) : (
        <p>Stripe is confirming your payment: your access starts in a moment. Reload this page to see it.</p>
      )}
      <p>
        <a href={ACCOUNT_PATH}>Your account</a>
      </p>
    </AccountSection>
  );
}

/** The gift form: a tier and a length; anyone may buy one. */
export function GiftPage({ tiers, available, message }: { tiers: Tier[]; available: boolean; message?: string }) {
  return (
    <AccountSection title="Give a subscription">
      <Message text={message} alert />
      {!available || tiers.length === 0 ? (
        <NotOffered />
      ) : (
        <>
          <p>You pay once; you get a code by email to pass on. Its recipient redeems it on this site, once.</p>
          {tiers.map((tier) => (
            <form method="post" action={GIFT_PATH}>
              <h2>{tier.name}</h2>
              <input type="hidden" name="tier" value={String(tier.id)} />
              <p>
                {GIFT_MONTHS.map((months) => (
                  <>
                    <button type="submit" name="months" value={String(months)}>
                      {months} {months === 1 ? 'month' : 'months'}:{' '}
                      {formatMoney(giftPrice(tier, months), tier.currency)}
                    </button>{' '}
                  </>
                ))}
              </p>
            </form>
          ))}
        </>
      )}
    </AccountSection>
  );
}

export function GiftBoughtPage({ code, months }: { code?: string; months?: number }) {
  return (
    <AccountSection title="Thank you for your gift">
      {code ? (
        <>
          <p>
            The code for {months} {months === 1 ? 'month' : 'months'} (we have emailed it to you too):
          </p>
          <p class="gift-code">
            <b>{code}</b>
          </p>
          <p>Its recipient signs in and enters it on the page “Redeem a gift”. It works once.</p>
        </>
      ) : (
        <p>Stripe is confirming your payment: reload this page in a moment to see the code (we email it to you too).</p>
      )}
    </AccountSection>
  );
}

export function RedeemPage({
  code,
  error,
  signedIn,
  redeemedUntil,
  timeZone,
}: {
  code?: string;
  error?: string;
  signedIn: boolean;
  redeemedUntil?: Date;
  timeZone: string;
}) {
  return (
    <AccountSection title="Redeem a gift">
      {redeemedUntil && (
        <p class="form-message" role="status">
          Enjoy your gift: you have full access until <DateTime date={redeemedUntil} timeZone={timeZone} />.
        </p>
      )}
      {signedIn ? (
        <form method="post" action={GIFT_REDEEM_PATH}>
          <FormField id="gift-code" name="code" label="Gift code" error={error}>
            {(attributes) => (
              <input {...attributes} type="text" value={code} required maxlength={40} autocomplete="off" />
            )}
          </FormField>
          <p>
            <button type="submit">Redeem</button>
          </p>
        </form>
      ) : (
        <p>
          <a href={ACCOUNT_SIGN_IN_PATH}>Sign in or create an account</a> first: the gift goes to your account.
        </p>
      )}
    </AccountSection>
  );
}
