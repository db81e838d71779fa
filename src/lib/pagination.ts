import { z } from 'zod';

/** A positive whole number in its one canonical spelling (`7`, never `07`, `7.0` or `+7`), up to `digits` digits. */
export const canonicalPositiveInteger = (digits: number) =>
  z
    .string()
    .regex(new RegExp(`^[1-9][0-9]{0,${digits - 1}}$`))
    .transform(Number);

/** `?page=N`: a whole number from 1 in its canonical spelling; absent means the first page. */
export const pageNumber = canonicalPositiveInteger(6).default(1);

/** How many pages `total` items make at `perPage` a page; an empty list still has its first page. */
export const pageCount = (total: number, perPage: number) => Math.max(1, Math.ceil(total / perPage));
