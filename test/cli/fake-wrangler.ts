import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What the stand-in account holds; `secrets` keeps values so a test can check they were never printed. */
export interface FakeAccount {
  databases: string[];
  queues: string[];
  workers: string[];
  secrets: Record<string, string>;
  migrationsApplied: number;
}

export interface FakeCall {
  args: string[];
  stdinBytes: number;
}

/**
 * A `wrangler` on PATH that answers the commands `npm run setup` uses as the real one does (same
 * output formats, same refusals: creating a database or queue twice fails) and logs each call.
 */
const SCRIPT = String.raw`
const { readFileSync, writeFileSync, appendFileSync } = require('node:fs');
const dir = __dirname;
const args = process.argv.slice(2);
const stdin = readFileSync(0, 'utf8');
appendFileSync(dir + '/calls.jsonl', JSON.stringify({ args, stdinBytes: Buffer.byteLength(stdin) }) + '\n');
const account = JSON.parse(readFileSync(dir + '/account.json', 'utf8'));
const save = () => writeFileSync(dir + '/account.json', JSON.stringify(account));
const flag = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const worker = 'edgepress' + (flag('--env') === 'staging' ? '-staging' : '');
const die = (message) => { console.error('✘ [ERROR] ' + message); process.exit(1); };
const [a, b, c] = args;
if (a === 'whoami') console.log('You are logged in with an API Token.');
else if (a === 'd1' && b === 'list') console.log(JSON.stringify(account.databases.map((name, i) => ({ uuid: 'uuid-' + i, name }))));
else if (a === 'd1' && b === 'create') {
  if (account.databases.includes(c)) die('A database with that name already exists');
  account.databases.push(c); save(); console.log('✅ Successfully created DB ' + c);
} else if (a === 'queues' && b === 'list') {
  console.log('┌──────┬──────────────┐\n│ id   │ name         │');
  for (const name of account.queues) console.log('│ q-1  │ ' + name + ' │');
  console.log('└──────┴──────────────┘');
} else if (a === 'queues' && b === 'create') {
  if (account.queues.includes(c)) die('Queue name already taken');
  account.queues.push(c); save(); console.log('Created queue ' + c + '.');
} else if (a === 'secret' && b === 'list') {
  if (!account.workers.includes(worker)) die('Worker "' + worker + '" (env: ' + flag('--env') + ') not found.');
  console.log(JSON.stringify(Object.keys(account.secrets).map((name) => ({ name, type: 'secret_text' }))));
} else if (a === 'secret' && b === 'put') {
  if (!stdin) die('no value on stdin');
  if (!account.workers.includes(worker)) account.workers.push(worker);
  account.secrets[c] = stdin; save(); console.log('✨ Success! Uploaded secret ' + c);
} else if (a === 'd1' && b === 'migrations' && c === 'apply') {
  if (!account.databases.length) die('Couldn\'t find a D1 DB with the name or binding "DB"');
  account.migrationsApplied += 1; save(); console.log(account.migrationsApplied > 1 ? '✅ No migrations to apply!' : 'Migrations applied');
} else die('the stand-in does not know: wrangler ' + args.join(' '));
`;

export function fakeWrangler(account: Partial<FakeAccount> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'fake-wrangler-'));
  writeFileSync(join(dir, 'wrangler'), `#!${process.execPath}\n${SCRIPT}`);
  chmodSync(join(dir, 'wrangler'), 0o755);
  writeFileSync(join(dir, 'calls.jsonl'), '');
  writeFileSync(
    join(dir, 'account.json'),
    JSON.stringify({ databases: [], queues: [], workers: [], secrets: {}, migrationsApplied: 0, ...account }),
  );
  return {
    dir,
    account: (): FakeAccount => JSON.parse(readFileSync(join(dir, 'account.json'), 'utf8')),
    calls: (): FakeCall[] =>
      readFileSync(join(dir, 'calls.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
    clearCalls: () => writeFileSync(join(dir, 'calls.jsonl'), ''),
  };
}
