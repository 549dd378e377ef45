import { createHash, randomBytes } from 'node:crypto';

export type IdPrefix =
  | 'biz' | 'staff' | 'key' | 'ses' | 'cust' | 'prod' | 'pass' | 'led' | 'cls' | 'bk' | 'cpn' | 'ccpn'
  | 'pol' | 'acc' | 'email' | 'note' | 'act' | 'aud';

// Crockford's base 32: 32 symbols, so `byte & 31` picks one without bias.
const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';

/** A new id: the type prefix and 16 random base-32 characters (80 bits). */
export function newId(prefix: IdPrefix, random: (n: number) => Uint8Array = randomBytes): string {
  let body = '';
  for (const byte of random(16)) body += alphabet[byte & 31];
  return `${prefix}_${body}`;
}

/** A bearer secret of 32 random bytes, prefixed with what it is (`ck_key_…`, `ck_ses_…`). */
export function newSecret(kind: 'key' | 'ses'): string {
  return `ck_${kind}_${randomBytes(32).toString('base64url')}`;
}

/** Secrets are high-entropy random strings, so a plain SHA-256 is the right hash to store. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
