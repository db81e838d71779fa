import { Hono } from 'hono';
import { etag } from 'hono/etag';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from './app-env';
import { siteConfig } from './config';
import { createDb } from './db/client';
import { navigationSectionsQuery } from './db/sections';
import { articleRoutes } from './routes/articles';
import { homeRoutes } from './routes/home';
import { listingRoutes } from './routes/listings';
import { ErrorPage, NotFoundPage } from './views/error-pages';
import { layoutRenderer, renderDocument } from './views/layout';

/** Builds the application: middleware order and route mounting, nothing else. */
export function createApp() {
  const app = new Hono<AppEnv>();

  app.use('*', secureHeaders());
  app.use('*', etag());
  app.use('*', layoutRenderer());

  app.route('/', homeRoutes);
  app.route('/', articleRoutes);
  app.route('/', listingRoutes);

  app.notFound(async (c) => {
    const sections = await navigationSectionsQuery(createDb(c.env.DB)).catch(() => []);
    c.status(404);
    return c.render(<NotFoundPage />, { title: 'Page not found', sections });
  });

  app.onError((error, c) => {
    const status = error instanceof HTTPException ? error.status : 500;
    if (status >= 500) console.error(`${c.req.method} ${c.req.path} failed:`, error);
    const message = error instanceof HTTPException ? error.message : 'Internal Server Error';
    if (c.req.path.startsWith('/api/')) return c.json({ error: status >= 500 ? 'Internal Server Error' : message }, status);
    return c.html(
      renderDocument(siteConfig(c.env), <ErrorPage status={status} message={message} />, {
        title: status >= 500 ? 'Something went wrong' : message,
      }),
      status,
    );
  });

  return app;
}
