import { responsiveSources } from '../responsive';

export interface ImageProps {
  src: string;
  alt: string;
  width: number | null;
  height: number | null;
  /** The width the image takes on the page, as the `sizes` attribute says it. */
  sizes: string;
  /** The page's main image: fetched first. Every other image loads lazily. */
  priority?: boolean;
  class?: string;
}

/**
 * An image with its size (nothing shifts as it loads). A media-library image also gets its variants
 * as a `srcset`, so a phone downloads a small one and a wide screen a sharp one, in AVIF, WebP or JPEG.
 */
export function ResponsiveImage({ src, alt, width, height, sizes, priority = false, ...rest }: ImageProps) {
  const sources = responsiveSources(src, width);
  return (
    <img
      src={sources.src}
      srcset={sources.srcset}
      sizes={sources.srcset ? sizes : undefined}
      alt={alt}
      width={width ?? undefined}
      height={height ?? undefined}
      class={rest.class}
      fetchpriority={priority ? 'high' : undefined}
      loading={priority ? undefined : 'lazy'}
      decoding={priority ? undefined : 'async'}
    />
  );
}
