import { RESEND_WEBHOOK_EVENTS } from '../mail/resend-webhook';
import { STRIPE_WEBHOOK_EVENTS } from '../paid/stripe-webhook';

/** A secret another service makes, so `npm run setup` is given it rather than generating it. */
export interface GivenSecret {
  name: string;
  /** What its value starts with (any of them). */
  prefixes: readonly string[];
  /** Where in the service to find it. */
  where: string;
  /** The setting that needs it. */
  neededFor: string;
}

/** The secrets NEWSLETTER_BULK_SENDER = "resend" needs. */
export function resendSecrets(webhookUrl: string): GivenSecret[] {
  const neededFor = 'NEWSLETTER_BULK_SENDER = "resend"';
  return [
    { name: 'RESEND_API_KEY', prefixes: ['re_'], where: 'Resend dashboard → API Keys', neededFor },
    {
      name: 'RESEND_WEBHOOK_SECRET',
      prefixes: ['whsec_'],
      where: `Resend dashboard → Webhooks: add ${webhookUrl} for ${RESEND_WEBHOOK_EVENTS.join(', ')}, then its signing secret`,
      neededFor,
    },
  ];
}

/** The secrets PAID_MEMBERSHIP = "stripe" needs (docs/members.md). */
export function stripeSecrets(webhookUrl: string): GivenSecret[] {
  const neededFor = 'PAID_MEMBERSHIP = "stripe"';
  return [
    {
      name: 'STRIPE_SECRET_KEY',
      prefixes: ['sk_', 'rk_'],
      where: 'Stripe Dashboard → Developers → API keys',
      neededFor,
    },
    {
      name: 'STRIPE_WEBHOOK_SECRET',
      prefixes: ['whsec_'],
      where: `Stripe Dashboard → Developers → Webhooks: add ${webhookUrl} for ${STRIPE_WEBHOOK_EVENTS.join(', ')}, then its signing secret`,
      neededFor,
    },
  ];
}

const TRIES = 3;

const valid = (value: string, { prefixes }: GivenSecret) =>
  prefixes.some((prefix) => value.length > prefix.length && value.startsWith(prefix));
const startsWith = ({ prefixes }: GivenSecret) => prefixes.join(' or ');

/** Reads a line from the terminal in raw mode, so what is typed is never echoed. */
function readHidden(question: string): Promise<string> {
  const { stdin, stdout } = process;
  // Raw before the question shows: a reply typed (or pasted) the moment it appears is not echoed.
  stdin.setRawMode(true);
  stdout.write(question);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stdout.write('\n');
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') {
          finish();
          resolve(typed);
          return;
        }
        // Raw mode turns Ctrl-C and Ctrl-D into characters.
        if (char === '\u0003' || char === '\u0004') {
          finish();
          reject(new Error('cancelled'));
          return;
        }
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else if (char >= ' ') typed += char;
      }
    };
    stdin.on('data', onData);
  });
}

/**
 * A given secret's value: the environment variable of its name if set, else typed at a terminal
 * (hidden, `TRIES` tries). Throws a message that never contains the value.
 */
export async function givenSecretValue(secret: GivenSecret): Promise<string> {
  const { name, where } = secret;
  const prefix = startsWith(secret);
  const fromEnvironment = process.env[name]?.trim();
  if (fromEnvironment) {
    if (valid(fromEnvironment, secret)) return fromEnvironment;
    throw new Error(`the environment variable ${name} does not start with ${prefix} (${where})`);
  }
  if (!process.stdin.isTTY) {
    throw new Error(
      `${name} is needed for ${secret.neededFor} and cannot be generated: ` +
        `set the environment variable ${name} (${where}) and run setup again`,
    );
  }
  for (let attempt = 1; attempt <= TRIES; attempt++) {
    const typed = (await readHidden(`${name} (${where}; not shown): `)).trim();
    if (valid(typed, secret)) return typed;
    console.error(`  a ${name} starts with ${prefix}`);
  }
  throw new Error(`no ${name} starting with ${prefix} after ${TRIES} tries`);
}
