import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { originalKey } from '../../src/media/keys';
import { type AdminSession, signedInStaff } from '../support/admin-helpers';
import { visibleText } from '../support/helpers';
import { fixtureBytes, mediaRow, sha256, uploadImage } from './media-helpers';

let editor: AdminSession;
let contributor: AdminSession;
beforeAll(async () => {
  [editor, contributor] = await Promise.all([signedInStaff('editor'), signedInStaff('contributor')]);
});

/** Uploads a fixture to the library and makes one of its variants, as a reader's request would. */
async function uploaded(name: 'webp' | 'png') {
  const bytes = await fixtureBytes(name);
  expect((await uploadImage(editor, bytes)).status).toBe(303);
  const hash = await sha256(bytes);
  expect((await editor.browse(`/media/${hash}/320`)).status).toBe(200);
  return hash;
}

describe('deleting an image from the library', () => {
  it('removes an image nothing shows: its row, its original and every variant', async () => {
    const hash = await uploaded('webp');
    const library = await (await editor.get('/admin/media')).text();
    expect(library).toContain(`action="/admin/media/${hash}/delete"`);
    const response = await editor.post(`/admin/media/${hash}/delete`);
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/admin/media?done=deleted');
    expect(visibleText(await (await editor.get('/admin/media?done=deleted')).text())).toContain(
      'Deleted: the image and its variants are gone.',
    );
    expect(await mediaRow(hash)).toBeNull();
    expect(await env.MEDIA.get(originalKey(hash))).toBeNull();
    expect((await env.MEDIA.list({ prefix: `variants/${hash}/` })).objects).toEqual([]);
    expect((await editor.browse(`/media/${hash}/320`)).status).toBe(404);
  });

  it('refuses while an article shows it (409, nothing removed), and to a contributor (403)', async () => {
    const hash = await uploaded('png');
    await env.DB.prepare("UPDATE articles SET hero_image_url = ? WHERE slug = 'korus-fta-seoul-stalemate'")
      .bind(`/media/${hash}/1280`)
      .run();
    const refused = await editor.post(`/admin/media/${hash}/delete`);
    expect(refused.status).toBe(409);
    expect(visibleText(await refused.text())).toContain(
      'Not deleted: an article, a revision or an author’s photo shows this image.',
    );
    expect(await mediaRow(hash)).not.toBeNull();
    expect(await env.MEDIA.get(originalKey(hash))).not.toBeNull();
    expect((await contributor.post(`/admin/media/${hash}/delete`)).status).toBe(403);
    expect(await (await contributor.get('/admin/media')).text()).not.toContain('/delete"');
  });
});
