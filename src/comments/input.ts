import { z } from 'zod';
import type { NotifyMode } from '../db/schema';
import { EMAIL_MAX_LENGTH, emailAddressSchema } from '../lib/email';
import { firstErrorPerField, submittedStrings } from '../lib/form-errors';
import { normalizeBody, normalizeCommentEmail, normalizeName } from './normalize';

// Control characters (C0, DEL, C1); a comment body may keep tabs and line breaks.
const CONTROL_CHARACTERS = /\p{Cc}/u;
const CONTROL_CHARACTERS_EXCEPT_WHITESPACE = /(?![\t\n\r])\p{Cc}/u;

/** The longest name and comment accepted: the schema enforces them, the form shows them as `maxlength`. */
export const COMMENT_LIMITS = { name: 80, email: EMAIL_MAX_LENGTH, comment: 5000 } as const;

/** Names and text are normalized (normalize.ts) before they are checked, judged or stored. */
export const commentInputSchema = z.object({
  name: z
    .string({ error: 'Please enter your name.' })
    .transform(normalizeName)
    .pipe(
      z
        .string()
        .min(1, 'Please enter your name.')
        .max(COMMENT_LIMITS.name, `Your name can be at most ${COMMENT_LIMITS.name} characters long.`)
        .refine((name) => !CONTROL_CHARACTERS.test(name), 'Your name contains characters we cannot accept.'),
    ),
  email: emailAddressSchema.transform(normalizeCommentEmail),
  comment: z
    .string({ error: 'Please write your comment.' })
    .transform(normalizeBody)
    .pipe(
      z
        .string()
        .min(1, 'Please write your comment.')
        .max(
          COMMENT_LIMITS.comment,
          `Your comment can be at most ${COMMENT_LIMITS.comment.toLocaleString('en-US')} characters long.`,
        )
        .refine(
          (comment) => !CONTROL_CHARACTERS_EXCEPT_WHITESPACE.test(comment),
          'Your comment contains characters we cannot accept.',
        ),
    ),
  parent: z
    .union([z.literal('').transform(() => undefined), z.coerce.number().int().positive()], {
      error: 'The comment you are replying to does not exist.',
    })
    .optional(),
  /** The unticked boxes "Email me when someone replies" and "…and about every new comment on this article". */
  notify: z.literal('replies', { error: 'This box can only be ticked or not.' }).optional(),
  notify_all: z.literal('all', { error: 'This box can only be ticked or not.' }).optional(),
  /** The honeypot: hidden from people, filled in by bots. */
  website: z.string().optional(),
  /** The signed, timestamped form token (see form-token.ts). */
  token: z.string().optional(),
});

export type CommentInput = z.infer<typeof commentInputSchema>;

/** What the commenter asked to be emailed about, if anything (every comment includes the replies). */
export const notifyModeOf = (input: CommentInput): NotifyMode | undefined => input.notify_all ?? input.notify;

declare module 'hono' {
  interface ContextVariableMap {
    /** A comment submission that passed validation and the spam traps, for the rate limiter's keys. */
    comment: CommentInput;
  }
}
export type CommentField = 'name' | 'email' | 'comment' | 'parent' | 'notify' | 'notify_all';

/** What a reader typed, kept as text so a refused form comes back exactly as it was sent. */
export type CommentFormValues = Partial<Record<CommentField, string>>;
export type CommentFieldErrors = Partial<Record<CommentField, string>>;

const COMMENT_FIELDS = [
  'name',
  'email',
  'comment',
  'parent',
  'notify',
  'notify_all',
] as const satisfies readonly CommentField[];

/** The first message for each wrong field. */
export const fieldErrors = (error: Parameters<typeof firstErrorPerField>[0]): CommentFieldErrors =>
  firstErrorPerField(error, COMMENT_FIELDS);

/** The submitted fields as strings, whatever their type (a file upload, a number in JSON…). */
export const submittedValues = (body: unknown): CommentFormValues => submittedStrings(body, COMMENT_FIELDS);
