/**
 * Another ActivityPub server for the fediverse tests: a small Fedify app in Node on 127.0.0.x, with one
 * actor (`kenji`), an inbox that keeps every activity it accepts (Fedify checks their HTTP Signatures),
 * and its Fedify context to send follows and replies from.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Context, createFederation, generateCryptoKeyPair, MemoryKvStore } from '@fedify/fedify';
import { Accept, type Activity, Announce, Create, Delete, Endpoints, Person, Update } from '@fedify/vocab';

export interface Peer {
  origin: string;
  actor: URL;
  /** Every activity its inbox accepted, in order. */
  received: Activity[];
  context: () => Context<void>;
  keys: Awaited<ReturnType<typeof generateCryptoKeyPair>>;
  close: () => Promise<void>;
}

export async function startPeer(host: string, name: string): Promise<Peer> {
  const received: Activity[] = [];
  const keys = await generateCryptoKeyPair('RSASSA-PKCS1-v1_5');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const origin = `http://${host}:${(server.address() as AddressInfo).port}`;
  const federation = createFederation<void>({ kv: new MemoryKvStore(), allowPrivateAddress: true, origin });
  federation
    .setActorDispatcher('/users/{identifier}', async (ctx, identifier) =>
      identifier === 'kenji'
        ? new Person({
            id: ctx.getActorUri(identifier),
            preferredUsername: identifier,
            name,
            url: new URL(`/@${identifier}`, origin),
            inbox: ctx.getInboxUri(identifier),
            endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
            publicKey: (await ctx.getActorKeyPairs(identifier))[0]?.cryptographicKey,
          })
        : null,
    )
    .setKeyPairsDispatcher(() => [keys]);
  const keep = async (_ctx: unknown, activity: Activity) => {
    received.push(activity);
  };
  federation
    .setInboxListeners('/users/{identifier}/inbox', '/inbox')
    .on(Accept, keep)
    .on(Create, keep)
    .on(Announce, keep)
    .on(Update, keep)
    .on(Delete, keep);

  server.on('request', async (incoming, outgoing) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const headers = new Headers();
    for (const [key, value] of Object.entries(incoming.headers)) if (typeof value === 'string') headers.set(key, value);
    const response = await federation.fetch(
      new Request(new URL(incoming.url ?? '/', origin), {
        method: incoming.method,
        headers,
        body: body.length > 0 ? body : undefined,
      }),
      { contextData: undefined },
    );
    outgoing.writeHead(response.status, Object.fromEntries(response.headers));
    outgoing.end(Buffer.from(await response.arrayBuffer()));
  });

  return {
    origin,
    actor: new URL('/users/kenji', origin),
    received,
    keys,
    context: () => federation.createContext(new URL(origin), undefined),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
