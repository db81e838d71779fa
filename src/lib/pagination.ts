import { z } from 'zod';

/** `?page=N`: a whole number from 1; absent means the first page. */
export const pageNumber = z.coerce.number().int().min(1).max(1_000_000).default(1);

/** How many pages `total` items make at `perPage` a page; an empty list still has its first page. */
export const pageCount = (total: number, perPage: number) => Math.max(1, Math.ceil(total / perPage));
