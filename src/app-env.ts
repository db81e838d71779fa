import type { SecureHeadersVariables } from 'hono/secure-headers';
import type { Db } from './db/client';
import type { CommentInput } from './domain/comment-input';
import type { NewsletterSignupInput } from './domain/newsletter-signup-input';
import type { SignedInEditor } from './services/editor-sessions';

/** The Hono environment every route and middleware shares. */
export type AppEnv = {
  Bindings: Env;
  Variables: SecureHeadersVariables & {
    /** Drizzle over this request's D1 session (see middleware/d1-session.ts). */
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
