/** Running the project's commands and wrangler from a Node test, as a user runs them. */
import { spawnSync } from 'node:child_process';
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

/** A local state folder `name` under `dir` with every migration applied: an empty site. */
export function emptySite(dir: string, name: string): string {
  const state = join(dir, name);
  run(['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state]);
  return state;
}
