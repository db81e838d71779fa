/**
 * Seeds the D1 database with the sample articles, sections, authors and comments.
 * Idempotent: running it again inserts only what is missing.
 *
 *   npm run db:seed                   # local database
 *   npm run db:seed -- --remote --env staging
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { readSeed } from './article-files';
import { seedStatements } from './seed-sql';
import { databaseTarget, wrangler } from './wrangler';

const seedDir = fileURLToPath(new URL('../seed', import.meta.url));
const outFile = '.wrangler/seed.sql';

const statements = await seedStatements(await readSeed(seedDir));
await mkdir('.wrangler', { recursive: true });
await writeFile(outFile, statements.join('\n') + '\n');
wrangler(['d1', 'execute', 'DB', ...databaseTarget(process.argv.slice(2)), `--file=${outFile}`]);
console.log(`Seeded: ${statements.length} statements (existing rows left as they were).`);
