/**
 * Seeds the D1 database with the sample sections, authors, articles and comments: the site file,
 * then src/seed/articles/*.md through the same statements as `npm run import`.
 * Idempotent: running it again inserts only what is missing.
 *
 *   npm run db:seed                   # local database
 *   npm run db:seed -- --remote --env staging
 */
import { fileURLToPath } from 'node:url';
import { readSeed } from './article-files';
import { seedStatements } from './seed-sql';
import { databaseTarget, executeStatements } from './wrangler';

const seedDir = fileURLToPath(new URL('../seed', import.meta.url));

const statements = await seedStatements(await readSeed(seedDir));
await executeStatements(statements, databaseTarget(process.argv.slice(2)), 'seed');
console.log(`Seeded: ${statements.length} statements (existing rows left as they were).`);
