import type { Child } from 'hono/jsx';

/** What a field's control must carry so that its label, hint and error reach screen readers. */
export interface FieldAttributes {
  id: string;
  name: string;
  'aria-invalid'?: 'true';
  'aria-describedby'?: string;
}

/**
 * A labelled form field with an optional hint and error, for the readers' and the editors' forms.
 * `name` defaults to `id`.
 *
 * @example
 * <FormField id="comment-name" name="name" label="Your Name" error={errors.name}>
 *   {(attributes) => <input {...attributes} type="text" required />}
 * </FormField>
 */
export function FormField(props: {
  id: string;
  name?: string;
  label: string;
  hint?: string;
  error?: string;
  children: (attributes: FieldAttributes) => Child;
}) {
  const describedBy =
    [props.hint && `${props.id}-hint`, props.error && `${props.id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <p class={props.error ? 'field field-invalid' : 'field'}>
      <label for={props.id}>{props.label}</label>
      {props.hint && (
        <span class="field-hint" id={`${props.id}-hint`}>
          {props.hint}
        </span>
      )}
      {props.children({
        id: props.id,
        name: props.name ?? props.id,
        'aria-invalid': props.error ? 'true' : undefined,
        'aria-describedby': describedBy,
      })}
      {props.error && (
        <span class="field-error" id={`${props.id}-error`}>
          {props.error}
        </span>
      )}
    </p>
  );
}

/** The Markdown body of an article or a static page: one editing experience for both. */
export function MarkdownBodyField({ value, error, maxlength }: { value?: string; error?: string; maxlength: number }) {
  return (
    <FormField
      id="body"
      label="Body"
      hint="Markdown: ## heading, **bold**, [link](https://…), - list. HTML is shown as text."
      error={error}
    >
      {(attributes) => (
        <textarea {...attributes} rows={20} required maxlength={maxlength}>
          {value}
        </textarea>
      )}
    </FormField>
  );
}
