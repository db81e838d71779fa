import { type Context, Hono } from 'hono';
import { type AppEnv, validInput } from '../app-env';
import { siteConfig } from '../config';
import { primaryDb } from '../db/client';
import { doneMessages } from '../layout/done-messages';
import { firstErrorPerField, submittedStrings } from '../lib/form-errors';
import { acceptInvitation, invitationFor, invitationPath, invite } from './invitations';
import { requireRole } from './require-role';
import { setSessionCookie } from './session-middleware';
import { startSession } from './sessions';
import {
  ACCEPT_FIELDS,
  acceptInputSchema,
  INVITATION_FIELDS,
  type InvitationField,
  invitationInputSchema,
  staffChangeSchema,
} from './staff-input';
import {
  authorExists,
  authorOptionsQuery,
  deleteInvitation,
  otherAdministrators,
  pendingInvitationsQuery,
  removeStaffMember,
  setAuthorProfile,
  setRole,
  staffListQuery,
  staffMember,
  staffMemberByEmail,
} from './staff-queries';
import { InvitationGonePage, InvitationPage } from './views/invitation-page';
import { StaffPage } from './views/staff-page';

const ID = ':id{[0-9]{1,15}}';
const TOKEN = ':token{[A-Za-z0-9_-]{43}}';

const done = doneMessages({
  invited: 'Invitation sent.',
  changed: 'Saved. If the role changed, that person has been signed out.',
  removed: 'Removed: they are signed out, and their articles stay under their author profile.',
  revoked: 'Invitation revoked: its link no longer works.',
});

const LAST_ADMINISTRATOR = 'There must be at least one administrator: make someone else an administrator first.';

async function staffPage(
  c: Context<AppEnv>,
  status: 200 | 404 | 422,
  form: {
    values?: Partial<Record<InvitationField, string>>;
    errors?: Partial<Record<InvitationField, string>>;
    message?: string;
    alert?: boolean;
  } = {},
) {
  const db = primaryDb(c.env);
  const [staff, invitations, authors] = await db.batch([
    staffListQuery(db),
    pendingInvitationsQuery(db, new Date()),
    authorOptionsQuery(db),
  ]);
  c.status(status);
  return c.render(
    <StaffPage
      staff={staff}
      invitations={invitations}
      authors={authors}
      viewerId={c.var.staffMember.id}
      timeZone={siteConfig(c.env).timeZone}
      {...form}
    />,
    { title: 'Staff' },
  );
}

const refusal = (c: Context<AppEnv>, message: string) => staffPage(c, 422, { message, alert: true });

/** The staff list (administrators only): invite, change a role or byline, remove, revoke an invitation. */
export const staffRoutes = new Hono<AppEnv>()
  .get('/admin/staff', requireRole('administrator'), done.query, (c) =>
    staffPage(c, 200, { message: done.message(c.req.valid('query')) }),
  )
  .post(
    '/admin/staff/invitations',
    requireRole('administrator'),
    validInput('form', invitationInputSchema, (c, error, submitted) =>
      staffPage(c, 422, {
        values: submittedStrings(submitted, INVITATION_FIELDS),
        errors: firstErrorPerField(error, INVITATION_FIELDS),
        message: 'Please correct the marked fields: no invitation has been sent.',
        alert: true,
      }),
    ),
    async (c) => {
      const input = c.req.valid('form');
      const db = primaryDb(c.env);
      if (await staffMemberByEmail(db, input.email)) {
        return staffPage(c, 422, {
          values: { ...input },
          errors: { email: 'This address is already on the staff.' },
          message: 'No invitation has been sent.',
          alert: true,
        });
      }
      await invite(c.env, db, { ...input, invitedBy: c.var.staffMember, now: new Date() });
      return c.redirect(done.path('/admin/staff', 'invited'), 303);
    },
  )
  .post('/admin/staff/invitations/:id{[0-9a-f]{1,64}}/revoke', requireRole('administrator'), async (c) => {
    await deleteInvitation(primaryDb(c.env), c.req.param('id'));
    return c.redirect(done.path('/admin/staff', 'revoked'), 303);
  })
  .post(
    `/admin/staff/${ID}`,
    requireRole('administrator'),
    validInput('form', staffChangeSchema, (c) => refusal(c, 'Choose a role and an author profile from the lists.')),
    async (c) => {
      const db = primaryDb(c.env);
      const { role, authorId } = c.req.valid('form');
      const member = await staffMember(db, Number(c.req.param('id')));
      if (!member) return c.notFound();
      if (authorId !== null && !(await authorExists(db, authorId))) {
        return refusal(c, 'Choose an author profile from the list.');
      }
      if (member.role !== role) {
        if (member.role === 'administrator' && (await otherAdministrators(db, member.id)) === 0) {
          return refusal(c, LAST_ADMINISTRATOR);
        }
        await setRole(db, member.id, role);
      }
      await setAuthorProfile(db, member.id, authorId);
      return c.redirect(done.path('/admin/staff', 'changed'), 303);
    },
  )
  .post(`/admin/staff/${ID}/remove`, requireRole('administrator'), async (c) => {
    const db = primaryDb(c.env);
    const member = await staffMember(db, Number(c.req.param('id')));
    if (!member) return c.notFound();
    if (member.id === c.var.staffMember.id) return refusal(c, 'You cannot remove yourself: ask another administrator.');
    if (member.role === 'administrator' && (await otherAdministrators(db, member.id)) === 0) {
      return refusal(c, LAST_ADMINISTRATOR);
    }
    await removeStaffMember(db, member.id);
    return c.redirect(done.path('/admin/staff', 'removed'), 303);
  });

/** 404 for a link that leads nowhere, 410 for an expired one: either way a page that says what to do. */
function goneLink(c: Context<AppEnv>, expired: boolean) {
  c.status(expired ? 410 : 404);
  return c.render(<InvitationGonePage expired={expired} />, { title: 'Invitation' });
}

/**
 * The invitation link, open to anyone holding it (no session yet): set a name and password, and be
 * signed in. Used once; a used, revoked, replaced, altered or expired link is refused.
 */
export const invitationRoutes = new Hono<AppEnv>()
  .get(`/admin/invitation/${TOKEN}`, async (c) => {
    const token = c.req.param('token');
    const invitation = await invitationFor(primaryDb(c.env), token, new Date());
    if (invitation.state !== 'valid') return goneLink(c, invitation.state === 'expired');
    return c.render(
      <InvitationPage
        action={invitationPath(token)}
        email={invitation.email}
        role={invitation.role}
        name={invitation.name}
      />,
      { title: 'Join the staff' },
    );
  })
  .post(
    `/admin/invitation/${TOKEN}`,
    validInput('form', acceptInputSchema, async (c, error, submitted) => {
      const token = c.req.param('token')!;
      const invitation = await invitationFor(primaryDb(c.env), token, new Date());
      if (invitation.state !== 'valid') return goneLink(c, invitation.state === 'expired');
      c.status(422);
      return c.render(
        <InvitationPage
          action={invitationPath(token)}
          email={invitation.email}
          role={invitation.role}
          name={submittedStrings(submitted, ACCEPT_FIELDS).name}
          errors={firstErrorPerField(error, ACCEPT_FIELDS)}
          message="Please correct the marked fields."
        />,
        { title: 'Join the staff' },
      );
    }),
    async (c) => {
      const db = primaryDb(c.env);
      const token = c.req.param('token');
      const now = new Date();
      const invitation = await invitationFor(db, token, now);
      if (invitation.state !== 'valid') return goneLink(c, invitation.state === 'expired');
      if (await staffMemberByEmail(db, invitation.email)) return goneLink(c, false);
      const { name, password } = c.req.valid('form');
      const id = await acceptInvitation(db, { token, name, password, now });
      if (id === undefined) return goneLink(c, false);
      await setSessionCookie(c, await startSession(db, id, now));
      return c.redirect('/admin', 303);
    },
  );
