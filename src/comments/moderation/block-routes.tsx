import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { type AppEnv, validInput } from '../../app-env';
import { siteConfig } from '../../config';
import { primaryDb } from '../../db/client';
import { BLOCK_KINDS } from '../../db/schema';
import { doneMessages } from '../../layout/done-messages';
import { requireRole } from '../../staff/require-role';
import { blockFromComment, blockListQuery, liftBlock } from './blocks';
import { BlocksPage } from './views/blocks-page';

const BLOCKS_PATH = '/admin/comments/blocks';
const done = doneMessages({
  email: 'Email address blocked: its next comments go straight to spam.',
  network: 'Network blocked: its next comments go straight to spam.',
  domain: 'Domain blocked: its next Webmentions (and its subdomains’) go straight to spam.',
  lifted: 'Block lifted.',
});

/** The queue's "Block email" / "Block network" / "Block domain" buttons send `block=email:12`: the kind and the comment. */
const blockSchema = z.object({
  block: z.string().transform((value, context) => {
    const [kind, id] = value.split(':');
    const parsed = z
      .object({ kind: z.enum(BLOCK_KINDS), id: z.coerce.number().int().positive() })
      .safeParse({ kind, id });
    if (!parsed.success) {
      context.addIssue({ code: 'custom', message: 'not a block' });
      return z.NEVER;
    }
    return parsed.data;
  }),
});

/** Blocks from the moderation queue, and the page that lists and lifts them (editors and up). */
export const blockRoutes = new Hono<AppEnv>()
  .get(BLOCKS_PATH, requireRole('editor'), done.query, async (c) => {
    return c.render(
      <BlocksPage
        blocks={await blockListQuery(primaryDb(c.env))}
        message={done.message(c.req.valid('query'))}
        timeZone={siteConfig(c.env).timeZone}
      />,
      { title: 'Blocked commenters' },
    );
  })
  .post(
    BLOCKS_PATH,
    requireRole('editor'),
    validInput('form', blockSchema, () => {
      throw new HTTPException(400, {
        message: 'Choose “Block email”, “Block network” or “Block domain” on a comment in the queue.',
      });
    }),
    async (c) => {
      const { kind, id } = c.req.valid('form').block;
      if (!(await blockFromComment(primaryDb(c.env), { commentId: id, kind, staffMemberId: c.var.staffMember.id }))) {
        throw new HTTPException(404, { message: `Comment #${id} does not exist, or has no ${kind} on record.` });
      }
      return c.redirect(done.path(BLOCKS_PATH, kind), 303);
    },
  )
  .post(`${BLOCKS_PATH}/:id{[0-9]{1,15}}/lift`, requireRole('editor'), async (c) => {
    if (!(await liftBlock(primaryDb(c.env), Number(c.req.param('id'))))) return c.notFound();
    return c.redirect(done.path(BLOCKS_PATH, 'lifted'), 303);
  });
