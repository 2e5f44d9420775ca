/**
 * The signed Reply-To address of automated emails (PRODUCT.md "Email as the interface"): its local
 * part says which referral, which email and which recipient a reply belongs to, and an HMAC stops
 * anyone forging one or moving it to another referral.
 *
 * Local part layout, 44 characters of [a-z0-9] (case-folding mail systems cannot break it):
 *
 *   k  rrrrrrrrrrrrrrrr  cc  p  mmmmmmmmmmmmmmmmmmmmmmmm
 *   |  referral id (16)  |   |  HMAC-SHA256 over the first 20 chars and the domain,
 *   key id (1)     kind code |  first 120 bits, base32 lower-case (24)
 *                    recipient code (1)
 *
 * Expiry is not in the token: the caller decides from the referral's state (valid until 90 days
 * after it is final), so the address stays short and never needs re-issuing.
 * The format is fixed: a new layout must come with new key ids, so old tokens stay readable.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ID_PATTERN } from '../domain/ids.js';
import { EMAIL_KINDS, type EmailKind } from '../domain/types.js';

/** Who an email was sent to, and so who may answer it. */
export type Recipient = 'provider' | 'referrer' | 'prospect';

/** What a reply address identifies. */
export interface ReplyTokenPayload {
  referralId: string;
  kind: EmailKind;
  recipient: Recipient;
}

/** A signing key: a one-character id (carried in the token) and its secret. */
export interface ReplyTokenKey {
  /** One of [a-z0-9]; a new id per rotation so the verifier knows which secret to use. */
  id: string;
  /** At least 16 characters; use 32 random bytes (hex or base64) in production. */
  secret: string;
}

/** The keys a verifier accepts: the current one and, during a rotation, the previous one. */
export interface ReplyTokenKeys {
  current: ReplyTokenKey;
  previous?: ReplyTokenKey;
}

/** Thrown when a reply address cannot be signed: a malformed payload, key or domain. */
export class ReplyTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplyTokenError';
  }
}

/*
 * Two-character codes per email kind. Tokens live for months, so a code must never change or be
 * reused once deployed; new kinds get new codes. Record<EmailKind, …> makes a missing kind a type error.
 */
const KIND_CODES: Readonly<Record<EmailKind, string>> = {
  receipt: 'rc',
  provider_notice: 'pn',
  thank_you_prompt: 'ty',
  intro: 'in',
  contact_reminder: 'cr',
  escalation: 'es',
  escalation_notice: 'en',
  connection_check: 'cc',
  progress_request: 'pr',
  milestone: 'ms',
  experience_check: 'ex',
  quality_question: 'qq',
  give_back: 'gb',
  thanks_relay: 'tr',
  alert: 'al',
  needs_info: 'ni',
  help: 'hp',
  refusal: 'rf',
  dormant_notice: 'dn',
  needs_info_reminder: 'nr',
  relay: 'rl',
  digest: 'dg',
  magic_link: 'ml',
  notice: 'no',
  campaign_ask: 'ca',
  admin_summary: 'as',
  welcome: 'wl',
  anniversary: 'an',
  confirmation: 'cf',
};
const KINDS_BY_CODE: ReadonlyMap<string, EmailKind> = new Map(EMAIL_KINDS.map((kind) => [KIND_CODES[kind], kind]));

const RECIPIENT_CODES: Readonly<Record<Recipient, string>> = { provider: 'p', referrer: 'r', prospect: 'x' };
const RECIPIENTS_BY_CODE: ReadonlyMap<string, Recipient> = new Map(
  (Object.entries(RECIPIENT_CODES) as [Recipient, string][]).map(([recipient, code]) => [code, recipient]),
);

const KEY_ID_PATTERN = /^[a-z0-9]$/;
// Matches the environment check (REPLY_TOKEN_SECRET ≥ 16); production secrets are 32 random bytes.
const MIN_SECRET_LENGTH = 16;
// 15 bytes = 120 bits = exactly 24 base32 characters: well above the 80-bit floor, still short.
const MAC_BYTES = 15;
const MAC_LENGTH = 24;
const BODY_LENGTH = 1 + 16 + 2 + 1;
/** Length of every reply-token local part. */
export const REPLY_LOCAL_PART_LENGTH = BODY_LENGTH + MAC_LENGTH;
const LOCAL_PART_PATTERN = new RegExp(`^[a-z0-9]{${REPLY_LOCAL_PART_LENGTH}}$`);
const BASE32_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const DOMAIN_PATTERN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;

function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1; // keep only the bits not yet written, so the number stays small
  }
  if (bits > 0) out += BASE32_ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

// The domain is signed too, so a token minted for one environment's inbound domain fails on another.
function mac(secret: string, body: string, domain: string): string {
  const digest = createHmac('sha256', secret).update(`referral-relay/reply/v1\n${body}\n${domain}`).digest();
  return base32(digest.subarray(0, MAC_BYTES));
}

function assertKey(key: ReplyTokenKey | undefined, label: string): asserts key is ReplyTokenKey {
  if (!key || typeof key.id !== 'string' || !KEY_ID_PATTERN.test(key.id)) {
    throw new ReplyTokenError(`${label} key id must be one of [a-z0-9]`);
  }
  if (typeof key.secret !== 'string' || key.secret.length < MIN_SECRET_LENGTH) {
    throw new ReplyTokenError(`${label} key secret must be at least ${MIN_SECRET_LENGTH} characters`);
  }
}

function normaliseDomain(domain: string): string {
  return typeof domain === 'string' ? domain.trim().toLowerCase() : '';
}

/**
 * The Reply-To address for an automated email: `<44-char signed local part>@<domain>`.
 * @param domain the inbound mail domain, e.g. "reply.example.org"
 * @throws ReplyTokenError for a malformed referral id, kind, recipient, key or domain
 */
export function signReplyAddress(payload: ReplyTokenPayload, keys: { current: ReplyTokenKey }, domain: string): string {
  assertKey(keys.current, 'Current');
  const inboundDomain = normaliseDomain(domain);
  if (!DOMAIN_PATTERN.test(inboundDomain)) throw new ReplyTokenError(`"${domain}" is not a mail domain`);
  if (!ID_PATTERN.test(payload.referralId)) throw new ReplyTokenError(`Referral id "${payload.referralId}" is not 16 of [a-z0-9]`);
  const kindCode = Object.hasOwn(KIND_CODES, payload.kind) ? KIND_CODES[payload.kind] : undefined;
  if (!kindCode) throw new ReplyTokenError(`Unknown email kind "${String(payload.kind)}"`);
  const recipientCode = Object.hasOwn(RECIPIENT_CODES, payload.recipient) ? RECIPIENT_CODES[payload.recipient] : undefined;
  if (!recipientCode) throw new ReplyTokenError(`Unknown recipient "${String(payload.recipient)}"`);

  const body = `${keys.current.id}${payload.referralId}${kindCode}${recipientCode}`;
  return `${body}${mac(keys.current.secret, body, inboundDomain)}@${inboundDomain}`;
}

/**
 * Reads and checks a reply address (case-insensitive). Returns what it identifies, or undefined
 * when it is not one of ours: another domain, a wrong shape, an unknown key id or a bad signature.
 * The previous key still verifies, so a rotation does not break replies to earlier emails.
 * Never throws on any input, so it can be fed every recipient of every inbound message.
 */
export function verifyReplyAddress(address: string, keys: ReplyTokenKeys, domain: string): ReplyTokenPayload | undefined {
  if (typeof address !== 'string' || address.length > 320) return undefined;
  const normalised = address.trim().toLowerCase();
  const at = normalised.lastIndexOf('@');
  if (at < 0) return undefined;
  const localPart = normalised.slice(0, at);
  const inboundDomain = normaliseDomain(domain);
  if (inboundDomain === '' || normalised.slice(at + 1) !== inboundDomain) return undefined;
  if (!LOCAL_PART_PATTERN.test(localPart)) return undefined;

  const keyId = localPart[0];
  const referralId = localPart.slice(1, 17);
  const kind = KINDS_BY_CODE.get(localPart.slice(17, 19));
  const recipient = RECIPIENTS_BY_CODE.get(localPart[19]!);
  if (!kind || !recipient) return undefined;

  const body = localPart.slice(0, BODY_LENGTH);
  const presented = Buffer.from(localPart.slice(BODY_LENGTH), 'ascii');
  // Every configured key with that id is tried (normally one), each with a constant-time compare.
  const candidates = [keys?.current, keys?.previous].filter(
    (key): key is ReplyTokenKey => key?.id === keyId && typeof key.secret === 'string' && key.secret.length > 0,
  );
  for (const key of candidates) {
    const expected = Buffer.from(mac(key.secret, body, inboundDomain), 'ascii');
    if (expected.length === presented.length && timingSafeEqual(expected, presented)) {
      return { referralId, kind, recipient };
    }
  }
  return undefined;
}
