import { EMAIL_MAX_LENGTH } from '../lib/email';
import { NEWSLETTER_PATH, PRIVACY_PATH } from '../paths';

export interface NewsletterSignupProps {
  newsletterName: string;
  /** Where the block sits; it names the ids, so two blocks on one page never share one. */
  placement: 'footer' | 'article' | 'page';
  email?: string;
  error?: string;
}

/** "Sign up for our weekly newsletter": one address field, posted as a plain form (no JavaScript needed). */
export function NewsletterSignup({ newsletterName, placement, email, error }: NewsletterSignupProps) {
  const id = `newsletter-${placement}`;
  return (
    <section class="newsletter-signup" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Sign up for our weekly newsletter</h2>
      <p>
        {newsletterName}: the week’s articles in your inbox, once a week. Unsubscribe with one click.{' '}
        <a href={NEWSLETTER_PATH}>Past issues</a> · <a href={PRIVACY_PATH}>What we store, and how to erase it</a>.
      </p>
      <form method="post" action="/newsletter">
        <label for={`${id}-email`}>Your email</label>
        <input
          id={`${id}-email`}
          name="email"
          type="email"
          value={email}
          required
          maxlength={EMAIL_MAX_LENGTH}
          autocomplete="email"
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        <button type="submit">Sign up</button>
        {error && (
          <span class="field-error" id={`${id}-error`} role="alert">
            {error}
          </span>
        )}
        <span class="newsletter-website" aria-hidden="true">
          <label for={`${id}-website`}>Leave this field empty</label>
          <input id={`${id}-website`} name="website" type="text" tabindex={-1} autocomplete="off" />
        </span>
      </form>
    </section>
  );
}
