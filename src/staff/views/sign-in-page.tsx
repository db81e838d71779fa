import { AdminMessage } from '../../layout/admin-layout';
import { FormField } from '../../layout/form-field';
import { EMAIL_MAX_LENGTH } from '../../lib/email';
import { PASSWORD_MAX_LENGTH } from '../../lib/password';

export function SignInPage({ email = '', message }: { email?: string; message?: string }) {
  return (
    <section class="admin-sign-in">
      <h1>Staff sign-in</h1>
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

/** What a device link opens: a button, so that a mail scanner fetching the link signs nobody in. */
export function DeviceLinkPage({ token }: { token: string }) {
  return (
    <section class="admin-sign-in">
      <h1>Sign in on this browser</h1>
      <p>This signs you in here, and this browser will be let in with your password from now on.</p>
      <form method="post" action="/admin/sign-in/device">
        <input type="hidden" name="token" value={token} />
        <p>
          <button type="submit">Sign in on this browser</button>
        </p>
      </form>
    </section>
  );
}
