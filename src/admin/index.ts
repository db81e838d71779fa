import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { authorsSectionsRoutes } from '../authors-sections/routes';
import { mediaLibraryRoutes } from '../media/library';
import { issueRoutes } from '../newsletter/editorial';
import { INVITATION_PATH_PATTERN } from '../staff/invitations';
import { invitationRoutes, staffRoutes } from '../staff/routes';
import { articleAdminRoutes } from './articles';
import { blockRoutes } from './blocks';
import { dashboardRoutes } from './dashboard';
import { moderationRoutes } from './moderation';
import { reviewRoutes } from './reviews';
import { revisionRoutes } from './revisions';
import { requireEditor } from './session-middleware';
import { SIGN_IN_PATH, signInRoutes } from './sign-in';
import { subscriberRoutes } from './subscribers';
import { adminRenderer } from './views/admin-layout';

/** What anyone may open without a session: the sign-in form and the invitation links. */
export const ADMIN_PUBLIC_PATHS = [SIGN_IN_PATH, INVITATION_PATH_PATTERN];

/**
 * Everything under /admin: only for a signed-in staff member (except the sign-in form and invitation links), never cached
 * (`private, no-store`; no admin route uses the public page cache), rendered in the admin layout.
 */
export const adminRoutes = new Hono<AppEnv>()
  .use('/admin/*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'private, no-store');
  })
  .use('/admin/*', requireEditor({ signInPath: SIGN_IN_PATH, publicPaths: ADMIN_PUBLIC_PATHS }))
  .use('/admin/*', adminRenderer())
  .route('/', signInRoutes)
  .route('/', dashboardRoutes)
  .route('/', articleAdminRoutes)
  .route('/', revisionRoutes)
  .route('/', reviewRoutes)
  .route('/', moderationRoutes)
  .route('/', blockRoutes)
  .route('/', subscriberRoutes)
  .route('/', issueRoutes)
  .route('/', mediaLibraryRoutes)
  .route('/', staffRoutes)
  .route('/', authorsSectionsRoutes)
  .route('/', invitationRoutes);
