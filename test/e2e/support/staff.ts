import { spawnSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { STATE_DIR } from './site';

/** Adds an editor to the e2e database with `npm run staff:add` and returns the password it prints once. */
export function addEditor(email: string, name: string): string {
  const result = spawnSync('npm', ['run', 'staff:add', '--', email, '--name', name, '--persist-to', STATE_DIR], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`staff:add failed:\n${result.stdout}\n${result.stderr}`);
  const password = /with this password \(shown only now\):\s+(\S+)/.exec(result.stdout)?.[1];
  if (!password) throw new Error(`No password in:\n${result.stdout}`);
  return password;
}

/** Adds a staff member with `npm run staff:add` (an administrator) and signs them in on `page`. */
export async function signInAdministrator(page: Page, email: string, name: string): Promise<void> {
  const password = addEditor(email, name);
  await page.goto('/admin/sign-in');
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in', exact: true }).click()]);
}
