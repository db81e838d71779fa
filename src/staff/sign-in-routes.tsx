import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { type AppEnv, validInput } from '../app-env';
import { primaryDb } from '../db/client';
import { EMAIL_MAX_LENGTH } from '../lib/email';
import { submittedStrings } from '../lib/form-errors';
import { clientAddress, ipGroup } from '../lib/ip-group';
import { PASSWORD_MAX_LENGTH } from '../lib/password';
import {
  describeWait,
  type RateLimitKey,
  type RateLimitRefusal,
  type RateLimitRule,
  rateLimit,
  reserveHits,
} from '../rate-limit';
import { DEVICE_LINK_PATH, deviceLinkStaffMember, mailDeviceLink } from './device-link';
import { isKnownDevice, rememberDevice } from './known-device';
import { clearSessionCookie, sessionToken, setSessionCookie } from './session-middleware';
import { endSession, passwordOwner, signIn, startSession } from './sessions';
import { DeviceLinkPage, SignInPage } from './views/sign-in-page';

export const SIGN_IN_PATH = '/admin/sign-in';

const signInSchema = z.object({
  email: z.string().trim().toLowerCase().min(1).max(EMAIL_MAX_LENGTH),
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});

const WRONG = 'That email and password do not match a staff member’s. Please try again.';

function signInForm(
  c: Context<AppEnv>,
  status: 200 | 400 | 401 | 422 | 429,
  { email, message }: { email?: string; message?: string } = {},
) {
  c.status(status);
  return c.render(<SignInPage email={email} message={message} />, { title: 'Sign in' });
}

const TOO_MANY = 'Too many sign-in attempts.';
const minutes = (count: number) => count * 60;

/** All attempts per network (/24, /48): bounds the password-hashing work one network can cause. */
const signInRateLimit = rateLimit<AppEnv>({
  namespace: (c) => c.env.RATE_LIMITER,
  keys: (c) => [
    {
      key: `staff-sign-in-ip:${ipGroup(clientAddress(c) ?? '')}`,
      rules: [
        { limit: 10, windowSeconds: 60, message: TOO_MANY },
        { limit: 50, windowSeconds: 3600, message: TOO_MANY },
      ],
    },
  ],
  onLimited: (c, refusal) => signInForm(c, 429, { message: waitMessage(refusal) }),
});

const waitMessage = ({ rule, retryAfterSeconds }: RateLimitRefusal) =>
  `${rule.message} Please wait ${describeWait(retryAfterSeconds)} and try again.`;

/** Failed attempts only, so that nobody can lock an editor out; each key backs off in steps. */
export const FAILED_SIGN_IN_RULES = {
  /** From one network, for one email: 5 in 15 minutes, 10 an hour, 20 a day. */
  pair: [
    { limit: 5, windowSeconds: minutes(15), message: TOO_MANY },
    { limit: 10, windowSeconds: minutes(60), message: TOO_MANY },
    { limit: 20, windowSeconds: minutes(24 * 60), message: TOO_MANY },
  ],
  /** From one network, whatever the email. */
  network: [
    { limit: 20, windowSeconds: minutes(15), message: TOO_MANY },
    { limit: 100, windowSeconds: minutes(24 * 60), message: TOO_MANY },
  ],
  /** For one email from everywhere (a distributed guesser), except from a browser it signed in on. */
  email: [
    { limit: 20, windowSeconds: minutes(60), message: TOO_MANY },
    { limit: 100, windowSeconds: minutes(24 * 60), message: TOO_MANY },
  ],
} satisfies Record<string, RateLimitRule[]>;

/** The failure counts an attempt goes into: this network's, and the email's from everywhere unless this browser is known. */
async function failureKeys(
  c: Context<AppEnv>,
  email: string,
): Promise<{ network: RateLimitKey[]; email: RateLimitKey[] }> {
  const network = ipGroup(clientAddress(c) ?? '');
  return {
    network: [
      { key: `staff-sign-in-fail:${email}|${network}`, rules: FAILED_SIGN_IN_RULES.pair },
      { key: `staff-sign-in-fail-ip:${network}`, rules: FAILED_SIGN_IN_RULES.network },
    ],
    email: (await isKnownDevice(c, email))
      ? []
      : [{ key: `staff-sign-in-fail-email:${email}`, rules: FAILED_SIGN_IN_RULES.email }],
  };
}

const NEW_DEVICE =
  'Too many wrong passwords have been tried for this address, so this browser cannot sign in with a password for now. If your password was right, we have emailed you a link that signs this browser in.';

/**
 * An attempt from a browser that never signed in, once strangers have spent the email's budget of
 * failures: a right password mails a one-time link that signs this browser in (a second factor: the
 * mailbox), so strangers cannot keep the staff member out. The answer is the same either way, and
 * the mail leaves after it, so neither what is said nor how long it takes tells a guesser anything.
 */
async function newDeviceAttempt(
  c: Context<AppEnv>,
  { email, password }: { email: string; password: string },
  networkAttempt: { release: () => Promise<void> },
  retryAfterSeconds: number,
) {
  const owner = await passwordOwner(primaryDb(c.env), email, password);
  if (owner) {
    await networkAttempt.release();
    c.executionCtx.waitUntil(mailDeviceLink(c.env, owner, new Date()));
  }
  const response = await signInForm(c, 429, { email, message: NEW_DEVICE });
  response.headers.set('Retry-After', String(retryAfterSeconds));
  return response;
}

/** The sign-in form (email and password) and sign-out; a session is a row in D1 and an HttpOnly cookie. */
export const signInRoutes = new Hono<AppEnv>()
  .get(SIGN_IN_PATH, (c) => signInForm(c, 200))
  .post(
    SIGN_IN_PATH,
    signInRateLimit,
    validInput('form', signInSchema, (c, _error, submitted) =>
      signInForm(c, 422, {
        ...submittedStrings(submitted, ['email']),
        message: 'Please enter your email and your password.',
      }),
    ),
    async (c) => {
      const { email, password } = c.req.valid('form');
      // Counted before the password is checked, taken back if it was right: concurrent guesses cannot
      // all be checked before any of them is counted.
      const now = Date.now();
      const keys = await failureKeys(c, email);
      const attempt = await reserveHits(c.env.RATE_LIMITER, keys.network, now);
      const emailAttempt = await reserveHits(c.env.RATE_LIMITER, attempt.refusal ? [] : keys.email, now);
      if (emailAttempt.refusal) {
        return newDeviceAttempt(c, { email, password }, attempt, emailAttempt.refusal.retryAfterSeconds);
      }
      const { refusal } = attempt;
      if (refusal) {
        const response = await signInForm(c, 429, { email, message: waitMessage(refusal) });
        response.headers.set('Retry-After', String(refusal.retryAfterSeconds));
        return response;
      }
      const token = await signIn(primaryDb(c.env), { email, password, now: new Date() });
      if (!token) return signInForm(c, 401, { email, message: WRONG });
      await Promise.all([attempt.release(), emailAttempt.release()]);
      await setSessionCookie(c, token);
      await rememberDevice(c, email);
      return c.redirect('/admin', 303);
    },
  )
  .get(DEVICE_LINK_PATH, validInput('query', z.object({ token: z.string().max(200).catch('') })), (c) =>
    c.render(<DeviceLinkPage token={c.req.valid('query').token} />, { title: 'Sign in on this browser' }),
  )
  .post(DEVICE_LINK_PATH, validInput('form', z.object({ token: z.string().max(200).catch('') })), async (c) => {
    const db = primaryDb(c.env);
    const member = await deviceLinkStaffMember(c.env, db, c.req.valid('form').token, new Date());
    if (!member) {
      return signInForm(c, 400, { message: 'This sign-in link has expired or has been used. Sign in again.' });
    }
    await setSessionCookie(c, await startSession(db, member.id, new Date()));
    await rememberDevice(c, member.email);
    return c.redirect('/admin', 303);
  })
  .post('/admin/sign-out', async (c) => {
    const token = sessionToken(c);
    if (token) await endSession(primaryDb(c.env), token);
    clearSessionCookie(c);
    return c.redirect(SIGN_IN_PATH, 303);
  });
