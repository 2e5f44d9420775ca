import { createHash, randomBytes } from 'node:crypto';

/** A new API key: random, shown once; only its SHA-256 is stored. */
export function newApiKey(): { key: string; hash: string } {
  const key = `rr_${randomBytes(32).toString('base64url')}`;
  return { key, hash: hashSecret(key) };
}

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');
