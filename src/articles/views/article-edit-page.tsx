import { ARTICLE_ACCESS, type ArticleAccess } from '../../db/schema';
import { AdminMessage, CsrfField } from '../../layout/admin-layout';
import { DateTime } from '../../layout/date-time';
import { FormField, MarkdownBodyField } from '../../layout/form-field';
import { toLocalDateTime } from '../../lib/dates';
import { TEASER_MARKER, TEASER_PARAGRAPHS } from '../../lib/markdown';
import { ImageFileField } from '../../media/views/library-page';
import type { DailyCount } from '../../readership/views/bar-chart';
import { ArticleReadership } from '../../readership/views/readership-figures';
import { ARTICLE_LIMITS, type ArticleField, SLUG_PATTERN } from '../article-input';
import type { ArticleOption, EditedArticle } from '../article-queries';
import { articleState } from './article-list-page';
import { ReviewPanel } from './reviews-page';

export type ArticleFormValues = Partial<Record<ArticleField, string>>;

export interface ArticleEditProps {
  /** The stored article; none when writing a new one. */
  article?: EditedArticle;
  /** Where the published article is read, when it is published. */
  publicPath?: string;
  authors: ArticleOption[];
  sections: ArticleOption[];
  values: ArticleFormValues;
  errors?: Partial<Record<ArticleField, string>>;
  /** Why the form came back, or what was just done. */
  message?: string;
  publishError?: string;
  timeZone: string;
  /** Editors and administrators publish; a contributor submits for review. */
  canPublish: boolean;
  /** What someone else saved meanwhile, when this save was refused. */
  newer?: EditedArticle;
  /** The stored article's readers. */
  readers?: { total: number; perDay: DailyCount[] };
}

/** What the form shows for a stored article. */
export function articleFormValues(article: EditedArticle): ArticleFormValues {
  return {
    headline: article.headline,
    slug: article.slug,
    standfirst: article.standfirst,
    body: article.bodyMarkdown,
    access: article.access,
    heroImageUrl: article.heroImageUrl ?? '',
    heroImageAlt: article.heroImageAlt,
    heroImageCredit: article.heroImageCredit,
    authorId: String(article.authorId),
    sectionId: String(article.sectionId),
    tags: article.tagNames.join(', '),
    metaTitle: article.metaTitle,
    metaDescription: article.metaDescription,
    socialTitle: article.socialTitle,
    socialDescription: article.socialDescription,
    canonicalUrl: article.canonicalUrl,
    noindex: article.noindex ? 'on' : '',
    revision: String(article.revision),
  };
}

function Options({ options, selected }: { options: ArticleOption[]; selected?: string }) {
  return (
    <>
      <option value="">Choose…</option>
      {options.map((option) => (
        <option value={String(option.id)} selected={selected === String(option.id)}>
          {option.name}
        </option>
      ))}
    </>
  );
}

function PublicationForms({
  article,
  publicPath,
  publishError,
  timeZone,
}: ArticleEditProps & { article: EditedArticle }) {
  const state = articleState(article);
  return (
    <section class="admin-publication" aria-labelledby="publication-heading">
      <h2 id="publication-heading">Publication</h2>
      <p>
        This article is <strong>{state}</strong>
        {article.publishedAt && article.status === 'published' && (
          <>
            {' '}
            for <DateTime date={article.publishedAt} timeZone={timeZone} />
          </>
        )}
        . {publicPath && state === 'published' && <a href={publicPath}>Read it on the site</a>}{' '}
        <a href={`/admin/articles/${article.id}/preview`}>Preview</a>
      </p>
      {article.reviewRequestedAt && (
        <p>
          Submitted for review on <DateTime date={article.reviewRequestedAt} timeZone={timeZone} />: publish it, or send
          it back from <a href="/admin/reviews">Reviews</a>.
        </p>
      )}
      <form method="post" action={`/admin/articles/${article.id}/publish`}>
        <CsrfField />
        <input type="hidden" name="revision" value={String(article.revision)} />
        <FormField
          id="publishAt"
          label="Publish at"
          hint={`Site time (${timeZone}); leave empty to publish now.`}
          error={publishError}
        >
          {(attributes) => (
            <input
              {...attributes}
              type="datetime-local"
              value={article.publishedAt ? toLocalDateTime(article.publishedAt, timeZone) : ''}
            />
          )}
        </FormField>
        <p>
          <button type="submit">{article.status === 'draft' ? 'Publish' : 'Change publication time'}</button>
        </p>
      </form>
      {article.status === 'published' && (
        <form method="post" action={`/admin/articles/${article.id}/unpublish`}>
          <CsrfField />
          <button type="submit" class="secondary">
            Unpublish (back to draft)
          </button>
        </form>
      )}
      <form id="comments-setting" method="post" action={`/admin/articles/${article.id}/comments`}>
        <CsrfField />
        <label>
          <input type="checkbox" name="closed" value="on" checked={article.commentsClosed} /> Comments closed (readers
          still see the comments; no one can add one)
        </label>{' '}
        <button type="submit" class="secondary">
          Save
        </button>
      </form>
    </section>
  );
}

const SEO_TEXT_FIELDS = [
  ['metaTitle', 'Search title', 'Default: the headline.'],
  ['metaDescription', 'Search description', 'Default: the standfirst.'],
  ['socialTitle', 'Social title', 'Shown when the article is shared. Default: the headline.'],
  ['socialDescription', 'Social description', 'Default: the standfirst.'],
  ['canonicalUrl', 'Canonical address', 'Only if the original is elsewhere: an absolute https:// address.'],
] as const;

/** Search engines and social networks: every field may stay empty, for today's defaults. */
function SeoFields({ values, errors }: { values: ArticleFormValues; errors: Partial<Record<ArticleField, string>> }) {
  return (
    <fieldset class="admin-seo">
      <legend>Search and sharing</legend>
      {SEO_TEXT_FIELDS.map(([id, label, hint]) => (
        <FormField id={id} label={label} hint={hint} error={errors[id]}>
          {(attributes) => <input {...attributes} type="text" value={values[id]} maxlength={ARTICLE_LIMITS[id]} />}
        </FormField>
      ))}
      <p class="field">
        <label>
          <input type="checkbox" name="noindex" checked={values.noindex === 'on'} /> Hide from search engines (robots
          noindex, left out of the sitemap)
        </label>
      </p>
    </fieldset>
  );
}

const ACCESS_OPTIONS: Record<ArticleAccess, string> = {
  public: 'Everyone',
  members: 'Members (free, signed in)',
  paid: 'Paid members',
};

/** Who reads the whole article; the others get its teaser, which the body's marker line ends. */
function AccessField({ value = 'public', error }: { value?: string; error?: string }) {
  return (
    <FormField
      id="access"
      label="Who may read the whole article"
      hint={`The others get the standfirst and the body up to a line ${TEASER_MARKER} of its own (between two paragraphs), or without one its first ${TEASER_PARAGRAPHS} paragraphs, and an invitation to sign up or subscribe.`}
      error={error}
    >
      {(attributes) => (
        <select {...attributes}>
          {ARTICLE_ACCESS.map((access) => (
            <option value={access} selected={value === access}>
              {ACCESS_OPTIONS[access]}
            </option>
          ))}
        </select>
      )}
    </FormField>
  );
}

/** The text a concurrent save left, beside the refused form. */
function NewerText({ article }: { article: EditedArticle }) {
  return (
    <section class="admin-newer" aria-labelledby="newer-heading">
      <h2 id="newer-heading">The newer text (revision {article.revision})</h2>
      <h3>{article.headline}</h3>
      <p>{article.standfirst}</p>
      <pre class="admin-markdown">{article.bodyMarkdown}</pre>
    </section>
  );
}

export function ArticleEditPage(props: ArticleEditProps) {
  const { values, errors = {}, article } = props;
  return (
    <>
      <p>
        <a href="/admin/articles">← All articles</a>
      </p>
      <h1>{article ? `Edit: ${article.headline}` : 'New article'}</h1>
      <AdminMessage text={props.message} kind={Object.keys(errors).length > 0 ? 'alert' : 'status'} />
      <form
        method="post"
        action={article ? `/admin/articles/${article.id}` : '/admin/articles'}
        enctype="multipart/form-data"
        class="admin-article-form"
      >
        <CsrfField />
        {article && <input type="hidden" name="revision" value={values.revision} />}
        <FormField id="headline" label="Headline" error={errors.headline}>
          {(attributes) => (
            <input {...attributes} type="text" value={values.headline} required maxlength={ARTICLE_LIMITS.headline} />
          )}
        </FormField>
        <FormField
          id="slug"
          label="Slug"
          hint="The end of the address. Left empty, it is made from the headline."
          error={errors.slug}
        >
          {(attributes) => (
            <input
              {...attributes}
              type="text"
              value={values.slug}
              maxlength={ARTICLE_LIMITS.slug}
              pattern={SLUG_PATTERN.source}
            />
          )}
        </FormField>
        <FormField id="standfirst" label="Standfirst" error={errors.standfirst}>
          {(attributes) => (
            <textarea {...attributes} rows={2} maxlength={ARTICLE_LIMITS.standfirst}>
              {values.standfirst}
            </textarea>
          )}
        </FormField>
        <MarkdownBodyField value={values.body} error={errors.body} maxlength={ARTICLE_LIMITS.body} />
        <AccessField value={values.access} error={errors.access} />
        <FormField
          id="heroImageUrl"
          label="Hero image address"
          hint="An address from the media library (Images), https://…, or a path on this site; or upload a file below."
          error={errors.heroImageUrl}
        >
          {(attributes) => (
            <input {...attributes} type="text" value={values.heroImageUrl} maxlength={ARTICLE_LIMITS.heroImageUrl} />
          )}
        </FormField>
        <ImageFileField id="heroImageFile" label="Or upload a hero image" error={errors.heroImageFile} />
        <FormField id="heroImageAlt" label="Hero image alt text" error={errors.heroImageAlt}>
          {(attributes) => (
            <input {...attributes} type="text" value={values.heroImageAlt} maxlength={ARTICLE_LIMITS.heroImageAlt} />
          )}
        </FormField>
        <FormField id="heroImageCredit" label="Hero image credit" error={errors.heroImageCredit}>
          {(attributes) => (
            <input
              {...attributes}
              type="text"
              value={values.heroImageCredit}
              maxlength={ARTICLE_LIMITS.heroImageCredit}
            />
          )}
        </FormField>
        <FormField id="authorId" label="Author" error={errors.authorId}>
          {(attributes) => (
            <select {...attributes} required>
              <Options options={props.authors} selected={values.authorId} />
            </select>
          )}
        </FormField>
        <FormField id="sectionId" label="Section" error={errors.sectionId}>
          {(attributes) => (
            <select {...attributes} required>
              <Options options={props.sections} selected={values.sectionId} />
            </select>
          )}
        </FormField>
        <FormField id="tags" label="Tags" hint="Separated by commas; new tags are created." error={errors.tags}>
          {(attributes) => <input {...attributes} type="text" value={values.tags} maxlength={ARTICLE_LIMITS.tags} />}
        </FormField>
        <SeoFields values={values} errors={errors} />
        <p>
          <button type="submit">{article ? 'Save changes' : 'Save draft'}</button>
        </p>
      </form>
      {props.newer && <NewerText article={props.newer} />}
      {article && (
        <p>
          <a href={`/admin/articles/${article.id}/delete`}>Delete this article…</a>
        </p>
      )}
      {article && props.canPublish && (
        <p>
          <a href={`/admin/articles/${article.id}/revisions`}>Revisions</a>
        </p>
      )}
      {article && props.canPublish && <PublicationForms {...props} article={article} />}
      {article && !props.canPublish && <ReviewPanel article={article} timeZone={props.timeZone} />}
      {props.readers && <ArticleReadership {...props.readers} />}
    </>
  );
}
