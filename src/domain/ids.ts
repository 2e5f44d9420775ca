import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A random id of lower-case letters and digits (16 chars ≈ 82 bits), safe in an email
 * local part that case-folding mail systems may lower-case.
 */
export function newId(length = 16): string {
  const bytes = randomBytes(length * 2);
  let out = '';
  for (let i = 0; out.length < length && i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 252) out += ALPHABET[b % 36]; // 252 = 7 * 36: reject the tail to stay uniform
  }
  return out.length === length ? out : newId(length);
}

export const ID_PATTERN = /^[a-z0-9]{16}$/;
