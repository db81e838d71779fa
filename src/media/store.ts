import type { Db } from '../db/client';
import { sha256HexOfBytes } from '../lib/hash';
import { logEvent } from '../lib/log';
import { originalKey, variantKey, variantsPrefix } from './keys';
import { type MediaRow, mediaByHashQuery, recordMedia } from './queries';
import { checkImage, MAX_UPLOAD_BYTES, REFUSALS, SHARE_IMAGE, type VariantFormat } from './rules';

export type Variant = number | 'share';
export type StoredUpload = { ok: true; media: MediaRow } | { ok: false; message: string };

const CONTENT_TYPES = {
  avif: 'image/avif',
  webp: 'image/webp',
  jpeg: 'image/jpeg',
} as const satisfies Record<VariantFormat, ImageOutputOptions['format']>;
export const contentTypeOf = (format: VariantFormat) => CONTENT_TYPES[format];

/**
 * Re-encodes an image through the Images binding: a width (never enlarged), or the 1200×630 share crop.
 * Re-encoding drops EXIF, GPS and every other metadata block, so nothing of the camera reaches readers.
 */
async function encode(env: Env, source: ReadableStream, variant: Variant, format: VariantFormat) {
  const transform: ImageTransform =
    variant === 'share' ? { ...SHARE_IMAGE, fit: 'cover', gravity: 'auto' } : { width: variant, fit: 'scale-down' };
  const result = await env.IMAGES.input(source)
    .transform(transform)
    .output({ format: CONTENT_TYPES[format], quality: 75 });
  return new Uint8Array(await result.response().arrayBuffer());
}

/** A variant made now from the original in R2 and kept there, so it is made once; undefined if there is no such original. */
export async function makeVariant(env: Env, hash: string, variant: Variant, format: VariantFormat) {
  const original = await env.MEDIA.get(originalKey(hash));
  if (!original) return undefined;
  const bytes = await encode(env, original.body, variant, format);
  await env.MEDIA.put(variantKey(hash, variant, format), bytes, {
    httpMetadata: { contentType: CONTENT_TYPES[format] },
  });
  return bytes;
}

const THUMBNAIL_WIDTH = 320;

/**
 * An editor's upload, checked by its bytes: its header says what it is and how large (nothing is decoded
 * before that), then the smallest variant is made from it, which proves it decodes; only then does the
 * original go to R2 under the SHA-256 of its bytes, and its row to D1. The same file again is the same image.
 */
export async function storeUpload(
  env: Env,
  db: Db,
  file: File,
  details: { alt: string; credit: string; staffMemberId: number | null },
): Promise<StoredUpload> {
  if (file.size > MAX_UPLOAD_BYTES) return { ok: false, message: REFUSALS.tooLarge };
  const bytes = new Uint8Array(await file.arrayBuffer());
  const checked = checkImage(bytes);
  if (!checked.ok) return checked;
  const hash = await sha256HexOfBytes(bytes);
  const [existing] = await mediaByHashQuery(db, hash);
  if (existing) return { ok: true, media: existing };
  let thumbnail: Uint8Array;
  try {
    thumbnail = await encode(env, new Blob([bytes]).stream(), THUMBNAIL_WIDTH, 'jpeg');
  } catch (error) {
    logEvent('warn', 'media.undecodable', {
      type: checked.type,
      bytes: bytes.byteLength,
      error: String(error).split('\n')[0]!,
    });
    return { ok: false, message: REFUSALS.broken };
  }
  await env.MEDIA.put(originalKey(hash), bytes, { httpMetadata: { contentType: checked.type }, sha256: hash });
  await env.MEDIA.put(variantKey(hash, THUMBNAIL_WIDTH, 'jpeg'), thumbnail, {
    httpMetadata: { contentType: CONTENT_TYPES.jpeg },
  });
  const media = await recordMedia(db, {
    hash,
    type: checked.type,
    width: checked.width,
    height: checked.height,
    bytes: bytes.byteLength,
    alt: details.alt,
    credit: details.credit,
    uploadedBy: details.staffMemberId,
  });
  return { ok: true, media };
}

/**
 * Removes an image's original and every variant made from it from R2, and this data centre's cached
 * copies of the variants (other data centres' copies run out with their cache lifetime).
 */
export async function removeImageFiles(env: Env, origin: string, hash: string): Promise<void> {
  let cursor: string | undefined;
  do {
    const listed = await env.MEDIA.list({ prefix: variantsPrefix(hash), cursor });
    await Promise.all(listed.objects.map((object) => env.MEDIA.delete(object.key)));
    await Promise.all(
      listed.objects.map((object) =>
        caches.default.delete(new Request(new URL(`/media/${object.key.slice('variants/'.length)}`, origin))),
      ),
    );
    cursor = listed.truncated ? listed.cursor : undefined;
  } while (cursor);
  await env.MEDIA.delete(originalKey(hash));
}
