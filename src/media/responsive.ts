import type { ImageResolver } from '../lib/markdown';
import { mediaHashOf, variantPath, widthsFor } from './keys';
import { DEFAULT_WIDTH } from './rules';

/**
 * The addresses an image is shown from: a media-library image (an address of one of its variants,
 * its width known) gets every variant as a `srcset` and, as `src`, the default width or the widest
 * it has; any other address is kept as it is, without a `srcset`.
 */
export function responsiveSources(src: string, width: number | null): { src: string; srcset?: string } {
  const hash = mediaHashOf(src);
  if (!hash || !width) return { src };
  const widths = widthsFor(width);
  return {
    src: variantPath(hash, widths.find((variant) => variant >= DEFAULT_WIDTH) ?? widths.at(-1) ?? DEFAULT_WIDTH),
    srcset: widths.map((variant) => `${variantPath(hash, variant)} ${Math.min(variant, width)}w`).join(', '),
  };
}

/** The width a body image takes: the text column (`.wrap`: 46rem less its padding), the screen less its padding below that. */
export const BODY_IMAGE_SIZES = '(min-width: 46rem) 44rem, calc(100vw - 2rem)';

export type ImageSizes = ReadonlyMap<string, { width: number; height: number }>;

/**
 * Resolves the images of an article's body that are in the media library (by the hash in their
 * address, sizes as D1 has them) to their variants and size; any other address is left as written.
 */
export function libraryImageResolver(sizes: ImageSizes): ImageResolver {
  return (src) => {
    const hash = mediaHashOf(src);
    const size = hash ? sizes.get(hash) : undefined;
    if (!size) return undefined;
    return { ...responsiveSources(src, size.width), sizes: BODY_IMAGE_SIZES, ...size };
  };
}
