import { z } from 'zod';
import { ROLES } from '../db/schema';
import { EMAIL_MAX_LENGTH } from '../lib/email';
import { PASSWORD_MAX_LENGTH } from '../lib/password';

export const STAFF_NAME_MAX_LENGTH = 100;
export const PASSWORD_MIN_LENGTH = 12;

const name = z
  .string()
  .trim()
  .max(STAFF_NAME_MAX_LENGTH, `A name can be at most ${STAFF_NAME_MAX_LENGTH} characters long.`);

/** The administrator's invitation form. Staff addresses are stored in lower case, as sign-in compares them. */
export const invitationInputSchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, 'Enter the address to send the invitation to.')
    .max(EMAIL_MAX_LENGTH, `An address can be at most ${EMAIL_MAX_LENGTH} characters long.`)
    .pipe(z.email('Enter a valid email address, like name@example.com.')),
  name: name.default(''),
  role: z.enum(ROLES, { error: 'Choose a role.' }),
});
export const INVITATION_FIELDS = ['email', 'name', 'role'] as const;
export type InvitationField = (typeof INVITATION_FIELDS)[number];

/** The invited person's form: their name and a password typed twice. */
export const acceptInputSchema = z
  .object({
    name: name.min(1, 'Enter your name as colleagues should see it.'),
    password: z
      .string()
      .min(PASSWORD_MIN_LENGTH, `Choose a password of at least ${PASSWORD_MIN_LENGTH} characters.`)
      .max(PASSWORD_MAX_LENGTH, `A password can be at most ${PASSWORD_MAX_LENGTH} characters long.`),
    confirm: z.string().max(PASSWORD_MAX_LENGTH),
  })
  .refine((input) => input.password === input.confirm, {
    path: ['confirm'],
    message: 'The two passwords differ: type the same one twice.',
  });
export const ACCEPT_FIELDS = ['name', 'password', 'confirm'] as const;
export type AcceptField = (typeof ACCEPT_FIELDS)[number];

/** A change on the staff list: a role and an author profile (empty: none). */
export const staffChangeSchema = z.object({
  role: z.enum(ROLES),
  authorId: z.union([z.literal('').transform(() => null), z.coerce.number().int().positive()]),
});
