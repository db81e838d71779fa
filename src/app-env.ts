import type { SecureHeadersVariables } from 'hono/secure-headers';
import type { CommentInput } from './domain/comment-input';

/** The Hono environment every route and middleware shares. */
export type AppEnv = {
  Bindings: Env;
  Variables: SecureHeadersVariables & {
    /** A comment submission that passed validation and the spam traps, for the rate limiter's keys. */
    comment: CommentInput;
  };
};
