/**
 * Takes the site out, from the local database or (with `--remote --env production`) the deployed one:
 *
 *   npm run export -- wordpress [--out FILE.xml]
 *
 * writes a WordPress export (WXR 1.2) that WordPress's importer (Tools → Import → WordPress) reads.
 * See docs/moving-in.md.
 */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { unstable_readConfig } from 'wrangler';
import { fail } from './fail';
import { progress } from './progress';
import {
  ARTICLES_PER_CALL,
  type ArticlePage,
  articleItems,
  articlePageQueries,
  attachmentItems,
  type ExportSite,
  menuItems,
  PostIds,
  pageItems,
  SITE_QUERIES,
  type SiteRows,
  WXR_END,
  wxrHead,
} from './wordpress-export';
import { DATABASE_FLAGS, databaseTarget, queryStatements } from './wrangler';

const USAGE = 'Usage: npm run export -- wordpress [--out FILE.xml] [--remote] [--env NAME] [--persist-to DIR]';

const argv = process.argv.slice(2);
const { positionals, values: flags } = parseArgs({
  args: argv,
  allowPositionals: true,
  options: { ...DATABASE_FLAGS, out: { type: 'string' } },
});
if (positionals.join(' ') !== 'wordpress') fail(USAGE);
const target = databaseTarget(argv);

/** The site's address, name and time zone, as the Worker of this environment reads them (wrangler.toml's vars). */
function exportSite(): ExportSite {
  const vars = unstable_readConfig({ config: flags.config ?? 'wrangler.toml', env: flags.env }).vars;
  const url = typeof vars.SITE_URL === 'string' ? vars.SITE_URL.replace(/\/+$/, '') : '';
  if (!url) fail(`wrangler.toml sets no SITE_URL${flags.env ? ` for [env.${flags.env}]` : ''}`);
  return {
    url,
    name: typeof vars.SITE_NAME === 'string' ? vars.SITE_NAME : 'edgepress',
    timeZone: typeof vars.TIME_ZONE === 'string' ? vars.TIME_ZONE : 'Asia/Tokyo',
    now: new Date(),
  };
}

const site = exportSite();
const out = flags.out ?? `${new URL(site.url).hostname}.wordpress.${site.now.toISOString().slice(0, 10)}.xml`;
const [authors, sections, tags, pages, media, heroes, top] = queryStatements<never>(SITE_QUERIES.join(';\n'), target);
const rows = { authors, sections, tags, pages, media, heroes, top } as unknown as SiteRows;
const ids = new PostIds(site, rows);
// Pages, attachments and menu items need an author: the first one (WordPress's importer maps them on import).
const owner = rows.authors[0]?.slug ?? 'admin';

const file = createWriteStream(out);
const write = async (text: string) => {
  if (!file.write(text)) await once(file, 'drain');
};
const total = rows.top[0]?.articles ?? 0;
const counts = { articles: 0, comments: 0 };
await write(wxrHead(site, rows));
await write(pageItems(site, rows, ids, owner));
await write(attachmentItems(site, rows, ids, owner));
await write(menuItems(site, rows, ids, owner));
for (let after = 0; ; ) {
  const [articles = [], articleTags = [], comments = []] = queryStatements<never>(
    articlePageQueries(after).join(';\n'),
    target,
  );
  const page = { articles, tags: articleTags, comments } as unknown as ArticlePage;
  if (page.articles.length === 0) break;
  await write(articleItems(site, page, ids));
  counts.articles += page.articles.length;
  counts.comments += page.comments.length;
  after = page.articles.at(-1)!.id;
  progress('articles', Math.min(after, total), total);
  if (page.articles.length < ARTICLES_PER_CALL) break;
}
await write(WXR_END);
file.end();
await once(file, 'finish');
console.log(
  `${out}: WordPress export (WXR 1.2) of ${site.url}: ${counts.articles} articles, ${rows.pages.length} static pages, ${counts.comments} comments, ${rows.authors.length} authors, ${rows.sections.length} sections, ${rows.tags.length} tags, ${rows.media.length + ids.outsideHeroes.length} attachments.`,
);
