import { spawnSync } from 'node:child_process';

/** Runs a wrangler command with stdin closed (so it never waits on a prompt), failing on a non-zero exit. */
export function wrangler(args: string[]): void {
  const result = spawnSync('wrangler', args, { stdio: ['ignore', 'inherit', 'inherit'], shell: process.platform === 'win32' });
  if (result.status !== 0) {
    throw new Error(`wrangler ${args.join(' ')} exited with ${result.status ?? result.signal}`);
  }
}

/** `--local` (the default) or `--remote`, and an optional `--env NAME`, as given on the command line. */
export function databaseTarget(argv: string[]): string[] {
  const target = argv.includes('--remote') ? ['--remote'] : ['--local'];
  const envIndex = argv.indexOf('--env');
  if (envIndex >= 0) {
    const name = argv[envIndex + 1];
    if (!name) throw new Error('--env needs a name (staging or production)');
    target.push('--env', name);
  }
  return target;
}
