/**
 * Writes a large WordPress export for the import's memory check: the Theme Unit Test data's real post
 * bodies, excerpts and comments (test/fixtures/wordpress/SOURCE.md), repeated as new posts with their
 * own ids, slugs, dates and comment threads until the file reaches the size asked for. Written as it
 * goes, so writing it takes little memory.
 *
 *   npx tsx test/support/large-wxr.ts OUT.xml [MEGABYTES=100]
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readWxr } from '../../src/cli/wxr.ts';
import { fromCommandLine, writeToSize } from './large-file.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/wordpress/theme-unit-test-data.xml');

const cdata = (text: string) => `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
const wpDate = (date: Date) => date.toISOString().slice(0, 19).replace('T', ' ');

/** Writes about `megabytes` MB of WXR 1.2 to `path`; returns how many posts it holds. */
export async function writeLargeWxr(path: string, megabytes: number): Promise<number> {
  const source = readWxr(readFileSync(FIXTURE, 'utf8'));
  const posts = source.items.filter((item) => item.type === 'post' && item.content.length > 200);
  const comments = source.items.flatMap((item) => item.comments).filter((comment) => comment.type === '');
  let commentId = 1;
  return writeToSize(path, megabytes, {
    head: `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>A large archive</title>
<link>https://large.example</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://large.example</wp:base_site_url>
<wp:base_blog_url>https://large.example</wp:base_blog_url>
<wp:author><wp:author_login>editor</wp:author_login><wp:author_display_name>${cdata('The Editor')}</wp:author_display_name></wp:author>
<wp:category><wp:term_id>1</wp:term_id><wp:category_nicename>news</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name>${cdata('News')}</wp:cat_name></wp:category>
`,
    next: (count) => {
      const post = posts[count % posts.length]!;
      const id = count + 1;
      const date = new Date(Date.UTC(2005, 0, 1) + count * 6 * 3600 * 1000);
      const slug = `${post.name || 'post'}-${id}`;
      const link = `https://large.example/${date.toISOString().slice(0, 10).replaceAll('-', '/')}/${slug}/`;
      const thread = Array.from({ length: count % 7 }, (_, index) => {
        const comment = comments[(count + index) % comments.length]!;
        const own = commentId++;
        return `<wp:comment><wp:comment_id>${own}</wp:comment_id><wp:comment_author>${cdata(comment.author || 'A reader')}</wp:comment_author><wp:comment_author_email>reader${own % 500}@example.com</wp:comment_author_email><wp:comment_author_IP>192.0.2.${own % 250}</wp:comment_author_IP><wp:comment_date_gmt>${wpDate(new Date(date.getTime() + (index + 1) * 60_000))}</wp:comment_date_gmt><wp:comment_content>${cdata(comment.content)}</wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_type></wp:comment_type><wp:comment_parent>${index > 0 && index % 2 === 0 ? own - 1 : 0}</wp:comment_parent></wp:comment>`;
      });
      return `<item>
<title>${cdata(`${post.title} (${id})`)}</title>
<link>${link}</link>
<pubDate>${date.toUTCString()}</pubDate>
<dc:creator>editor</dc:creator>
<content:encoded>${cdata(post.content)}</content:encoded>
<excerpt:encoded>${cdata(post.excerpt)}</excerpt:encoded>
<wp:post_id>${id}</wp:post_id>
<wp:post_date_gmt>${wpDate(date)}</wp:post_date_gmt>
<wp:post_name>${slug}</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>
<category domain="category" nicename="news">${cdata('News')}</category>
${thread.join('\n')}
</item>
`;
    },
    tail: '</channel>\n</rss>\n',
  });
}

await fromCommandLine(import.meta.url, 'posts', writeLargeWxr);
