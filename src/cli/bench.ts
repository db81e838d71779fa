/**
 * `npm run bench`: serves the built Worker in workerd through the miniflare API (no dev-server proxy)
 * on 127.0.0.1 with a freshly migrated and seeded in-memory D1/KV, and measures each route with
 * autocannon in interleaved rounds. Writes a table and bench-results/<time>.json.
 *
 *   npm run bench -- [--duration 5] [--connections 10] [--rounds 3] [--vs http://127.0.0.1:2368/some-post/]…
 *   npm run bench -- --archive [--persist-to DIR]   # and the archive `npm run seed:archive` built, served beside it
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import type { Miniflare } from 'miniflare';
import { METER_PATH, type MeterCounts } from '../ops/meter-counts.ts';
import { articleBatches, commentBatches, insertStatements, tagRows } from './archive-generator.ts';
import { commentFormTokens, commentPost, commentPostRequests } from './comment-posts.ts';
import {
  LOCAL_SECRETS,
  migrateAndSeed,
  RAISED_COMMENT_LIMITS,
  SAMPLE_ARTICLE as SAMPLE,
  startLocalWorker,
} from './local-worker.ts';
import { costPerMillion, PRICES_READ_ON } from './prices.ts';

const { values: options } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    vs: { type: 'string', multiple: true, default: [] },
    archive: { type: 'boolean', default: false },
    'persist-to': { type: 'string', default: '.wrangler/state' },
  },
});
const duration = Number(options.duration);
const connections = Number(options.connections);
const rounds = Number(options.rounds);

/** How many archive-shaped articles an archive run adds to the sample (see fillEveryListing). */
const SAMPLE_FILL = 150;
const CROWDED = { slug: 'asean-defence-ministers-hanoi', path: '/2010/10/asean-defence-ministers-hanoi' };
/** Where the comment POST route posts: published comments there leave the measured pages as they were. */
const COMMENTED = { slug: 'japan-china-trawler-standoff', path: '/2010/09/japan-china-trawler-standoff' };
const BYPASS_TOKEN = 'bench-cache-bypass';
const METER_TOKEN = 'bench-meter';
/** Requests per route in the metered pass, which counts binding operations (src/ops/metering.ts). */
const METERED_REQUESTS = 20;
/** Longer than the purge queue's local batch timeout plus its consumer's one second, and the readership batch. */
const SETTLE_MS = 4000;
/** Longer than the local purge queue's batch timeout (1 s, wrangler.toml) and its consumer's run (at least 1 s). */
const PURGE_SETTLE_MS = 2500;
/**
 * A comment purges at most ten paths (its article, its comment feed, the latest-comments feed, the first page of home,
 * section, author, tags), four KV operations each (a delete per access level and the purge marker).
 */
const COMMENT_PURGE_KV_BOUND = 40;
/** A seed article the bench makes paid (the seed stored its teaser): read by a reader without an account and by a paid member. */
const PAID = { slug: 'rare-earths-supply-jitters', path: '/2010/10/rare-earths-supply-jitters' };
/** A browser arriving from a search engine: counted as a reader's view (src/readership), unlike autocannon's own requests. */
const READER = {
  'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  Referer: 'https://www.google.com/',
};

/** The seed plus an article with 1,000 approved comments. */
async function seed(miniflare: Miniflare) {
  const db = await migrateAndSeed(miniflare);
  const { id } = (await db
    .prepare('SELECT id FROM articles WHERE slug = ?')
    .bind(CROWDED.slug)
    .first<{ id: number }>())!;
  // 1,000 comments shaped as the archive's are (src/cli/archive-generator.ts: 8 to 60 words, three in ten
  // replies, 1 in 100 held), so an archive's comment page is held against a sample page of the same kind.
  const { next } = (await db
    .prepare('SELECT coalesce(max(id), 0) + 1 AS next FROM comments')
    .first<{ next: number }>())!;
  const shape = { articles: 1, comments: 1000, subscribers: 0, seed: 1 };
  const base = { sectionIds: [], authorIds: [], heroes: [], firstArticleId: id, firstCommentId: next, firstTagId: 0 };
  for (const { comments } of commentBatches(shape, base))
    for (const statement of insertStatements('comments', comments)) await db.prepare(statement).run();
  // A moderation queue with more than its page of 200 to do, as the archive's 10,000 are: 250 comments of
  // the generator's shape, held, across the published articles.
  const published = (
    await db.prepare("SELECT id FROM articles WHERE status = 'published' ORDER BY id").all<{ id: number }>()
  ).results;
  const heldBase = { ...base, firstCommentId: next + shape.comments };
  for (const { comments } of commentBatches({ ...shape, comments: 250, seed: 3 }, heldBase)) {
    const held = comments.map((comment, index) => ({
      ...comment,
      article_id: published[index % published.length]!.id,
      parent_id: null,
      root_id: null,
      depth: 0,
      status: 'pending',
    }));
    for (const statement of insertStatements('comments', held)) await db.prepare(statement).run();
  }
  if (options.archive) await fillEveryListing(db);
  return db;
}

/**
 * On an archive run, the sample also gets SAMPLE_FILL articles from the archive's generator (bodies of
 * 800-3,000 words, its tags, the sample's sections and authors), so that its busiest section, tag and
 * author, its search and its feed fill their pages as the archive's do: the archive's rows are then
 * held against pages of the same size and kind, and differ only by the archive's size.
 */
async function fillEveryListing(db: Database) {
  const ids = async (sql: string) => (await db.prepare(sql).all<{ id: number }>()).results.map((row) => row.id);
  const next = async (table: string) =>
    (await db.prepare(`SELECT coalesce(max(id), 0) + 1 AS next FROM ${table}`).first<{ next: number }>())!.next;
  const heroes = await db
    .prepare('SELECT hash, width, height FROM media WHERE public_at IS NOT NULL ORDER BY hash')
    .all<{ hash: string; width: number; height: number }>();
  const shape = { articles: SAMPLE_FILL, comments: 0, subscribers: 0, seed: 2 };
  const base = {
    sectionIds: await ids('SELECT id FROM sections ORDER BY id'),
    authorIds: await ids('SELECT id FROM authors ORDER BY id'),
    heroes: heroes.results.map(({ hash, width, height }) => ({ url: `/media/${hash}/1280`, width, height })),
    firstArticleId: await next('articles'),
    firstCommentId: await next('comments'),
    firstTagId: await next('tags'),
  };
  const statements = [
    ...insertStatements('tags', tagRows(shape, base)),
    ...[...articleBatches(shape, base)].flatMap((batch) => [
      ...insertStatements('articles', batch.articles),
      ...insertStatements('article_tags', batch.articleTags),
    ]),
  ];
  for (const statement of statements) await db.prepare(statement).run();
}

interface Route {
  name: string;
  url: string;
  headers?: Record<string, string>;
  requests?: autocannon.Request[];
  /** Answered by Workers Static Assets before the Worker runs: no binding is used, and such requests are free. */
  servedByAssets?: boolean;
  /** The n-th request of the metered pass, if not a plain GET. */
  metered?: (n: number) => RequestInit;
  /**
   * Metered one at a time, each left to settle (its purge done) before the next: what a request costs
   * at a publication's ordinary pace, not how many of a burst the purge queue happened to coalesce.
   */
  settleEach?: boolean;
  /** An uncached page's kind and place (a section's first, deep or last page…), the same on both sites. */
  kind?: string;
  /** On the archive: the kind of the sample site's row it is held against. */
  like?: string;
}

/**
 * Comments posted to COMMENTED, each with its own form token and text, numbered from `first`; on the
 * archive (`suffix`) held against the sample's. The archive keeps its state between runs, so its posts
 * are numbered from the run's time: a text posted by an earlier run would be refused as a repeat.
 */
function commentPostRoute(
  base: URL,
  tokens: Awaited<ReturnType<typeof commentFormTokens>>,
  suffix = '',
  first = 0,
): Route {
  const kind = 'comment POST, published';
  return {
    name: `${kind}${suffix}`,
    url: new URL(`${COMMENTED.path}/comments`, base).href,
    requests: commentPostRequests(base.origin, tokens, first),
    metered: (n) => ({ method: 'POST', redirect: 'manual', ...commentPost(base.origin, tokens, first + 40_000 + n) }),
    settleEach: true,
    kind,
    like: suffix ? kind : undefined,
  };
}

async function routes(base: URL, db: Database): Promise<Route[]> {
  const at = (path: string) => new URL(path, base).href;
  const bypass = { 'X-Cache-Bypass': BYPASS_TOKEN };
  const tokens = await commentFormTokens(COMMENTED.slug, 50_000);
  return [
    { name: 'static asset (/styles.css)', url: at('/styles.css'), servedByAssets: true },
    { name: 'article, cached', url: at(SAMPLE.path), kind: 'article, cached' },
    { name: 'article, cached, a counted reader view', url: at(SAMPLE.path), headers: READER },
    { name: 'article, uncached', url: at(SAMPLE.path), headers: bypass },
    { name: 'home page, cached', url: at('/') },
    { name: 'paid article, cached, reader without an account', url: at(PAID.path) },
    { name: 'paid article, cached, a paid member', url: at(PAID.path), headers: { Cookie: await paidMember(db) } },
    { name: 'article + 1,000 comments, uncached', url: at(CROWDED.path), headers: bypass },
    { name: 'comments JSON API', url: at(`/api/articles/${SAMPLE.slug}/comments`) },
    commentPostRoute(base, tokens),
    { name: 'one D1 round trip (/healthz)', url: at('/healthz') },
    ...(options.archive ? uncachedPages(at, await anchors(base, db)) : []),
    ...(options.vs ?? []).map((url) => ({ name: `vs ${url}`, url })),
  ];
}

/** The articles and listings an uncached page row reads: the site's busiest section, tag and author, and its most commented article. */
interface Anchors {
  section: string;
  tag: string;
  author: string;
  /** The busiest section's page about `deep` articles in (5,000 pages at most), and its last page. */
  deep: { after: number; page: number } | undefined;
  last: { after: number; page: number } | undefined;
  /** The most commented article's address and its last comment page. */
  crowded: string;
  lastCommentPage: number;
  /** An administrator's session on this site, for the admin's pages. */
  adminCookie: string;
}

/** Signs in an administrator the way a sign-in does (a session row, its token's hash as the id): the cookie. */
async function adminSession(db: Database): Promise<string> {
  const staff = await db
    .prepare(
      "INSERT INTO editors (email, name, password_hash, role) VALUES ('bench-' || hex(randomblob(4)) || '@example.org', 'Bench', 'none', 'administrator') RETURNING id",
    )
    .first<{ id: number }>();
  const token = randomBytes(32).toString('base64url');
  const now = Date.now();
  await db
    .prepare('INSERT INTO editor_sessions (id, editor_id, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?)')
    .bind(createHash('sha256').update(`session|${token}`).digest('hex'), staff!.id, now, now + 86_400_000, now)
    .run();
  return `editor_session=${token}`;
}

type Database = Awaited<ReturnType<typeof seed>>;

/** Makes PAID paid, and signs in a member whose paid access runs for a year the way a sign-in does: their cookie. */
async function paidMember(db: Database): Promise<string> {
  await db.prepare("UPDATE articles SET access = 'paid' WHERE slug = ?").bind(PAID.slug).run();
  const now = Date.now();
  const member = await db
    .prepare(
      "INSERT INTO members (email, name, paid_until) VALUES ('bench-' || hex(randomblob(4)) || '@example.org', 'Bench Reader', ?) RETURNING id",
    )
    .bind(now + 365 * 86_400_000)
    .first<{ id: number }>();
  const token = randomBytes(32).toString('base64url');
  await db
    .prepare('INSERT INTO member_sessions (id, member_id, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?)')
    .bind(createHash('sha256').update(`member-session|${token}`).digest('hex'), member!.id, now, now + 86_400_000, now)
    .run();
  return `edgepress_member=${token}`;
}

async function anchors(base: URL, db: Database): Promise<Anchors> {
  const now = Date.now();
  const busiest = async (column: 'section_id' | 'author_id', table: 'sections' | 'authors') =>
    (await db
      .prepare(
        `SELECT ${table}.slug, ${table}.id, count(*) AS n FROM articles JOIN ${table} ON ${table}.id = articles.${column} WHERE status = 'published' AND published_at <= ? GROUP BY ${table}.id ORDER BY n DESC LIMIT 1`,
      )
      .bind(now)
      .first<{ slug: string; id: number; n: number }>())!;
  const section = await busiest('section_id', 'sections');
  const author = await busiest('author_id', 'authors');
  const tag = (await db
    .prepare(
      "SELECT tags.slug FROM article_tags JOIN tags ON tags.id = tag_id WHERE status = 'published' GROUP BY tag_id ORDER BY count(*) DESC LIMIT 1",
    )
    .first<{ slug: string }>())!;
  const perPage = (await (await fetch(new URL('/', base))).text()).match(/<h2><a href=/g)!.length;
  // The page that starts after the article at this position of the section (read once here with OFFSET).
  const pageAt = async (position: number) => {
    if (position < perPage) return undefined;
    const row = await db
      .prepare(
        "SELECT id FROM articles WHERE section_id = ? AND status = 'published' AND published_at <= ? ORDER BY published_at DESC, id DESC LIMIT 1 OFFSET ?",
      )
      .bind(section.id, now, position - 1)
      .first<{ id: number }>();
    return row ? { after: row.id, page: Math.floor(position / perPage) + 1 } : undefined;
  };
  const crowded = (await db
    .prepare('SELECT slug FROM articles WHERE status = ? ORDER BY comment_count DESC LIMIT 1')
    .bind('published')
    .first<{ slug: string }>())!;
  const crowdedPath = await articleAddress(base, crowded.slug);
  const firstPage = await (await fetch(new URL(crowdedPath, base))).text();
  return {
    section: section.slug,
    tag: tag.slug,
    author: author.slug,
    deep: await pageAt(Math.min(5000 * perPage, section.n - 2 * perPage)),
    last: await pageAt(section.n - 1 - ((section.n - 1) % perPage)),
    crowded: crowdedPath,
    adminCookie: await adminSession(db),
    lastCommentPage: Number(/Page 1 of ([\d,]+)/.exec(firstPage)?.[1]?.replace(/,/g, '') ?? 1),
  };
}

/** An article's address, as the sitemap lists it. */
async function articleAddress(base: URL, slug: string): Promise<string> {
  const index = await (await fetch(new URL('/sitemap.xml', base))).text();
  for (const [, file] of index.matchAll(/<loc>([^<]+\/articles-\d+\.xml)<\/loc>/g)) {
    const listed = await (await fetch(new URL(new URL(file!).pathname, base))).text();
    const loc = new RegExp(`<loc>([^<]+/${slug})</loc>`).exec(listed)?.[1];
    if (loc) return new URL(loc).pathname;
  }
  throw new Error(`${slug} is in no sitemap file`);
}

/**
 * Every kind of reader page, uncached: what an archive's size could change. On the archive (`suffix`
 * ", archive") each row is held against the sample's row of its kind.
 */
function uncachedPages(at: (path: string) => string, anchor: Anchors, suffix = ''): Route[] {
  const headers = { 'X-Cache-Bypass': BYPASS_TOKEN };
  const page = (kind: string, path: string, detail = '', place = '') => ({
    name: `${kind}${detail}${suffix}`,
    url: at(path),
    headers,
    kind: `${kind}${place}`,
    like: suffix ? `${kind}${place}` : undefined,
  });
  const section = 'section page, uncached';
  return [
    page('home page, uncached', '/'),
    page(section, `/section/${anchor.section}`),
    ...(anchor.deep
      ? [
          page(
            section,
            `/section/${anchor.section}?after=${anchor.deep.after}`,
            ` (page ${anchor.deep.page.toLocaleString('en-US')})`,
            ', deep',
          ),
        ]
      : []),
    ...(anchor.last
      ? [
          page(
            section,
            `/section/${anchor.section}?after=${anchor.last.after}`,
            ` (the last, ${anchor.last.page.toLocaleString('en-US')})`,
            ', last',
          ),
        ]
      : []),
    page('tag page, uncached', `/tag/${anchor.tag}`),
    page('author page, uncached', `/author/${anchor.author}`),
    page('most commented article, uncached', anchor.crowded),
    page('most commented article, last comment page, uncached', `${anchor.crowded}?page=${anchor.lastCommentPage}`),
    page('search, a common word', '/search?q=security'),
    page('search, a rare word', '/search?q=trawler'),
    page('sitemap index, uncached', '/sitemap.xml'),
    page('RSS feed, uncached', '/feed.xml'),
    ...[
      ['admin dashboard', '/admin'],
      ['admin article list', '/admin/articles'],
      ['admin moderation queue', '/admin/comments?status=pending'],
      ['admin subscribers', '/admin/subscribers'],
    ].map(([kind, path]) => ({ ...page(kind!, path!), headers: { ...headers, Cookie: anchor.adminCookie } })),
    // Last: on the archive it lists 49,000 addresses, and the requests still queued when its window ends
    // would be counted against the next page.
    page('sitemap file (articles-1), uncached', '/sitemaps/articles-1.xml'),
  ];
}

/** CPU time (ms) used so far by the workerd processes this one started. */
function workerdCpuMs(): number {
  const ticksPerSecond = 100;
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const isOurs = Number(fields[1]) === process.pid && stat.includes('(workerd)');
      if (isOurs) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended between listing and reading.
    }
  }
  return (ticks * 1000) / ticksPerSecond;
}

interface Measurement {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  bytesPerResponse: number;
  errors: number;
  non2xx3xx: number;
  cpuMsPerRequest: number | null;
}

async function measure(route: Route, local: boolean): Promise<Measurement> {
  const cpuBefore = workerdCpuMs();
  const result = await autocannon({
    url: route.url,
    connections,
    duration,
    headers: route.headers,
    requests: route.requests,
  });
  const cpuMs = workerdCpuMs() - cpuBefore;
  const count = result.requests.total;
  const statusCodes = result.statusCodeStats as unknown as Record<string, { count: number }>;
  const unexpected = Object.entries(statusCodes)
    .filter(([code]) => Number(code) >= 400)
    .reduce((sum, [, { count: n }]) => sum + n, 0);
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    bytesPerResponse: count > 0 ? Math.round(result.throughput.total / count) : 0,
    errors: result.errors + result.timeouts,
    non2xx3xx: unexpected,
    cpuMsPerRequest: local && count > 0 ? cpuMs / count : null,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until workerd has finished what the last route left it (a counted view's readership batch, a comment's
 * purges), so that work is not measured against the next route: idle is one clock tick (10 ms) of CPU or less in
 * 250 ms; it waits 15 s at most.
 */
async function untilIdle(): Promise<void> {
  for (let waited = 0; waited < 15_000; waited += 250) {
    const before = workerdCpuMs();
    await sleep(250);
    if (workerdCpuMs() - before <= 10) return;
  }
}

/** The Worker's binding counts since the last read (which starts them again from zero). */
async function readMeter(base: URL | string): Promise<MeterCounts> {
  const response = await fetch(new URL(METER_PATH, base), { headers: { 'X-Meter': METER_TOKEN } });
  return (await response.json()) as MeterCounts;
}

type PerRequest = Omit<MeterCounts, 'requests'>;

/**
 * What one request of the route asks of the bindings: METERED_REQUESTS requests one after another,
 * counted with what they leave to run afterwards (waitUntil, the purge queue's consumer).
 */
async function meter(route: Route): Promise<PerRequest> {
  const base = new URL(route.url).origin;
  if (!route.metered) {
    // A page the writes before this pass (the comment posts' purges) left uncached is cached again first,
    // and the readership batch this view starts (a second) is flushed before counting begins.
    await fetch(route.url, { headers: { 'User-Agent': '', ...route.headers } }).then((response) =>
      response.arrayBuffer(),
    );
    await sleep(1500);
  }
  await readMeter(base);
  for (let n = 1; n <= METERED_REQUESTS; n++) {
    const init = route.metered?.(n) ?? {};
    // No user agent unless the route sends one, as autocannon: not a reader's view (src/readership).
    const headers = {
      'User-Agent': '',
      ...route.headers,
      ...(init.headers as Record<string, string>),
      'X-Meter': METER_TOKEN,
    };
    await fetch(route.url, { ...init, headers }).then((response) => response.arrayBuffer());
    if (route.settleEach) await sleep(PURGE_SETTLE_MS);
  }
  await sleep(SETTLE_MS);
  const { requests, ...counts } = await readMeter(base);
  if (requests !== METERED_REQUESTS) throw new Error(`The meter saw ${requests} requests, not ${METERED_REQUESTS}`);
  return Object.fromEntries(
    Object.entries(counts).map(([name, value]) => [name, Number((value / requests).toFixed(2))]),
  ) as PerRequest;
}

/** US dollars per million requests at Cloudflare's published Workers Paid prices (src/cli/prices.ts). */
const dollarsPerMillion = (usage: PerRequest, cpuMs: number | null) =>
  Number(
    costPerMillion({
      requests: 1,
      cpuMs: cpuMs ?? 0,
      kvReads: usage.kvReads,
      kvWrites: usage.kvWrites,
      kvDeletes: usage.kvDeletes,
      kvLists: usage.kvLists,
      d1RowsRead: usage.d1RowsRead,
      d1RowsWritten: usage.d1RowsWritten,
      durableObjectRequests: usage.durableObjectRequests,
      queueOperations: usage.queueMessages * 3,
    }).toFixed(2),
  );

/** Adds `count` published articles (for the comment post's cost on a large site). */
async function addArticles(db: Awaited<ReturnType<typeof seed>>, count: number) {
  const insert = db.prepare(
    `INSERT INTO articles (slug, headline, standfirst, body_markdown, body_html, status, published_at, author_id, section_id)
     VALUES (?, ?, '', 'Body.', '<p>Body.</p>', 'published', ?, (SELECT id FROM authors LIMIT 1), (SELECT id FROM sections LIMIT 1))`,
  );
  const rows = Array.from({ length: count }, (_, i) =>
    insert.bind(`bench-article-${i}`, `Bench article ${i}`, Date.UTC(2009, 0, 1) + i * 3_600_000),
  );
  for (let start = 0; start < rows.length; start += 100) await db.batch(rows.slice(start, start + 100));
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const range = (values: number[], digits = 0) =>
  `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;

/** Both sites' variables: the bench's tokens, and every post published at once (the costlier path of a comment). */
const SITE_VARS = {
  ...LOCAL_SECRETS,
  CACHE_BYPASS_TOKEN: BYPASS_TOKEN,
  METER_TOKEN,
  ...RAISED_COMMENT_LIMITS,
  COMMENT_MODERATION: 'none',
};

/**
 * The archive `npm run seed:archive` built in the state folder, served by a second Worker beside the
 * sample's (its own D1 and R2, a fresh page cache); its reader pages are added to `list`.
 */
async function startArchive(list: Route[]) {
  console.log(`Starting the Worker on the archive in ${options['persist-to']}…`);
  const { miniflare, url } = await startLocalWorker(SITE_VARS, { persistTo: options['persist-to'] });
  const db = await miniflare.getD1Database('DB');
  const articles = await db.prepare('SELECT count(*) AS n FROM articles').first<{ n: number }>();
  if (!articles || articles.n < 1000) {
    await miniflare.dispose();
    throw new Error(
      `${options['persist-to']} holds ${articles?.n ?? 0} articles: build the archive with npm run seed:archive first.`,
    );
  }
  const at = (path: string) => new URL(path, url).href;
  // Before the uncached pages, whose last (a sitemap file of 49,000 addresses) leaves the server busy.
  list.push(
    { name: 'article, cached, archive', url: at(SAMPLE.path), like: 'article, cached' },
    commentPostRoute(url, await commentFormTokens(COMMENTED.slug, 50_000), ', archive', Date.now()),
    ...uncachedPages(at, await anchors(url, db), ', archive'),
  );
  return { miniflare, url, db };
}

/**
 * Queueing this week's issue to every confirmed subscriber, as the weekly send does it (one request,
 * one invocation: src/newsletter/send.ts), timed from outside. Nothing is mailed: the issue, its
 * deliveries and the article it was made of are deleted at once, so the fan-out it queued finds none pending.
 */
async function queueingAnIssue(base: URL, db: Database) {
  // This week's issue needs an article from the last 7 days.
  const article = await db
    .prepare(
      "INSERT INTO articles (slug, headline, standfirst, body_markdown, body_html, status, published_at, author_id, section_id) VALUES ('bench-weekly-' || hex(randomblob(4)), 'This week', '', 'Body.', '<p>Body.</p>', 'published', ?, (SELECT id FROM authors LIMIT 1), (SELECT id FROM sections LIMIT 1)) RETURNING id",
    )
    .bind(Date.now() - 60_000)
    .first<{ id: number }>();
  const started = performance.now();
  const response = await fetch(new URL('/api/newsletter/issues/send', base), {
    method: 'POST',
    headers: { Authorization: `Bearer ${LOCAL_SECRETS.MODERATOR_TOKEN}`, 'Content-Type': 'application/json' },
  });
  const ms = Math.round(performance.now() - started);
  const result = (await response.json()) as { issue: { number: number } | null; queued: number; message?: string };
  if (!result.issue) throw new Error(`The weekly send queued nothing: ${result.message}`);
  const issue = db.prepare('SELECT id FROM newsletter_issues WHERE number = ?').bind(result.issue.number);
  const { id } = (await issue.first<{ id: number }>())!;
  await db.batch([
    db.prepare('DELETE FROM newsletter_deliveries WHERE issue_id = ?').bind(id),
    db.prepare('DELETE FROM newsletter_issues WHERE id = ?').bind(id),
    db.prepare('DELETE FROM articles WHERE id = ?').bind(article!.id),
  ]);
  return { status: response.status, queued: result.queued, ms };
}

async function main() {
  console.log(`Building and starting the Worker…`);
  const { miniflare, url } = await startLocalWorker(SITE_VARS);
  let archive: Awaited<ReturnType<typeof startArchive>> | undefined;
  try {
    const db = await seed(miniflare);
    const list = await routes(url, db);
    if (options.archive) archive = await startArchive(list);
    for (const route of list)
      await fetch(route.url, { headers: route.headers }).then((response) => response.arrayBuffer());

    const results = new Map<string, Measurement[]>(list.map((route) => [route.name, []]));
    for (let round = 1; round <= rounds; round++) {
      for (const route of list) {
        process.stdout.write(`round ${round}/${rounds}: ${route.name}…\r`);
        results.get(route.name)!.push(await measure(route, !route.name.startsWith('vs ')));
        await untilIdle();
      }
    }
    process.stdout.write('\n');
    await sleep(SETTLE_MS);
    const usage = new Map<string, PerRequest>();
    for (const route of list.filter((route) => !route.name.startsWith('vs ') && !route.servedByAssets)) {
      process.stdout.write(`metering: ${route.name}…\r`);
      usage.set(route.name, await meter(route));
    }
    process.stdout.write('\n');

    const staticRps = median(results.get(list[0]!.name)!.map((m) => m.requestsPerSecond));
    const rows = list.map((route) => {
      const runs = results.get(route.name)!;
      const rps = runs.map((m) => m.requestsPerSecond);
      const cpu = runs.map((m) => m.cpuMsPerRequest).filter((value): value is number => value !== null);
      return {
        route: route.name,
        requestsPerSecond: median(rps),
        requestsPerSecondRange: range(rps),
        p50Ms: median(runs.map((m) => m.p50)),
        p99Ms: median(runs.map((m) => m.p99)),
        bytesPerResponse: median(runs.map((m) => m.bytesPerResponse)),
        errors: runs.reduce((sum, m) => sum + m.errors + m.non2xx3xx, 0),
        cpuMsPerRequest: cpu.length > 0 ? Number(median(cpu).toFixed(3)) : null,
        ratioToStatic: Number((median(rps) / staticRps).toFixed(2)),
        perRequest: usage.get(route.name) ?? null,
      };
    });
    console.table(
      rows.map((row) => ({
        route: row.route,
        'req/s (median)': Math.round(row.requestsPerSecond),
        'req/s (min–max)': row.requestsPerSecondRange,
        'p50 ms': row.p50Ms,
        'p99 ms': row.p99Ms,
        'bytes/resp': row.bytesPerResponse,
        errors: row.errors,
        'CPU ms/req': row.cpuMsPerRequest ?? '–',
        '× static': row.ratioToStatic,
      })),
    );
    const costs = rows
      .filter((row) => row.perRequest)
      .map((row) => {
        const u = row.perRequest!;
        return {
          route: row.route,
          'KV r/w/d/l': `${u.kvReads}/${u.kvWrites}/${u.kvDeletes}/${u.kvLists}`,
          'D1 queries': u.d1Queries,
          'D1 rows r/w': `${u.d1RowsRead}/${u.d1RowsWritten}`,
          'DO req': u.durableObjectRequests,
          'queue msgs': u.queueMessages,
          [`$/M req (${PRICES_READ_ON})`]: dollarsPerMillion(u, row.cpuMsPerRequest),
        };
      });
    console.table(costs);

    const post = list.find((route) => route.name === 'comment POST, published')!;
    await addArticles(db, 10_000);
    await sleep(SETTLE_MS);
    const postOnLargeSite = await meter({ ...post, metered: (n) => post.metered!(METERED_REQUESTS + n) });

    const queueing = [
      { site: 'sample', ...(await queueingAnIssue(url, db)) },
      ...(archive ? [{ site: 'archive', ...(await queueingAnIssue(archive.url, archive.db)) }] : []),
    ];
    console.table(queueing.map((run) => ({ "queue this week's issue": run.site, deliveries: run.queued, ms: run.ms })));

    const find = (name: string) => rows.find((row) => row.route === name)!;
    const writesOf = (u: PerRequest) =>
      u.kvWrites + u.kvDeletes + u.d1RowsWritten + u.queueMessages + u.durableObjectRequests;
    const kvWritesOf = (u: PerRequest) => u.kvWrites + u.kvDeletes;
    const postOnSeed = find('comment POST, published').perRequest!;
    const targets = [
      {
        target: 'cached article: writes of any kind per view = 0',
        value: writesOf(find('article, cached').perRequest!),
        threshold: 0,
        met: writesOf(find('article, cached').perRequest!) === 0,
      },
      {
        target: 'cached home page: writes of any kind per view = 0',
        value: writesOf(find('home page, cached').perRequest!),
        threshold: 0,
        met: writesOf(find('home page, cached').perRequest!) === 0,
      },
      {
        // Purges coalesce, so per post this is a share of a batch; its bound is one purge of a comment's paths.
        target: `comment POST: KV writes + deletes per post ≤ ${COMMENT_PURGE_KV_BOUND}, on the seed (${kvWritesOf(postOnSeed)}) and with 10,000 more articles`,
        value: kvWritesOf(postOnLargeSite),
        threshold: COMMENT_PURGE_KV_BOUND,
        met: Math.max(kvWritesOf(postOnSeed), kvWritesOf(postOnLargeSite)) <= COMMENT_PURGE_KV_BOUND,
      },
      {
        target: 'uncached article ≥ 0.8× one D1 round trip',
        value: Number(
          (
            find('article, uncached').requestsPerSecond / find('one D1 round trip (/healthz)').requestsPerSecond
          ).toFixed(2),
        ),
        threshold: 0.8,
        met:
          find('article, uncached').requestsPerSecond >= 0.8 * find('one D1 round trip (/healthz)').requestsPerSecond,
      },
      ...[
        { target: 'cached article ≥ 0.9× static', value: find('article, cached').ratioToStatic, threshold: 0.9 },
        {
          target: 'cached article, view counted ≥ 0.9× static',
          value: find('article, cached, a counted reader view').ratioToStatic,
          threshold: 0.9,
        },
        { target: 'uncached article ≥ 0.5× static', value: find('article, uncached').ratioToStatic, threshold: 0.5 },
        {
          target: 'paid article, reader without an account ≥ 0.9× the cached public article',
          value: Number(
            (
              find('paid article, cached, reader without an account').requestsPerSecond /
              find('article, cached').requestsPerSecond
            ).toFixed(2),
          ),
          threshold: 0.9,
        },
        {
          // A cached page plus the member's session read (one D1 round trip) and the rewrite of their name.
          target: 'paid article, a paid member ≥ 0.8× one D1 round trip',
          value: Number(
            (
              find('paid article, cached, a paid member').requestsPerSecond /
              find('one D1 round trip (/healthz)').requestsPerSecond
            ).toFixed(2),
          ),
          threshold: 0.8,
        },
        {
          target: '1,000-comment article ≥ 0.5× the 3-comment article (uncached)',
          value: Number(
            (
              find('article + 1,000 comments, uncached').requestsPerSecond / find('article, uncached').requestsPerSecond
            ).toFixed(2),
          ),
          threshold: 0.5,
        },
      ].map((check) => ({ ...check, met: check.value >= check.threshold })),
    ];
    for (const vs of rows.filter((row) => row.route.startsWith('vs '))) {
      const article = find('article, cached');
      targets.push(
        {
          target: `article ≥ 10× ${vs.route} req/s`,
          value: Number((article.requestsPerSecond / vs.requestsPerSecond).toFixed(1)),
          threshold: 10,
          met: article.requestsPerSecond >= 10 * vs.requestsPerSecond,
        },
        {
          target: `article p99 ≤ 1/10 of ${vs.route}`,
          value: Number((vs.p99Ms / Math.max(article.p99Ms, 0.001)).toFixed(1)),
          threshold: 10,
          met: article.p99Ms * 10 <= vs.p99Ms,
        },
      );
    }
    // The archive's pages against the sample's of their kind: throughput at least 0.8×, D1 rows read at
    // most 1.2× (a sitemap file is measured but not held to them: it lists up to 50,000 addresses).
    const costOf = (row: (typeof rows)[number]) => dollarsPerMillion(row.perRequest!, row.cpuMsPerRequest);
    /** How many of the meter's counters (KV, D1, Durable Objects, queues) differ between two rows. */
    const differing = (one: PerRequest, other: PerRequest) =>
      (Object.keys(one) as (keyof PerRequest)[]).filter((name) => one[name] !== other[name]).length;
    for (const route of list.filter((each) => each.like && !each.name.startsWith('sitemap file'))) {
      const held = list.find((each) => !each.like && each.kind === route.like);
      if (!held) throw new Error(`The sample has no page of the kind of ${route.name}.`);
      const archived = find(route.name);
      const sample = find(held.name);
      const rowsRead = (row: typeof archived) => row.perRequest?.d1RowsRead ?? 0;
      targets.push(
        {
          target: `${route.name} ≥ 0.8× the sample's req/s`,
          value: Number((archived.requestsPerSecond / sample.requestsPerSecond).toFixed(2)),
          threshold: 0.8,
          met: archived.requestsPerSecond >= 0.8 * sample.requestsPerSecond,
        },
        {
          target: `${route.name}: D1 rows read ≤ 1.2× the sample's (${rowsRead(sample)})`,
          value: rowsRead(archived),
          threshold: Number((1.2 * rowsRead(sample)).toFixed(2)),
          met: rowsRead(archived) <= 1.2 * rowsRead(sample),
        },
        route.like === 'article, cached'
          ? {
              target: `${route.name}: counters of KV, D1, Durable Object and queue use per view that differ from the sample's`,
              value: differing(archived.perRequest!, sample.perRequest!),
              threshold: 0,
              met: differing(archived.perRequest!, sample.perRequest!) === 0,
            }
          : {
              target: `${route.name}: $ per million ≤ 1.2× the sample's (${costOf(sample)})`,
              value: costOf(archived),
              threshold: Number((1.2 * costOf(sample)).toFixed(2)),
              met: costOf(archived) <= 1.2 * costOf(sample),
            },
      );
    }
    console.table(targets);

    const report = {
      date: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
      },
      settings: { tool: 'autocannon', connections, durationSeconds: duration, rounds },
      rows,
      newsletterQueueing: queueing,
      targets,
    };
    await mkdir('bench-results', { recursive: true });
    const file = `bench-results/bench-${report.date.replace(/[:.]/g, '-')}.json`;
    await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`Written to ${file}`);
  } finally {
    await archive?.miniflare.dispose();
    await miniflare.dispose();
  }
}

await main();
