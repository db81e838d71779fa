import { describe, expect, it } from 'vitest';
import { hmacSign, hmacVerify } from '../../src/lib/hmac';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('signatures', () => {
  it('accept only their canonical spelling: a last character that differs only in its unused bits is a forgery', async () => {
    // 32 bytes are 43 base64url characters, 258 bits: the last character's lowest two bits carry nothing,
    // so four characters decode alike. Every token (the edit cookie, form tokens, links) ends with one.
    for (const message of ['comment-edit|1|1', 'comment-edit|2|2', 'comment-edit|3|3', 'comment-edit|4|4']) {
      const signature = await hmacSign('secret', message);
      const last = ALPHABET.indexOf(signature.at(-1)!);
      const twins = [0, 1, 2, 3].map((low) => ALPHABET[(last & ~3) | low]!).filter((char) => char !== signature.at(-1));
      expect(twins).toHaveLength(3);
      expect(await hmacVerify('secret', message, signature)).toBe(true);
      for (const twin of twins) expect(await hmacVerify('secret', message, signature.slice(0, -1) + twin)).toBe(false);
    }
  });
});
