import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { type AppEnv, validInput } from '../app-env';
import { primaryDb } from '../db/client';
import { EMAIL_MAX_LENGTH } from '../lib/email';
import { submittedStrings } from '../lib/form-errors';
import { clientAddress, ipGroup } from '../lib/ip-group';
import { PASSWORD_MAX_LENGTH } from '../lib/password';
import { describeWait, rateLimit } from '../rate-limit';
import { clearSessionCookie, sessionToken, setSessionCookie } from './session-middleware';
import { endSession, signIn } from './sessions';
import { SignInPage } from './views/sign-in-page';

export const SIGN_IN_PATH = '/admin/sign-in';

const signInSchema = z.object({
  email: z.string().trim().toLowerCase().min(1).max(EMAIL_MAX_LENGTH),
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});

const WRONG = 'That email and password do not match an editor’s. Please try again.';

function signInForm(
  c: Context<AppEnv>,
  status: 200 | 401 | 422 | 429,
  { email, message }: { email?: string; message?: string } = {},
) {
  c.status(status);
  return c.render(<SignInPage email={email} message={message} />, { title: 'Sign in' });
}

/** Sign-in attempts per network (/24, /48) and per email address, whether they succeed or not. */
const signInRateLimit = rateLimit<AppEnv>({
  namespace: (c) => c.env.RATE_LIMITER,
  keys: async (c) => {
    const form = await c.req.formData().catch(() => undefined);
    const email = String(form?.get('email') ?? '')
      .trim()
      .toLowerCase();
    const tooMany = 'Too many sign-in attempts.';
    return [
      {
        key: `editor-sign-in-ip:${ipGroup(clientAddress(c) ?? '')}`,
        rules: [
          { limit: 10, windowSeconds: 60, message: tooMany },
          { limit: 50, windowSeconds: 3600, message: tooMany },
        ],
      },
      ...(email
        ? [{ key: `editor-sign-in-email:${email}`, rules: [{ limit: 5, windowSeconds: 900, message: tooMany }] }]
        : []),
    ];
  },
  onLimited: (c, { rule, retryAfterSeconds }) =>
    signInForm(c, 429, { message: `${rule.message} Please wait ${describeWait(retryAfterSeconds)} and try again.` }),
});

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
      const token = await signIn(primaryDb(c.env), { email, password, now: new Date() });
      if (!token) return signInForm(c, 401, { email, message: WRONG });
      setSessionCookie(c, token);
      return c.redirect('/admin', 303);
    },
  )
  .post('/admin/sign-out', async (c) => {
    const token = sessionToken(c);
    if (token) await endSession(primaryDb(c.env), token);
    clearSessionCookie(c);
    return c.redirect(SIGN_IN_PATH, 303);
  });
