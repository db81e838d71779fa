import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SECRETS } from '../../src/cli/dev-vars';
import { settingProblems } from '../../src/cli/setup-checks';
import { fakeWrangler } from './fake-wrangler';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * The project's wrangler.toml with real-looking addresses (and, optionally, more, and more
 * [env.production.vars]), paths made absolute.
 */
function configFile(extra = '', productionVars = ''): string {
  const toml = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8')
    .replaceAll('main = "src/index.ts"', `main = "${ROOT}/src/index.ts"`)
    .replaceAll('directory = "./public"', `directory = "${ROOT}/public"`)
    .replaceAll('migrations_dir = "migrations"', `migrations_dir = "${ROOT}/migrations"`)
    .replaceAll('edgepress.example', 'news.diplomat-demo.net')
    .replace('[env.production.vars]\n', `[env.production.vars]\n${productionVars}`);
  const file = join(mkdtempSync(join(tmpdir(), 'setup-config-')), 'wrangler.toml');
  writeFileSync(file, toml + extra);
  return file;
}

const setupEnv = (fake: { dir: string }, env: Record<string, string>) => {
  const {
    RESEND_API_KEY: _key,
    RESEND_WEBHOOK_SECRET: _secret,
    STRIPE_SECRET_KEY: _stripeKey,
    STRIPE_WEBHOOK_SECRET: _stripeSecret,
    ...inherited
  } = process.env;
  return { ...inherited, PATH: `${fake.dir}:${process.env.PATH}`, ...env };
};

function setup(fake: { dir: string }, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/setup.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: setupEnv(fake, env),
  });
  return { status: result.status, output: result.stdout + result.stderr };
}

/** Setup at a terminal (a pseudo-terminal from util-linux `script`): each reply is typed once its prompt shows. */
function setupAtTerminal(fake: { dir: string }, args: string[], replies: { prompt: string; type: string }[]) {
  const command = [process.execPath, '--import', 'tsx', 'src/cli/setup.ts', ...args].map((arg) => `'${arg}'`);
  const child = spawn('script', ['-qfec', command.join(' '), '/dev/null'], { cwd: ROOT, env: setupEnv(fake, {}) });
  let output = '';
  let seen = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
    const next = replies[0];
    const at = next ? output.indexOf(next.prompt, seen) : -1;
    if (next && at >= 0) {
      seen = at + next.prompt.length;
      replies.shift();
      child.stdin.write(`${next.type}\r`);
      // Its end reaches setup as Ctrl-D, so a prompt no reply was written for ends setup rather than waits.
      if (replies.length === 0) child.stdin.end();
    }
  });
  return new Promise<{ status: number | null; output: string }>((resolve) =>
    child.on('close', (status) => resolve({ status, output })),
  );
}

const hasScript = spawnSync('script', ['--version']).status === 0;

const RESEND = 'NEWSLETTER_BULK_SENDER = "resend"\n';
const API_KEY = 're_Test_4xKp9s2LmQ';
const WEBHOOK_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const WEBHOOK_LINES = [
  '→ Resend webhook (Resend dashboard → Webhooks): https://news.diplomat-demo.net/api/newsletter/webhooks/resend',
  '  events: email.bounced, email.complained',
].join('\n');

const commands = (calls: { args: string[] }[]) =>
  calls.map(({ args }) => args.filter((arg, i) => !arg.startsWith('--') && !args[i - 1]?.startsWith('--')).join(' '));

describe('npm run setup', () => {
  it('creates what is missing in order, then a second run changes nothing', () => {
    const fake = fakeWrangler();
    const config = configFile();
    const first = setup(fake, ['--env', 'production', '--config', config]);
    expect(first.status, first.output).toBe(0);
    expect(commands(fake.calls())).toEqual([
      'whoami',
      'd1 list',
      'd1 create edgepress',
      'queues list',
      'queues create edgepress-newsletter',
      'queues create edgepress-notify',
      'queues create edgepress-purge',
      'queues create edgepress-websub',
      'queues create edgepress-webmention',
      'queues create edgepress-fediverse',
      'secret list',
      ...SECRETS.map((name) => `secret put ${name}`),
      'd1 migrations apply DB',
    ]);
    for (const { args } of fake.calls()) expect(args.slice(-2).concat(args)).toContain(config);
    const secretCalls = fake.calls().filter(({ args }) => args[0] === 'secret');
    for (const { args } of secretCalls) expect(args).toEqual(expect.arrayContaining(['--env', 'production']));
    const migrate = fake.calls().at(-1)!.args;
    expect(migrate).toEqual(expect.arrayContaining(['--remote', '--env', 'production']));

    const account = fake.account();
    expect(account.databases).toEqual(['edgepress']);
    expect(account.queues).toEqual([
      'edgepress-newsletter',
      'edgepress-notify',
      'edgepress-purge',
      'edgepress-websub',
      'edgepress-webmention',
      'edgepress-fediverse',
    ]);
    const values = Object.values(account.secrets);
    expect(Object.keys(account.secrets)).toEqual([...SECRETS]);
    expect(new Set(values).size).toBe(SECRETS.length);
    for (const value of values) {
      expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(first.output).not.toContain(value);
    }

    fake.clearCalls();
    const second = setup(fake, ['--env', 'production', '--config', config]);
    expect(second.status, second.output).toBe(0);
    expect(commands(fake.calls())).toEqual([
      'whoami',
      'd1 list',
      'queues list',
      'secret list',
      'd1 migrations apply DB',
    ]);
    expect(fake.account()).toEqual({ ...account, migrationsApplied: 2 });
    expect(second.output).not.toMatch(/^\+ /m);
    expect(first.output).toMatch(/^\+ D1 database edgepress created$/m);
    expect(first.output).not.toContain('Resend');
  });

  it('reads the queues from wrangler.toml (a queue and its dead-letter queue added there are created)', () => {
    const fake = fakeWrangler({ queues: ['edgepress-newsletter'] });
    const config = configFile(`
[[env.production.queues.consumers]]
queue = "edgepress-purge"
dead_letter_queue = "edgepress-purge-failed"
`);
    const result = setup(fake, ['--env', 'production', '--config', config]);
    expect(result.status, result.output).toBe(0);
    expect(fake.account().queues).toEqual([
      'edgepress-newsletter',
      'edgepress-notify',
      'edgepress-purge',
      'edgepress-websub',
      'edgepress-webmention',
      'edgepress-fediverse',
      'edgepress-purge-failed',
    ]);
  });

  it('prints the generated secrets only when asked (--show-secrets)', () => {
    const fake = fakeWrangler();
    const result = setup(fake, ['--env', 'staging', '--config', configFile(), '--show-secrets']);
    expect(result.status, result.output).toBe(0);
    expect(fake.account().databases).toEqual(['edgepress-staging']);
    for (const [name, value] of Object.entries(fake.account().secrets)) {
      expect(result.output).toContain(`+ secret ${name} set: ${value}`);
    }
  });

  it('stops before touching the account while SITE_URL and the sender are the placeholders', () => {
    const fake = fakeWrangler();
    const result = setup(fake, ['--env', 'production']);
    expect(result.status).toBe(1);
    expect(result.output).toContain('SITE_URL still uses the placeholder domain edgepress.example');
    expect(fake.calls()).toEqual([]);
  });

  it('stops when wrangler is not logged in', () => {
    const fake = fakeWrangler();
    writeFileSync(join(fake.dir, 'wrangler'), `#!${process.execPath}\nprocess.exit(1);\n`);
    const result = setup(fake, ['--env', 'production', '--config', configFile()]);
    expect(result.status).toBe(1);
    expect(result.output).toContain('npx wrangler login');
  });
});

describe('npm run setup with PAID_MEMBERSHIP = "stripe"', () => {
  it('puts Stripe’s two secrets from the environment, never prints them, and says which webhook and events to add', () => {
    const fake = fakeWrangler();
    const config = configFile('', 'PAID_MEMBERSHIP = "stripe"\n');
    const env = { STRIPE_SECRET_KEY: 'rk_test_51Hx9Restricted', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET };
    const result = setup(fake, ['--env', 'production', '--config', config], env);
    expect(result.status, result.output).toBe(0);
    expect(fake.account().secrets).toMatchObject(env);
    expect(result.output).not.toContain('Restricted');
    expect(result.output).toContain(
      [
        '→ Stripe webhook (Stripe Dashboard → Developers → Webhooks): https://news.diplomat-demo.net/api/paid/webhooks/stripe',
        '  events: checkout.session.completed, customer.subscription.created, customer.subscription.updated, ' +
          'customer.subscription.deleted, invoice.paid, invoice.payment_failed, charge.refunded',
      ].join('\n'),
    );
    const wrong = setup(fakeWrangler(), ['--env', 'production', '--config', config], {
      ...env,
      STRIPE_SECRET_KEY: 'pk_live_publishable',
    });
    expect(wrong.status).toBe(1);
    expect(wrong.output).toContain(
      'setup: the environment variable STRIPE_SECRET_KEY does not start with sk_ or rk_ (Stripe Dashboard → Developers → API keys)',
    );
  });
});

describe('npm run setup with NEWSLETTER_BULK_SENDER = "resend"', () => {
  const resendConfig = () => configFile('', RESEND);
  const resendSecretNames = ['RESEND_API_KEY', 'RESEND_WEBHOOK_SECRET'];

  it('puts the two Resend secrets from the environment, never prints them, then says which webhook to add', () => {
    const fake = fakeWrangler();
    const config = resendConfig();
    const env = { RESEND_API_KEY: API_KEY, RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET };
    const first = setup(fake, ['--env', 'production', '--config', config, '--show-secrets'], env);
    expect(first.status, first.output).toBe(0);
    expect(commands(fake.calls()).filter((command) => command.startsWith('secret'))).toEqual([
      'secret list',
      ...[...SECRETS, ...resendSecretNames].map((name) => `secret put ${name}`),
    ]);
    const { secrets } = fake.account();
    expect(secrets).toMatchObject({ RESEND_API_KEY: API_KEY, RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET });
    expect(first.output).toMatch(/^\+ secret RESEND_API_KEY set$/m);
    expect(first.output).toMatch(/^\+ secret RESEND_WEBHOOK_SECRET set$/m);
    expect(first.output).toContain(`+ secret MODERATOR_TOKEN set: ${secrets.MODERATOR_TOKEN}`);
    expect(first.output).not.toContain(API_KEY);
    expect(first.output).not.toContain(WEBHOOK_SECRET.slice('whsec_'.length));
    expect(first.output).toContain(WEBHOOK_LINES);

    fake.clearCalls();
    const second = setup(fake, ['--env', 'production', '--config', config]);
    expect(second.status, second.output).toBe(0);
    expect(commands(fake.calls())).not.toContainEqual(expect.stringMatching(/^secret put/));
    expect(second.output).toMatch(/^✓ secret RESEND_WEBHOOK_SECRET$/m);
    expect(second.output).toContain(WEBHOOK_LINES);
  });

  it('without a terminal, a missing value stops setup before any secret is put and says where to get it', () => {
    const fake = fakeWrangler();
    const result = setup(fake, ['--env', 'production', '--config', resendConfig()], { RESEND_API_KEY: API_KEY });
    expect(result.status).toBe(1);
    expect(result.output).toContain(
      'setup: RESEND_WEBHOOK_SECRET is needed for NEWSLETTER_BULK_SENDER = "resend" and cannot be generated: set the ' +
        'environment variable RESEND_WEBHOOK_SECRET (Resend dashboard → Webhooks: add ' +
        'https://news.diplomat-demo.net/api/newsletter/webhooks/resend for email.bounced, email.complained, then its ' +
        'signing secret) and run setup again',
    );
    expect(commands(fake.calls()).at(-1)).toBe('secret list');
    expect(fake.account().secrets).toEqual({});
  });

  it('refuses a value of the wrong kind without printing it', () => {
    const fake = fakeWrangler();
    const env = { RESEND_API_KEY: 'sk_live_Wrong0ne', RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET };
    const result = setup(fake, ['--env', 'production', '--config', resendConfig()], env);
    expect(result.status).toBe(1);
    expect(result.output).toContain(
      'setup: the environment variable RESEND_API_KEY does not start with re_ (Resend dashboard → API Keys)',
    );
    expect(result.output).not.toContain('Wrong0ne');
    expect(fake.account().secrets).toEqual({});
  });

  it('puts only the Resend secret that is missing', () => {
    const fake = fakeWrangler({ workers: ['edgepress'], secrets: { RESEND_API_KEY: 're_already' } });
    const result = setup(fake, ['--env', 'production', '--config', resendConfig()], {
      RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET,
    });
    expect(result.status, result.output).toBe(0);
    expect(result.output).toMatch(/^✓ secret RESEND_API_KEY$/m);
    expect(fake.account().secrets).toMatchObject({
      RESEND_API_KEY: 're_already',
      RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET,
    });
  });

  it('with another bulk sender, asks for no Resend secret and prints no webhook', () => {
    const fake = fakeWrangler();
    const config = configFile('', 'NEWSLETTER_BULK_SENDER = "email-service"\n');
    const env = { RESEND_API_KEY: API_KEY, RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET };
    const result = setup(fake, ['--env', 'production', '--config', config], env);
    expect(result.status, result.output).toBe(0);
    expect(Object.keys(fake.account().secrets)).toEqual([...SECRETS]);
    expect(result.output).not.toContain('Resend');
  });

  describe.skipIf(!hasScript)('at a terminal', () => {
    const generated = Object.fromEntries(SECRETS.map((name) => [name, `generated-${name}`]));
    const atTerminal = () => fakeWrangler({ workers: ['edgepress'], secrets: generated });

    it('asks for each without echoing it, again after a wrong one', async () => {
      const fake = atTerminal();
      const result = await setupAtTerminal(
        fake,
        ['--env', 'production', '--config', resendConfig()],
        [
          { prompt: 'RESEND_API_KEY (Resend dashboard → API Keys; not shown): ', type: 'sk_live_Wrong0ne' },
          { prompt: 'RESEND_API_KEY (', type: API_KEY },
          { prompt: 'RESEND_WEBHOOK_SECRET (', type: WEBHOOK_SECRET },
        ],
      );
      expect(result.status, result.output).toBe(0);
      expect(result.output).toContain('a RESEND_API_KEY starts with re_');
      expect(fake.account().secrets).toEqual({
        ...generated,
        RESEND_API_KEY: API_KEY,
        RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET,
      });
      for (const typed of ['Wrong0ne', API_KEY, WEBHOOK_SECRET]) expect(result.output).not.toContain(typed);
    });

    it('gives up after three wrong values, putting nothing', async () => {
      const fake = atTerminal();
      const wrong = { prompt: 'RESEND_API_KEY (', type: 'not-a-key' };
      const result = await setupAtTerminal(
        fake,
        ['--env', 'production', '--config', resendConfig()],
        [wrong, { ...wrong }, { ...wrong }],
      );
      expect(result.status).toBe(1);
      expect(result.output).toContain('setup: no RESEND_API_KEY starting with re_ after 3 tries');
      expect(fake.account().secrets).toEqual(generated);
    });
  });
});

describe('settingProblems', () => {
  const good = { SITE_URL: 'https://thediplomat-demo.net', NEWSLETTER_FROM: 'brief@thediplomat-demo.net' };
  it('accepts an https site and a sender on its domain, a parent or a subdomain of it', () => {
    expect(settingProblems(good)).toEqual([]);
    expect(settingProblems({ ...good, SITE_URL: 'https://www.thediplomat-demo.net' })).toEqual([]);
    expect(settingProblems({ ...good, NEWSLETTER_FROM: 'brief@mail.thediplomat-demo.net' })).toEqual([]);
  });
  it('refuses http, placeholders and a sender on another domain', () => {
    expect(settingProblems({ ...good, SITE_URL: 'http://thediplomat-demo.net' })).toEqual([
      'SITE_URL must be https (http://thediplomat-demo.net/)',
    ]);
    expect(settingProblems({ ...good, NEWSLETTER_FROM: 'brief@gmail.com' })).toEqual([
      "NEWSLETTER_FROM (@gmail.com) is not on the site's domain (thediplomat-demo.net)",
    ]);
    expect(settingProblems({ SITE_URL: 'https://edgepress.example', NEWSLETTER_FROM: 'x' })).toEqual([
      'NEWSLETTER_FROM is missing or not an email address',
      'SITE_URL still uses the placeholder domain edgepress.example',
    ]);
  });
});
