import type { SecureHeadersVariables } from 'hono/secure-headers';

/** The Hono environment every route and middleware shares. */
export type AppEnv = {
  Bindings: Env;
  Variables: SecureHeadersVariables;
};
