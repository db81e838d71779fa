import type { RequestIdVariables } from 'hono/request-id';
import type { SecureHeadersVariables } from 'hono/secure-headers';
import type { SignedInEditor } from './admin/sessions';
import type { CommentInput } from './comments/input';
import type { Db } from './db/client';
import { inputValidator } from './lib/validator';
import type { NewsletterSignupInput } from './newsletter/signup-input';

/** The Hono environment every route and middleware shares. */
export type AppEnv = {
  Bindings: Env;
  Variables: SecureHeadersVariables &
    RequestIdVariables & {
      /** Drizzle over this request's D1 session (see db/session.ts). */
      db: Db;
      /** A comment submission that passed validation and the spam traps, for the rate limiter's keys. */
      comment: CommentInput;
      /** A newsletter signup that passed validation, the honeypot and the blocklist, for the rate limiter's keys. */
      newsletterSignup: NewsletterSignupInput;
      /** The editor signed in to /admin (set by requireEditor). */
      editor: SignedInEditor;
      /** The signed-in editor's per-session token, which every admin form carries (checked by requireEditor). */
      csrfToken: string;
    };
};

/** zValidator for this app's routes: the refusal handler gets this app's context. */
export const validInput = inputValidator<AppEnv>();
