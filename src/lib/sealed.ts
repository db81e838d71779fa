import { fromBase64Url, toBase64Url } from './hmac';

const encoder = new TextEncoder();
type AesKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;
const keys = new Map<string, Promise<AesKey>>();

/** An AES-GCM key derived from `secret` for one `purpose` (HKDF-SHA-256), so one secret can serve several. */
function sealingKey(secret: string, purpose: string): Promise<AesKey> {
  const name = `${purpose}|${secret}`;
  let key = keys.get(name);
  if (!key) {
    key = crypto.subtle
      .importKey('raw', encoder.encode(secret), 'HKDF', false, ['deriveKey'])
      .then((material) =>
        crypto.subtle.deriveKey(
          { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode(purpose) },
          material,
          { name: 'AES-GCM', length: 256 },
          false,
          ['encrypt', 'decrypt'],
        ),
      );
    keys.set(name, key);
  }
  return key;
}

/** `text` encrypted and authenticated (AES-256-GCM, random IV), base64url: unreadable and unforgeable without the secret. */
export async function seal(secret: string, purpose: string, text: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv },
    await sealingKey(secret, purpose),
    encoder.encode(text),
  );
  return toBase64Url(new Uint8Array([...iv, ...new Uint8Array(sealed)]));
}

/** The text `seal` sealed with the same secret and purpose; undefined for anything else. */
export async function unseal(secret: string, purpose: string, token: string): Promise<string | undefined> {
  const bytes = fromBase64Url(token);
  if (!bytes || bytes.length < 12 + 16) return undefined;
  try {
    const opened = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: bytes.slice(0, 12) },
      await sealingKey(secret, purpose),
      bytes.slice(12),
    );
    return new TextDecoder().decode(opened);
  } catch {
    return undefined;
  }
}
