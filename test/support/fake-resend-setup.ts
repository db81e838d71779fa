/** The worker tests' globalSetup: starts the local Resend stand-in on a free port and gives its address to the tests. */
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
import { createFakeResend } from './fake-resend';

declare module 'vitest' {
  export interface ProvidedContext {
    fakeResendUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const server = createFakeResend();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  project.provide('fakeResendUrl', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
