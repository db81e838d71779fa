/** A short page instead of the article when a network's forms keep coming back: the reader's text stays with them. */
export function TooOftenPage({
  message,
  articlePath,
  comment,
}: {
  message: string;
  articlePath: string;
  comment: string;
}) {
  return (
    <section class="error-page">
      <h1>Please wait before sending this form again</h1>
      <p>{message}</p>
      {comment ? (
        <p>
          <label for="kept-comment">Your comment, kept here so you can copy it</label>
          <textarea id="kept-comment" readonly rows={8}>
            {comment}
          </textarea>
        </p>
      ) : null}
      <p>
        <a href={`${articlePath}#respond`}>Back to the article</a>
      </p>
    </section>
  );
}
