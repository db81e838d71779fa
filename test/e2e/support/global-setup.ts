/**
 * Starts the real local server for the browser suite: a fresh state folder, migrated and seeded,
 * `wrangler dev` on 127.0.0.1:8799 with the comment and signup limits raised (every local visitor
 * shares one address) and Stripe's API at its local stand-in, and stops its whole process group and
 * the stand-in at the end, whatever happened.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { readSeed } from '../../../src/cli/article-files.ts';
import { ensureDevVars } from '../../../src/cli/dev-vars.ts';
import { storeImageFiles } from '../../../src/cli/seed-images.ts';
import { seedStatements } from '../../../src/cli/seed-sql.ts';
import { executeStatements } from '../../../src/cli/wrangler.ts';
import { emptySite } from '../../support/commands.ts';
import { createFakeStripe } from '../../support/fake-stripe.ts';

const PORT = 8799;
const BASE_URL = `http://127.0.0.1:${PORT}`;
const STARTUP_TIMEOUT_MS = 120_000;
/** Git-ignored: the screenshots, and the server's log kept for reading after a failure. */
const ARTIFACTS_DIR = 'e2e-artifacts';

/** `--var` overrides of wrangler.toml's [vars] for this server. */
const VARS = {
  SITE_URL: BASE_URL,
  COMMENT_FLOOD_SECONDS: '1',
  COMMENT_LIMIT_PER_MINUTE: '1000',
  COMMENT_LIMIT_PER_HOUR: '100000',
  COMMENT_REFUSALS_PER_MINUTE: '1000',
  COMMENT_REFUSALS_PER_HOUR: '100000',
  NEWSLETTER_SIGNUPS_PER_HOUR: '100000',
  MODERATOR_EMAIL_DELAY_SECONDS: '1',
  MODERATOR_EMAIL_INTERVAL_MINUTES: '1',
  // The shortest window: a reply notification that should not come would come within a minute.
  COMMENT_NOTIFY_BATCH_MINUTES: '1',
  PAID_MEMBERSHIP: 'stripe',
  // Stripe's two secrets (the stand-in takes any key); the tests sign webhooks with the second.
  STRIPE_SECRET_KEY: 'sk_test_e2e',
  STRIPE_WEBHOOK_SECRET: 'whsec_test_e2e',
};

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    stateDir: string;
    serverLog: string;
    /** The Stripe stand-in (test/support/fake-stripe.ts) the server's STRIPE_API_URL points at. */
    stripeUrl: string;
    stripeWebhookSecret: string;
  }
}

async function isAnswering(): Promise<boolean> {
  try {
    await fetch(`${BASE_URL}/`, { signal: AbortSignal.timeout(10_000) }).then((response) => response.arrayBuffer());
    return true;
  } catch {
    return false;
  }
}

async function waitUntilAnswering(server: ChildProcess, log: string): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null)
      throw new Error(`wrangler dev exited with ${server.exitCode}:\n${readFileSync(log, 'utf8').slice(-3000)}`);
    if (await isAnswering()) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(
    `wrangler dev did not answer on ${BASE_URL} within ${STARTUP_TIMEOUT_MS / 1000} s:\n${readFileSync(log, 'utf8').slice(-3000)}`,
  );
}

function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-server.pid!, signal);
    } catch {
      // The group is already gone.
    }
  };
  signalGroup('SIGTERM');
  const forced = setTimeout(() => signalGroup('SIGKILL'), 5_000);
  return exited.finally(() => clearTimeout(forced));
}

export default async function setup(project: TestProject) {
  if (await isAnswering()) throw new Error(`Something already answers on ${BASE_URL}: stop it first.`);
  const temp = mkdtempSync(join(tmpdir(), 'edgepress-e2e-'));
  const stateDir = emptySite(temp, 'state');
  const target = ['--local', '--persist-to', stateDir];
  ensureDevVars();
  const seed = await readSeed('src/seed');
  await storeImageFiles(
    seed.articles.flatMap((article) => article.heroImage ?? []),
    target,
  );
  await executeStatements(await seedStatements(seed), target, 'seed-e2e');

  const stripe = createFakeStripe();
  await new Promise<void>((resolve) => stripe.listen(0, '127.0.0.1', resolve));
  const stripeUrl = `http://127.0.0.1:${(stripe.address() as AddressInfo).port}`;
  const closeStripe = () => new Promise<void>((resolve) => stripe.close(() => resolve()));

  const serverLog = join(stateDir, 'server.log');
  const output = openSync(serverLog, 'a');
  const vars = Object.entries({ ...VARS, STRIPE_API_URL: stripeUrl }).flatMap(([name, value]) => [
    '--var',
    `${name}:${value}`,
  ]);
  const server = spawn(
    'npx',
    ['wrangler', 'dev', '--ip', '127.0.0.1', '--port', String(PORT), '--persist-to', stateDir, ...vars],
    {
      detached: true, // its own process group: npx, wrangler and workerd stop together
      stdio: ['ignore', output, output],
    },
  );
  const stopOnExit = () => {
    try {
      process.kill(-server.pid!, 'SIGKILL');
    } catch {
      // Already stopped.
    }
  };
  process.once('exit', stopOnExit);

  try {
    await waitUntilAnswering(server, serverLog);
  } catch (error) {
    await Promise.all([stopServer(server), closeStripe()]);
    throw error;
  }
  project.provide('baseUrl', BASE_URL);
  project.provide('stateDir', stateDir);
  project.provide('serverLog', serverLog);
  project.provide('stripeUrl', stripeUrl);
  project.provide('stripeWebhookSecret', VARS.STRIPE_WEBHOOK_SECRET);

  return async () => {
    await Promise.all([stopServer(server), closeStripe()]);
    process.off('exit', stopOnExit);
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    copyFileSync(serverLog, join(ARTIFACTS_DIR, 'server.log'));
    rmSync(temp, { recursive: true, force: true });
  };
}
