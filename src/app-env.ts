import type { RequestIdVariables } from 'hono/request-id';
import type { SecureHeadersVariables } from 'hono/secure-headers';
import type { Db } from './db/client';
import { inputValidator } from './lib/validator';

/** The Hono environment every route and middleware shares; a capability declares its own variables (Hono's ContextVariableMap) beside the middleware that sets them. */
export type AppEnv = {
  Bindings: Env;
  Variables: SecureHeadersVariables &
    RequestIdVariables & {
      /** Drizzle over this request's D1 session (see db/session.ts). */
      db: Db;
    };
};

/** zValidator for this app's routes: the refusal handler gets this app's context. */
export const validInput = inputValidator<AppEnv>();
