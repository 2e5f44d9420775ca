/**
 * Providers named the way people talk: a first name two members share, decided by the words around
 * it (trade, business, profile); a trade alone; and, when still two, a question naming both.
 * Notes in English, German and French, against rosters with two members of the same first name.
 */
import { describe, expect, it } from 'vitest';
import type { Address, ParsedMail } from '../../../src/inbound/mail-types.js';
import { describeSame, membersByTrade, preferDescribed, sameWord, searchMembers } from '../../../src/inbound/member-words.js';
import { resolveReferralFromMail } from '../../../src/inbound/resolve-parties.js';
import { matchMembers, type RosterMember } from '../../../src/inbound/roster-match.js';
import { tellApartWords } from '../../../src/members/tell-apart.js';
import { INBOUND_DOMAIN, LOG_ADDRESS } from './mail-cases.js';

const member = (name: string, email: string, business: string, category: string, profile: RosterMember['profile'] = {}): RosterMember => ({
  id: `id_${email.replace(/\W/g, '_')}`,
  name,
  email,
  extraAddresses: [],
  status: 'active',
  business,
  category,
  profile,
});

const ALICE = member('Alice Morgan', 'alice@morganlaw.example', 'Morgan Law', 'Solicitor');
const JO_BRIGHT = member('Jo Bright', 'jo@brightbooks.example', 'Bright Books', 'Bookkeeper', { tellPeople: 'Bookkeeping and payroll for tradespeople.' });
const JO_MARSH = member('Jo Marsh', 'jo@marshflowers.example', 'Marsh Flowers', 'Florist', { tellPeople: 'Wedding and event flowers.' });
const TOM_BECKER = member('Tom Becker', 'tom@beckerinteriors.example', 'Becker Interiors', 'Interior designer');
const TOM_HALE = member('Tom Hale', 'tom@haleroofing.example', 'Hale Roofing', 'Roofer');
const PRIYA_SHAH = member('Priya Shah', 'priya@ledgerlane.example', 'Ledger Lane', 'Bookkeeper');
const PRIYA_NAIR = member('Priya Nair', 'priya@nairlegal.example', 'Nair Legal', 'Solicitor');
const KEN = member('Ken Adams', 'ken@adamselectric.example', 'Adams Electric', 'Electrician');
const JONAS_WEBER = member('Jonas Weber', 'jonas@weberdach.example', 'Weber Dach GmbH', 'Dachdecker');
const JONAS_KLEIN = member('Jonas Klein', 'jonas@klein-elektro.example', 'Klein Elektro', 'Elektriker');
const CLAIRE_ROUX = member('Claire Roux', 'claire@roux-compta.example', 'Roux Comptabilité', 'Expert-comptable');
const CLAIRE_PETIT = member('Claire Petit', 'claire@petit-photo.example', 'Petit Studio', 'Photographe', { tellPeople: 'Portraits et mariages.' });
const SAM_A = member('Sam Ash', 'sam@ashgardens.example', 'Ash & Co', 'Landscaper', { tellPeople: 'Garden design for small courtyards and patios.' });
const SAM_B = member('Sam Birch', 'sam@birchco.example', 'Birch & Co', 'Landscaper', { tellPeople: 'Large estates and tree surgery.' });

const ROSTER = [ALICE, JO_BRIGHT, JO_MARSH, TOM_BECKER, TOM_HALE, PRIYA_SHAH, PRIYA_NAIR, KEN, JONAS_WEBER, JONAS_KLEIN, CLAIRE_ROUX, CLAIRE_PETIT, SAM_A, SAM_B];

const LOG: Address = { name: '', email: LOG_ADDRESS };
const PROSPECT: Address = { name: 'Bea Stone', email: 'bea@stonebakery.example' };

/** Alice forwards Bea's mail to the log address with `note` on top. */
function resolveNote(note: string, opts: { cc?: RosterMember[] } = {}) {
  const mail: ParsedMail = {
    from: { name: 'Alice Morgan', email: ALICE.email },
    to: [LOG],
    cc: (opts.cc ?? []).map((m) => ({ name: m.name, email: m.email })),
    replyTo: [],
    subject: 'Fwd: can you help?',
    text: note,
    hasTextPart: true,
    note,
    forwarded: [{ from: PROSPECT, to: [{ name: 'Alice Morgan', email: ALICE.email }], cc: [], subject: 'can you help?', body: 'Hi Alice, do you know someone?', via: 'inline' }],
    autoReply: false,
    headers: {},
    contentHash: '0'.repeat(64),
  };
  return resolveReferralFromMail({ mail, envelopeTo: [LOG_ADDRESS], logAddress: LOG_ADDRESS, inboundDomain: INBOUND_DOMAIN, roster: ROSTER });
}

const providerOf = (note: string, opts?: { cc?: RosterMember[] }) => {
  const result = resolveNote(note, opts);
  return result.kind === 'referral' ? result.providerId : result.kind === 'needs_info' ? (result.providerId ?? `needs_info: ${result.providerCandidates.map((c) => c.name).join(', ')}`) : result.kind;
};

describe('words compared loosely', () => {
  it.each([
    ['photos', 'photographer'],
    ['photographe', 'photographer'],
    ['plumbing', 'plumber'],
    ['interiors', 'interior'],
    ['bookkeeping', 'bookkeeper'],
  ])('%s ~ %s', (a, b) => expect(sameWord(a, b)).toBe(true));

  it.each([
    ['photo', 'phone'],
    ['menu', 'men'],
    ['lawyer', 'lawn'],
    ['garden', 'gardener'.slice(0, 3)],
  ])('%s is not %s', (a, b) => expect(sameWord(a, b)).toBe(false));

  it.each([
    ['elektriker', 'electrician'],
    ['electricien', 'electrician'],
    ['buchhaltung', 'bookkeeper'],
    ['comptable', 'bookkeeper'],
    ['dachdecker', 'roofer'],
    ['anwaltin', 'solicitor'],
    ['fotograf', 'photographe'],
  ])('%s is the same trade as %s', (a, b) => expect(describeSame(a, b)).toBe(true));

  it('does not mix trades', () => {
    expect(describeSame('electrician', 'plumber')).toBe(false);
    expect(describeSame('florist', 'bookkeeper')).toBe(false);
  });
});

describe('a first name two members share, decided by the note (English)', () => {
  it.each([
    ['Jo (bookkeeping) – can you call Bea?', JO_BRIGHT.id],
    ['Jo (flowers) – Bea is getting married in May.', JO_MARSH.id],
    ['Priya at Ledger Lane, please look after Bea.', PRIYA_SHAH.id],
    ['This one is for the Tom who does interiors: Bea is redoing the shop.', TOM_BECKER.id],
    ['Tom - the roofer! Bea has a leak.', TOM_HALE.id],
    ['Hi Sam, Bea has a tiny courtyard garden that needs a plan.', SAM_A.id],
  ])('"%s"', (note, provider) => {
    expect(providerOf(note)).toBe(provider);
  });

  it('a trade alone names the one member who has it: "over to our florist"', () => {
    expect(providerOf('Passing this over to our florist - Bea is getting married.')).toBe(JO_MARSH.id);
  });

  it('"over to our electrician" with two electricians (Ken, and Jonas the Elektriker) asks which', () => {
    expect(providerOf('Passing this over to our electrician - Bea needs new sockets.')).toBe('needs_info: Ken Adams, Jonas Klein');
  });

  it('no describing words: both Jos are named back, so one word answers', () => {
    const result = resolveNote('Jo, can you help Bea?');

    expect(result.kind).toBe('needs_info');
    if (result.kind !== 'needs_info') return;
    expect(result.providerCandidates.map((c) => c.name)).toEqual(['Jo Bright', 'Jo Marsh']);
    expect(result.question).toContain('Jo Bright (Bright Books)');
    expect(result.question).toContain('Jo Marsh (Marsh Flowers)');
  });

  it('words that fit both equally leave both: two landscapers, "garden"', () => {
    expect(providerOf('Sam, Bea needs a landscaper.')).toBe('needs_info: Sam Ash, Sam Birch');
  });

  it('the To/Cc still settles it when words do not', () => {
    expect(providerOf('Jo, can you help Bea?', { cc: [JO_MARSH] })).toBe(JO_MARSH.id);
  });
});

describe('German and French notes', () => {
  it.each([
    ['Jonas (Elektriker) – kannst du Bea anrufen?', JONAS_KLEIN.id],
    ['Für Jonas, den Dachdecker: Bea hat ein undichtes Dach.', JONAS_WEBER.id],
    ['Bitte an unsere Floristin weitergeben, Bea heiratet im Mai.', JO_MARSH.id],
    ['Pour Claire (photographe) : Bea veut des photos de son mariage.', CLAIRE_PETIT.id],
    ['Claire, la comptable : Bea a besoin d’aide pour sa TVA.', CLAIRE_ROUX.id],
    ['À transmettre à notre photographe, Bea se marie en juin.', CLAIRE_PETIT.id],
  ])('"%s"', (note, provider) => {
    expect(providerOf(note)).toBe(provider);
  });

  it('"unseren Dachdecker" when Tom Hale (Roofer) and Jonas Weber (Dachdecker) both roof: asks which', () => {
    expect(providerOf('Bitte an unseren Dachdecker weitergeben.')).toBe('needs_info: Tom Hale, Jonas Weber');
  });

  it('"Für Jonas" alone asks which Jonas', () => {
    expect(providerOf('Für Jonas, bitte.')).toBe('needs_info: Jonas Weber, Jonas Klein');
  });
});

describe('matchMembers: the referrer’s one-word answer and provider: lines', () => {
  it.each([
    ['Bright', [JO_BRIGHT]],
    ['Marsh', [JO_MARSH]],
    ['florist', [JO_MARSH]],
    ['Jo the bookkeeper', [JO_BRIGHT]],
    ['Sam (photographe)', [SAM_A, SAM_B]],
    ['Elektriker', [KEN, JONAS_KLEIN]],
    ['Jonas Elektriker', [JONAS_KLEIN]],
  ])('"%s"', (reference, expected) => {
    expect(matchMembers(reference, ROSTER).map((m) => m.name)).toEqual(expected.map((m) => m.name));
  });
});

describe('helpers', () => {
  it('preferDescribed keeps everyone when nothing describes them', () => {
    expect(preferDescribed([JO_BRIGHT, JO_MARSH], 'please call her')).toEqual([JO_BRIGHT, JO_MARSH]);
  });

  it('membersByTrade needs a determiner: "electrician" in passing is not a reference', () => {
    expect(membersByTrade('she is an electrician herself', ROSTER)).toEqual([]);
    expect(membersByTrade('for our florist', ROSTER)).toEqual([JO_MARSH]);
  });

  it.each([
    ['jo', ['Jo Bright', 'Jo Marsh', 'Jonas Weber', 'Jonas Klein']],
    ['bright', ['Jo Bright']],
    ['ledger', ['Priya Shah']],
    ['plumb', []],
    ['electri', ['Ken Adams', 'Jonas Klein']],
    ['photographer', ['Claire Petit']],
    ['tom roof', ['Tom Hale']],
    ['', ROSTER.map((m) => m.name)],
  ])('searchMembers("%s")', (query, names) => {
    expect(searchMembers(query, ROSTER).map((m) => m.name).sort()).toEqual([...names].sort());
  });
});

describe('tellApartWords: the one word that answers "which one?"', () => {
  it.each([
    [[{ name: 'Sam Ortiz', business: 'Ortiz Plumbing' }, { name: 'Sam Lee', business: 'Lee Photography' }], ['Ortiz', 'Lee']],
    [[{ name: 'Jo Smith', business: 'Bright Books' }, { name: 'Jo Smith', business: 'Marsh Flowers' }], ['Bright', 'Marsh']],
    [[{ name: 'Jo', business: 'Same Ltd' }, { name: 'Jo', business: 'Same Ltd' }], [undefined, undefined]],
  ])('%j', (members, words) => {
    expect(tellApartWords(members)).toEqual(words);
  });
});
