import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SECRETS } from '../../src/cli/dev-vars';
import { settingProblems } from '../../src/cli/setup-checks';
import { fakeWrangler } from './fake-wrangler';

const ROOT = resolve(import.meta.dirname, '../..');

/** The project's wrangler.toml with real-looking addresses (and, optionally, more), paths made absolute. */
function configFile(extra = ''): string {
  const toml = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8')
    .replaceAll('main = "src/index.ts"', `main = "${ROOT}/src/index.ts"`)
    .replaceAll('directory = "./public"', `directory = "${ROOT}/public"`)
    .replaceAll('migrations_dir = "migrations"', `migrations_dir = "${ROOT}/migrations"`)
    .replaceAll('edgepress.example', 'news.diplomat-demo.net');
  const file = join(mkdtempSync(join(tmpdir(), 'setup-config-')), 'wrangler.toml');
  writeFileSync(file, toml + extra);
  return file;
}

function setup(fake: { dir: string }, args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/setup.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${fake.dir}:${process.env.PATH}` },
  });
  return { status: result.status, output: result.stdout + result.stderr };
}

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
    expect(account.queues).toEqual(['edgepress-newsletter', 'edgepress-notify', 'edgepress-purge']);
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
