import type { ListingKind } from '../db/schema';
import { authorPath, sectionPath } from '../paths';

/** What differs between the two: their words, their admin address and their public one. */
export const KINDS = {
  section: {
    one: 'section',
    many: 'Sections',
    admin: '/admin/sections',
    textLabel: 'Description',
    path: sectionPath,
    ordered: true,
    hasPhoto: false,
  },
  author: {
    one: 'author',
    many: 'Authors',
    admin: '/admin/authors',
    textLabel: 'Bio',
    path: authorPath,
    ordered: false,
    hasPhoto: true,
  },
} as const satisfies Record<ListingKind, unknown>;
export type Kind = (typeof KINDS)[ListingKind];
