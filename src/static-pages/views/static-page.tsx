import { raw } from 'hono/html';

/** A static page as readers see it: its title, the one h1, and its body. */
export function StaticPageView({ title, bodyHtml }: { title: string; bodyHtml: string }) {
  return (
    <article class="static-page">
      <h1>{title}</h1>
      <div class="article-body">{raw(bodyHtml)}</div>
    </article>
  );
}
