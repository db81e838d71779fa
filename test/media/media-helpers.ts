import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { type AdminSession, publishFromPage } from '../support/admin-helpers';
import { fetchPage, ORIGIN } from '../support/helpers';
import png from './fixtures/drawing.png?inline';
import avif from './fixtures/photo.avif?inline';
import gif from './fixtures/photo.gif?inline';
import webp from './fixtures/photo.webp?inline';
import jpeg from './fixtures/photo-with-gps.jpg?inline';

/** The fixtures, 800 × 600 each; the JPEG carries EXIF with a camera make, an artist and GPS coordinates. */
export const FIXTURES = { jpeg, png, webp, avif, gif };

export async function fixtureBytes(name: keyof typeof FIXTURES): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await (await fetch(FIXTURES[name])).arrayBuffer());
}

/** Words the JPEG fixture's EXIF block holds: none may reach a reader. */
export const EXIF_WORDS = ['SecretCam', 'Hidden Person', 'Spy 1'];

/** Posts a multipart form as the signed-in editor's browser would, a file among its fields. */
export function postMultipart(
  session: AdminSession,
  path: string,
  fields: Record<string, string>,
  file?: { field: string; name: string; type: string; bytes: Uint8Array },
): Promise<Response> {
  const form = new FormData();
  form.set('csrf', session.csrf);
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  if (file) form.set(file.field, new File([new Uint8Array(file.bytes)], file.name, { type: file.type }));
  return fetchPage(path, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: ORIGIN, Cookie: `editor_session=${session.token}` },
    body: form,
  });
}

export const uploadImage = (
  session: AdminSession,
  bytes: Uint8Array,
  { name = 'photo.jpg', type = 'image/jpeg', alt = 'A yellow circle on blue', credit = 'Test desk' } = {},
) => postMultipart(session, '/admin/media', { alt, credit }, { field: 'file', name, type, bytes });

export async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new Uint8Array(bytes));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

export async function mediaRow(hash: string) {
  return env.DB.prepare('SELECT * FROM media WHERE hash = ?').bind(hash).first<{
    type: string;
    width: number;
    height: number;
    bytes: number;
    alt: string;
    credit: string;
    uploaded_by: number | null;
  }>();
}

/** A PNG whose header claims `width × height` pixels: a decompression bomb is a few bytes that decode to gigabytes. */
export function pngHeader(width: number, height: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(64);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const view = new DataView(bytes.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  bytes.set([8, 2, 0, 0, 0], 24);
  return bytes;
}

/** The article editor's fields for a new article (a hero's alt text and credit typed, no hero yet), with these changes. */
export async function articleFields(overrides: Record<string, string> = {}) {
  const author = await env.DB.prepare("SELECT id FROM authors WHERE slug = 'mina-park'").first<{ id: number }>();
  const section = await env.DB.prepare("SELECT id FROM sections WHERE slug = 'security'").first<{ id: number }>();
  return {
    headline: `Harbour Lights ${Date.now()}`,
    slug: '',
    standfirst: 'A port at night.',
    body: 'The first paragraph.',
    heroImageUrl: '',
    heroImageAlt: 'Cranes over the harbour at dusk',
    heroImageCredit: 'Port desk',
    authorId: String(author!.id),
    sectionId: String(section!.id),
    tags: '',
    ...overrides,
  };
}

/** A new article showing this image as its hero, published now or at `publishAt`; its id. */
export async function publishWithHero(session: AdminSession, hash: string, publishAt = ''): Promise<number> {
  const created = await session.post('/admin/articles', await articleFields({ heroImageUrl: `/media/${hash}/640` }));
  const id = Number(/\/admin\/articles\/(\d+)/.exec(created.headers.get('Location') ?? '')?.[1]);
  expect((await publishFromPage(session, id, publishAt)).status).toBe(303);
  return id;
}

/** An uploaded image that a published article shows: readers may load its variants. */
export async function uploadPublicImage(session: AdminSession, bytes: Uint8Array): Promise<string> {
  expect((await uploadImage(session, bytes)).status).toBe(303);
  const hash = await sha256(bytes);
  await publishWithHero(session, hash);
  return hash;
}
