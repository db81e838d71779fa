/**
 * `npm run import -- wordpress … --media-from URL|DIR`: attachments fetched from a folder holding a copy
 * of the old site's files, or from a web server (a small one on 127.0.0.1, as an old host or a CDN
 * answers), checked as uploads are, each put into the local media bucket as it comes, and the plan's
 * heroes and body images pointed at the library.
 * The images are the sample site's photographs (src/seed/images).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unstable_readConfig } from 'wrangler';
import { readGhost } from '../../src/cli/ghost';
import { planGhostImport } from '../../src/cli/ghost-import';
import { imageStore } from '../../src/cli/seed-images';
import type { Plan, PlannedArticle, PlannedAttachment } from '../../src/cli/wordpress-import';
import {
  type FetchedMedia,
  fetchAttachments,
  imageKey,
  mediaLibrary,
  mediaSource,
  shownImages,
} from '../../src/cli/wordpress-media';
import { sha256HexOfBytes } from '../../src/lib/hash';
import { originalKey } from '../../src/media/keys';

const ROOT = resolve(import.meta.dirname, '../..');
const photo = readFileSync(join(ROOT, 'src/seed/images/russia-eyes-korean-peninsula.jpg'));
const other = readFileSync(join(ROOT, 'src/seed/images/rare-earths-supply-jitters.jpg'));
const HOME = 'https://old.example/blog/';
const attachment = (path: string, alt = 'A photo'): PlannedAttachment => ({
  url: `${HOME}${path}`,
  alt,
  credit: 'Photo desk',
  what: path,
});
const ATTACHMENTS = [
  attachment('wp-content/uploads/2010/11/summit.jpg', 'Presidents meet'),
  attachment('wp-content/uploads/2010/10/mine.jpg'),
  attachment('wp-content/uploads/2010/10/missing.jpg'),
  attachment('wp-content/uploads/2010/10/notes.pdf'),
];

/** The plan with its heroes and body images pointed at the library, and the library's rows, as the import writes them. */
function withLibraryImages(plan: Plan, fetched: FetchedMedia, now: Date): Plan {
  const library = mediaLibrary(fetched, now);
  return {
    ...plan,
    articles: plan.articles.map(library.article),
    pages: plan.pages.map(library.page),
    library: library.rows(),
  };
}

// A copy of the site's uploads folder, as an operator would make it.
const dir = mkdtempSync(join(tmpdir(), 'media-from-'));
mkdirSync(join(dir, '2010/11'), { recursive: true });
mkdirSync(join(dir, '2010/10'), { recursive: true });
writeFileSync(join(dir, '2010/11/summit.jpg'), photo);
writeFileSync(join(dir, '2010/10/mine.jpg'), other);
writeFileSync(join(dir, '2010/10/notes.pdf'), '%PDF-1.4 not an image');

// The old host (or a CDN with its files), answering as a web server does.
const requested: string[] = [];
const server = createServer((request, response) => {
  requested.push(request.url ?? '');
  const file = {
    '/files/wp-content/uploads/2010/11/summit.jpg': photo,
    '/files/wp-content/uploads/2010/10/mine.jpg': other,
    // The Ghost 5 export's feature image and inline image, under its content folder.
    '/ghost/content/images/2024/05/hero.jpg': photo,
    '/ghost/content/images/2024/05/inline.jpg': other,
  }[request.url ?? ''];
  if (request.url?.endsWith('notes.pdf'))
    response.writeHead(200, { 'Content-Type': 'application/pdf' }).end('%PDF-1.4');
  else if (file) response.writeHead(200, { 'Content-Type': 'image/jpeg' }).end(file);
  else response.writeHead(404).end('not found');
});
let base = '';
beforeAll(async () => {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/files/`;
});
afterAll(() => server.close());

describe('fetching attachments', () => {
  it('reads them from a folder copy of the uploads, and says which it could not and why', async () => {
    const fetched = await fetchAttachments(ATTACHMENTS, HOME, mediaSource(dir));
    expect([...fetched.images.values()].map((image) => [image.attachment.alt, image.width > 0])).toEqual([
      ['Presidents meet', true],
      ['A photo', true],
    ]);
    expect(fetched.images.get(imageKey(ATTACHMENTS[0]!.url))!.hash).toBe(await sha256HexOfBytes(photo));
    expect(fetched.failed.map((failure) => [failure.url.split('/').at(-1), failure.reason])).toEqual([
      ['missing.jpg', expect.stringContaining(`not in ${dir}`)],
      ['notes.pdf', 'This file is not a JPEG, PNG, WebP, AVIF or GIF image.'],
    ]);
  });

  it('never reads outside the folder it is given', async () => {
    // Encoded slashes survive the URL's own normalization, and decode to a path that climbs out.
    const climbing = attachment('wp-content/uploads/..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd');
    const fetched = await fetchAttachments([climbing], HOME, mediaSource(dir));
    expect(fetched.images.size).toBe(0);
    expect(fetched.failed.map((failure) => failure.reason)).toEqual([expect.stringContaining(`not in ${dir}`)]);
  });

  it('fetches them from another address, their path below the old site’s kept', async () => {
    const fetched = await fetchAttachments(ATTACHMENTS, HOME, mediaSource(base));
    expect(fetched.images.size).toBe(2);
    expect(requested).toContain('/files/wp-content/uploads/2010/11/summit.jpg');
    expect(fetched.failed.map((failure) => failure.reason)).toEqual([
      `${base}wp-content/uploads/2010/10/missing.jpg answered 404`,
      'This file is not a JPEG, PNG, WebP, AVIF or GIF image.',
    ]);
  });

  it('puts each one into the media bucket as it comes, once for each file, and keeps none of its bytes', async () => {
    const state = mkdtempSync(join(tmpdir(), 'media-store-'));
    const target = ['--local', '--persist-to', state];
    // The summit photograph known to the library already; the same photograph again at another address.
    const known = await sha256HexOfBytes(other);
    const store = imageStore(target, new Set([known]));
    writeFileSync(join(dir, '2010/11/summit-again.jpg'), photo);
    const again = attachment('wp-content/uploads/2010/11/summit-again.jpg');
    const fetched = await fetchAttachments([...ATTACHMENTS, again], HOME, mediaSource(dir), { store }).finally(() =>
      store.close(),
    );
    expect(fetched.images.size).toBe(3);
    const summit = fetched.images.get(imageKey(ATTACHMENTS[0]!.url))!;
    expect(summit.bytes).toBe(photo.byteLength);
    expect(fetched.images.get(imageKey(again.url))!.hash).toBe(summit.hash);

    const bucket = unstable_readConfig({ config: join(ROOT, 'wrangler.toml') }).r2_buckets.find(
      (binding: { binding: string; bucket_name?: string }) => binding.binding === 'MEDIA',
    )!.bucket_name!;
    const miniflare = new Miniflare(
      convertV4MiniflareOptions({
        workers: [{ name: 'media', modules: true, script: 'export default {}', r2Buckets: { MEDIA: bucket } }],
        resourcePersistencePath: join(state, 'v3'),
      } as Parameters<typeof convertV4MiniflareOptions>[0]),
    );
    try {
      const media = await miniflare.getR2Bucket('MEDIA');
      const listed = await media.list();
      expect(listed.objects.map((object) => object.key)).toEqual([originalKey(summit.hash)]);
      const stored = await media.get(originalKey(summit.hash));
      expect(new Uint8Array(await stored!.arrayBuffer())).toEqual(new Uint8Array(photo));
      expect(stored!.httpMetadata?.contentType).toBe('image/jpeg');
    } finally {
      await miniflare.dispose();
    }
  });

  it('fetches them from their own address by default', async () => {
    const own = { ...ATTACHMENTS[0]!, url: `${base}wp-content/uploads/2010/11/summit.jpg` };
    const fetched = await fetchAttachments([own], HOME, mediaSource(undefined));
    expect(fetched.images.size).toBe(1);
  });
});

describe('the plan pointed at the library', () => {
  it('makes the featured image a library hero with its size, and body images (resized copies too) library variants', async () => {
    const fetched = await fetchAttachments(ATTACHMENTS.slice(0, 2), HOME, mediaSource(dir));
    const [summit, mine] = [...fetched.images.values()];
    const article = (slug: string, status: 'published' | 'draft', publishedAt: number | null): PlannedArticle => ({
      key: slug,
      slug,
      headline: slug,
      standfirst: '',
      bodyMarkdown: `Before.\n\n![Mine](${HOME}wp-content/uploads/2010/10/mine-300x200.jpg)\n\n![Elsewhere](https://cdn.example/x.jpg)`,
      status,
      publishedAt,
      authorSlug: 'a',
      sectionSlug: 's',
      tags: [],
      hero: { url: ATTACHMENTS[0]!.url, alt: 'Presidents meet', credit: 'Photo desk' },
    });
    const plan = {
      articles: [article('draft', 'draft', null), article('published', 'published', 1_289_898_000_000)],
      pages: [],
    } as unknown as Plan;
    const result = withLibraryImages(plan, fetched, new Date());
    const published = result.articles[1]!;
    expect(published.hero).toEqual({
      url: `/media/${summit!.hash}/1280`,
      alt: 'Presidents meet',
      credit: 'Photo desk',
      width: summit!.width,
      height: summit!.height,
    });
    expect(published.bodyMarkdown).toContain(`![Mine](/media/${mine!.hash}/1280)`);
    expect(published.bodyMarkdown).toContain('![Elsewhere](https://cdn.example/x.jpg)');
    // Public from the first publication that shows it; a draft's images stay private.
    expect(result.library!.map((image) => [image.hash, image.publicAt, image.alt])).toEqual([
      [summit!.hash, 1_289_898_000_000, 'Presidents meet'],
      [mine!.hash, 1_289_898_000_000, 'A photo'],
    ]);
    const draftsOnly = withLibraryImages({ ...plan, articles: [plan.articles[0]!] }, fetched, new Date());
    expect(draftsOnly.library!.map((image) => image.publicAt)).toEqual([null, null]);
  });
});

describe('a Ghost export’s images (npm run import -- ghost … --media-from URL)', () => {
  it('brings the feature image and the images in bodies into the library, from the old site', async () => {
    const ghost = readGhost(readFileSync(join(ROOT, 'test/fixtures/ghost/ghost-5-ours.json'), 'utf8'));
    const plan = planGhostImport(ghost, { mediaBase: base.replace('/files/', '/ghost') });
    const images = shownImages(plan);
    expect(images.map((image) => [image.url.split('/content/')[1], image.alt])).toEqual([
      ['images/2024/05/hero.jpg', 'A harbour at dawn'],
      ['images/2024/05/inline.jpg', 'An inline image'],
      ['images/2020/01/cat.jpg', 'A cat'],
    ]);
    const fetched = await fetchAttachments(images, '', { kind: 'own' });
    // The cat of the mobiledoc post is not on the old site any more: reported, its address kept.
    expect(fetched.failed.map((failure) => failure.reason)).toEqual([expect.stringContaining('cat.jpg answered 404')]);
    const result = withLibraryImages(plan, fetched, new Date());
    const [hero, inline] = [...fetched.images.values()];
    const lexical = result.articles.find((article) => article.hero)!;
    expect(lexical.hero).toMatchObject({ url: `/media/${hero!.hash}/1280`, alt: 'A harbour at dawn' });
    expect(lexical.bodyMarkdown).toContain(`](/media/${inline!.hash}/1280)`);
    expect(result.articles.some((article) => article.bodyMarkdown.includes('cat.jpg'))).toBe(true);
    expect(result.library!.map((image) => image.alt)).toEqual(['A harbour at dawn', 'An inline image']);
  });
});
