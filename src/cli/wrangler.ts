import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs a wrangler command with stdin closed (so it never waits on a prompt), failing on a non-zero exit;
 * `quiet` drops its standard output (errors still show).
 */
export function wrangler(args: string[], { quiet = false }: { quiet?: boolean } = {}): void {
  const result = spawnSync('wrangler', args, {
    stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit'],
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) {
    throw new Error(`wrangler ${args.join(' ')} exited with ${result.status ?? result.signal}`);
  }
}

/**
 * Runs a wrangler command and captures what it printed; `input` is written to its stdin (a secret's
 * value), which is otherwise closed. Errors show on the terminal unless `captureErrors`.
 */
export function wranglerOutput(
  args: string[],
  { input, captureErrors = false }: { input?: string; captureErrors?: boolean } = {},
): { ok: boolean; stdout: string; stderr: string } {
  const result = spawnSync('wrangler', args, {
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', captureErrors ? 'pipe' : 'inherit'],
    input,
    encoding: 'utf8',
    shell: process.platform === 'win32',
    maxBuffer: 1024 * 1024 * 1024,
  });
  return { ok: result.status === 0, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/** Runs SQL with `wrangler d1 execute --json`: the rows of each statement, in order. */
export function queryStatements<Row>(sql: string, target: string[]): Row[][] {
  const args = ['d1', 'execute', 'DB', ...target, '--json', `--command=${sql}`];
  const { ok, stdout } = wranglerOutput(args);
  // With --json, wrangler reports a refused query on standard output.
  if (!ok) throw new Error(`wrangler ${args.join(' ')} failed: ${stdout.trim().slice(0, 1000)}`);
  return (JSON.parse(stdout) as { results: Row[] }[]).map((statement) => statement.results ?? []);
}

/** Runs a read-only SQL query with `wrangler d1 execute --json` and returns its rows. */
export function queryDatabase<Row>(sql: string, target: string[]): Row[] {
  return queryStatements<Row>(sql, target)[0] ?? [];
}

/**
 * Writes SQL statements to a file of its own (two commands at once never share one) and runs them
 * with `wrangler d1 execute --file`; the file is removed afterwards.
 */
export async function executeStatements(
  statements: string[],
  target: string[],
  name: string,
  { quiet = false }: { quiet?: boolean } = {},
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), `edgepress-${name}-`));
  const file = join(dir, `${name}.sql`);
  await writeFile(file, `${statements.join('\n')}\n`);
  try {
    wrangler(['d1', 'execute', 'DB', ...target, `--file=${file}`], { quiet });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** How much SQL one `wrangler d1 execute --file` of a batched write carries (statements are never split). */
export const BATCH_FILE_BYTES = 8 * 1024 * 1024;

/**
 * Statements written in files of about BATCH_FILE_BYTES, each run with `wrangler d1 execute --file` as
 * it fills (`end` runs the last): a long import holds one file's worth of SQL, not all of it. With
 * `dryRun`, nothing is written or run. Returns how many statements were run.
 */
export function statementBatches(target: string[], name: string, { dryRun = false } = {}) {
  let pending: string[] = [];
  let bytes = 0;
  let run = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    await executeStatements(pending, target, name, { quiet: true });
    run += pending.length;
    pending = [];
    bytes = 0;
  };
  return {
    async add(statements: string[]) {
      if (dryRun) return;
      for (const statement of statements) {
        pending.push(statement);
        bytes += statement.length;
        if (bytes >= BATCH_FILE_BYTES) await flush();
      }
    },
    async end(): Promise<number> {
      await flush();
      return run;
    },
  };
}

/** The flags `databaseTarget` reads, for a command's `parseArgs` options. */
export const DATABASE_FLAGS = {
  remote: { type: 'boolean' },
  env: { type: 'string' },
  'persist-to': { type: 'string' },
  config: { type: 'string' },
} as const;

/**
 * `--local` (the default) or `--remote`, an optional `--env NAME`, and for a local database an
 * optional `--persist-to DIR` (a state folder other than .wrangler/state), and `--config FILE`, as given on the command line.
 */
export function databaseTarget(argv: string[]): string[] {
  const target = argv.includes('--remote') ? ['--remote'] : ['--local'];
  for (const flag of ['--env', '--persist-to', '--config']) {
    const index = argv.indexOf(flag);
    if (index < 0) continue;
    const value = argv[index + 1];
    if (!value || value.startsWith('--')) throw new Error(`${flag} needs a value`);
    target.push(flag, value);
  }
  return target;
}
