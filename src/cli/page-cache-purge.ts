import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedPagePath, PAGE_KEY_PREFIX, PURGE_MARKER_TTL_SECONDS, purgeMarkerKey } from '../page-cache/keys.ts';
import { wrangler, wranglerOutput } from './wrangler.ts';

/**
 * Purges every cached page from a command, as the admin's site-wide purge does (`purgePages(env,
 * 'all')`), in the target's PAGE_CACHE (local, or with `--remote` the deployed namespace): the pages
 * KV holds are listed (`wrangler kv key list`), a purge marker is put for each path (so a render that
 * began before the change is not stored after it), then the pages are deleted (`wrangler kv bulk
 * delete`, 10,000 keys a request). Copies in a data centre's Cache API and in an isolate's memory are
 * out of reach of a command: they run out within STALENESS_BOUND_SECONDS. Returns the paths purged.
 */
export async function purgeCachedPages(target: string[], now = Date.now()): Promise<number> {
  const kv = ['--binding', 'PAGE_CACHE', ...target];
  const listing = wranglerOutput(['kv', 'key', 'list', '--prefix', PAGE_KEY_PREFIX, ...kv]);
  if (!listing.ok) throw new Error('wrangler kv key list failed: the page cache could not be read');
  const keys = (JSON.parse(listing.stdout) as { name: string }[]).map((key) => key.name);
  if (keys.length === 0) return 0;
  const paths = [...new Set(keys.map(cachedPagePath))];
  const dir = await mkdtemp(join(tmpdir(), 'edgepress-purge-'));
  try {
    const markers = join(dir, 'markers.json');
    await writeFile(
      markers,
      JSON.stringify(
        paths.map((path) => ({
          key: purgeMarkerKey(path),
          value: String(now),
          expiration_ttl: PURGE_MARKER_TTL_SECONDS,
        })),
      ),
    );
    wrangler(['kv', 'bulk', 'put', markers, ...kv], { quiet: true });
    const pages = join(dir, 'pages.json');
    await writeFile(pages, JSON.stringify(keys));
    wrangler(['kv', 'bulk', 'delete', pages, '--force', ...kv], { quiet: true });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return paths.length;
}
