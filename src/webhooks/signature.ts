/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): `webhook-signature: v1,<base64
 * HMAC-SHA256 of "id.timestamp.body" keyed by the bytes of the whsec_ secret>`, through the
 * specification's own `standardwebhooks` package (its signer and verifier, so ours cannot drift).
 */
import { Webhook } from 'standardwebhooks';

export { newWebhookSecret } from './secret.js';

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** The three headers for one delivery attempt of message `id` with `body`, signed at `at`. */
export function signDelivery(secret: string, id: string, at: Date, body: string): SignedHeaders {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, at, body),
  };
}

/**
 * What a receiver does: true when the signature matches this exact body, id and timestamp and the
 * timestamp is within 5 minutes of the receiver's clock (the library's tolerance).
 */
export function verifyDelivery(secret: string, body: string, headers: Record<string, string>): boolean {
  try {
    new Webhook(secret).verify(body, headers);
    return true;
  } catch {
    return false;
  }
}
