import type { Role } from '../../db/schema';
import { AdminMessage } from '../../layout/admin-layout';
import { FormField } from '../../layout/form-field';
import { PASSWORD_MAX_LENGTH } from '../../lib/password';
import { ROLE_LABELS } from '../roles';
import { type AcceptField, PASSWORD_MIN_LENGTH, STAFF_NAME_MAX_LENGTH } from '../staff-input';

export interface InvitationPageProps {
  action: string;
  email: string;
  role: Role;
  name?: string;
  errors?: Partial<Record<AcceptField, string>>;
  message?: string;
}

/** The invited person's page: who they will be, their name, a password typed twice. */
export function InvitationPage({ action, email, role, name = '', errors = {}, message }: InvitationPageProps) {
  return (
    <section class="admin-sign-in">
      <h1>Join the staff</h1>
      <p>
        You are invited as {ROLE_LABELS[role].toLowerCase()}, signing in as <strong>{email}</strong>.
      </p>
      <AdminMessage text={message} kind="alert" />
      <form method="post" action={action}>
        <input type="email" name="username" value={email} autocomplete="username" hidden readonly />
        <FormField id="name" label="Your name" error={errors.name}>
          {(attributes) => (
            <input {...attributes} type="text" value={name} required maxlength={STAFF_NAME_MAX_LENGTH} />
          )}
        </FormField>
        <FormField
          id="password"
          label="Password"
          hint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
          error={errors.password}
        >
          {(attributes) => (
            <input
              {...attributes}
              type="password"
              required
              minlength={PASSWORD_MIN_LENGTH}
              maxlength={PASSWORD_MAX_LENGTH}
              autocomplete="new-password"
            />
          )}
        </FormField>
        <FormField id="confirm" label="The same password again" error={errors.confirm}>
          {(attributes) => (
            <input
              {...attributes}
              type="password"
              required
              maxlength={PASSWORD_MAX_LENGTH}
              autocomplete="new-password"
            />
          )}
        </FormField>
        <p>
          <button type="submit">Set my password and sign in</button>
        </p>
      </form>
    </section>
  );
}

/** A link that no longer leads anywhere: why, and what to do. */
export function InvitationGonePage({ expired }: { expired: boolean }) {
  return (
    <section class="error-page">
      <h1>{expired ? 'This invitation has expired' : 'This invitation link does not work'}</h1>
      <p>
        {expired
          ? 'Invitations work for 7 days. Ask an administrator to send you a new one.'
          : 'It has been used already, was replaced or revoked, or the link is incomplete. If you have set your password, sign in; otherwise ask an administrator for a new invitation.'}
      </p>
      <p>
        <a href="/admin/sign-in">Sign in</a>
      </p>
    </section>
  );
}
