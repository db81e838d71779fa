import { Hono, type MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { siteConfig } from '../config';
import { primaryDb } from '../db/client';
import { fediverseHandle } from '../paths';
import { requireRole } from '../staff/require-role';
import { allFollowers, reactionCounts } from './queries';
import { FediversePage } from './views/fediverse-page';

/** The addresses Fedify answers. */
const FEDIVERSE_PATHS = ['/ap/*', '/nodeinfo/*', '/.well-known/webfinger', '/.well-known/nodeinfo'];

/** Rows the admin's page lists, at most: the newest followers and the most liked and boosted articles. */
const LISTED = 500;

/**
 * Hands a request to Fedify: WebFinger, NodeInfo, the actors, their inboxes and collections, the
 * articles as objects. Fedify checks every inbox POST's HTTP Signature (401 without a valid one).
 * An address Fedify does not know goes on to the site's own 404.
 */
const federate: MiddlewareHandler<AppEnv> = async (c, next) => {
  // Fedify and its vocabulary (2.6 MB) are evaluated when the fediverse is first asked, not at every isolate's start.
  const { federation, federationData } = await import('./federation');
  let unknown = false;
  let response: Response;
  try {
    response = await (await federation(c.env)).fetch(c.req.raw, {
      contextData: federationData(c.env),
      onNotFound: () => {
        unknown = true;
        return new Response(null, { status: 404 });
      },
    });
  } catch (error) {
    // An activity naming a JSON-LD context that cannot be fetched or read (jsonld.js's errors) is the sender's fault.
    if (error instanceof Error && error.name.startsWith('jsonld.')) {
      return c.json({ error: `This activity cannot be read as JSON-LD: ${error.name.slice('jsonld.'.length)}.` }, 400);
    }
    throw error;
  }
  if (!unknown) return response;
  await next();
};

/** The fediverse's addresses, and the admin's page of followers, likes and boosts (editors and up). */
export const fediverseRoutes = new Hono<AppEnv>();
// ActivityPub reads with GET and delivers with POST. Fedify would read another method's body as an
// activity (a PUT to the inbox fetched its JSON-LD context, and failed with a 500): those are answered 405.
for (const path of FEDIVERSE_PATHS) fediverseRoutes.on(['GET', 'POST'], path, federate);

export const fediverseAdminRoutes = new Hono<AppEnv>().get('/admin/fediverse', requireRole('editor'), async (c) => {
  const db = primaryDb(c.env);
  const site = siteConfig(c.env);
  const [followers, reactions] = await Promise.all([allFollowers(db, LISTED), reactionCounts(db, LISTED)]);
  return c.render(
    <FediversePage
      handle={fediverseHandle(site.fediverseHandle, site.url)}
      followers={followers}
      reactions={reactions}
      timeZone={site.timeZone}
    />,
    { title: 'Fediverse' },
  );
});
