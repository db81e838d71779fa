import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { mediaLibraryRoutes } from '../media/library';
import { articleAdminRoutes } from './articles';
import { dashboardRoutes } from './dashboard';
import { moderationRoutes } from './moderation';
import { requireEditor } from './session-middleware';
import { SIGN_IN_PATH, signInRoutes } from './sign-in';
import { subscriberRoutes } from './subscribers';
import { adminRenderer } from './views/admin-layout';

/**
 * Everything under /admin: only for a signed-in editor (except the sign-in form), never cached
 * (`private, no-store`; no admin route uses the public page cache), rendered in the admin layout.
 */
export const adminRoutes = new Hono<AppEnv>()
  .use('/admin/*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'private, no-store');
  })
  .use('/admin/*', requireEditor({ signInPath: SIGN_IN_PATH, publicPaths: [SIGN_IN_PATH] }))
  .use('/admin/*', adminRenderer())
  .route('/', signInRoutes)
  .route('/', dashboardRoutes)
  .route('/', articleAdminRoutes)
  .route('/', moderationRoutes)
  .route('/', subscriberRoutes)
  .route('/', mediaLibraryRoutes);
