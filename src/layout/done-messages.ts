import { z } from 'zod';
import { validInput } from '../app-env';

/** A message, or one that says a number: how many comments were approved, which revision was restored. */
type Message = string | ((n: number) => string);

/**
 * What an admin page says after the redirect that follows a form: the redirect names what was done
 * (`?done=saved`, with a number where one belongs: `?done=approve&n=3`) and the page says it in words.
 * A name the page does not know, or a tampered number, says nothing.
 *
 * @example
 * const done = doneMessages({ saved: 'Saved.', approve: (n) => `${n} approved.` });
 * routes.get('/admin/x', done.query, (c) => page(c, done.message(c.req.valid('query'))));
 * routes.post('/admin/x', (c) => c.redirect(done.path('/admin/x', 'saved'), 303));
 */
export function doneMessages<const Name extends string>(messages: Record<Name, Message>) {
  const names = Object.keys(messages) as [Name, ...Name[]];
  const schema = z.object({
    done: z.enum(names).optional().catch(undefined),
    n: z.coerce.number().int().min(0).max(1_000_000_000).optional().catch(undefined),
  });
  return {
    /** The query's shape, to extend with a page's own parameters. */
    schema,
    /** Validates `done` and `n` for `c.req.valid('query')`. */
    query: validInput('query', schema),
    /** The words for a validated query; undefined when nothing was done. */
    message({ done, n }: { done?: Name; n?: number }): string | undefined {
      if (!done) return undefined;
      const message: Message = messages[done];
      if (typeof message === 'string') return message;
      return n === undefined ? undefined : message(n);
    },
    /** `path` (which may have a query already) saying that `done` was done. */
    path(path: string, done: Name, n?: number): string {
      return `${path}${path.includes('?') ? '&' : '?'}done=${done}${n === undefined ? '' : `&n=${n}`}`;
    },
  };
}
