/**
 * The worker tests' globalSetup: starts the local stand-ins for outside services on free ports (Resend's
 * API, a WebSub hub, other sites' pages and Webmention receivers) and gives their addresses to the
 * tests; the Worker's own fetch() reaches them.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
import { createFakeHub } from './fake-hub';
import { createFakeResend } from './fake-resend';
import { createFakeStripe } from './fake-stripe';
import { createFakeWeb } from './fake-web';

declare module 'vitest' {
  export interface ProvidedContext {
    fakeResendUrl: string;
    /** With its trailing slash: the hub's address is its root. */
    fakeHubUrl: string;
    /** Other sites' pages and receivers, with its trailing slash. */
    fakeWebUrl: string;
    /** Stripe's API: the tests point STRIPE_API_URL here. */
    fakeStripeUrl: string;
  }
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export default async function setup(project: TestProject) {
  const resend = createFakeResend();
  const hub = createFakeHub();
  const web = createFakeWeb();
  const stripe = createFakeStripe();
  project.provide('fakeResendUrl', await listen(resend));
  project.provide('fakeHubUrl', `${await listen(hub)}/`);
  project.provide('fakeWebUrl', `${await listen(web)}/`);
  project.provide('fakeStripeUrl', await listen(stripe));
  const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));
  return () => Promise.all([close(resend), close(hub), close(web), close(stripe)]).then(() => undefined);
}
