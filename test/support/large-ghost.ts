/**
 * Writes a large Ghost export for the import's memory check: the Theme Unit Test data's real post
 * bodies (test/fixtures/wordpress/SOURCE.md) as Ghost 5 posts, each with its HTML and its lexical (an
 * HTML card, as Ghost's editor keeps a post moved in from elsewhere), repeated with their own ids,
 * slugs and dates until the file reaches the size asked for. Written as it goes, so writing it takes
 * little memory.
 *
 *   npx tsx test/support/large-ghost.ts OUT.json [MEGABYTES=100]
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readWxr } from '../../src/cli/wxr.ts';
import { fromCommandLine, writeToSize } from './large-file.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/wordpress/theme-unit-test-data.xml');

/** Writes about `megabytes` MB of a Ghost 5 export to `path`; returns how many posts it holds. */
export async function writeLargeGhost(path: string, megabytes: number): Promise<number> {
  const bodies = readWxr(readFileSync(FIXTURE, 'utf8'))
    .items.filter((item) => item.type === 'post' && item.content.length > 200)
    .map((item) => item.content);
  return writeToSize(path, megabytes, {
    // Ghost writes its tables in its own order; the users and tags come first here, so that the
    // posts can run on to the size asked for.
    head: `{"db":[{"meta":{"exported_on":1716200000000,"version":"5.82.0"},"data":{"users":[{"id":"1","name":"The Editor","slug":"editor"}],"tags":[{"id":"t1","name":"News","slug":"news","description":null,"visibility":"public"}],"posts":[`,
    next: (count) => {
      const html = bodies[count % bodies.length]!;
      const lexical = JSON.stringify({
        root: {
          children: [{ type: 'html', version: 1, html }],
          direction: null,
          format: '',
          indent: 0,
          type: 'root',
          version: 1,
        },
      });
      return `${count > 0 ? ',' : ''}${JSON.stringify({
        id: `post${count + 1}`,
        uuid: `00000000-0000-4000-8000-${String(count + 1).padStart(12, '0')}`,
        title: `Post ${count + 1}`,
        slug: `post-${count + 1}`,
        mobiledoc: null,
        lexical,
        html,
        feature_image: null,
        type: 'post',
        status: 'published',
        visibility: 'public',
        published_at: new Date(Date.UTC(2015, 0, 1) + count * 3600_000).toISOString(),
        custom_excerpt: null,
      })}`;
    },
    tail: ']}}]}\n',
  });
}

await fromCommandLine(import.meta.url, 'posts', writeLargeGhost);
