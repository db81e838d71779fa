import { mediaPath } from '../../media/keys';
import { ResponsiveImage } from '../../media/views/responsive-image';

/** An author's photo from the media library, shown small (its variants as a `srcset`); nothing when they have none. */
export function AuthorPhoto({
  hash,
  width,
  height,
  alt,
  sizes,
  class: className,
  priority = false,
}: {
  hash: string | null;
  width: number | null;
  height: number | null;
  alt: string;
  /** The size CSS gives it (`.author-photo`, `.byline-photo`). */
  sizes: string;
  class: string;
  priority?: boolean;
}) {
  if (!hash) return null;
  return (
    <ResponsiveImage
      src={mediaPath(hash)}
      alt={alt}
      width={width}
      height={height}
      sizes={sizes}
      class={className}
      priority={priority}
    />
  );
}
