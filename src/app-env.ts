import type { RequestIdVariables } from 'hono/request-id';
import type { SecureHeadersVariables } from 'hono/secure-headers';
import { inputValidator } from './lib/validator';

/** The Hono environment every route and middleware shares; a capability declares its own variables (Hono's ContextVariableMap) beside the middleware that sets them. */
export type AppEnv = {
  Bindings: Env;
  Variables: SecureHeadersVariables & RequestIdVariables;
};

/** zValidator for this app's routes: the refusal handler gets this app's context. */
export const validInput = inputValidator<AppEnv>();
