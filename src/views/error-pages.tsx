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

export function ErrorPage({ status, message }: { status: number; message: string }) {
  return (
    <section class="error-page">
      <h1>{status >= 500 ? 'Something went wrong' : message}</h1>
      <p>
        {status >= 500
          ? 'Sorry: the page could not be shown because of a problem on our side. Please try again in a moment.'
          : 'Please check the address or go back and try again.'}
      </p>
      <p>
        <a href="/">Go to the front page</a>
      </p>
    </section>
  );
}
