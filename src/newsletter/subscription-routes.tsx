import { type Context, Hono } from 'hono';
import { createFactory } from 'hono/factory';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type AppEnv, validInput } from '../app-env';
import { siteConfig } from '../config';
import { primaryDb } from '../db/client';
import { personalPage } from '../layout/personal-page';
import { signupLimitMessage, signupRateLimit, signupVerdict } from './guards';
import { requestSubscription, unsubscribePath } from './signup';
import { BLOCKED_DOMAIN, newsletterSignupSchema, submittedEmail, timeZoneInputSchema } from './signup-input';
import {
  confirmSubscriber,
  eraseSubscriber,
  setSubscriberTimeZone,
  subscriberTimeZone,
  unsubscribeSubscriber,
} from './subscriber-queries';
import { checkSubscriptionToken, type SubscriptionTokenPurpose } from './subscription-token';
import {
  CheckInboxPage,
  ConfirmedPage,
  ConfirmPage,
  InvalidLinkPage,
  SignupPage,
  type TimeZoneChoice,
  UnsubscribedPage,
  UnsubscribePage,
} from './views/pages';

/** The RFC 8058 one-click unsubscribe URL: mail providers POST to it without an Origin, so it is exempt from CSRF checks. */
export const ONE_CLICK_UNSUBSCRIBE_PATH = '/newsletter/unsubscribe';
const CHECK_INBOX_PATH = '/newsletter/check-your-inbox';

const newsletterName = (c: Context<AppEnv>) => siteConfig(c.env).newsletterName;

function signupPage(c: Context<AppEnv>, status: ContentfulStatusCode, email?: string, error?: string) {
  return personalPage(
    c,
    'Newsletter',
    <SignupPage newsletterName={newsletterName(c)} email={email} error={error} />,
    status,
  );
}

/** The subscriber a link's token names, or the page that says the link is expired or not valid. */
async function linkSubscriber(c: Context<AppEnv>, purpose: SubscriptionTokenPurpose, token: string | undefined) {
  const check = await checkSubscriptionToken(c.env.NEWSLETTER_TOKEN_SECRET, purpose, token ?? '', Date.now());
  if (check.status === 'valid') return check.subscriberId;
  const expired = check.status === 'expired';
  return personalPage(
    c,
    expired ? 'Link expired' : 'Link not valid',
    <InvalidLinkPage newsletterName={newsletterName(c)} expired={expired} />,
    expired ? 410 : 400,
  );
}

/** The posted form's fields; a body that is not a form (or is broken) has none. */
async function formFields(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  return c.req.parseBody().catch(() => ({}));
}

const formToken = async (c: Context<AppEnv>) => {
  const { token } = await formFields(c);
  return typeof token === 'string' ? token : undefined;
};

/** The unsubscribe page; with the time-zone form when issues arrive at a local hour. */
function unsubscribePage(
  c: Context<AppEnv>,
  token: string,
  timeZone: Omit<TimeZoneChoice, 'hour'> | undefined,
  status: ContentfulStatusCode = 200,
) {
  const { localHour } = siteConfig(c.env).newsletter;
  const page = (
    <UnsubscribePage
      newsletterName={newsletterName(c)}
      action={unsubscribePath(token)}
      token={token}
      timeZone={localHour === null || !timeZone ? undefined : { ...timeZone, hour: localHour }}
    />
  );
  return personalPage(c, 'Unsubscribe', page, status);
}

const invalidLinkPage = (c: Context<AppEnv>) =>
  personalPage(c, 'Link not valid', <InvalidLinkPage newsletterName={newsletterName(c)} expired={false} />, 400);

const factory = createFactory<AppEnv>();

/** A reader's signup: past the traps and the rate limit, a confirmation link is mailed and the reader told to check their inbox. */
const submitSignup = factory.createHandlers(
  validInput('form', newsletterSignupSchema, (c, error, submitted) =>
    signupPage(c, 422, submittedEmail(submitted), error.issues[0]?.message),
  ),
  async (c, next) => {
    const input = c.req.valid('form');
    c.set('newsletterSignup', input);
    const verdict = signupVerdict(c.env, input);
    if (verdict === 'trapped') return c.redirect(CHECK_INBOX_PATH, 303);
    if (verdict === 'blocked') return signupPage(c, 422, input.email, BLOCKED_DOMAIN);
    await next();
  },
  signupRateLimit((c, refusal) => signupPage(c, 429, c.var.newsletterSignup.email, signupLimitMessage(refusal))),
  async (c) => {
    const { email } = c.req.valid('form');
    await requestSubscription(
      c.env,
      primaryDb(c.env),
      { email, now: new Date(), requestId: c.var.requestId, timeZone: c.req.raw.cf?.timezone },
      (task) => c.executionCtx.waitUntil(task),
    );
    return c.redirect(CHECK_INBOX_PATH, 303);
  },
);

/** The page after a signup: a confirmation link is on its way. */
const showCheckInbox = factory.createHandlers((c) =>
  c.render(<CheckInboxPage newsletterName={newsletterName(c)} />, { title: 'Check your inbox' }),
);

/** The confirmation link's page: a button that confirms by POST. */
const showConfirmation = factory.createHandlers(async (c) => {
  const token = c.req.query('token');
  const subscriberId = await linkSubscriber(c, 'confirm', token);
  if (subscriberId instanceof Response) return subscriberId;
  return personalPage(
    c,
    'Confirm your subscription',
    <ConfirmPage newsletterName={newsletterName(c)} token={token!} />,
  );
});

/** Confirms the subscription the posted token names. */
const confirmSubscription = factory.createHandlers(async (c) => {
  const subscriberId = await linkSubscriber(c, 'confirm', await formToken(c));
  if (subscriberId instanceof Response) return subscriberId;
  const status = await confirmSubscriber(primaryDb(c.env), subscriberId, new Date());
  // An address unsubscribed (or erased) since this link was sent needs a new signup, not this old link.
  if (status !== 'confirmed') return invalidLinkPage(c);
  return personalPage(c, 'You are subscribed', <ConfirmedPage newsletterName={newsletterName(c)} />);
});

/** The unsubscribe link's page, with the subscriber's time zone when issues arrive at a local hour. */
const showUnsubscribe = factory.createHandlers(async (c) => {
  const token = c.req.query('token');
  const subscriberId = await linkSubscriber(c, 'unsubscribe', token);
  if (subscriberId instanceof Response) return subscriberId;
  if (siteConfig(c.env).newsletter.localHour === null) return unsubscribePage(c, token!, undefined);
  const zone = await subscriberTimeZone(primaryDb(c.env), subscriberId);
  return unsubscribePage(c, token!, { current: zone ?? siteConfig(c.env).timeZone });
});

/** Saves the time zone in which the subscriber gets issues at the local hour. */
const saveTimeZone = factory.createHandlers(async (c) => {
  const token = await formToken(c);
  const subscriberId = await linkSubscriber(c, 'unsubscribe', token);
  if (subscriberId instanceof Response) return subscriberId;
  if (siteConfig(c.env).newsletter.localHour === null) return c.notFound();
  const input = timeZoneInputSchema.safeParse(await formFields(c));
  if (!input.success) {
    const current = (await subscriberTimeZone(primaryDb(c.env), subscriberId)) ?? siteConfig(c.env).timeZone;
    return unsubscribePage(c, token!, { current, error: input.error.issues[0]?.message }, 422);
  }
  if (!(await setSubscriberTimeZone(primaryDb(c.env), subscriberId, input.data.timeZone))) return invalidLinkPage(c);
  return unsubscribePage(c, token!, { current: input.data.timeZone, saved: true });
});

/** Unsubscribes the link's subscriber, from the unsubscribe page or a mail provider's one-click POST. */
const cancelSubscription = factory.createHandlers(async (c) => {
  const subscriberId = await linkSubscriber(c, 'unsubscribe', c.req.query('token'));
  if (subscriberId instanceof Response) return subscriberId;
  if (!(await unsubscribeSubscriber(primaryDb(c.env), subscriberId, new Date()))) return invalidLinkPage(c);
  // RFC 8058: the mail provider's POST gets a plain 200 and nothing to render.
  if ((await formFields(c))['List-Unsubscribe'] === 'One-Click') return c.body(null, 200);
  return personalPage(
    c,
    'You are unsubscribed',
    <UnsubscribedPage newsletterName={newsletterName(c)} erased={false} />,
  );
});

/** Unsubscribes the posted token's subscriber and deletes their address. */
const eraseAddress = factory.createHandlers(async (c) => {
  const subscriberId = await linkSubscriber(c, 'unsubscribe', await formToken(c));
  if (subscriberId instanceof Response) return subscriberId;
  if (!(await eraseSubscriber(primaryDb(c.env), subscriberId, new Date()))) return invalidLinkPage(c);
  return personalPage(
    c,
    'Your address is deleted',
    <UnsubscribedPage newsletterName={newsletterName(c)} erased={true} />,
  );
});

/** Readers' newsletter subscriptions: signup, confirmation, time zone, unsubscribe and erasure. */
export const newsletterRoutes = new Hono<AppEnv>()
  .post('/newsletter', ...submitSignup)
  .get(CHECK_INBOX_PATH, ...showCheckInbox)
  .get('/newsletter/confirm', ...showConfirmation)
  .post('/newsletter/confirm', ...confirmSubscription)
  .get(ONE_CLICK_UNSUBSCRIBE_PATH, ...showUnsubscribe)
  .post('/newsletter/time-zone', ...saveTimeZone)
  .post(ONE_CLICK_UNSUBSCRIBE_PATH, ...cancelSubscription)
  .post('/newsletter/erase', ...eraseAddress);
