import { type Context, Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { articleAdminRoutes } from '../articles/article-routes';
import { reviewRoutes } from '../articles/review-routes';
import { revisionRoutes } from '../articles/revision-routes';
import { authorsSectionsRoutes } from '../authors-sections/authors-sections-routes';
import { blockRoutes } from '../comments/moderation/block-routes';
import { moderationRoutes } from '../comments/moderation/moderation-routes';
import type { Role } from '../db/schema';
import { fediverseAdminRoutes } from '../fediverse/fediverse-routes';
import { type AdminAccount, adminRenderer } from '../layout/admin-layout';
import { mediaLibraryRoutes } from '../media/library-routes';
import { issueRoutes } from '../newsletter/issue-routes';
import { subscriberRoutes } from '../newsletter/subscriber-routes';
import { paidAdminRoutes } from '../paid/paid-admin-routes';
import { DEVICE_LINK_PATH } from '../staff/device-link';
import { INVITATION_PATH_PATTERN } from '../staff/invitations';
import { hasRole } from '../staff/roles';
import { requireStaff } from '../staff/session-middleware';
import { SIGN_IN_PATH, signInRoutes } from '../staff/sign-in-routes';
import { invitationRoutes, staffRoutes } from '../staff/staff-routes';
import { staticPageAdminRoutes } from '../static-pages/static-page-admin-routes';
import { dashboardRoutes } from './dashboard-routes';

/** The admin's sections, each shown to the roles that may open it. */
const NAVIGATION: [href: string, label: string, role: Role][] = [
  ['/admin', 'Dashboard', 'editor'],
  ['/admin/articles', 'Articles', 'contributor'],
  ['/admin/reviews', 'Reviews', 'editor'],
  ['/admin/media', 'Images', 'contributor'],
  ['/admin/pages', 'Pages', 'editor'],
  ['/admin/comments', 'Comments', 'editor'],
  ['/admin/fediverse', 'Fediverse', 'editor'],
  ['/admin/newsletter/issues', 'Newsletter', 'editor'],
  ['/admin/members', 'Members', 'editor'],
  ['/admin/subscribers', 'Subscribers', 'administrator'],
  ['/admin/tiers', 'Tiers', 'administrator'],
  ['/admin/staff', 'Staff', 'administrator'],
  ['/admin/sections', 'Sections', 'administrator'],
  ['/admin/authors', 'Authors', 'administrator'],
];

/** The signed-in staff member's name and sections for the admin's header; none on the sign-in page. */
function signedInAccount(c: Context<AppEnv>): AdminAccount | undefined {
  const staffMember = c.get('staffMember');
  if (!staffMember) return undefined;
  return {
    name: staffMember.name || staffMember.email,
    navigation: NAVIGATION.filter(([, , role]) => hasRole(staffMember.role, role)).map(([href, label]) => ({
      href,
      label,
    })),
  };
}

/** What anyone may open without a session: the sign-in form and the invitation links. */
export const ADMIN_PUBLIC_PATHS = [SIGN_IN_PATH, DEVICE_LINK_PATH, INVITATION_PATH_PATTERN];

/**
 * Everything under /admin: only for a signed-in staff member (except the sign-in form and invitation links), never cached
 * (`private, no-store`; no admin route uses the public page cache), rendered in the admin layout.
 */
export const adminRoutes = new Hono<AppEnv>()
  .use('/admin/*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'private, no-store');
  })
  .use('/admin/*', requireStaff({ signInPath: SIGN_IN_PATH, publicPaths: ADMIN_PUBLIC_PATHS }))
  .use('/admin/*', adminRenderer(signedInAccount))
  .route('/', signInRoutes)
  .route('/', dashboardRoutes)
  .route('/', articleAdminRoutes)
  .route('/', revisionRoutes)
  .route('/', reviewRoutes)
  .route('/', moderationRoutes)
  .route('/', blockRoutes)
  .route('/', fediverseAdminRoutes)
  .route('/', subscriberRoutes)
  .route('/', paidAdminRoutes)
  .route('/', issueRoutes)
  .route('/', mediaLibraryRoutes)
  .route('/', staffRoutes)
  .route('/', authorsSectionsRoutes)
  .route('/', staticPageAdminRoutes)
  .route('/', invitationRoutes);
