/**
 * `npm run setup -- --env production`: what a first deploy needs that `wrangler deploy` does not
 * create, in this order, each step only if it is missing (run it twice, the second run changes
 * nothing): the settings checked, the D1 database, the Queues, the secrets, then the migrations.
 * KV namespaces (and R2 buckets) are created by `wrangler deploy` itself from their id-less bindings.
 * With NEWSLETTER_BULK_SENDER = "resend", Resend's two secrets too, and the webhook to register in
 * Resend; with PAID_MEMBERSHIP = "stripe", Stripe's two (src/cli/given-secrets.ts), and its webhook.
 *
 * Options: `--config FILE` (another wrangler.toml), `--show-secrets` (print the generated values;
 * the ones given, Resend's, never are).
 */
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import { unstable_readConfig } from 'wrangler';
import { RESEND_WEBHOOK_EVENTS, RESEND_WEBHOOK_PATH } from '../mail/resend-webhook';
import { STRIPE_WEBHOOK_EVENTS, STRIPE_WEBHOOK_PATH } from '../paid/stripe-webhook';
import { SECRETS } from './dev-vars';
import { fail as failWith } from './fail';
import { givenSecretValue, resendSecrets, stripeSecrets } from './given-secrets';
import { settingProblems } from './setup-checks';
import { wranglerOutput } from './wrangler';

const argv = process.argv.slice(2);
const option = (name: string) => {
  const index = argv.indexOf(name);
  return index < 0 ? undefined : argv[index + 1];
};
const environment = option('--env');
const configPath = option('--config') ?? 'wrangler.toml';
const showSecrets = argv.includes('--show-secrets');
if (!environment) {
  console.error('Usage: npm run setup -- --env production|staging [--config wrangler.toml] [--show-secrets]');
  process.exit(2);
}

const config = unstable_readConfig({ config: configPath, env: environment });
const scope = ['--config', configPath];
const envScope = [...scope, '--env', environment];

function fail(message: string): never {
  return failWith(`setup: ${message}`);
}

function run(args: string[], input?: string): string {
  const result = wranglerOutput(args, { input });
  if (!result.ok) fail(`wrangler ${args[0]} ${args[1] ?? ''} failed (see above)`);
  return result.stdout;
}

async function secretValue(name: string): Promise<string> {
  if (!process.stdin.isTTY) return randomBytes(32).toString('base64url');
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  const typed = (await prompt.question(`${name} (Enter: generate a random value): `)).trim();
  prompt.close();
  return typed || randomBytes(32).toString('base64url');
}

console.log(`setup: ${config.name} (--env ${environment}), from ${configPath}`);

const problems = settingProblems(config.vars);
if (problems.length > 0) {
  fail(`fix [env.${environment}.vars] in ${configPath} first:\n  - ${problems.join('\n  - ')}`);
}
console.log(`✓ SITE_URL ${config.vars.SITE_URL}, sender ${config.vars.NEWSLETTER_FROM}`);

if (!wranglerOutput(['whoami', ...scope]).ok) fail('not logged in: run `npx wrangler login` first');

const databases = JSON.parse(run(['d1', 'list', '--json', ...scope])) as { name: string }[];
for (const { database_name: name } of config.d1_databases) {
  if (!name) fail('every [[d1_databases]] binding needs a database_name');
  if (databases.some((database) => database.name === name)) {
    console.log(`✓ D1 database ${name}`);
  } else {
    // Without --update-config: `wrangler deploy` finds the database by its name, so no id goes in the file.
    run(['d1', 'create', name, ...scope]);
    console.log(`+ D1 database ${name} created`);
  }
}

const queueList = run(['queues', 'list', ...scope]);
const queues = new Set([
  ...(config.queues.producers ?? []).map((producer: { queue: string }) => producer.queue),
  ...(config.queues.consumers ?? []).flatMap((consumer: { queue: string; dead_letter_queue?: string }) =>
    [consumer.queue, consumer.dead_letter_queue ?? []].flat(),
  ),
]);
for (const queue of queues) {
  if (new RegExp(`(^|[\\s│|])${queue.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([\\s│|]|$)`, 'm').test(queueList)) {
    console.log(`✓ Queue ${queue}`);
  } else {
    run(['queues', 'create', queue, ...scope]);
    console.log(`+ Queue ${queue} created`);
  }
}

// A Worker that was never deployed has no secrets yet (`secret list` says it is not found).
const listed = wranglerOutput(['secret', 'list', '--format', 'json', ...envScope], { captureErrors: true });
if (!listed.ok && !/not found/i.test(listed.stderr)) fail(`wrangler secret list failed:\n${listed.stderr}`);
const existing = new Set(listed.ok ? (JSON.parse(listed.stdout) as { name: string }[]).map(({ name }) => name) : []);
const siteUrl = String(config.vars.SITE_URL).replace(/\/$/, '');
const webhooks = [
  config.vars.NEWSLETTER_BULK_SENDER === 'resend' && {
    service: 'Resend',
    where: 'Resend dashboard → Webhooks',
    url: `${siteUrl}${RESEND_WEBHOOK_PATH}`,
    events: RESEND_WEBHOOK_EVENTS,
    secrets: resendSecrets,
  },
  config.vars.PAID_MEMBERSHIP === 'stripe' && {
    service: 'Stripe',
    where: 'Stripe Dashboard → Developers → Webhooks',
    url: `${siteUrl}${STRIPE_WEBHOOK_PATH}`,
    events: STRIPE_WEBHOOK_EVENTS,
    secrets: stripeSecrets,
  },
].filter((webhook) => webhook !== false);
const given = webhooks.flatMap((webhook) => webhook.secrets(webhook.url));
// All of them before any secret is put, so a missing one leaves the Worker's secrets as they were.
const givenValues = new Map<string, string>();
for (const secret of given) {
  if (existing.has(secret.name)) continue;
  givenValues.set(secret.name, await givenSecretValue(secret).catch((error: Error) => fail(error.message)));
}
for (const name of [...SECRETS, ...given.map((secret) => secret.name)]) {
  if (existing.has(name)) {
    console.log(`✓ secret ${name}`);
    continue;
  }
  const givenValue = givenValues.get(name);
  const value = givenValue ?? (await secretValue(name));
  run(['secret', 'put', name, ...envScope], value);
  console.log(`+ secret ${name} set${showSecrets && givenValue === undefined ? `: ${value}` : ''}`);
}
for (const webhook of webhooks) {
  console.log(`→ ${webhook.service} webhook (${webhook.where}): ${webhook.url}`);
  console.log(`  events: ${webhook.events.join(', ')}`);
}

run(['d1', 'migrations', 'apply', 'DB', '--remote', ...envScope]);
console.log(`✓ migrations applied. Next: npm run deploy${environment === 'production' ? '' : `:${environment}`}`);
