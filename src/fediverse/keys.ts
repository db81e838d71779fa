import { exportJwk, generateCryptoKeyPair, importJwk } from '@fedify/fedify';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { fediverseKeys } from '../db/schema';

type StoredKeys = typeof fediverseKeys.$inferSelect;

async function newKeys(actor: string): Promise<typeof fediverseKeys.$inferInsert> {
  const [rsa, ed25519] = await Promise.all([
    generateCryptoKeyPair('RSASSA-PKCS1-v1_5'),
    generateCryptoKeyPair('Ed25519'),
  ]);
  const json = async (key: CryptoKey) => JSON.stringify(await exportJwk(key));
  return {
    actor,
    rsaPrivate: await json(rsa.privateKey),
    rsaPublic: await json(rsa.publicKey),
    ed25519Private: await json(ed25519.privateKey),
    ed25519Public: await json(ed25519.publicKey),
  };
}

const pair = async (privateJwk: string, publicJwk: string): Promise<CryptoKeyPair> => ({
  privateKey: await importJwk(JSON.parse(privateJwk), 'private'),
  publicKey: await importJwk(JSON.parse(publicJwk), 'public'),
});

/**
 * An actor's key pairs (RSA for HTTP Signatures, which Mastodon checks; Ed25519 for Object Integrity
 * Proofs), made and kept in D1 the first time they are asked for. Two first uses at once keep the
 * first row written: the insert does nothing when the actor has keys, and both read back the same.
 */
export async function actorKeyPairs(db: Db, actor: string): Promise<CryptoKeyPair[]> {
  const read = () => db.select().from(fediverseKeys).where(eq(fediverseKeys.actor, actor)).limit(1);
  let [stored]: (StoredKeys | undefined)[] = await read();
  if (!stored) {
    await db
      .insert(fediverseKeys)
      .values(await newKeys(actor))
      .onConflictDoNothing();
    [stored] = await read();
  }
  if (!stored) throw new Error(`The keys of the actor "${actor}" could not be kept`);
  return Promise.all([pair(stored.rsaPrivate, stored.rsaPublic), pair(stored.ed25519Private, stored.ed25519Public)]);
}
