import { describe, expect, it } from 'vitest';
import { aligned, authenticateSender, dkimSigningDomains, headerFields, type AuthenticationEvidence } from '../../../src/inbound/sender-authentication.js';

const dkim = (d: string) => ({ name: 'DKIM-Signature', value: `v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n d=${d}; s=sel1;\r\n h=from:to:subject; bh=abc=; b=def=` });
const evidence = (over: Partial<AuthenticationEvidence> & { signers?: string[]; from?: string } = {}): AuthenticationEvidence => ({
  envelopeFrom: over.envelopeFrom ?? 'alice@morganlaw.example',
  headers: over.headers ?? [{ name: 'From', value: `Alice Morgan <${over.from ?? 'alice@morganlaw.example'}>` }, ...(over.signers ?? []).map(dkim), { name: 'Subject', value: 'Fwd: books' }],
  spf: over.spf,
  dkim: over.dkim,
  dmarc: over.dmarc,
});

describe('authenticateSender: every SES verdict combination', () => {
  // [case, evidence, trusted?, by or reason]
  const cases: [string, AuthenticationEvidence, boolean, string][] = [
    ['DMARC PASS', evidence({ dmarc: 'PASS', spf: 'PASS', dkim: 'PASS' }), true, 'dmarc'],
    ['DMARC PASS even with SPF and DKIM verdicts missing', evidence({ dmarc: 'PASS' }), true, 'dmarc'],
    ['DMARC FAIL with SPF and DKIM PASS (unaligned)', evidence({ dmarc: 'FAIL', spf: 'PASS', dkim: 'PASS', signers: ['morganlaw.example'] }), false, 'dmarc_fail'],
    ['no DMARC policy, SPF PASS for the From domain', evidence({ dmarc: 'GRAY', spf: 'PASS', dkim: 'GRAY' }), true, 'aligned_spf'],
    ['no DMARC policy, SPF PASS for a subdomain of the From domain', evidence({ dmarc: 'GRAY', spf: 'PASS', envelopeFrom: 'bounce@mail.morganlaw.example' }), true, 'aligned_spf'],
    ['no DMARC policy, SPF PASS for another domain only', evidence({ dmarc: 'GRAY', spf: 'PASS', dkim: 'FAIL', envelopeFrom: 'bounces+123@esp-mailer.example' }), false, 'no_aligned_pass'],
    ['no DMARC policy, SPF PASS for a look-alike domain', evidence({ dmarc: 'GRAY', spf: 'PASS', envelopeFrom: 'x@evilmorganlaw.example' }), false, 'no_aligned_pass'],
    ['no DMARC policy, DKIM PASS signed by the From domain', evidence({ dmarc: 'GRAY', spf: 'FAIL', dkim: 'PASS', signers: ['morganlaw.example'] }), true, 'aligned_dkim'],
    ['no DMARC policy, DKIM PASS signed by a parent of the From domain', evidence({ dmarc: 'GRAY', spf: 'GRAY', dkim: 'PASS', from: 'alice@uk.morganlaw.example', signers: ['morganlaw.example'] }), true, 'aligned_dkim'],
    ['no DMARC policy, DKIM PASS signed by a mailing service only', evidence({ dmarc: 'GRAY', spf: 'FAIL', dkim: 'PASS', signers: ['esp-mailer.example'] }), false, 'no_aligned_pass'],
    ['no DMARC policy, DKIM PASS with a forged aligned signature next to a valid foreign one', evidence({ dmarc: 'GRAY', spf: 'FAIL', dkim: 'PASS', signers: ['attacker.example', 'morganlaw.example'] }), false, 'no_aligned_pass'],
    ['no DMARC policy, DKIM FAIL although signed by the From domain', evidence({ dmarc: 'GRAY', spf: 'FAIL', dkim: 'FAIL', signers: ['morganlaw.example'] }), false, 'no_aligned_pass'],
    ['no DMARC policy, DKIM PASS but no signature header to align', evidence({ dmarc: 'GRAY', spf: 'FAIL', dkim: 'PASS' }), false, 'no_aligned_pass'],
    ['no DMARC policy, nothing passes', evidence({ dmarc: 'GRAY', spf: 'FAIL', dkim: 'FAIL' }), false, 'no_aligned_pass'],
    ['no DMARC policy, SPF PASS on a bounce (null sender)', evidence({ dmarc: 'GRAY', spf: 'PASS', envelopeFrom: '' }), false, 'no_aligned_pass'],
    ['DMARC lookup failed', evidence({ dmarc: 'PROCESSING_FAILED', spf: 'PASS', dkim: 'PASS', signers: ['morganlaw.example'] }), false, 'unverifiable'],
    ['no verdicts at all', evidence({}), false, 'unverifiable'],
    ['DMARC PASS but two From addresses', evidence({ dmarc: 'PASS', headers: [{ name: 'From', value: 'a@morganlaw.example, b@other.example' }] }), false, 'unverifiable'],
    ['DMARC PASS but two From headers', evidence({ dmarc: 'PASS', headers: [{ name: 'From', value: 'a@morganlaw.example' }, { name: 'from', value: 'b@other.example' }] }), false, 'unverifiable'],
    ['no From header', evidence({ dmarc: 'PASS', headers: [{ name: 'Subject', value: 'x' }] }), false, 'unverifiable'],
  ];
  it.each(cases)('%s', (_name, input, trusted, why) => {
    const result = authenticateSender(input);
    expect(result.trusted).toBe(trusted);
    expect(result.trusted ? result.by : result.reason).toBe(why);
  });

  it('alignment is relaxed but never across unrelated or single-label domains', () => {
    expect(aligned('morganlaw.example', 'MorganLaw.Example.')).toBe(true);
    expect(aligned('mail.morganlaw.example', 'morganlaw.example')).toBe(true);
    expect(aligned('evilmorganlaw.example', 'morganlaw.example')).toBe(false);
    expect(aligned('example', 'morganlaw.example')).toBe(false);
    expect(aligned('', 'morganlaw.example')).toBe(false);
  });

  it('reads d= from folded DKIM-Signature headers and header blocks without reading the body', () => {
    expect(dkimSigningDomains([dkim('Morganlaw.Example'), { name: 'dkim-signature', value: 'v=1; s=x' }])).toEqual(['morganlaw.example', '']);
    const raw = new TextEncoder().encode('From: Alice\r\n <alice@morganlaw.example>\r\nDKIM-Signature: v=1;\r\n\td=morganlaw.example; s=a\r\n\r\nFrom: body@not.header\r\n');
    expect(headerFields(raw)).toEqual([
      { name: 'From', value: 'Alice <alice@morganlaw.example>' },
      { name: 'DKIM-Signature', value: 'v=1; d=morganlaw.example; s=a' },
    ]);
  });
});
