/**
 * Adds a staff member who can sign in at /admin (an administrator unless --role says otherwise), or
 * gives an existing one a new password and that role (which also signs them out everywhere): the
 * first administrator, and recovery when no administrator can sign in. Others are invited from the
 * admin. Prints a generated password once; only its PBKDF2 hash is stored.
 *
 *   npm run staff:add -- you@example.com [--name "Ann Editor"] [--role editor]
 *   npm run staff:add -- you@example.com --remote --env production
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ROLES } from '../db/schema.ts';
import { hashPassword } from '../lib/password.ts';
import { literal } from './seed-sql';
import { databaseTarget, executeStatements } from './wrangler';

const argv = process.argv.slice(2);
const { values, positionals } = parseArgs({
  args: argv,
  allowPositionals: true,
  options: {
    name: { type: 'string', default: '' },
    role: { type: 'string', default: 'administrator' },
    remote: { type: 'boolean' },
    env: { type: 'string' },
    'persist-to': { type: 'string' },
  },
});
const email = z.email().safeParse(positionals[0]?.trim().toLowerCase());
const role = z.enum(ROLES).safeParse(values.role);
if (!email.success || !role.success || positionals.length !== 1) {
  throw new Error(
    `Usage: npm run staff:add -- you@example.com [--name "Ann Editor"] [--role ${ROLES.join('|')}] [--remote] [--env NAME]`,
  );
}

const password = randomBytes(15).toString('base64url');
const address = literal(email.data);
await executeStatements(
  [
    `INSERT INTO editors (email, name, password_hash, role) VALUES (${address}, ${literal(values.name)}, ${literal(await hashPassword(password))}, ${literal(role.data)})
     ON CONFLICT (email) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role,
       name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE editors.name END;`,
    `DELETE FROM editor_sessions WHERE editor_id = (SELECT id FROM editors WHERE email = ${address});`,
  ],
  databaseTarget(argv),
  'staff-add',
);
console.log(
  `\n${role.data[0]!.toUpperCase()}${role.data.slice(1)} ${email.data} can sign in at /admin/sign-in with this password (shown only now):\n\n    ${password}\n`,
);
