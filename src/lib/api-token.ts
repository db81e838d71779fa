import type { MiddlewareHandler } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { timingSafeEqual } from 'hono/utils/buffer';

/**
 * Lets through only requests with `Authorization: Bearer $MODERATOR_TOKEN` (the moderators' and
 * editors' APIs, until there are sign-ins); anyone else gets a 401.
 *
 * @example
 * route.use('/api/moderation/*', moderatorAuth())
 */
export function moderatorAuth(): MiddlewareHandler<{ Bindings: Env }> {
  return bearerAuth({
    verifyToken: async (token, c) => {
      const expected = (c.env as Env).MODERATOR_TOKEN;
      return Boolean(expected) && (await timingSafeEqual(expected, token));
    },
  });
}
