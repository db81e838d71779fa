import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import { etag } from 'hono/etag';
import { HTTPException } from 'hono/http-exception';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { adminRoutes } from './admin/admin-routes';
import type { AppEnv } from './app-env';
import { commentApiRoutes } from './comments/api-routes';
import { commentEditRoutes } from './comments/edit-routes';
import { commentFormRoutes } from './comments/form-routes';
import { moderationApiRoutes } from './comments/moderation/moderation-api-routes';
import { NOTIFY_UNSUBSCRIBE_PATH } from './comments/notify-links';
import { notifyRoutes } from './comments/notify-routes';
import { siteConfig } from './config';
import { navigationQuery } from './db/navigation';
import { oldAddressTarget } from './db/old-addresses';
import { D1_BOOKMARK_COOKIE, D1_BOOKMARK_MAX_AGE_SECONDS, d1Session, readerDb } from './db/session';
import { fediverseRoutes } from './fediverse/fediverse-routes';
import { ErrorPage, errorMessage, NotFoundPage } from './layout/error-pages';
import { layoutRenderer, renderDocument } from './layout/layout';
import { logEvent } from './lib/log';
import { MAX_UPLOAD_BYTES } from './media/rules';
import { mediaVariantRoutes } from './media/variant-routes';
import { memberRoutes } from './members/member-routes';
import { memberCommenter, memberSession } from './members/member-session';
import { newsletterApiRoutes } from './newsletter/api-routes';
import { bounceRoutes } from './newsletter/bounce-routes';
import { newsletterRoutes, ONE_CLICK_UNSUBSCRIBE_PATH } from './newsletter/subscription-routes';
import { newsletterTokenApiRoutes } from './newsletter/token-api-routes';
import { healthRoutes } from './ops/health-routes';
import { formActionSources } from './paid/stripe-client';
import { STRIPE_WEBHOOK_PATH } from './paid/stripe-webhook';
import { subscribeRoutes } from './paid/subscribe-routes';
import { stripeWebhookRoutes } from './paid/webhook-routes';
import { ARTICLE_PATH, namesOldAddress, oldAddressKey, WEBMENTION_PATH } from './paths';
import { privacyRoutes } from './privacy/privacy-routes';
import { articleResponse } from './public-site/article-response';
import { articleRoutes } from './public-site/article-routes';
import { commentFeedRoutes } from './public-site/comment-feed-routes';
import { crawlerRoutes } from './public-site/crawler-routes';
import { feedRoutes } from './public-site/feed-routes';
import { homeRoutes } from './public-site/home-routes';
import { listingRoutes } from './public-site/listing-routes';
import { newsletterArchiveRoutes } from './public-site/newsletter-archive-routes';
import { searchRoutes } from './public-site/search-routes';
import { sitemapRoutes } from './public-site/sitemap-routes';
import { countArticleViews } from './readership';
import { staffCommenter } from './staff/staff-commenter';
import { staticPageRoutes } from './static-pages/static-page-routes';
import { webmentionLink, webmentionRoutes } from './webmention/receive-routes';

export const MAX_BODY_BYTES = 64 * 1024;
/** The forms that carry an image file (the media library, the article editor's hero): the file and the form's fields. */
const UPLOAD_ROUTES = /^\/admin\/(media|articles(\/[0-9]+)?)$/;
export const MAX_UPLOAD_BODY_BYTES = MAX_UPLOAD_BYTES + MAX_BODY_BYTES;
const MAX_UPLOAD_MB = MAX_UPLOAD_BYTES / 1024 / 1024;

const limitBody = (maxSize: number, message: string) =>
  bodyLimit({
    maxSize,
    onError: () => {
      throw new HTTPException(413, { message });
    },
  });

/** Hono's cross-site form check, except on paths that authenticate a request by other means. */
function csrfExcept(paths: string[]): MiddlewareHandler {
  const check = csrf();
  return (c, next) => (paths.includes(c.req.path) ? next() : check(c, next));
}

/** An error as the client reads it: JSON under /api/, the site's error page everywhere else. */
async function errorResponse(c: Context<AppEnv>, status: ContentfulStatusCode, message: string): Promise<Response> {
  if (c.req.path.startsWith('/api/')) return c.json({ error: message }, status);
  return c.html(
    renderDocument(siteConfig(c.env), <ErrorPage status={status} message={message} />, { title: message }),
    status,
  );
}

/** Builds the application: middleware order and route mounting, nothing else. */
export function createApp() {
  const app = new Hono<AppEnv>();

  // Cloudflare's Ray ID names the request in Workers Logs; locally a random id does.
  app.use('*', requestId({ headerName: '', generator: (c) => c.req.header('CF-Ray') ?? crypto.randomUUID() }));
  // No script runs on any page (JSON-LD blocks are data, not scripts); a route may send its own CSP.
  app.use(
    '*',
    secureHeaders({
      overwrite: false,
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'https:', 'data:'],
        fontSrc: ["'self'"],
        formAction: [formActionSources],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    }),
  );
  // The RFC 8058 one-click unsubscribes are posted by mail providers, with no Origin: their tokens authenticate them.
  // Cross-site form posts by design: mail clients' one-click unsubscribes, other sites' Webmentions, Stripe's events.
  app.use('*', csrfExcept([ONE_CLICK_UNSUBSCRIBE_PATH, NOTIFY_UNSUBSCRIBE_PATH, WEBMENTION_PATH, STRIPE_WEBHOOK_PATH]));
  const formLimit = limitBody(MAX_BODY_BYTES, 'What you sent is too large (at most 64 KB).');
  const uploadLimit = limitBody(
    MAX_UPLOAD_BODY_BYTES,
    `This file is too large: an image can be at most ${MAX_UPLOAD_MB} MB.`,
  );
  app.use('*', (c, next) => (UPLOAD_ROUTES.test(c.req.path) ? uploadLimit : formLimit)(c, next));
  app.use(
    '*',
    methodNotAllowed({
      app,
      onMethodNotAllowed: async (c, methods) => {
        const response = await errorResponse(c, 405, `This address does not accept ${c.req.method} requests.`);
        response.headers.set('Allow', methods.join(', '));
        return response;
      },
    }),
  );
  app.use(
    '*',
    d1Session<AppEnv>({
      database: (c) => c.env.DB,
      secret: (c) => c.env.BOOKMARK_COOKIE_SECRET,
      cookieName: D1_BOOKMARK_COOKIE,
      cookieMaxAgeSeconds: D1_BOOKMARK_MAX_AGE_SECONDS,
    }),
  );
  app.use('*', memberSession({ outside: ['/media/', '/api/', '/admin'] }));
  app.use('*', etag());
  app.use('*', layoutRenderer());

  // Around the article route and its page cache, so cache hits are counted too.
  app.use(ARTICLE_PATH, countArticleViews);
  app.use(ARTICLE_PATH, webmentionLink());
  app.route('/', healthRoutes);
  app.route('/', fediverseRoutes);
  // `/?p=42`, `/?page_id=7`: an old address of a post or page, answered before the home page.
  app.get('/', async (c, next) => {
    const search = new URL(c.req.url).searchParams;
    if (!namesOldAddress(search)) return next();
    const target = await oldAddressTarget(readerDb(c), oldAddressKey('/', search), siteConfig(c.env).timeZone);
    return target ? c.redirect(target, 301) : next();
  });
  app.route('/', homeRoutes);
  app.route('/', articleRoutes);
  app.route('/', listingRoutes);
  app.route('/', feedRoutes);
  app.route('/', commentFeedRoutes);
  app.route('/', crawlerRoutes);
  app.route('/', sitemapRoutes());
  app.route('/', searchRoutes);
  app.route('/', commentFormRoutes(articleResponse, staffCommenter, memberCommenter));
  app.route('/', commentEditRoutes);
  app.route('/', notifyRoutes);
  app.route('/', commentApiRoutes);
  app.route('/', moderationApiRoutes);
  app.route('/', webmentionRoutes);
  app.route('/', newsletterArchiveRoutes);
  app.route('/', newsletterRoutes);
  app.route('/', newsletterApiRoutes);
  app.route('/', bounceRoutes);
  app.route('/', newsletterTokenApiRoutes);
  app.route('/', privacyRoutes);
  app.route('/', memberRoutes);
  app.route('/', subscribeRoutes);
  app.route('/', stripeWebhookRoutes);
  app.route('/', adminRoutes);
  app.route('/', mediaVariantRoutes);
  // Last: a static page's one-segment address never shadows another route.
  app.route('/', staticPageRoutes);

  app.notFound(async (c) => {
    const db = readerDb(c);
    if (c.req.method === 'GET' || c.req.method === 'HEAD') {
      const url = new URL(c.req.url);
      const target = await oldAddressTarget(
        db,
        oldAddressKey(url.pathname, url.searchParams),
        siteConfig(c.env).timeZone,
      ).catch(() => undefined);
      if (target) return c.redirect(target, 301);
      // WordPress's addresses end with a slash (`/about/`, `/tag/nuclear/`): the same address without it.
      if (url.pathname.length > 1 && url.pathname.endsWith('/')) {
        // One leading slash: `//evil.example/` must not become a link to another site.
        return c.redirect(`/${url.pathname.replace(/^\/+|\/+$/g, '')}${url.search}`, 301);
      }
    }
    const navigation = await navigationQuery(db).catch(() => []);
    c.status(404);
    return c.render(<NotFoundPage />, { title: 'Page not found', navigation, canonicalPath: null });
  });

  app.onError((error, c) => {
    const status = error instanceof HTTPException ? error.status : 500;
    if (status >= 500) {
      logEvent('error', 'request.failed', {
        requestId: c.var.requestId,
        method: c.req.method,
        path: c.req.path,
        status,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
    }
    const message = errorMessage(status, error instanceof HTTPException ? error.message : '');
    if (status === 401 && error instanceof HTTPException) return error.getResponse();
    return errorResponse(c, status, message);
  });

  return app;
}
