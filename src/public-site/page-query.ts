import { z } from 'zod';
import { validInput } from '../app-env';
import { pageNumber } from '../lib/pagination';

/** Validates `?page=N` on a listing; a page number that cannot exist is a 404, like a page past the end. */
export const pageQuery = validInput('query', z.object({ page: pageNumber }), (c) => c.notFound());
