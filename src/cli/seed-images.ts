import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
 * Puts the originals of these images into the MEDIA bucket (`wrangler r2 object put`, local or remote as
 * the target says), as an upload would, skipping those the media table already has (`known`, when the
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
  const dir = await mkdtemp(join(tmpdir(), 'edgepress-images-'));
  let next = 0;
  let done = 0;
  const put = async () => {
    while (next < missing.length) {
      const image = missing[next++]!;
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
      progress?.('images', done, missing.length);
    }
  };
  try {
    // One at a time locally: wrangler processes writing one local bucket at once fail (its state is a
    // SQLite file). The remote bucket takes several at once.
    await Promise.all(Array.from({ length: target.includes('--remote') ? 8 : 1 }, put));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return missing.length;
}
