import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newId } from '../../../src/domain/ids.js';
import { EMAIL_KINDS } from '../../../src/domain/types.js';
import {
  REPLY_LOCAL_PART_LENGTH,
  ReplyTokenError,
  signReplyAddress,
  verifyReplyAddress,
  type Recipient,
  type ReplyTokenPayload,
} from '../../../src/mail/reply-token.js';

const DOMAIN = 'reply.relay.example';
const KEY_A = { id: 'a', secret: 'first-secret-0123456789abcdefghijklmnop' };
const KEY_B = { id: 'b', secret: 'second-secret-0123456789abcdefghijklmno' };
const RECIPIENTS: Recipient[] = ['provider', 'referrer', 'prospect'];
const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';

function aPayload(overrides: Partial<ReplyTokenPayload> = {}): ReplyTokenPayload {
  return { referralId: newId(), kind: 'progress_request', recipient: 'provider', ...overrides };
}

function localPartOf(address: string): string {
  return address.slice(0, address.indexOf('@'));
}

describe('signReplyAddress / verifyReplyAddress', () => {
  it.each(EMAIL_KINDS.flatMap((kind) => RECIPIENTS.map((recipient) => [kind, recipient] as const)))(
    'round-trips %s to the %s',
    (kind, recipient) => {
      // Prepare
      const payload = aPayload({ kind, recipient });

      // Act
      const address = signReplyAddress(payload, { current: KEY_A }, DOMAIN);

      // Assess
      expect(verifyReplyAddress(address, { current: KEY_A }, DOMAIN)).toEqual(payload);
      const localPart = localPartOf(address);
      expect(localPart).toMatch(/^[a-z0-9]+$/);
      expect(localPart.length).toBeLessThanOrEqual(64);
      expect(localPart).toHaveLength(REPLY_LOCAL_PART_LENGTH);
      expect(address.endsWith(`@${DOMAIN}`)).toBe(true);
    },
  );

  it('gives every kind and recipient its own address', () => {
    const referralId = newId();
    const addresses = EMAIL_KINDS.flatMap((kind) =>
      RECIPIENTS.map((recipient) => signReplyAddress({ referralId, kind, recipient }, { current: KEY_A }, DOMAIN)),
    );
    expect(new Set(addresses).size).toBe(EMAIL_KINDS.length * RECIPIENTS.length);
  });

  it('is deterministic, so a re-sent email carries the same address', () => {
    const payload = aPayload();
    expect(signReplyAddress(payload, { current: KEY_A }, DOMAIN)).toBe(signReplyAddress(payload, { current: KEY_A }, DOMAIN));
  });

  it('reads addresses whatever their case or surrounding spaces', () => {
    const payload = aPayload();
    const address = signReplyAddress(payload, { current: KEY_A }, DOMAIN);
    expect(verifyReplyAddress(`  ${address.toUpperCase()} `, { current: KEY_A }, DOMAIN)).toEqual(payload);
    expect(verifyReplyAddress(address, { current: KEY_A }, DOMAIN.toUpperCase())).toEqual(payload);
  });

  it('rejects a change to any single character of the local part', () => {
    const address = signReplyAddress(aPayload(), { current: KEY_A, }, DOMAIN);
    const localPart = localPartOf(address);
    for (let i = 0; i < localPart.length; i++) {
      for (const replacement of ALPHANUMERIC) {
        if (replacement === localPart[i]) continue;
        const tampered = `${localPart.slice(0, i)}${replacement}${localPart.slice(i + 1)}@${DOMAIN}`;
        expect(verifyReplyAddress(tampered, { current: KEY_A, previous: KEY_B }, DOMAIN), `position ${i} → ${replacement}`).toBeUndefined();
      }
    }
  });

  it('rejects a token moved to another referral', () => {
    const address = signReplyAddress(aPayload(), { current: KEY_A }, DOMAIN);
    const moved = `${address[0]}${newId()}${address.slice(17)}`;
    expect(moved).toHaveLength(address.length);
    expect(verifyReplyAddress(moved, { current: KEY_A }, DOMAIN)).toBeUndefined();
  });

  it('rejects a token on another domain, truncated or extended', () => {
    const address = signReplyAddress(aPayload(), { current: KEY_A }, DOMAIN);
    const localPart = localPartOf(address);
    expect(verifyReplyAddress(`${localPart}@reply.other.example`, { current: KEY_A }, DOMAIN)).toBeUndefined();
    expect(verifyReplyAddress(`${localPart}@reply.other.example`, { current: KEY_A }, 'reply.other.example')).toBeUndefined();
    expect(verifyReplyAddress(`${localPart.slice(0, -1)}@${DOMAIN}`, { current: KEY_A }, DOMAIN)).toBeUndefined();
    expect(verifyReplyAddress(`${localPart}a@${DOMAIN}`, { current: KEY_A }, DOMAIN)).toBeUndefined();
    expect(verifyReplyAddress(localPart, { current: KEY_A }, DOMAIN)).toBeUndefined();
  });

  it('rejects a token signed with another secret under the same key id', () => {
    const address = signReplyAddress(aPayload(), { current: { id: 'a', secret: 'an-attackers-guess-0123456789abcdefghij' } }, DOMAIN);
    expect(verifyReplyAddress(address, { current: KEY_A }, DOMAIN)).toBeUndefined();
  });

  describe('key rotation', () => {
    it('still verifies tokens of the previous key', () => {
      const payload = aPayload();
      const oldAddress = signReplyAddress(payload, { current: KEY_A }, DOMAIN);
      const newAddress = signReplyAddress(payload, { current: KEY_B }, DOMAIN);
      const rotated = { current: KEY_B, previous: KEY_A };
      expect(newAddress).not.toBe(oldAddress);
      expect(verifyReplyAddress(oldAddress, rotated, DOMAIN)).toEqual(payload);
      expect(verifyReplyAddress(newAddress, rotated, DOMAIN)).toEqual(payload);
    });

    it('rejects tokens of a key that is neither current nor previous', () => {
      const address = signReplyAddress(aPayload(), { current: KEY_A }, DOMAIN);
      expect(verifyReplyAddress(address, { current: KEY_B }, DOMAIN)).toBeUndefined();
      expect(verifyReplyAddress(address, { current: { id: 'c', secret: KEY_A.secret }, previous: KEY_B }, DOMAIN)).toBeUndefined();
    });
  });

  it('refuses to sign a malformed payload, key or domain', () => {
    const keys = { current: KEY_A };
    expect(() => signReplyAddress(aPayload({ referralId: 'Not-An-Id' }), keys, DOMAIN)).toThrow(ReplyTokenError);
    expect(() => signReplyAddress(aPayload({ kind: 'lunch' as never }), keys, DOMAIN)).toThrow(ReplyTokenError);
    expect(() => signReplyAddress(aPayload({ kind: 'toString' as never }), keys, DOMAIN)).toThrow(ReplyTokenError);
    expect(() => signReplyAddress(aPayload({ recipient: 'admin' as never }), keys, DOMAIN)).toThrow(ReplyTokenError);
    expect(() => signReplyAddress(aPayload(), { current: { id: 'AB', secret: KEY_A.secret } }, DOMAIN)).toThrow(ReplyTokenError);
    expect(() => signReplyAddress(aPayload(), { current: { id: 'a', secret: 'short' } }, DOMAIN)).toThrow(ReplyTokenError);
    expect(() => signReplyAddress(aPayload(), keys, 'not a domain')).toThrow(ReplyTokenError);
  });

  it('never throws while verifying, whatever it is given', () => {
    const keys = { current: KEY_A, previous: KEY_B };
    const lookalike = fc
      .tuple(fc.stringMatching(/^[a-zA-Z0-9]{40,48}$/), fc.constantFrom(DOMAIN, 'x', '', DOMAIN.toUpperCase()))
      .map(([local, domain]) => `${local}@${domain}`);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.emailAddress(), lookalike), (input) => {
        expect(() => verifyReplyAddress(input, keys, DOMAIN)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
    for (const odd of [undefined, null, 42, {}, [], '@', '@@', `@${DOMAIN}`]) {
      expect(verifyReplyAddress(odd as unknown as string, keys, DOMAIN)).toBeUndefined();
    }
  });
});
