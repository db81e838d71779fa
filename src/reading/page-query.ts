import { zValidator } from '@hono/zod-validator';
import { z } from 'zod';

export const pageNumber = z.coerce.number().int().min(1).max(1_000_000).default(1);

/** Validates `?page=N` on a listing; a page number that cannot exist is a 404, like a page past the end. */
export const pageQuery = zValidator('query', z.object({ page: pageNumber }), (result, c) => {
  if (!result.success) return c.notFound();
});

export const pageCount = (total: number, perPage: number) => Math.max(1, Math.ceil(total / perPage));
