import { type Context, Hono, type MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { type AppEnv, validInput } from '../app-env';
import { COMMENT_LIMITS, commentInputSchema } from '../comments/input';
import { siteConfig } from '../config';
import { type Db, primaryDb } from '../db/client';
import { doneMessages } from '../layout/done-messages';
import { personalPage } from '../layout/personal-page';
import { emailAddressSchema, mailboxKey } from '../lib/email';
import { firstErrorPerField, submittedStrings } from '../lib/form-errors';
import { clientAddress, ipGroup } from '../lib/ip-group';
import { subscriberMailbox } from '../newsletter/signup';
import {
  confirmProvenMailbox,
  isConfirmedSubscriber,
  subscriberIdOf,
  unsubscribeSubscriber,
} from '../newsletter/subscriber-queries';
import { ACCOUNT_PATH, ACCOUNT_SIGN_IN_PATH } from '../paths';
import { describeWait, type RateLimitRefusal, rateLimit } from '../rate-limit';
import { MEMBER_LINK_LIFETIME_MS, MEMBER_LINK_PATH, mailMemberLink, useMemberLink } from './member-links';
import { changeMemberEmail, linkSubscriber, memberById, memberForSignIn, renameMember } from './member-queries';
import { type SignedInMember, signInMember, signOutMember } from './member-session';
import {
  type AccountField,
  AccountPage,
  CheckInboxPage,
  LinkRefusedPage,
  SignInPage,
  UseLinkPage,
} from './views/account-pages';

const CHECK_INBOX_PATH = `${ACCOUNT_PATH}/check-your-inbox`;
const LINK_MINUTES = MEMBER_LINK_LIFETIME_MS / 60_000;

/** Links asked for an hour: per network (/24, /48), and per address (folded as newsletter signups fold it). */
export const MEMBER_LINKS_PER_NETWORK_PER_HOUR = 10;
export const MEMBER_LINKS_PER_ADDRESS_PER_HOUR = 3;

const done = doneMessages({
  welcome: 'You are signed in.',
  name: 'Your name is saved.',
  'email-sent': 'Check the inbox of your new address: the link we sent it changes your account’s address.',
  email: 'Your account now uses this address.',
  'newsletter-on': 'You will receive the newsletter.',
  'newsletter-off': 'You will not receive the newsletter any more.',
});

const emailForm = z.object({ email: emailAddressSchema });
const nameForm = z.object({ name: commentInputSchema.shape.name });
const newsletterForm = z.object({ newsletter: z.literal('yes').optional().catch(undefined) });
const signOutForm = z.object({ everywhere: z.literal('yes').optional().catch(undefined) });
const tokenInput = z.object({ token: z.string().max(200).catch('') });

const signInPage = (c: Context<AppEnv>, status: ContentfulStatusCode, email?: string, error?: string) =>
  personalPage(c, 'Sign in', <SignInPage siteName={siteConfig(c.env).name} email={email} error={error} />, status);

/** The account's newsletter row: the linked subscriber, or the one of the member's address (linked from now on). */
async function accountSubscriber(db: Db, env: Env, member: SignedInMember): Promise<number | undefined> {
  if (member.subscriberId !== null) return member.subscriberId;
  const id = await subscriberIdOf(db, await subscriberMailbox(env, member.email));
  if (id !== undefined) await linkSubscriber(db, member.id, id);
  return id;
}

async function accountPage(
  c: Context<AppEnv>,
  member: SignedInMember,
  form: {
    status?: ContentfulStatusCode;
    message?: string;
    errors?: Partial<Record<AccountField, string>>;
    values?: Partial<Record<AccountField, string>>;
  } = {},
) {
  const db = primaryDb(c.env);
  const subscriberId = await accountSubscriber(db, c.env, member);
  const site = siteConfig(c.env);
  return personalPage(
    c,
    'Your account',
    <AccountPage
      email={member.email}
      name={member.name}
      newsletterName={site.newsletterName}
      paidUntil={(await memberById(db, member.id))?.paidUntil ?? null}
      timeZone={site.timeZone}
      receivesNewsletter={subscriberId !== undefined && (await isConfirmedSubscriber(db, subscriberId))}
      nameMaxLength={COMMENT_LIMITS.name}
      {...form}
    />,
    form.status ?? 200,
  );
}

const refusedLink = (c: Context<AppEnv>, status: ContentfulStatusCode, message: string) =>
  personalPage(c, 'Link not valid', <LinkRefusedPage message={message} />, status);

/** The account's pages are for a signed-in member: anyone else is sent to sign in. */
const requireMember: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.var.member) return c.redirect(ACCOUNT_SIGN_IN_PATH, 303);
  await next();
};

const signedIn = (c: Context<AppEnv>) => c.var.member!;

/** Links per network and per address, counted before anything is stored or mailed. */
const memberLinkRateLimit = (
  onLimited: (c: Context<AppEnv>, email: string, message: string) => Response | Promise<Response>,
) =>
  rateLimit<AppEnv, string, { in: { form: { email: string } }; out: { form: { email: string } } }>({
    namespace: (c) => c.env.RATE_LIMITER,
    keys: (c) => [
      {
        key: `member-link-ip:${ipGroup(clientAddress(c) ?? '')}`,
        rules: [
          {
            limit: MEMBER_LINKS_PER_NETWORK_PER_HOUR,
            windowSeconds: 3600,
            message: 'There have been too many sign-in links asked for from your network.',
          },
        ],
      },
      {
        key: `member-link-email:${mailboxKey(c.req.valid('form').email)}`,
        personal: true,
        rules: [
          {
            limit: MEMBER_LINKS_PER_ADDRESS_PER_HOUR,
            windowSeconds: 3600,
            message: 'A link has been asked for this address several times in the last hour.',
          },
        ],
      },
    ],
    onLimited: (c, { rule, retryAfterSeconds }: RateLimitRefusal) =>
      onLimited(
        c,
        c.req.valid('form').email,
        `${rule.message} Please try again in ${describeWait(retryAfterSeconds)}.`,
      ),
  });

/** The member's new address from a link: the account moves, and a newsletter they receive follows them. */
async function moveAccount(c: Context<AppEnv>, memberId: number, email: string, now: Date) {
  const db = primaryDb(c.env);
  const member = await memberById(db, memberId);
  if (!member) return refusedLink(c, 400, 'This account no longer exists.');
  if (!(await changeMemberEmail(db, memberId, email))) {
    return refusedLink(c, 409, 'This address already belongs to another account: sign in with it instead.');
  }
  const received = member.subscriberId !== null && (await isConfirmedSubscriber(db, member.subscriberId));
  const mailbox = await subscriberMailbox(c.env, email);
  if (received) {
    await linkSubscriber(db, memberId, await confirmProvenMailbox(db, mailbox, now));
    await unsubscribeSubscriber(db, member.subscriberId!, now);
  } else {
    await linkSubscriber(db, memberId, (await subscriberIdOf(db, mailbox)) ?? null);
  }
  if (c.var.member?.id !== memberId) await signInMember(c, memberId, now);
  return c.redirect(done.path(ACCOUNT_PATH, 'email'), 303);
}

/** Signing in (or up) by an emailed link, and the member's account page. */
export const memberRoutes = new Hono<AppEnv>()
  .get(ACCOUNT_SIGN_IN_PATH, (c) => signInPage(c, 200))
  .post(
    ACCOUNT_SIGN_IN_PATH,
    validInput('form', emailForm, (c, error, submitted) =>
      signInPage(c, 422, submittedStrings(submitted, ['email']).email, error.issues[0]?.message),
    ),
    memberLinkRateLimit((c, email, message) => signInPage(c, 429, email, message)),
    async (c) => {
      const { email } = c.req.valid('form');
      await mailMemberLink(
        c.env,
        primaryDb(c.env),
        { purpose: 'sign-in', email, now: new Date(), requestId: c.var.requestId },
        (task) => c.executionCtx.waitUntil(task),
      );
      return c.redirect(CHECK_INBOX_PATH, 303);
    },
  )
  .get(CHECK_INBOX_PATH, (c) => personalPage(c, 'Check your inbox', <CheckInboxPage minutes={LINK_MINUTES} />))
  .get(MEMBER_LINK_PATH, validInput('query', tokenInput), (c) =>
    personalPage(c, 'Sign in', <UseLinkPage token={c.req.valid('query').token} action="Continue" />),
  )
  .post(MEMBER_LINK_PATH, validInput('form', tokenInput), async (c) => {
    const db = primaryDb(c.env);
    const now = new Date();
    const link = await useMemberLink(db, c.req.valid('form').token, now);
    if (!link) return refusedLink(c, 400, 'This link has expired or has been used already.');
    if (link.purpose === 'email-change' && link.memberId !== null)
      return moveAccount(c, link.memberId, link.email, now);
    const member = await memberForSignIn(db, link.email);
    await signInMember(c, member.id, now);
    return c.redirect(done.path(ACCOUNT_PATH, 'welcome'), 303);
  })
  .use(ACCOUNT_PATH, requireMember)
  .use(`${ACCOUNT_PATH}/:form{name|email|newsletter|sign-out}`, requireMember)
  .get(ACCOUNT_PATH, done.query, (c) => accountPage(c, signedIn(c), { message: done.message(c.req.valid('query')) }))
  .post(
    `${ACCOUNT_PATH}/name`,
    validInput('form', nameForm, (c, error, submitted) =>
      accountPage(c, signedIn(c), {
        status: 422,
        errors: firstErrorPerField(error, ['name']),
        values: submittedStrings(submitted, ['name']),
        message: 'Your name has not been saved: please correct it.',
      }),
    ),
    async (c) => {
      await renameMember(primaryDb(c.env), signedIn(c).id, c.req.valid('form').name);
      return c.redirect(done.path(ACCOUNT_PATH, 'name'), 303);
    },
  )
  .post(
    `${ACCOUNT_PATH}/email`,
    validInput('form', emailForm, (c, error, submitted) =>
      accountPage(c, signedIn(c), {
        status: 422,
        errors: firstErrorPerField(error, ['email']),
        values: submittedStrings(submitted, ['email']),
        message: 'Your address has not been changed: please correct it.',
      }),
    ),
    memberLinkRateLimit((c, email, message) =>
      accountPage(c, signedIn(c), { status: 429, message, values: { email } }),
    ),
    async (c) => {
      const member = signedIn(c);
      const { email } = c.req.valid('form');
      if (mailboxKey(email) === mailboxKey(member.email)) {
        return accountPage(c, member, {
          status: 422,
          errors: { email: 'This is already your account’s address.' },
          values: { email },
        });
      }
      await mailMemberLink(
        c.env,
        primaryDb(c.env),
        { purpose: 'email-change', email, memberId: member.id, now: new Date(), requestId: c.var.requestId },
        (task) => c.executionCtx.waitUntil(task),
      );
      return c.redirect(done.path(ACCOUNT_PATH, 'email-sent'), 303);
    },
  )
  .post(`${ACCOUNT_PATH}/newsletter`, validInput('form', newsletterForm), async (c) => {
    const member = signedIn(c);
    const db = primaryDb(c.env);
    const now = new Date();
    if (c.req.valid('form').newsletter) {
      await linkSubscriber(
        db,
        member.id,
        await confirmProvenMailbox(db, await subscriberMailbox(c.env, member.email), now),
      );
      return c.redirect(done.path(ACCOUNT_PATH, 'newsletter-on'), 303);
    }
    const subscriberId = await accountSubscriber(db, c.env, member);
    if (subscriberId !== undefined) await unsubscribeSubscriber(db, subscriberId, now);
    return c.redirect(done.path(ACCOUNT_PATH, 'newsletter-off'), 303);
  })
  .post(`${ACCOUNT_PATH}/sign-out`, validInput('form', signOutForm), async (c) => {
    await signOutMember(c, { everywhere: c.req.valid('form').everywhere === 'yes' });
    return c.redirect('/', 303);
  });
