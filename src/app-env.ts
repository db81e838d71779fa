import type { SecureHeadersVariables } from 'hono/secure-headers';
import type { Db } from './db/client';
import type { CommentInput } from './comments/input';
import type { NewsletterSignupInput } from './newsletter/signup-input';
import type { SignedInEditor } from './admin/sessions';

/** The Hono environment every route and middleware shares. */
export type AppEnv = {
  Bindings: Env;
  Variables: SecureHeadersVariables & {
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
