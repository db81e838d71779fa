import { AdminMessage, CsrfField } from '../../layout/admin-layout';
import { AdminTable } from '../../layout/admin-table';
import { FormField, MarkdownBodyField } from '../../layout/form-field';
import { staticPagePath } from '../../paths';
import { STATIC_PAGE_LIMITS, type StaticPageField } from '../input';
import { inNavigation, type StaticPage } from '../queries';

export const STATIC_PAGES_ADMIN_PATH = '/admin/pages';

/** A form that was refused, as it was typed, and why. */
export interface RefusedStaticPage {
  values: Partial<Record<StaticPageField, string>>;
  errors: Partial<Record<StaticPageField, string>>;
}

/** The editors' list of static pages: those in the site's navigation in its order (to move), then the others. */
export function StaticPagesPage({ rows, message }: { rows: StaticPage[]; message?: string }) {
  const navigation = rows.filter(inNavigation);
  return (
    <>
      <h1>Pages</h1>
      <AdminMessage text={message} />
      <p>
        Static pages such as About or Contact, each at its own address. A published page ticked “In the navigation” is
        linked from every page’s header, in the order below.
      </p>
      <p>
        <a href={`${STATIC_PAGES_ADMIN_PATH}/new`}>Write a new page</a>
      </p>
      <AdminTable
        caption={{ hidden: 'Static pages' }}
        columns={['Title', 'Address', 'Status', 'Navigation']}
        rows={rows}
        cells={(row) => {
          const place = navigation.indexOf(row);
          return [
            <a href={`${STATIC_PAGES_ADMIN_PATH}/${row.id}`}>{row.title}</a>,
            row.status === 'published' ? (
              <a href={staticPagePath(row.slug)}>{staticPagePath(row.slug)}</a>
            ) : (
              staticPagePath(row.slug)
            ),
            row.status === 'published' ? 'Published' : 'Draft',
            place < 0 ? (
              'Not shown'
            ) : (
              <form method="post" action={`${STATIC_PAGES_ADMIN_PATH}/${row.id}/move`} class="admin-inline-form">
                <CsrfField />
                {place + 1}.{' '}
                <button
                  type="submit"
                  name="direction"
                  value="up"
                  class="secondary"
                  disabled={place === 0}
                  aria-label={`Move ${row.title} up`}
                >
                  Up
                </button>{' '}
                <button
                  type="submit"
                  name="direction"
                  value="down"
                  class="secondary"
                  disabled={place === navigation.length - 1}
                  aria-label={`Move ${row.title} down`}
                >
                  Down
                </button>
              </form>
            ),
          ];
        }}
      />
    </>
  );
}

/** A static page's form: new (no `page`) or an existing one, with its delete button. */
export function StaticPageForm({
  page,
  refused,
  message,
}: {
  page?: StaticPage;
  refused?: RefusedStaticPage;
  message?: string;
}) {
  const values = refused?.values ?? {
    title: page?.title,
    slug: page?.slug,
    body: page?.bodyMarkdown,
    status: page?.status ?? 'draft',
    inNavigation: page?.navPosition !== null && page?.navPosition !== undefined ? 'on' : undefined,
  };
  const errors = refused?.errors ?? {};
  const action = page ? `${STATIC_PAGES_ADMIN_PATH}/${page.id}` : STATIC_PAGES_ADMIN_PATH;
  return (
    <>
      <h1>{page ? `Edit “${page.title}”` : 'New page'}</h1>
      <AdminMessage text={message} kind={refused ? 'alert' : 'status'} />
      <p>
        <a href={STATIC_PAGES_ADMIN_PATH}>All pages</a>
        {page?.status === 'published' && (
          <>
            {' · '}
            <a href={staticPagePath(page.slug)}>View {staticPagePath(page.slug)}</a>
          </>
        )}
      </p>
      <form method="post" action={action}>
        <CsrfField />
        <FormField id="title" label="Title" error={errors.title}>
          {(attributes) => (
            <input {...attributes} type="text" value={values.title} required maxlength={STATIC_PAGE_LIMITS.title} />
          )}
        </FormField>
        <FormField id="slug" label="Slug" hint="Its address, /slug; empty: made from the title." error={errors.slug}>
          {(attributes) => (
            <input {...attributes} type="text" value={values.slug} maxlength={STATIC_PAGE_LIMITS.slug} />
          )}
        </FormField>
        <MarkdownBodyField value={values.body} error={errors.body} maxlength={STATIC_PAGE_LIMITS.body} />
        <FormField id="status" label="Status" error={errors.status}>
          {(attributes) => (
            <select {...attributes}>
              <option value="draft" selected={values.status !== 'published'}>
                Draft (only staff can see it)
              </option>
              <option value="published" selected={values.status === 'published'}>
                Published
              </option>
            </select>
          )}
        </FormField>
        <p class="field">
          <label>
            <input type="checkbox" name="inNavigation" value="on" checked={values.inNavigation === 'on'} /> In the
            navigation (a link in every page’s header, once published)
          </label>
        </p>
        <p>
          <button type="submit">{page ? 'Save' : 'Add the page'}</button>
        </p>
      </form>
      {page && (
        <form method="post" action={`${STATIC_PAGES_ADMIN_PATH}/${page.id}/delete`}>
          <CsrfField />
          <button type="submit" class="secondary">
            Delete “{page.title}”
          </button>
        </form>
      )}
    </>
  );
}
