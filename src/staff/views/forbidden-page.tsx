import type { Role } from '../../db/schema';
import { ROLE_LABELS } from '../roles';

export function ForbiddenPage({ reason, role }: { reason: string; role: Role }) {
  return (
    <section class="error-page">
      <h1>Not allowed</h1>
      <p>
        {reason} You are signed in as {ROLE_LABELS[role].toLowerCase()}: if you need to do this, ask an administrator to
        change your role.
      </p>
      <p>
        <a href="/admin">Back to the admin</a>
      </p>
    </section>
  );
}
