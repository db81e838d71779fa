import { env } from 'cloudflare:workers';
import { existingState, existingStateQueries, importStatements, type Plan } from '../../src/cli/wordpress-import';

/**
 * What `npm run import` does, against the test's D1: reads the state for `source` (and `extraQueries`,
 * whose rows `plan` is given), plans, and applies the statements as wrangler would (in batches).
 */
export async function applyImport(
  source: string,
  plan: (extraRows: { name: string }[][]) => Plan,
  {
    extraQueries = [],
    now = new Date(),
    subscribers = false,
  }: { extraQueries?: string[]; now?: Date; subscribers?: boolean } = {},
) {
  const queries = existingStateQueries(source, { subscribers });
  const results = await env.DB.batch([...queries, ...extraQueries].map((query) => env.DB.prepare(query)));
  const rows = results.map((result) => result.results as { name: string }[]);
  const { statements, report } = await importStatements(
    plan(rows.slice(queries.length)),
    existingState(rows.slice(0, queries.length)),
    { ipSalt: env.IP_HASH_SALT, subscriberSalt: env.SUBSCRIBER_HASH_SALT, networkRetentionDays: 90, now },
  );
  for (let start = 0; start < statements.length; start += 100) {
    await env.DB.batch(statements.slice(start, start + 100).map((statement) => env.DB.prepare(statement)));
  }
  return { report, statements };
}
