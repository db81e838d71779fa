import { type Context, Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { primaryDb } from '../db/client';
import { staffBrowsing } from '../staff/staff-commenter';
import { HASH_PATTERN, variantKey } from './keys';
import { mediaIsPublic } from './queries';
import { VARIANT_WIDTHS, type VariantFormat, variantFormat } from './rules';
import { contentTypeOf, makeVariant, type Variant } from './store';

/** Content-addressed, so a variant's bytes never change: browsers and caches keep it a year without asking. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/** A draft's image, for the signed-in staff member's browser alone. */
const PRIVATE = 'private, no-store';

function variantResponse(
  body: BodyInit,
  format: VariantFormat,
  etag: string,
  { negotiated, shared }: { negotiated: boolean; shared: boolean },
): Response {
  const headers = new Headers({
    'Content-Type': contentTypeOf(format),
    'Cache-Control': shared ? IMMUTABLE : PRIVATE,
    ETag: etag,
    'X-Content-Type-Options': 'nosniff',
  });
  if (negotiated) headers.set('Vary', 'Accept');
  return new Response(body, { headers });
}

/**
 * One variant: from this data centre's cache (Cache API, keyed by format as well), else from R2, else made
 * now through the Images binding and kept in R2. The original is never served. An image no published
 * article (or author's page, or sent issue) shows yet is served only to signed-in staff, never cached
 * on the way, and is a 404 to anyone else: its hash alone opens nothing.
 */
async function serveVariant(c: Context<AppEnv>, hash: string, variant: Variant, format: VariantFormat) {
  const negotiated = variant !== 'share';
  const cacheKey = new Request(new URL(`/media/${hash}/${variant}.${format}`, c.req.url));
  const cache = caches.default;
  const cached = await cache.match(cacheKey);
  // A copy: the cached response's headers are immutable, and the app's middleware adds its own.
  if (cached) return new Response(cached.body, cached);
  const shared = await mediaIsPublic(primaryDb(c.env), hash, new Date());
  if (shared === undefined || (!shared && !(await staffBrowsing(c)))) return c.notFound();
  const etag = `"${hash.slice(0, 16)}-${variant}-${format}"`;
  const stored = await c.env.MEDIA.get(variantKey(hash, variant, format));
  const bytes = stored ? new Uint8Array(await stored.arrayBuffer()) : await makeVariant(c.env, hash, variant, format);
  if (!bytes) return c.notFound();
  const options = { negotiated, shared };
  if (shared) c.executionCtx.waitUntil(cache.put(cacheKey, variantResponse(bytes, format, etag, options)));
  return variantResponse(bytes, format, etag, options);
}

const isVariantWidth = (width: number) => (VARIANT_WIDTHS as readonly number[]).includes(width);

/**
 * Readers' image addresses: /media/<sha-256>/<width> in the format the browser accepts,
 * /media/<sha-256>/share.jpg, and /media/<sha-256>/<width>.jpg, the JPEG at an address with an extension
 * (the WordPress export's attachments: WordPress's importer names the file it saves by it).
 */
export const mediaVariantRoutes = new Hono<AppEnv>()
  .get(`/media/:hash{${HASH_PATTERN}}/share.jpg`, (c) => serveVariant(c, c.req.param('hash'), 'share', 'jpeg'))
  .get(`/media/:hash{${HASH_PATTERN}}/:width{[1-9][0-9]{0,4}}`, (c) => {
    const width = Number(c.req.param('width'));
    if (!isVariantWidth(width)) return c.notFound();
    return serveVariant(c, c.req.param('hash'), width, variantFormat(c.req.header('Accept'), width));
  })
  .get(`/media/:hash{${HASH_PATTERN}}/:file{[1-9][0-9]{0,4}\\.jpg}`, (c) => {
    const width = Number(c.req.param('file').slice(0, -'.jpg'.length));
    if (!isVariantWidth(width)) return c.notFound();
    return serveVariant(c, c.req.param('hash'), width, 'jpeg');
  });
