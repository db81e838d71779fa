import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import { etag } from 'hono/etag';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from './app-env';
import { siteConfig } from './config';
import { createDb } from './db/client';
import { navigationSectionsQuery } from './db/sections';
import { commentApiRoutes } from './routes/api/comments';
import { moderationApiRoutes } from './routes/api/moderation';
import { articleRoutes } from './routes/articles';
import { commentRoutes } from './routes/comments';
import { homeRoutes } from './routes/home';
import { listingRoutes } from './routes/listings';
import { ErrorPage, errorMessage, NotFoundPage } from './views/error-pages';

export const MAX_BODY_BYTES = 64 * 1024;
import { layoutRenderer, renderDocument } from './views/layout';

/** Builds the application: middleware order and route mounting, nothing else. */
export function createApp() {
  const app = new Hono<AppEnv>();

  app.use('*', secureHeaders());
  app.use('*', csrf());
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new HTTPException(413, { message: 'What you sent is too large (at most 64 KB).' });
      },
    }),
  );
  app.use('*', etag());
  app.use('*', layoutRenderer());

  app.route('/', homeRoutes);
  app.route('/', articleRoutes);
  app.route('/', listingRoutes);
  app.route('/', commentRoutes);
  app.route('/', commentApiRoutes);
  app.route('/', moderationApiRoutes);

  app.notFound(async (c) => {
    const sections = await navigationSectionsQuery(createDb(c.env.DB)).catch(() => []);
    c.status(404);
    return c.render(<NotFoundPage />, { title: 'Page not found', sections });
  });

  app.onError((error, c) => {
    const status = error instanceof HTTPException ? error.status : 500;
    if (status >= 500) console.error(`${c.req.method} ${c.req.path} failed:`, error);
    const message = errorMessage(status, error instanceof HTTPException ? error.message : '');
    if (status === 401 && error instanceof HTTPException) return error.getResponse();
    if (c.req.path.startsWith('/api/')) return c.json({ error: message }, status);
    return c.html(
      renderDocument(siteConfig(c.env), <ErrorPage status={status} message={message} />, { title: message }),
      status,
    );
  });

  return app;
}
