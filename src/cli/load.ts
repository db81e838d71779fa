/**
 * `npm run load`: a bounded load run on 127.0.0.1. The built Worker (migrated, seeded, comment limits
 * raised) takes the article page and comment posts at the same time for 30 s; prints requests,
 * errors, non-2xx/3xx and 5xx answers per route, and exits 1 on any error or 5xx.
 *
 *   npm run load -- [--duration 30] [--connections 10]
 */
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { commentFormTokens, commentPostRequests } from './comment-posts.ts';
import {
  LOCAL_SECRETS,
  migrateAndSeed,
  RAISED_COMMENT_LIMITS,
  SAMPLE_ARTICLE,
  startLocalWorker,
} from './local-worker.ts';

const { values: options } = parseArgs({
  options: { duration: { type: 'string', default: '30' }, connections: { type: 'string', default: '10' } },
});
const duration = Number(options.duration);
const connections = Number(options.connections);

interface Tally {
  route: string;
  requests: number;
  'req/s': number;
  'p99 ms': number;
  errors: number;
  'non-2xx/3xx': number;
  '5xx': number;
}

function tally(route: string, result: autocannon.Result): Tally {
  const codes = Object.entries(result.statusCodeStats as unknown as Record<string, { count: number }>);
  const counted = (test: (code: number) => boolean) =>
    codes.filter(([code]) => test(Number(code))).reduce((sum, [, { count }]) => sum + count, 0);
  return {
    route,
    requests: result.requests.total,
    'req/s': Math.round(result.requests.average),
    'p99 ms': result.latency.p99,
    errors: result.errors + result.timeouts,
    'non-2xx/3xx': counted((code) => code < 200 || code >= 400),
    '5xx': counted((code) => code >= 500),
  };
}

async function main(): Promise<number> {
  console.log('Building and starting the Worker on 127.0.0.1…');
  const { miniflare, url } = await startLocalWorker({ ...LOCAL_SECRETS, ...RAISED_COMMENT_LIMITS });
  try {
    await migrateAndSeed(miniflare);
    const article = new URL(SAMPLE_ARTICLE.path, url).href;
    const tokens = await commentFormTokens(SAMPLE_ARTICLE.slug, 50_000);
    console.log(
      `${duration} s: GET ${SAMPLE_ARTICLE.path} and POST ${SAMPLE_ARTICLE.path}/comments at once, ${connections} connections each…`,
    );
    const [reads, posts] = await Promise.all([
      autocannon({ url: article, connections, duration }),
      autocannon({
        url: `${article}/comments`,
        connections,
        duration,
        requests: commentPostRequests(url.origin, tokens),
      }),
    ]);
    const rows = [tally('article page (GET)', reads), tally('comment form (POST)', posts)];
    console.table(rows);
    const failed = rows.some((row) => row.errors > 0 || row['5xx'] > 0);
    console.log(failed ? 'FAILED: errors or 5xx answers.' : 'OK: no errors, no 5xx.');
    return failed ? 1 : 0;
  } finally {
    await miniflare.dispose();
  }
}

process.exitCode = await main();
