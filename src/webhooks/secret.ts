import { randomBytes } from 'node:crypto';

/**
 * A new endpoint secret: `whsec_` + 32 random bytes in base64, shown to the admin once. Apart from
 * signature.ts so registering (the api Lambda) does not bundle the signing library.
 */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}
