import { AdminMessage } from '../../layout/admin-layout';
import { FormField } from '../../layout/form-field';
import { EMAIL_MAX_LENGTH } from '../../lib/email';
import { PASSWORD_MAX_LENGTH } from '../../lib/password';

export function SignInPage({ email = '', message }: { email?: string; message?: string }) {
  return (
    <section class="admin-sign-in">
      <h1>Editors’ sign-in</h1>
      <AdminMessage text={message} kind="alert" />
      <form method="post" action="/admin/sign-in">
        <FormField id="email" label="Email">
          {(attributes) => (
            <input
              {...attributes}
              type="email"
              value={email}
              required
              maxlength={EMAIL_MAX_LENGTH}
              autocomplete="username"
            />
          )}
        </FormField>
        <FormField id="password" label="Password">
          {(attributes) => (
            <input
              {...attributes}
              type="password"
              required
              maxlength={PASSWORD_MAX_LENGTH}
              autocomplete="current-password"
            />
          )}
        </FormField>
        <p>
          <button type="submit">Sign in</button>
        </p>
      </form>
    </section>
  );
}
