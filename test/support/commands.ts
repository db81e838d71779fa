/** Running the project's commands and wrangler from a Node test, as a user runs them. */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
process.env.PATH = `${ROOT}/node_modules/.bin:${process.env.PATH}`;

/** Runs a command from the repository's root (stdin closed, CI set); its output, or an error with it. */
export function run(args: string[]): { stdout: string; stderr: string } {
  const result = spawnSync(args[0]!, args.slice(1), {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: 'true' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0)
    throw new Error(`${args.join(' ')} exited ${result.status}:\n${result.stdout}${result.stderr}`);
  return { stdout: result.stdout, stderr: result.stderr };
}

/**
 * A local state folder `name` under `dir` with every migration applied: an empty site. Wrangler applies
 * the migrations once into a folder kept in the temporary directory (about 75 s on 2 cores: a local
 * database started per migration); each site is a copy of it. The folder is named after what it was made
 * from (the migrations, wrangler.toml and wrangler's version), so a new migration makes a new one.
 */
export function emptySite(dir: string, name: string): string {
  const state = join(dir, name);
  cpSync(migratedSite(), state, { recursive: true });
  return state;
}

/** How long a test file waits for another to finish migrating before it takes the work over. */
const MIGRATING_MAX_MS = 10 * 60_000;

function migratedSite(): string {
  const made = createHash('sha256');
  const migrations = join(ROOT, 'migrations');
  for (const file of readdirSync(migrations)
    .filter((name) => name.endsWith('.sql'))
    .sort())
    made.update(file).update(readFileSync(join(migrations, file)));
  made.update(readFileSync(join(ROOT, 'wrangler.toml')));
  made.update(readFileSync(join(ROOT, 'node_modules/wrangler/package.json')));
  const template = join(tmpdir(), `edgepress-migrated-${made.digest('hex').slice(0, 16)}`);
  const lock = `${template}.lock`;
  // Test files run at once: one makes the folder (mkdir is atomic), the others wait for it.
  while (!existsSync(template)) {
    try {
      mkdirSync(lock);
    } catch {
      if (Date.now() - statSync(lock).mtimeMs > MIGRATING_MAX_MS) rmSync(lock, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
      continue;
    }
    try {
      if (!existsSync(template)) {
        const making = mkdtempSync(`${template}-making-`);
        run(['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', making]);
        renameSync(making, template);
      }
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return template;
}
