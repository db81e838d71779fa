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
import { isKnownDevice, rememberDevice } from './known-device';
import { clearSessionCookie, sessionToken, setSessionCookie } from './session-middleware';
import { endSession, signIn } from './sessions';
import { SignInPage } from './views/sign-in-page';

export const SIGN_IN_PATH = '/admin/sign-in';

const signInSchema = z.object({
  email: z.string().trim().toLowerCase().min(1).max(EMAIL_MAX_LENGTH),
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});

const WRONG = 'That email and password do not match a staff member’s. Please try again.';

function signInForm(
  c: Context<AppEnv>,
  status: 200 | 401 | 422 | 429,
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

async function failureKeys(c: Context<AppEnv>, email: string): Promise<RateLimitKey[]> {
  const network = ipGroup(clientAddress(c) ?? '');
  const keys = [
    { key: `staff-sign-in-fail:${email}|${network}`, rules: FAILED_SIGN_IN_RULES.pair },
    { key: `staff-sign-in-fail-ip:${network}`, rules: FAILED_SIGN_IN_RULES.network },
  ];
  if (await isKnownDevice(c, email)) return keys;
  return [...keys, { key: `staff-sign-in-fail-email:${email}`, rules: FAILED_SIGN_IN_RULES.email }];
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
      const attempt = await reserveHits(c.env.RATE_LIMITER, await failureKeys(c, email), Date.now());
      const { refusal } = attempt;
      if (refusal) {
        const response = await signInForm(c, 429, { email, message: waitMessage(refusal) });
        response.headers.set('Retry-After', String(refusal.retryAfterSeconds));
        return response;
      }
      const token = await signIn(primaryDb(c.env), { email, password, now: new Date() });
      if (!token) return signInForm(c, 401, { email, message: WRONG });
      await attempt.release();
      await setSessionCookie(c, token);
      await rememberDevice(c, email);
      return c.redirect('/admin', 303);
    },
  )
  .post('/admin/sign-out', async (c) => {
    const token = sessionToken(c);
    if (token) await endSession(primaryDb(c.env), token);
    clearSessionCookie(c);
    return c.redirect(SIGN_IN_PATH, 303);
  });
