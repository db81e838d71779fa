import { env } from 'cloudflare:workers';
import { readDisqus } from '../../src/cli/disqus';
import {
  articleAddresses,
  articleAddressQueries,
  disqusSource,
  outlineDisqus,
  planDisqusOutline,
  writeDisqusComments,
} from '../../src/cli/disqus-import';
import {
  combineReports,
  existingState,
  existingStateQueries,
  type ImportReport,
  importStatements,
  type Plan,
} from '../../src/cli/wordpress-import';

/** The rows each of `queries` returns from the test's D1. */
async function rowsOf(queries: string[]) {
  const results = await env.DB.batch(queries.map((query) => env.DB.prepare(query)));
  return results.map((result) => result.results as { name: string }[]);
}

/** Runs `statements` as wrangler would, in batches. */
async function run(statements: string[]) {
  for (let start = 0; start < statements.length; start += 100) {
    await env.DB.batch(statements.slice(start, start + 100).map((statement) => env.DB.prepare(statement)));
  }
}

const sqlOptions = (now: Date) => ({
  ipSalt: env.IP_HASH_SALT,
  subscriberSalt: env.SUBSCRIBER_HASH_SALT,
  networkRetentionDays: 90,
  now,
});

/**
 * What `npm run import` does, against the test's D1: reads the state for `source`, plans, and applies
 * the statements.
 */
export async function applyImport(
  source: string,
  plan: () => Plan,
  { now = new Date(), subscribers = false }: { now?: Date; subscribers?: boolean } = {},
) {
  const queries = existingStateQueries(source, { subscribers });
  const { statements, report } = await importStatements(plan(), existingState(await rowsOf(queries)), sqlOptions(now));
  await run(statements);
  return { report, statements };
}

/**
 * What `npm run import -- disqus` does with `text`, against the test's D1: the export read as a file
 * is, a piece of `pieceSize` characters at a time (a post's XML split between pieces), twice or more,
 * and its comments written in batches of about `batchText` characters of text.
 */
export async function applyDisqusImport(
  text: string,
  { now = new Date(), pieceSize = 4096, batchText }: { now?: Date; pieceSize?: number; batchText?: number } = {},
) {
  const pieces = function* () {
    for (let start = 0; start < text.length; start += pieceSize) yield text.slice(start, start + pieceSize);
  };
  const read = (onPosts: Parameters<typeof readDisqus>[1]) => readDisqus(pieces(), onPosts);
  const outline = await outlineDisqus(read);
  const queries = existingStateQueries(disqusSource(outline));
  const rows = await rowsOf([...queries, ...articleAddressQueries]);
  const existing = existingState(rows.slice(0, queries.length));
  const plan = planDisqusOutline(outline, articleAddresses(rows.slice(queries.length)));
  const reports: ImportReport[] = [];
  const statements: string[] = [];
  let reads = 1;
  await writeDisqusComments(
    (onPosts) => {
      reads += 1;
      return read(onPosts);
    },
    plan,
    async (part) => {
      const written = await importStatements(part, existing, sqlOptions(now));
      reports.push(written.report);
      statements.push(...written.statements);
      await run(written.statements);
    },
    { batchText },
  );
  return { report: combineReports(reports), statements, reads };
}
