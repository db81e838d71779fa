/**
 * Writes a large Disqus export for the Disqus import's memory check: one thread for each post of the
 * Theme Unit Test data (test/fixtures/wordpress/SOURCE.md), named by its address there, and the data's
 * real comments repeated as posts on them (each by its own reader, so none is a duplicate the site would merge), one in three a reply, until the file reaches the size
 * asked for. Import the Theme Unit Test first and every thread matches an article by its old address.
 * Written as it goes, so writing it takes little memory.
 *
 *   npx tsx test/support/large-disqus.ts OUT.xml [MEGABYTES=100]
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readWxr } from '../../src/cli/wxr.ts';
import { escapeXml } from '../../src/lib/xml.ts';
import { fromCommandLine, writeToSize } from './large-file.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/wordpress/theme-unit-test-data.xml');

/** Writes about `megabytes` MB of a Disqus export to `path`; returns how many posts (comments) it holds. */
export async function writeLargeDisqus(path: string, megabytes: number): Promise<number> {
  const source = readWxr(readFileSync(FIXTURE, 'utf8'));
  const posts = source.items.filter((item) => item.type === 'post' && item.status === 'publish');
  const comments = source.items.flatMap((item) => item.comments).filter((comment) => comment.type === '');
  const threads = posts.map(
    (post, index) =>
      `<thread dsq:id="t${index}"><id>${post.id} ${escapeXml(post.link)}</id><forum>large</forum><category dsq:id="1"/><link>${escapeXml(post.link)}</link><title>${escapeXml(post.title)}</title><createdAt>2013-01-01T00:00:00Z</createdAt><isClosed>false</isClosed><isDeleted>false</isDeleted></thread>\n`,
  );
  return writeToSize(path, megabytes, {
    head: `<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
<category dsq:id="1"><forum>large</forum><title>General</title><isDefault>true</isDefault></category>
${threads.join('')}`,
    next: (count) => {
      const id = count + 1;
      const comment = comments[count % comments.length]!;
      // One in three a reply, to the comment written one round earlier on the same thread.
      const parent = count % 3 === 2 && id > posts.length ? `<parent dsq:id="${id - posts.length}"/>` : '';
      const at = new Date(Date.UTC(2014, 0, 1) + count * 60_000).toISOString().replace('.000Z', 'Z');
      return `<post dsq:id="${id}"><id/><message><![CDATA[${comment.content.replaceAll(']]>', ']]]]><![CDATA[>')}]]></message><createdAt>${at}</createdAt><isDeleted>false</isDeleted><isSpam>${count % 50 === 49}</isSpam><author><email>reader${id}@example.com</email><name>${escapeXml(comment.author || 'A reader')}</name><isAnonymous>false</isAnonymous></author><ipAddress>192.0.2.${id % 250}</ipAddress><thread dsq:id="t${count % posts.length}"/>${parent}</post>\n`;
    },
    tail: '</disqus>\n',
  });
}

await fromCommandLine(import.meta.url, 'posts', writeLargeDisqus);
