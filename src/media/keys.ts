import { DEFAULT_WIDTH, VARIANT_WIDTHS, type VariantFormat } from './rules';

/** Where things are in the R2 bucket: originals by the SHA-256 of their bytes, and the variants made from them. */
export const originalKey = (hash: string) => `originals/${hash}`;
/** Where every variant of one image is kept. */
export const variantsPrefix = (hash: string) => `variants/${hash}/`;
export const variantKey = (hash: string, variant: number | 'share', format: VariantFormat) =>
  `${variantsPrefix(hash)}${variant}.${format}`;

export const HASH_PATTERN = '[0-9a-f]{64}';
const MEDIA_PATH = new RegExp(`^/media/(${HASH_PATTERN})/[0-9]+$`);

/** A variant's stable address: the same for every format (the Accept header chooses). */
export const variantPath = (hash: string, width: number) => `/media/${hash}/${width}`;
/** The same variant as JPEG, at an address that names its format: for clients that go by the extension (WordPress's importer). */
export const jpegVariantPath = (hash: string, width: number) => `${variantPath(hash, width)}.jpg`;
/** The address an uploaded image is known by (an article's hero, a Markdown snippet). */
export const mediaPath = (hash: string) => variantPath(hash, DEFAULT_WIDTH);
/** The 1200×630 JPEG for og:image and JSON-LD. */
export const shareImagePath = (hash: string) => `/media/${hash}/share.jpg`;

/** The upload's hash when an address is one of its variants (as stored in an article's hero). */
export function mediaHashOf(url: string | null | undefined): string | undefined {
  return url ? MEDIA_PATH.exec(url)?.[1] : undefined;
}

/** The variants an image of this width has: every width below it, and the first one at or above it. */
export function widthsFor(originalWidth: number): number[] {
  const below = VARIANT_WIDTHS.filter((width) => width < originalWidth);
  const cover = VARIANT_WIDTHS.find((width) => width >= originalWidth);
  return cover ? [...below, cover] : below;
}
