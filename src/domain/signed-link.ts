import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signs a value for a link that acts without signing in (a prospect's one-click stop, a member's
 * unsubscribe, an extra-address confirmation). The purpose is part of the MAC, so a stop link
 * cannot be replayed as an unsubscribe link.
 */
export function signValue(purpose: string, value: string, secret: string): string {
  const mac = createHmac('sha256', secret).update(`${purpose}:${value}`).digest('base64url').slice(0, 27);
  return `${value}.${mac}`;
}

/** The value, when `signed` carries a valid MAC by any of `secrets` (the current one and, during a rotation, the previous one). */
export function verifyValue(purpose: string, signed: string, secrets: string | readonly string[]): string | undefined {
  const dot = signed.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const value = signed.slice(0, dot);
  const given = Buffer.from(signed);
  for (const secret of typeof secrets === 'string' ? [secrets] : secrets) {
    const expected = Buffer.from(signValue(purpose, value, secret));
    if (expected.length === given.length && timingSafeEqual(expected, given)) return value;
  }
  return undefined;
}
