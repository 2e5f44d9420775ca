import { describe, expect, it } from 'vitest';
import type { Address, ForwardedMessage, ParsedMail } from '../../../src/inbound/mail-types.js';
import { resolveReferralFromMail, type MailResolution, type ResolvePartiesInput } from '../../../src/inbound/resolve-parties.js';
import { harbourRoster, INBOUND_DOMAIN, LOG_ADDRESS } from './mail-cases.js';

const roster = harbourRoster([{ name: 'Olga Brandt', email: 'olga@brandtprint.example', business: 'Brandt Print', status: 'removed' }]);
const idOf = (email: string) => roster.find((m) => m.email === email)!.id;

const ALICE: Address = { name: 'Alice Morgan', email: 'alice@morganlaw.example' };
const PRIYA: Address = { name: 'Priya Shah', email: 'priya@ledgerlane.example' };
const TOM: Address = { name: 'Tom Becker', email: 'tom@beckerinteriors.example' };
const SAM_ORTIZ: Address = { name: 'Sam Ortiz', email: 'sam@ortizplumbing.example' };
const OLGA: Address = { name: 'Olga Brandt', email: 'olga@brandtprint.example' };
const LOG: Address = { name: '', email: LOG_ADDRESS };
const BOB: Address = { name: 'Bob Stone', email: 'bob@stonebakery.example' };

function forwardFrom(from: Address | undefined, overrides: Partial<ForwardedMessage> = {}): ForwardedMessage {
  return { from, to: [ALICE], cc: [], subject: 'Need a bookkeeper', body: 'Hi Alice, can you help?', via: 'inline', ...overrides };
}

function mail(overrides: Partial<ParsedMail> = {}): ParsedMail {
  return {
    from: ALICE,
    to: [LOG],
    cc: [],
    replyTo: [],
    subject: 'Fwd: Need a bookkeeper',
    text: '',
    hasTextPart: true,
    note: '',
    forwarded: [forwardFrom(BOB)],
    autoReply: false,
    headers: {},
    contentHash: '0'.repeat(64),
    ...overrides,
  };
}

function resolve(parsed: ParsedMail, input: Partial<ResolvePartiesInput> = {}): MailResolution {
  return resolveReferralFromMail({
    mail: parsed,
    envelopeTo: [LOG_ADDRESS],
    logAddress: LOG_ADDRESS,
    inboundDomain: INBOUND_DOMAIN,
    roster,
    ...input,
  });
}

function referral(result: MailResolution) {
  if (result.kind !== 'referral') throw new Error(`expected a referral, got ${JSON.stringify(result)}`);
  return result;
}

function needsInfo(result: MailResolution) {
  if (result.kind !== 'needs_info') throw new Error(`expected needs_info, got ${JSON.stringify(result)}`);
  return result;
}

describe('resolveReferralFromMail: who may log', () => {
  it('ignores auto-replies before anything else, even from non-members', () => {
    expect(resolve(mail({ autoReply: true, from: { name: '', email: 'x@y.example' } }))).toEqual({ kind: 'ignore', reason: 'auto_reply' });
  });

  it('ignores mail without a sender and mail from the inbound domain', () => {
    expect(resolve(mail({ from: undefined }))).toEqual({ kind: 'ignore', reason: 'no_sender' });
    expect(resolve(mail({ from: { name: '', email: `r-abc123@${INBOUND_DOMAIN}` } }))).toEqual({ kind: 'ignore', reason: 'own_domain' });
  });

  it('refuses non-members and removed members, and accepts a verified extra address', () => {
    expect(resolve(mail({ from: BOB }))).toEqual({ kind: 'not_member', senderEmail: BOB.email });
    expect(resolve(mail({ from: OLGA, cc: [PRIYA] }))).toEqual({ kind: 'not_member', senderEmail: OLGA.email });
    const viaExtra = resolve(mail({ from: { name: 'Dana', email: 'dana.kim@mailbox.example' }, cc: [PRIYA] }));
    expect(referral(viaExtra).referrerId).toBe(idOf('dana@kimfinancial.example'));
  });
});

describe('resolveReferralFromMail: provider', () => {
  it('takes the single member in Cc, never the referrer (any of her addresses) or inbound-domain addresses', () => {
    const result = resolve(
      mail({
        from: { name: 'Dana', email: 'dana@kimfinancial.example' },
        cc: [{ name: 'Dana', email: 'dana.kim@mailbox.example' }, PRIYA, { name: 'Relay', email: `r-xyz@${INBOUND_DOMAIN}` }],
      }),
    );

    expect(referral(result).providerId).toBe(idOf(PRIYA.email));
  });

  it('never looks at the forwarded headers for the provider', () => {
    const result = resolve(mail({ forwarded: [forwardFrom(BOB, { to: [ALICE], cc: [PRIYA] })] }));

    expect(needsInfo(result).missing).toEqual(['provider']);
    expect(needsInfo(result).providerCandidates).toEqual([]);
    expect(needsInfo(result).question).toContain('provider:');
  });

  it('lets a for: line beat a Cc, and asks when the for: line names nobody', () => {
    expect(referral(resolve(mail({ note: 'for: Sam O', cc: [PRIYA] }))).providerId).toBe(idOf(SAM_ORTIZ.email));

    const unknown = needsInfo(resolve(mail({ note: 'for: Gary', cc: [PRIYA] })));
    expect(unknown.question).toContain('"Gary"');
    expect(unknown.providerCandidates.map((c) => c.email)).toEqual([PRIYA.email]);
  });

  it('does not accept a removed member or the referrer herself as provider', () => {
    expect(needsInfo(resolve(mail({ note: 'for: Olga Brandt' }))).missing).toEqual(['provider']);
    expect(needsInfo(resolve(mail({ note: 'for: Alice' }))).missing).toEqual(['provider']);
    expect(needsInfo(resolve(mail({ cc: [OLGA] }))).providerCandidates).toEqual([]);
  });

  it('lets a unique name in the note beat a Cc', () => {
    expect(referral(resolve(mail({ note: 'Tom would be perfect for this.', cc: [PRIYA] }))).providerId).toBe(idOf(TOM.email));
  });

  it('narrows a shared first name with the Cc, else asks about both', () => {
    expect(referral(resolve(mail({ note: 'Sam - a leak.', cc: [SAM_ORTIZ] }))).providerId).toBe(idOf(SAM_ORTIZ.email));

    const ambiguous = needsInfo(resolve(mail({ note: 'Sam - a leak.' })));
    expect(ambiguous.providerCandidates.map((c) => c.name)).toEqual(['Sam Ortiz', 'Sam Lee']);
    expect(ambiguous.question).toBe(
      'Did you mean Sam Ortiz (Ortiz Plumbing) or Sam Lee (Lee Photography)? Reply `provider: <name or email>`. One word is enough: `Ortiz` or `Lee`.',
    );
  });

  it('prefers the member the note opens by addressing over others it mentions', () => {
    const result = resolve(mail({ note: "Hi Priya, Tom's client needs a bookkeeper - Tom thinks you are great." }));

    expect(referral(result).providerId).toBe(idOf(PRIYA.email));
  });

  it('does not take the prospect\'s first name for a member ("Sam" is Sam Brown here)', () => {
    const samBrown: Address = { name: 'Sam Brown', email: 'sam@brownbikes.example' };
    const result = resolve(mail({ note: 'Sam needs his books done.', cc: [PRIYA], forwarded: [forwardFrom(samBrown)] }));

    expect(referral(result).providerId).toBe(idOf(PRIYA.email));
    expect(referral(result).prospect.name).toBe('Sam Brown');
  });

  it('asks about two members in Cc', () => {
    const result = needsInfo(resolve(mail({ cc: [PRIYA, TOM] })));

    expect(result.providerCandidates.map((c) => c.email)).toEqual([PRIYA.email, TOM.email]);
    expect(result.prospect).toEqual({ name: 'Bob Stone', email: BOB.email });
  });
});

describe('resolveReferralFromMail: prospect', () => {
  it('takes the innermost non-member sender, walking outwards past members', () => {
    const kate: Address = { name: 'Kate Byrne', email: 'kate@byrnepr.example' };
    const chain = [forwardFrom(kate), forwardFrom(TOM), forwardFrom(PRIYA)];

    expect(referral(resolve(mail({ cc: [SAM_ORTIZ], forwarded: chain }))).prospect.email).toBe(kate.email);
  });

  it('falls back to a non-member in To/Cc, then to a prospect: line', () => {
    const zoe: Address = { name: 'Zoe Clarke', email: 'zoe@clarkeflowers.example' };
    const memberOnly = [forwardFrom(PRIYA)];

    expect(referral(resolve(mail({ cc: [TOM, zoe], forwarded: memberOnly }))).prospect.email).toBe(zoe.email);
    expect(
      referral(resolve(mail({ cc: [TOM], forwarded: memberOnly, note: 'prospect: Zoe Clarke, 07700 900111' }))).prospect,
    ).toEqual({ name: 'Zoe Clarke', phone: '07700 900111' });
  });

  it('lets an explicit prospect: line win over the forwarded sender', () => {
    const result = resolve(mail({ cc: [PRIYA], note: 'prospect: Jo Bloggs <jo@bloggs.example>\nJo is Bob\'s sister.' }));

    expect(referral(result).prospect).toEqual({ name: 'Jo Bloggs', email: 'jo@bloggs.example' });
    expect(referral(result).need).not.toContain('prospect:');
  });

  it('names a prospect from the address when there is no display name, and turns "Last, First" round', () => {
    expect(referral(resolve(mail({ cc: [PRIYA], forwarded: [forwardFrom({ name: '', email: 'helen.price@pricebooks.example' })] }))).prospect.name).toBe('Helen Price');
    expect(referral(resolve(mail({ cc: [PRIYA], forwarded: [forwardFrom({ name: '', email: 'info@stonebakery.example' })] }))).prospect.name).toBe('Stonebakery');
    expect(referral(resolve(mail({ cc: [PRIYA], forwarded: [forwardFrom({ name: 'Price, Helen', email: 'hp@x.example' })] }))).prospect.name).toBe('Helen Price');
  });

  it('takes the phone from the note first, then the forwarded text', () => {
    const forwarded = [forwardFrom(BOB, { body: 'Bob\n0117 496 0321' })];

    expect(referral(resolve(mail({ cc: [PRIYA], forwarded, note: 'His mobile is 07700 900123.' }))).prospect.phone).toBe('07700 900123');
    expect(referral(resolve(mail({ cc: [PRIYA], forwarded }))).prospect).toMatchObject({ phone: '0117 496 0321', phoneE164: '+441174960321' });
  });

  it('asks for both parts when neither is known', () => {
    const result = needsInfo(resolve(mail({ forwarded: [], subject: 'Hello', note: 'Someone needs help.' })));

    expect(result.missing).toEqual(['provider', 'prospect']);
    expect(result.question).toContain('provider:');
    expect(result.question).toContain('prospect:');
  });
});

describe('resolveReferralFromMail: Bcc mode, consent and need', () => {
  const carla: Address = { name: 'Carla Reyes', email: 'carla@reyescatering.example' };
  const dana: Address = { name: 'Dana Kim', email: 'dana@kimfinancial.example' };

  it('treats a log address only in the envelope as Bcc: the To/Cc people are the parties', () => {
    const intro = mail({ from: PRIYA, to: [carla], cc: [dana], forwarded: [], subject: 'Carla, meet Dana', note: 'Carla, meet Dana.' });

    const result = referral(resolve(intro, { envelopeTo: ['Harbour@Relay.Localhost'] }));

    expect(result).toMatchObject({ providerId: idOf(dana.email), prospect: { email: carla.email }, introducedByReferrer: true, consent: true });
  });

  it('prefers the To/Cc prospect over a forwarded sender in Bcc mode', () => {
    const intro = mail({ from: PRIYA, to: [carla], cc: [dana], note: 'Carla, meet Dana.' });

    expect(referral(resolve(intro)).prospect.email).toBe(carla.email);
    expect(referral(resolve({ ...intro, to: [carla, LOG] })).prospect.email).toBe(BOB.email);
  });

  it('counts a visible log address on a mail to both prospect and provider as the introduction', () => {
    expect(referral(resolve(mail({ from: PRIYA, to: [carla, dana], cc: [LOG], forwarded: [] }))).introducedByReferrer).toBe(true);
    expect(referral(resolve(mail({ to: [LOG], cc: [carla], note: 'for: Tom', forwarded: [forwardFrom(PRIYA)] }))).introducedByReferrer).toBe(false);
  });

  it('reads "no intro" as no consent and keeps it out of the need', () => {
    const result = referral(resolve(mail({ cc: [PRIYA], note: 'No intro please - I will call Bob first.' })));

    expect(result.consent).toBe(false);
    expect(result.need).toBe('Need a bookkeeper\n\nI will call Bob first.');
    expect(result.note).toBe('No intro please - I will call Bob first.');
  });

  it('builds the need from the forwarded subject (prefixes stripped) and the note, each once', () => {
    const forwarded = [forwardFrom(BOB, { subject: 'RE: FW: Books' })];

    expect(referral(resolve(mail({ cc: [PRIYA], forwarded, note: 'for: Priya\nHe is behind on VAT.' }))).need).toBe('Books\n\nHe is behind on VAT.');
    expect(referral(resolve(mail({ cc: [PRIYA], forwarded, note: 'Books are a mess' }))).need).toBe('Books are a mess');
  });

  it("falls back to the prospect's own words when there is no note and no subject", () => {
    const forwarded = [forwardFrom(BOB, { subject: '', body: 'My VAT return is due.' })];

    expect(referral(resolve(mail({ cc: [PRIYA], subject: '', forwarded }))).need).toBe('My VAT return is due.');
  });
});
