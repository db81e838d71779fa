/**
 * Adds an editor who can sign in at /admin, or gives an existing one a new password (which also
 * signs them out everywhere). Prints a generated password once; only its PBKDF2 hash is stored.
 *
 *   npm run editor:add -- you@example.com [--name "Ann Editor"]
 *   npm run editor:add -- you@example.com --remote --env production
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { hashPassword } from '../lib/password.ts';
import { literal } from './seed-sql';
import { databaseTarget, executeStatements } from './wrangler';

const argv = process.argv.slice(2);
const { values, positionals } = parseArgs({
  args: argv,
  allowPositionals: true,
  options: {
    name: { type: 'string', default: '' },
    remote: { type: 'boolean' },
    env: { type: 'string' },
    'persist-to': { type: 'string' },
  },
});
const email = z.email().safeParse(positionals[0]?.trim().toLowerCase());
if (!email.success || positionals.length !== 1) {
  throw new Error('Usage: npm run editor:add -- you@example.com [--name "Ann Editor"] [--remote] [--env NAME]');
}

const password = randomBytes(15).toString('base64url');
const address = literal(email.data);
await executeStatements(
  [
    `INSERT INTO editors (email, name, password_hash) VALUES (${address}, ${literal(values.name)}, ${literal(await hashPassword(password))})
     ON CONFLICT (email) DO UPDATE SET password_hash = excluded.password_hash,
       name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE editors.name END;`,
    `DELETE FROM editor_sessions WHERE editor_id = (SELECT id FROM editors WHERE email = ${address});`,
  ],
  databaseTarget(argv),
  'editor-add',
);
console.log(
  `\nEditor ${email.data} can sign in at /admin/sign-in with this password (shown only now):\n\n    ${password}\n`,
);
