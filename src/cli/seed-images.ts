import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';
import { unstable_readConfig } from 'wrangler';
import { originalKey } from '../media/keys.ts';
import type { ImageFile } from './article-files.ts';
import { literal } from './seed-sql.ts';
import { queryDatabase } from './wrangler.ts';

/** The R2 bucket of the MEDIA binding in this target's environment (wrangler.toml). */
function mediaBucket(target: string[]): string {
  const envIndex = target.indexOf('--env');
  const config = unstable_readConfig({
    config: 'wrangler.toml',
    env: envIndex >= 0 ? target[envIndex + 1] : undefined,
  });
  const bucket = config.r2_buckets.find(
    (binding: { binding: string; bucket_name?: string }) => binding.binding === 'MEDIA',
  )?.bucket_name;
  if (!bucket) throw new Error('wrangler.toml has no R2 bucket bound to MEDIA in this environment');
  return bucket;
}

function putObject(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('wrangler', args, { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`wrangler ${args.join(' ')} exited with ${code}`)),
    );
  });
}

/**
 * Puts the originals of these images into the MEDIA bucket, local or remote as the target says, as an upload
 * would, skipping those the media table already has (`known`, when the
 * caller read them); run before the statements that add their rows, so a row never names a missing object.
 */
export async function storeImageFiles(
  images: ImageFile[],
  target: string[],
  known?: Set<string>,
  progress?: (label: string, done: number, total: number) => void,
): Promise<number> {
  if (images.length === 0) return 0;
  const byHash = new Map(images.map((image) => [image.hash, image]));
  const stored =
    known ??
    new Set(
      queryDatabase<{ hash: string }>(
        `SELECT hash FROM media WHERE hash IN (${[...byHash.keys()].map(literal).join(', ')})`,
        target,
      ).map((row) => row.hash),
    );
  const missing = [...byHash.values()].filter((image) => !stored.has(image.hash));
  if (missing.length === 0) return 0;
  const bucket = mediaBucket(target);
  if (target.includes('--remote')) await putRemote(bucket, missing, target, progress);
  else await putLocal(bucket, missing, target, progress);
  return missing.length;
}

/** The local bucket in the state folder wrangler keeps (`--persist-to`, else .wrangler/state), written through one Miniflare. */
async function putLocal(
  bucket: string,
  images: ImageFile[],
  target: string[],
  progress?: (label: string, done: number, total: number) => void,
): Promise<void> {
  const persistIndex = target.indexOf('--persist-to');
  const state = persistIndex >= 0 ? target[persistIndex + 1]! : '.wrangler/state';
  const miniflare = new Miniflare(
    convertV4MiniflareOptions({
      workers: [{ name: 'media', modules: true, script: 'export default {}', r2Buckets: { MEDIA: bucket } }],
      resourcePersistencePath: join(state, 'v3'),
    } as Parameters<typeof convertV4MiniflareOptions>[0]),
  );
  try {
    const media = await miniflare.getR2Bucket('MEDIA');
    for (const [index, image] of images.entries()) {
      await media.put(originalKey(image.hash), image.bytes, { httpMetadata: { contentType: image.type } });
      progress?.('images', index + 1, images.length);
    }
  } finally {
    await miniflare.dispose();
  }
}

/** The account's bucket, eight `wrangler r2 object put` at once. */
async function putRemote(
  bucket: string,
  images: ImageFile[],
  target: string[],
  progress?: (label: string, done: number, total: number) => void,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'edgepress-images-'));
  let next = 0;
  let done = 0;
  const put = async () => {
    while (next < images.length) {
      const image = images[next++]!;
      const file = join(dir, image.hash);
      await writeFile(file, image.bytes);
      await putObject([
        'r2',
        'object',
        'put',
        `${bucket}/${originalKey(image.hash)}`,
        `--file=${file}`,
        `--content-type=${image.type}`,
        ...target,
      ]);
      done += 1;
      progress?.('images', done, images.length);
    }
  };
  try {
    await Promise.all(Array.from({ length: 8 }, put));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
