import { ROLES, type Role } from '../db/schema';

/**
 * The staff ladder, least to most trusted (Ghost's and WordPress's): each role can do everything the
 * ones before it can.
 * - contributor: writes and edits their own drafts and submits them for review;
 * - editor: every article and comment: publish, schedule, unpublish, delete, moderate, revisions; static pages;
 * - administrator: also staff, authors, sections and subscribers.
 */

export const ROLE_LABELS: Record<Role, string> = {
  contributor: 'Contributor',
  editor: 'Editor',
  administrator: 'Administrator',
};

/** Whether someone with `role` may do what `needed` may. */
export const hasRole = (role: Role, needed: Role) => ROLES.indexOf(role) >= ROLES.indexOf(needed);
