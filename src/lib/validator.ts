import { zValidator } from '@hono/zod-validator';
import type { Context, Env, ValidationTargets } from 'hono';
import type { $ZodError, $ZodType } from 'zod/v4/core';

/** What a route answers when its input does not parse: the error, and what was submitted, as it came. */
export type InvalidInput<E extends Env> = (
  c: Context<E>,
  error: $ZodError,
  submitted: unknown,
) => Response | Promise<Response>;

/**
 * `zValidator` for an app whose environment is `E`: its refusal handler gets `Context<E>`. (Inside
 * a route chain, zValidator types its hook's context with Hono's default Env; at run time it is
 * the app's own.) Without `onInvalid`, a refusal is zValidator's 400.
 *
 * @example
 * const validInput = inputValidator<AppEnv>();
 * app.post('/x', validInput('form', schema, (c, error) => c.text('No', 422)), (c) => c.json(c.req.valid('form')));
 */
export const inputValidator =
  <E extends Env>() =>
  <Target extends keyof ValidationTargets, Schema extends $ZodType>(
    target: Target,
    schema: Schema,
    onInvalid?: InvalidInput<E>,
  ) =>
    zValidator(target, schema, (result, c) => {
      if (!result.success && onInvalid) return onInvalid(c as unknown as Context<E>, result.error, result.data);
    });
