import { useRequestContext } from 'hono/jsx-renderer';
import type { AppEnv } from '../../app-env';
import { AdminTable } from '../../layout/admin-table';
import { FormField } from '../../layout/form-field';
import { formatDateTime } from '../../lib/dates';
import { type Place, placeText } from '../../lib/pagination';
import { hasRole } from '../../staff/roles';
import { IMAGE_TYPES } from '../formats';
import { mediaPath } from '../keys';
import type { MediaLibraryRow } from '../queries';
import { MAX_UPLOAD_BYTES, MEDIA_LIMITS } from '../rules';
import { ResponsiveImage } from './responsive-image';

export type UploadField = 'file' | 'alt' | 'credit';

export interface LibraryPageProps {
  rows: MediaLibraryRow[];
  /** Where the older page starts; none on the last page. */
  older?: Place;
  /** Where the newer page starts (`{}`: the first page); none on the first page. */
  newer?: { after?: Place };
  values: Partial<Record<UploadField, string>>;
  errors: Partial<Record<UploadField, string>>;
  /** What was just uploaded, or why the form came back. */
  message?: { text: string; kind: 'status' | 'alert' };
  timeZone: string;
}

const libraryHref = (after: Place | undefined) => (after ? `/admin/media?after=${placeText(after)}` : '/admin/media');

/** The Markdown that puts an uploaded image in an article's body. */
export const markdownSnippet = (row: { hash: string; alt: string }) =>
  `![${row.alt.replace(/[[\]\\]/g, '')}](${mediaPath(row.hash)})`;

const kilobytes = (bytes: number) => `${Math.round(bytes / 1024).toLocaleString('en-US')} KB`;

/** The file field of an upload form: any of the accepted formats, at most the size limit. */
export function ImageFileField({ id, label, error }: { id: string; label: string; error?: string }) {
  return (
    <FormField
      id={id}
      label={label}
      hint={`JPEG, PNG, WebP, AVIF or GIF, at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB. If the form comes back with a message, choose the file again.`}
      error={error}
    >
      {(attributes) => <input {...attributes} type="file" accept={IMAGE_TYPES.join(',')} />}
    </FormField>
  );
}

/** The media library: upload an image (alt text, credit), and every upload with the Markdown that inserts it. */
export function LibraryPage({ rows, older, newer, values, errors, message, timeZone }: LibraryPageProps) {
  const c = useRequestContext<AppEnv>();
  // Editors delete images; contributors upload them.
  const canDelete = hasRole(c.var.staffMember.role, 'editor');
  return (
    <>
      <h1>Images</h1>
      {message && (
        <p class={message.kind === 'alert' ? 'form-message' : 'comment-notice'} role={message.kind}>
          {message.text}
        </p>
      )}
      <form method="post" action="/admin/media" enctype="multipart/form-data" class="admin-article-form">
        <input type="hidden" name="csrf" value={c.var.csrfToken} />
        <ImageFileField id="file" label="Image file" error={errors.file} />
        <FormField
          id="alt"
          label="Alt text"
          hint="What the image shows, for readers who cannot see it."
          error={errors.alt}
        >
          {(attributes) => (
            <input {...attributes} type="text" value={values.alt} required maxlength={MEDIA_LIMITS.alt} />
          )}
        </FormField>
        <FormField id="credit" label="Credit" error={errors.credit}>
          {(attributes) => <input {...attributes} type="text" value={values.credit} maxlength={MEDIA_LIMITS.credit} />}
        </FormField>
        <p>
          <button type="submit">Upload</button>
        </p>
      </form>
      <h2>Uploads</h2>
      <AdminTable
        class="media-table"
        columns={['Image', 'Details', 'Markdown for the body (copy it)']}
        rows={rows}
        cells={(row) => [
          <ResponsiveImage
            src={mediaPath(row.hash)}
            alt={row.alt}
            width={row.width}
            height={row.height}
            sizes="8rem"
            class="media-thumbnail"
          />,
          <>
            {row.alt}
            <br />
            {row.width} × {row.height} {row.type.replace('image/', '').toUpperCase()}, {kilobytes(row.bytes)}
            {row.credit && (
              <>
                <br />
                Credit: {row.credit}
              </>
            )}
            <br />
            {row.uploader ? `${row.uploader}, ` : ''}
            {formatDateTime(row.createdAt, timeZone)}
          </>,
          <>
            <input
              type="text"
              readonly
              value={markdownSnippet(row)}
              aria-label={`Markdown for ${row.alt}`}
              class="media-snippet"
            />
            <br />
            Hero address: <code>{mediaPath(row.hash)}</code>
            {canDelete && (
              <form method="post" action={`/admin/media/${row.hash}/delete`}>
                <input type="hidden" name="csrf" value={c.var.csrfToken} />
                <button type="submit" class="secondary">
                  Delete <span class="visually-hidden">{row.alt}</span>
                </button>
              </form>
            )}
          </>,
        ]}
        empty="No images yet."
      />
      {(newer || older) && (
        <nav class="pagination" aria-label="More images">
          {newer ? <a href={libraryHref(newer.after)}>← Newer uploads</a> : <span />}
          <span />
          {older ? <a href={libraryHref(older)}>Older uploads →</a> : <span />}
        </nav>
      )}
    </>
  );
}
