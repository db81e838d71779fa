export function NotFoundPage() {
  return (
    <section class="error-page">
      <h1>Page not found</h1>
      <p>We could not find the page you were looking for. It may have moved, or the address may be mistyped.</p>
      <p>
        <a href="/">Go to the front page</a>
      </p>
    </section>
  );
}

const STATUS_MESSAGES: Record<number, string> = {
  400: 'The request could not be understood.',
  403: 'This form was sent from another site, so it was refused.',
  404: 'Page not found',
  405: 'That method is not allowed here.',
  413: 'What you sent is too large.',
};

/** The heading for an error: a safe message of the exception's own, or one per status; never internals for a 5xx. */
export function errorMessage(status: number, own: string): string {
  if (status >= 500) return 'Something went wrong';
  return own || STATUS_MESSAGES[status] || 'The request could not be completed.';
}

export function ErrorPage({ status, message }: { status: number; message: string }) {
  return (
    <section class="error-page">
      <h1>{message}</h1>
      <p>
        {status >= 500
          ? 'Sorry: the page could not be shown because of a problem on our side. Please try again in a moment.'
          : 'Please go back and try again, or start from the front page.'}
      </p>
      <p>
        <a href="/">Go to the front page</a>
      </p>
    </section>
  );
}
