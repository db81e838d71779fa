import { AdminMessage, CsrfField } from '../../layout/admin-layout';
import { FormField } from '../../layout/form-field';
import { mediaPath } from '../../media/keys';
import type { ListingField } from '../input';
import { LISTING_LIMITS } from '../input';
import type { Kind } from '../kinds';
import type { ListingRow } from '../queries';

/** A form that was refused: which one (a row's id, or the new one), as it was typed, and why. */
export interface RefusedForm {
  id: number | 'new';
  values: Partial<Record<ListingField, string>>;
  errors: Partial<Record<ListingField, string>>;
}

export interface ListingsPageProps {
  kind: Kind;
  rows: ListingRow[];
  message?: string;
  alert?: boolean;
  refused?: RefusedForm;
}

function ListingFields({
  kind,
  prefix,
  values = {},
  errors = {},
}: { kind: Kind; prefix: string } & Partial<RefusedForm>) {
  return (
    <>
      <FormField id={`${prefix}-name`} name="name" label="Name" error={errors.name}>
        {(attributes) => (
          <input {...attributes} type="text" value={values.name} required maxlength={LISTING_LIMITS.name} />
        )}
      </FormField>
      <FormField
        id={`${prefix}-slug`}
        name="slug"
        label="Slug"
        hint="Its address; empty: made from the name. A changed slug keeps the old address, redirected."
        error={errors.slug}
      >
        {(attributes) => <input {...attributes} type="text" value={values.slug} maxlength={LISTING_LIMITS.slug} />}
      </FormField>
      <FormField id={`${prefix}-text`} name="text" label={kind.textLabel} error={errors.text}>
        {(attributes) => (
          <textarea {...attributes} rows={2} maxlength={LISTING_LIMITS.text}>
            {values.text}
          </textarea>
        )}
      </FormField>
      {kind.hasPhoto && (
        <FormField
          id={`${prefix}-photo`}
          name="photo"
          label="Photo"
          hint="The address of an image in the media library (Images: upload it there, then copy its /media/… address); empty for none. Shown on their page and beside their byline."
          error={errors.photo}
        >
          {(attributes) => <input {...attributes} type="text" value={values.photo} maxlength={LISTING_LIMITS.photo} />}
        </FormField>
      )}
    </>
  );
}

function RowActions({ kind, row, rows, index }: { kind: Kind; row: ListingRow; rows: ListingRow[]; index: number }) {
  const others = rows.filter((other) => other.id !== row.id);
  return (
    <>
      {kind.ordered && (
        <form method="post" action={`${kind.admin}/${row.id}/move`} class="admin-inline-form">
          <CsrfField />
          <button type="submit" name="direction" value="up" class="secondary" disabled={index === 0}>
            Move up
          </button>{' '}
          <button type="submit" name="direction" value="down" class="secondary" disabled={index === rows.length - 1}>
            Move down
          </button>
        </form>
      )}
      {row.articles === 0 ? (
        <form method="post" action={`${kind.admin}/${row.id}/delete`} class="admin-inline-form">
          <CsrfField />
          <button type="submit" class="secondary">
            Delete {row.name}
          </button>
        </form>
      ) : (
        others.length > 0 && (
          <form method="post" action={`${kind.admin}/${row.id}/merge`} class="admin-inline-form">
            <CsrfField />
            <label>
              Merge into{' '}
              <select name="into">
                {others.map((other) => (
                  <option value={String(other.id)}>{other.name}</option>
                ))}
              </select>
            </label>{' '}
            <button type="submit" class="secondary">
              Merge (moves its {row.articles} articles, redirects its address)
            </button>
          </form>
        )
      )}
    </>
  );
}

/** The administrator's list of sections (in navigation order) or authors: edit, order, merge, delete, add. */
export function ListingsPage({ kind, rows, message, alert, refused }: ListingsPageProps) {
  const refusedFor = (id: number | 'new') => (refused?.id === id ? refused : undefined);
  return (
    <>
      <h1>{kind.many}</h1>
      <AdminMessage text={message} kind={alert ? 'alert' : 'status'} />
      {kind.ordered && <p>The site’s navigation shows the sections in this order.</p>}
      {rows.map((row, index) => {
        const typed = refusedFor(row.id);
        return (
          <section class="admin-listing" aria-labelledby={`listing-${row.id}`}>
            <h2 id={`listing-${row.id}`}>
              <a href={kind.path(row.slug)}>{row.name}</a>
            </h2>
            <p>
              {row.published} published, {row.articles - row.published} not published.
            </p>
            <form method="post" action={`${kind.admin}/${row.id}`}>
              <CsrfField />
              <ListingFields
                kind={kind}
                prefix={`listing-${row.id}`}
                values={
                  typed?.values ?? {
                    name: row.name,
                    slug: row.slug,
                    text: row.text,
                    photo: row.photoHash ? mediaPath(row.photoHash) : '',
                  }
                }
                errors={typed?.errors}
              />
              <p>
                <button type="submit">Save {row.name}</button>
              </p>
            </form>
            <RowActions kind={kind} row={row} rows={rows} index={index} />
          </section>
        );
      })}
      <h2 id="new-heading">Add {kind.one === 'author' ? 'an author' : 'a section'}</h2>
      <form method="post" action={kind.admin} aria-labelledby="new-heading">
        <CsrfField />
        <ListingFields kind={kind} prefix="new" {...refusedFor('new')} />
        <p>
          <button type="submit">Add</button>
        </p>
      </form>
    </>
  );
}
