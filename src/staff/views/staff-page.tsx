import { ROLES } from '../../db/schema';
import { AdminMessage, CsrfField } from '../../layout/admin-layout';
import { AdminTable } from '../../layout/admin-table';
import { FormField } from '../../layout/form-field';
import { formatDateTime } from '../../lib/dates';
import { EMAIL_MAX_LENGTH } from '../../lib/email';
import { ROLE_LABELS } from '../roles';
import type { InvitationField } from '../staff-input';
import { STAFF_NAME_MAX_LENGTH } from '../staff-input';
import type { PendingInvitation, StaffMember } from '../staff-queries';

export interface StaffPageProps {
  staff: StaffMember[];
  invitations: PendingInvitation[];
  authors: { id: number; name: string }[];
  /** The administrator looking at the page: they cannot remove themselves. */
  viewerId: number;
  values?: Partial<Record<InvitationField, string>>;
  errors?: Partial<Record<InvitationField, string>>;
  message?: string;
  alert?: boolean;
  timeZone: string;
}

function RoleOptions({ selected }: { selected?: string }) {
  return (
    <>
      {ROLES.map((role) => (
        <option value={role} selected={selected === role}>
          {ROLE_LABELS[role]}
        </option>
      ))}
    </>
  );
}

export function StaffPage(props: StaffPageProps) {
  const { values = {}, errors = {} } = props;
  return (
    <>
      <h1>Staff</h1>
      <AdminMessage text={props.message} kind={props.alert ? 'alert' : 'status'} />
      <AdminTable
        columns={['Name', 'Email', 'Last sign-in', 'Role and byline', 'Remove']}
        rows={props.staff}
        cells={(member) => [
          member.name || '—',
          member.email,
          member.lastSignedInAt ? formatDateTime(member.lastSignedInAt, props.timeZone) : 'never',
          <form method="post" action={`/admin/staff/${member.id}`} class="admin-inline-form">
            <CsrfField />
            <label>
              Role{' '}
              <select name="role">
                <RoleOptions selected={member.role} />
              </select>
            </label>{' '}
            <label>
              Author profile{' '}
              <select name="authorId">
                <option value="">None</option>
                {props.authors.map((author) => (
                  <option value={String(author.id)} selected={member.authorId === author.id}>
                    {author.name}
                  </option>
                ))}
              </select>
            </label>{' '}
            <button type="submit" class="secondary">
              Save
            </button>
          </form>,
          member.id === props.viewerId ? (
            'You'
          ) : (
            <form method="post" action={`/admin/staff/${member.id}/remove`}>
              <CsrfField />
              <button type="submit" class="secondary" aria-label={`Remove ${member.name || member.email}`}>
                Remove (signs them out now)
              </button>
            </form>
          ),
        ]}
      />
      <p>A change of role signs that person out, so they sign in again with the new role.</p>

      <h2 id="invite-heading">Invite someone</h2>
      <form method="post" action="/admin/staff/invitations" aria-labelledby="invite-heading">
        <CsrfField />
        <FormField id="email" label="Email" error={errors.email}>
          {(attributes) => (
            <input {...attributes} type="email" value={values.email} required maxlength={EMAIL_MAX_LENGTH} />
          )}
        </FormField>
        <FormField id="name" label="Name (optional)" error={errors.name}>
          {(attributes) => <input {...attributes} type="text" value={values.name} maxlength={STAFF_NAME_MAX_LENGTH} />}
        </FormField>
        <FormField id="role" label="Role" error={errors.role}>
          {(attributes) => (
            <select {...attributes}>
              <RoleOptions selected={values.role ?? 'contributor'} />
            </select>
          )}
        </FormField>
        <p>
          <button type="submit">Send the invitation</button>
        </p>
      </form>
      <p>The email holds a link to choose a password: it works once, for 7 days.</p>

      {props.invitations.length > 0 && (
        <>
          <h2>Invitations not yet accepted</h2>
          <AdminTable
            columns={['Email', 'Role', 'Expires', 'Revoke']}
            rows={props.invitations}
            cells={(invitation) => [
              invitation.email,
              ROLE_LABELS[invitation.role],
              formatDateTime(invitation.expiresAt, props.timeZone),
              <form method="post" action={`/admin/staff/invitations/${invitation.id}/revoke`}>
                <CsrfField />
                <button type="submit" class="secondary">
                  Revoke
                </button>
              </form>,
            ]}
          />
        </>
      )}
    </>
  );
}
