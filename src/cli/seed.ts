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
import { storeImageFiles } from './seed-images';
import { seedStatements } from './seed-sql';
import { databaseTarget, executeStatements } from './wrangler';

const seedDir = fileURLToPath(new URL('../seed', import.meta.url));

const seed = await readSeed(seedDir);
const target = databaseTarget(process.argv.slice(2));
const images = await storeImageFiles(
  seed.articles.flatMap((article) => article.heroImage ?? []),
  target,
);
const statements = await seedStatements(seed);
await executeStatements(statements, target, 'seed');
console.log(`Seeded: ${images} new image(s) in R2, ${statements.length} statements (existing rows left as they were).`);
