import { z } from 'zod';
import { type ImageHeader, readImageHeader } from './formats';

/** The largest original an editor may upload; the upload routes' body limit is this plus the form's text fields. */
export const MAX_UPLOAD_BYTES = 15 * 1024 * 1024;
/**
 * Cloudflare Images transforms at most 100 megapixels and 12,000 pixels a side; 50 megapixels (a
 * 8,660 × 5,773 photo) is more than any page needs and keeps a decoded image within a Worker's 128 MB.
 */
export const MAX_PIXELS = 50_000_000;
export const MAX_SIDE = 12_000;

/** The widths a variant may have: a small set, so what is made and stored stays bounded. */
export const VARIANT_WIDTHS = [320, 640, 960, 1280, 1920] as const;
/** The width a plain image address (feeds, e-mail) points at. */
export const DEFAULT_WIDTH = 1280;
/** Cloudflare Images encodes AVIF up to 1,200 pixels; wider variants are WebP (or JPEG). */
export const MAX_AVIF_WIDTH = 1200;
/** The shared image (og:image, JSON-LD) social networks show: 1.91:1. */
export const SHARE_IMAGE = { width: 1200, height: 630 } as const;

export const MEDIA_LIMITS = { alt: 300, credit: 200 } as const;

/** The text fields of the media library's upload form (the file is checked by `checkImage`). */
export const mediaUploadSchema = z.object({
  alt: z
    .string()
    .trim()
    .min(1, 'Describe the image for readers who cannot see it.')
    .max(MEDIA_LIMITS.alt, `The alt text can be at most ${MEDIA_LIMITS.alt} characters long.`),
  credit: z
    .string()
    .trim()
    .max(MEDIA_LIMITS.credit, `The credit can be at most ${MEDIA_LIMITS.credit} characters long.`)
    .default(''),
});
export type MediaUploadInput = z.output<typeof mediaUploadSchema>;
export const MEDIA_UPLOAD_FIELDS = ['alt', 'credit'] as const;

const megabytes = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

export const REFUSALS = {
  missing: 'Choose an image file to upload.',
  tooLarge: `This file is larger than ${megabytes(MAX_UPLOAD_BYTES)}: export it smaller and upload it again.`,
  svg: 'SVG drawings are not accepted (they can carry scripts): upload a JPEG, PNG, WebP, AVIF or GIF.',
  unknown: 'This file is not a JPEG, PNG, WebP, AVIF or GIF image.',
  broken: 'This file looks like an image but could not be read: it may be damaged or cut short.',
  animatedAvif: 'Animated AVIF is not accepted: upload the animation as a GIF or WebP, or a still AVIF.',
  tooManyPixels: `This image is too large: at most ${(MAX_PIXELS / 1_000_000).toLocaleString('en-US')} megapixels (an animation's frames together) and ${MAX_SIDE.toLocaleString('en-US')} pixels a side.`,
} as const;

export type CheckedImage = Extract<ImageHeader, { ok: true }> | { ok: false; message: string };

/** What the bytes are, from their header alone, and whether they are within the limits; nothing is decoded. */
export function checkImage(bytes: Uint8Array): CheckedImage {
  if (bytes.byteLength === 0) return { ok: false, message: REFUSALS.missing };
  if (bytes.byteLength > MAX_UPLOAD_BYTES) return { ok: false, message: REFUSALS.tooLarge };
  const header = readImageHeader(bytes);
  if (!header.ok) return { ok: false, message: REFUSALS[header.reason] };
  const { width, height, framePixels } = header;
  if (width * height > MAX_PIXELS || framePixels > MAX_PIXELS || Math.max(width, height) > MAX_SIDE) {
    return { ok: false, message: REFUSALS.tooManyPixels };
  }
  return header;
}

export type VariantFormat = 'avif' | 'webp' | 'jpeg';

/** The best format the browser accepts (its Accept header), AVIF only where Cloudflare encodes it. */
export function variantFormat(accept: string | undefined, width: number): VariantFormat {
  const accepted = new Set(
    (accept ?? '')
      .split(',')
      .map((part) => part.trim().toLowerCase().split(';'))
      .filter(([, ...params]) => !params.some((param) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(param)))
      .map(([type]) => type),
  );
  if (accepted.has('image/avif') && width <= MAX_AVIF_WIDTH) return 'avif';
  if (accepted.has('image/webp')) return 'webp';
  return 'jpeg';
}
