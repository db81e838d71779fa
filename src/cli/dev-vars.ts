/** `.dev.vars`: the local secrets `wrangler dev` reads (git-ignored). */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** The secrets the Worker needs (src/secrets.d.ts): random values, made here locally and by `npm run setup` when deployed. */
export const SECRETS = [
  'BOOKMARK_COOKIE_SECRET',
  'FORM_TOKEN_SECRET',
  'IP_HASH_SALT',
  'MODERATOR_TOKEN',
  'NEWSLETTER_TOKEN_SECRET',
  'SUBSCRIBER_HASH_SALT',
] as const;
const FILE = '.dev.vars';

export function readDevVars(): Record<string, string> {
  if (!existsSync(FILE)) return {};
  return Object.fromEntries(
    readFileSync(FILE, 'utf8')
      .split('\n')
      .map((line) => /^([A-Z0-9_]+)\s*=\s*"?(.*?)"?\s*$/.exec(line))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => [match[1]!, match[2]!]),
  );
}

/** Adds a random value for every secret the Worker needs that is missing; keeps the ones already there. */
export function ensureDevVars(): void {
  const existing = readDevVars();
  const missing = SECRETS.filter((name) => !existing[name]);
  if (missing.length > 0) {
    const lines = missing.map((name) => `${name}="${randomBytes(32).toString('base64url')}"`);
    const previous = existsSync(FILE) ? readFileSync(FILE, 'utf8').replace(/\n?$/, '\n') : '';
    writeFileSync(FILE, `${(previous.trim() ? previous : '') + lines.join('\n')}\n`);
    console.log(`${FILE}: generated ${missing.join(', ')}`);
  }
}
