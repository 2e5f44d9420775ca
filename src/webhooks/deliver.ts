/**
 * One delivery attempt of one message to one endpoint: signed, POSTed with a timeout, redirects not
 * followed (a redirect could lead anywhere), and in AWS only after the host resolved to public
 * addresses. Returns what happened; never throws, so the caller (attempt.ts) decides about retries.
 */
import { signDelivery } from './signature.js';
import { assertPublicHost, WebhookUrlError, type ResolveAll } from './url-check.js';
import type { WebhookMessage } from './payloads.js';

export interface Endpoint {
  url: string;
  secret: string;
}

export type DeliveryResult = { ok: true; status: number } | { ok: false; status?: number; error: string; retry: boolean };

export interface DeliverOptions {
  now: Date;
  fetch?: typeof fetch;
  /** In AWS: the resolver the host is checked with before each attempt. Locally omitted. */
  resolve?: ResolveAll;
  timeoutMs?: number;
}

export async function deliverWebhook(endpoint: Endpoint, message: WebhookMessage, options: DeliverOptions): Promise<DeliveryResult> {
  const doFetch = options.fetch ?? fetch;
  try {
    const url = new URL(endpoint.url);
    if (options.resolve) await assertPublicHost(url, options.resolve);
    const res = await doFetch(url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      headers: { 'content-type': 'application/json', 'user-agent': 'ReferralRelay-Webhooks/1', ...signDelivery(endpoint.secret, message.id, options.now, message.body) },
      body: message.body,
    });
    await res.body?.cancel().catch(() => undefined);
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
    // 4xx other than 408/429 will not get better by retrying the same body, but receivers are often
    // misconfigured for a while: retry everything within the window, as Standard Webhooks senders do.
    return { ok: false, status: res.status, error: `HTTP ${res.status}`, retry: true };
  } catch (err) {
    if (err instanceof WebhookUrlError) return { ok: false, error: err.message, retry: false };
    return { ok: false, error: (err as Error).name === 'TimeoutError' ? 'timed out' : String((err as Error).message ?? err), retry: true };
  }
}
