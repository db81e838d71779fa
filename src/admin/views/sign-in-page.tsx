import { AdminField, AdminMessage } from './admin-layout';

export function SignInPage({ email = '', message }: { email?: string; message?: string }) {
  return (
    <section class="admin-sign-in">
      <h1>Editors’ sign-in</h1>
      <AdminMessage text={message} kind="alert" />
      <form method="post" action="/admin/sign-in">
        <AdminField id="email" label="Email">
          {(attributes) => (
            <input {...attributes} type="email" value={email} required maxlength={254} autocomplete="username" />
          )}
        </AdminField>
        <AdminField id="password" label="Password">
          {(attributes) => (
            <input {...attributes} type="password" required maxlength={200} autocomplete="current-password" />
          )}
        </AdminField>
        <p>
          <button type="submit">Sign in</button>
        </p>
      </form>
    </section>
  );
}
