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

/** Puts images' originals into the MEDIA bucket, one at a time as they come; `close` when done. */
export interface ImageStore {
  /** Stores the image unless the bucket has it (by hash); whether it was stored. */
  put(image: ImageFile): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * The MEDIA bucket, local or remote as the target says, as an upload would fill it, skipping the
 * images the media table already has (`known`). Locally through one Miniflare, started at the first
 * put; remotely one `wrangler r2 object put` each (callers put several at once).
 */
export function imageStore(target: string[], known: Set<string>): ImageStore {
  const bucket = mediaBucket(target);
  const seen = new Set(known);
  const put = target.includes('--remote') ? remotePut(bucket, target) : localPut(bucket, target);
  return {
    async put(image) {
      if (seen.has(image.hash)) return false;
      seen.add(image.hash);
      await put.put(image);
      return true;
    },
    close: () => put.close(),
  };
}

/**
 * Puts the originals of these images into the MEDIA bucket, skipping those the media table already
 * has (`known`, when the caller read them); run before the statements that add their rows, so a row
 * never names a missing object.
 */
export async function storeImageFiles(
  images: ImageFile[],
  target: string[],
  known?: Set<string>,
  progress?: (label: string, done: number, total: number) => void,
): Promise<number> {
  if (images.length === 0) return 0;
  const stored =
    known ??
    new Set(
      queryDatabase<{ hash: string }>(
        `SELECT hash FROM media WHERE hash IN (${[...new Set(images.map((image) => image.hash))].map(literal).join(', ')})`,
        target,
      ).map((row) => row.hash),
    );
  const store = imageStore(target, stored);
  let next = 0;
  let done = 0;
  let put = 0;
  const worker = async () => {
    while (next < images.length) {
      if (await store.put(images[next++]!)) put += 1;
      progress?.('images', ++done, images.length);
    }
  };
  try {
    await Promise.all(Array.from({ length: target.includes('--remote') ? 8 : 1 }, worker));
  } finally {
    await store.close();
  }
  return put;
}

/** The local bucket in the state folder wrangler keeps (`--persist-to`, else .wrangler/state), written through one Miniflare. */
function localPut(bucket: string, target: string[]) {
  const persistIndex = target.indexOf('--persist-to');
  const state = persistIndex >= 0 ? target[persistIndex + 1]! : '.wrangler/state';
  let miniflare: Miniflare | undefined;
  return {
    async put(image: ImageFile) {
      miniflare ??= new Miniflare(
        convertV4MiniflareOptions({
          workers: [{ name: 'media', modules: true, script: 'export default {}', r2Buckets: { MEDIA: bucket } }],
          resourcePersistencePath: join(state, 'v3'),
        } as Parameters<typeof convertV4MiniflareOptions>[0]),
      );
      const media = await miniflare.getR2Bucket('MEDIA');
      await media.put(originalKey(image.hash), image.bytes, { httpMetadata: { contentType: image.type } });
    },
    close: async () => miniflare?.dispose(),
  };
}

/** The account's bucket: each image written to a temporary file and put by `wrangler r2 object put`. */
function remotePut(bucket: string, target: string[]) {
  let dir: Promise<string> | undefined;
  return {
    async put(image: ImageFile) {
      dir ??= mkdtemp(join(tmpdir(), 'edgepress-images-'));
      const file = join(await dir, image.hash);
      await writeFile(file, image.bytes);
      try {
        await putObject([
          'r2',
          'object',
          'put',
          `${bucket}/${originalKey(image.hash)}`,
          `--file=${file}`,
          `--content-type=${image.type}`,
          ...target,
        ]);
      } finally {
        await rm(file, { force: true });
      }
    },
    close: async () => {
      if (dir) await rm(await dir, { recursive: true, force: true });
    },
  };
}
