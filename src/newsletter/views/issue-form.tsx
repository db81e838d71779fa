import type { NewsletterIssue } from '../../db/schema';
import { CsrfField } from '../../layout/admin-layout';
import { DateTime } from '../../layout/date-time';
import { FormField } from '../../layout/form-field';
import { ISSUE_LIMITS, type IssueField } from '../editorial-input';
import type { IssueArticleChoice } from '../issue';
import type { DeliveryCounts } from '../issue-queries';
import { ISSUES_PATH } from './issue-status';

export type IssueFormValues = Record<'subject' | 'preheader' | 'intro' | 'closing', string> & { paidOnly: boolean };

export interface IssuePageProps {
  issue: NewsletterIssue;
  values: IssueFormValues;
  /** The chosen articles in their order, then the recent ones that are not. */
  articles: (IssueArticleChoice & { included: boolean })[];
  /** The issue takes the week's articles by itself (no editor has chosen yet). */
  automatic: boolean;
  counts?: DeliveryCounts;
  /** The text part as the signed-in editor would get it. */
  text: string;
  weeklySend: Date;
  timeZone: string;
  testAddresses: string[];
  errors?: Partial<Record<IssueField, string>>;
  message?: string;
  alert?: boolean;
  scheduleValue?: string;
  scheduleError?: string;
  /** The site's local hour (NEWSLETTER_LOCAL_HOUR), or null. */
  localHour: number | null;
  sendError?: string;
}

function ArticleChoices({
  articles,
  automatic,
  error,
  timeZone,
}: Pick<IssuePageProps, 'articles' | 'automatic' | 'timeZone'> & { error?: string }) {
  return (
    <fieldset aria-describedby={error ? 'issue-positions-error' : undefined}>
      <legend>Articles</legend>
      <p class="field-hint">
        Tick the articles the issue carries; they go in the order of their numbers.
        {automatic &&
          ' Until you change this list, the issue carries every article published in the 7 days before it is sent.'}
      </p>
      {automatic && <input type="hidden" name="automatic" value="1" />}
      {error && (
        <p class="field-error" id="issue-positions-error">
          {error}
        </p>
      )}
      {articles.length === 0 && <p>No article was published in the last 14 days.</p>}
      <ol class="issue-articles">
        {articles.map((article, index) => (
          <li>
            <input type="hidden" name="article" value={String(article.id)} />
            <label for={`issue-position-${article.id}`}>Position</label>{' '}
            <input
              id={`issue-position-${article.id}`}
              name="position"
              type="number"
              min="1"
              max="99"
              size={2}
              value={String(index + 1)}
            />{' '}
            <input
              id={`issue-include-${article.id}`}
              name="include"
              type="checkbox"
              value={String(article.id)}
              checked={article.included}
            />{' '}
            <label for={`issue-include-${article.id}`}>{article.headline}</label>
            {article.publishedAt && (
              <>
                {' '}
                <small>
                  <DateTime date={article.publishedAt} timeZone={timeZone} />
                </small>
              </>
            )}
          </li>
        ))}
      </ol>
    </fieldset>
  );
}

export function IssueForm({ issue, values, errors = {}, ...rest }: IssuePageProps) {
  return (
    <form method="post" action={`${ISSUES_PATH}/${issue.id}`} class="issue-form">
      <CsrfField />
      <FormField id="issue-subject" name="subject" label="Subject" error={errors.subject}>
        {(attributes) => (
          <input {...attributes} type="text" value={values.subject} required maxlength={ISSUE_LIMITS.subject} />
        )}
      </FormField>
      <FormField
        id="issue-preheader"
        name="preheader"
        label="Preheader"
        hint="The line mail programs show after the subject."
        error={errors.preheader}
      >
        {(attributes) => (
          <input {...attributes} type="text" value={values.preheader} maxlength={ISSUE_LIMITS.preheader} />
        )}
      </FormField>
      <FormField
        id="issue-intro"
        name="intro"
        label="Introduction"
        hint="Markdown: *italics*, **bold**, [a link](https://…), a blank line between paragraphs."
        error={errors.intro}
      >
        {(attributes) => (
          <textarea {...attributes} rows={8} maxlength={ISSUE_LIMITS.intro}>
            {values.intro}
          </textarea>
        )}
      </FormField>
      <ArticleChoices {...rest} error={errors.positions} />
      <FormField
        id="issue-closing"
        name="closing"
        label="Closing note"
        hint="Optional, Markdown, below the articles."
        error={errors.closing}
      >
        {(attributes) => (
          <textarea {...attributes} rows={3} maxlength={ISSUE_LIMITS.closing}>
            {values.closing}
          </textarea>
        )}
      </FormField>
      <p>
        <label>
          <input type="checkbox" name="paidOnly" value="yes" checked={values.paidOnly} /> For paid members only
        </label>
      </p>
      <p class="field-hint">
        Sent only to subscribers who are members with paid access when their copy goes out; on its page in the archive,
        other readers get its subject and preheader and an invitation to subscribe.
      </p>
      <button type="submit">Save the issue</button>
    </form>
  );
}
