/**
 * Where webhooks may go. Always https; plain http only to localhost when running locally. In AWS the
 * host is resolved and every address checked, so a URL cannot reach the VPC, the instance metadata
 * service or anything else private (checked again at each delivery: DNS can change after registration).
 */
import { BlockList, isIP } from 'node:net';

/** Reserved, private, loopback, link-local and other non-public ranges (IPv4 and IPv6). */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24],
  ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) PRIVATE.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], ['::1', 128], ['64:ff9b::', 96], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8],
] as const) PRIVATE.addSubnet(net, prefix, 'ipv6');

/** Whether `address` (an IP literal) is outside every public range. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  // IPv4-mapped IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it carries. (A ::ffff:0:0/96
  // rule would do, but BlockList then matches every plain IPv4 address too.)
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isPrivateAddress(mapped[1]!);
  if (family === 6 && /^::ffff:/i.test(address)) return true;
  return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const isLocalHost = (host: string) => LOCAL_HOSTS.has(host) || host.endsWith('.localhost');

export class WebhookUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookUrlError';
  }
}

/**
 * The URL a group may register: absolute, at most 2,000 characters, no credentials in it, https
 * (http only to localhost, and only locally). Throws WebhookUrlError saying what is wrong.
 */
export function checkWebhookUrl(raw: string, options: { local: boolean }): URL {
  if (raw.length > 2000) throw new WebhookUrlError('url: at most 2000 characters');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookUrlError('url: must be an absolute URL such as https://example.com/hooks/relay');
  }
  if (url.username || url.password) throw new WebhookUrlError('url: must not contain a user name or password');
  const host = url.hostname.toLowerCase();
  if (url.protocol === 'http:') {
    if (!(options.local && isLocalHost(host))) throw new WebhookUrlError(options.local ? 'url: must use https (plain http only to localhost)' : 'url: must use https');
  } else if (url.protocol !== 'https:') {
    throw new WebhookUrlError('url: must use https');
  }
  // An address written as such is judged at once (locally only loopback is allowed: a receiver on
  // this machine); names are resolved and checked in AWS (assertPublicHost).
  const literal = host.replace(/^\[|\]$/g, '');
  const loopback = literal === '::1' || /^127\./.test(literal);
  if ((!options.local && isLocalHost(host)) || (isIP(literal) && isPrivateAddress(literal) && !(options.local && loopback))) {
    throw new WebhookUrlError('url: must be a public address');
  }
  return url;
}

/** The resolver's shape (`dns.promises.lookup` with `{ all: true }`), injected so tests need no DNS. */
export type ResolveAll = (host: string) => Promise<{ address: string }[]>;

/** In AWS: every address the host resolves to must be public. Throws WebhookUrlError otherwise. */
export async function assertPublicHost(url: URL, resolve: ResolveAll): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [{ address: host }] : await resolve(host).catch(() => [] as { address: string }[]);
  if (addresses.length === 0) throw new WebhookUrlError(`url: ${host} does not resolve`);
  const bad = addresses.find((a) => isPrivateAddress(a.address));
  if (bad) throw new WebhookUrlError(`url: ${host} resolves to a private address (${bad.address})`);
}

export const WEBHOOK_EVENTS = ['referral.created', 'referral.status_changed', 'referral.won', 'referral.lost', 'member.added'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
