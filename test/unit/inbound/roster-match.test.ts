import { describe, expect, it } from 'vitest';
import { findMentions, indexByAddress, matchMembers, type RosterMember } from '../../../src/inbound/roster-match.js';

const member = (id: string, name: string, email: string, extra: Partial<RosterMember> = {}): RosterMember => ({
  id,
  name,
  email,
  extraAddresses: [],
  status: 'active',
  ...extra,
});
const samOrtiz = member('ortiz', 'Sam Ortiz', 'sam@ortizplumbing.example', { business: 'Ortiz Plumbing' });
const samLee = member('lee', 'Sam Lee', 'sam.lee@leephoto.example', { business: 'Lee Photography' });
const priya = member('priya', 'Priya Shah', 'priya@ledgerlane.example', { business: 'Ledger Lane' });
const jose = member('jose', 'José Núñez', 'jose@nunez.example');
const gone = member('gone', 'Olga Brandt', 'olga@brandtprint.example', { status: 'removed' });
const members = [samOrtiz, samLee, priya, jose];

const ids = (text: string) =>
  findMentions(text, members, { requireCapital: true }).map((m) => m.members.map((x) => x.id));

describe('indexByAddress', () => {
  it('indexes primary and extra addresses of active members only, lower-cased', () => {
    const index = indexByAddress([member('dana', 'Dana Kim', 'Dana@Kim.example', { extraAddresses: ['DK@Mailbox.example'] }), gone]);

    expect(index.get('dana@kim.example')?.id).toBe('dana');
    expect(index.get('dk@mailbox.example')?.id).toBe('dana');
    expect(index.has('olga@brandtprint.example')).toBe(false);
  });
});

describe('findMentions', () => {
  it.each([
    ['Sam O - can you take this?', [['ortiz']]],
    ['Sam O. please', [['ortiz']]],
    ['Sam L please', [['lee']]],
    ['Sam Ortiz, meet Jo', [['ortiz']]],
    ['Ask Ortiz Plumbing', [['ortiz']]],
    ['Sam – Helen needs a plumber', [['ortiz', 'lee']]],
    ['Sam Brown needs a plumber', []],
    ['For Priya - Bob runs the bakery', [['priya']]],
    ['write to sam.lee@leephoto.example', [['lee']]],
    ['Jose Nunez and José Núñez', [['jose'], ['jose']]],
    ['we will sam it', []],
  ])('%j', (text, expected) => {
    expect(ids(text)).toEqual(expected);
  });

  it('flags possessives and ignores a first name that belongs to someone else in the mail', () => {
    const [mention] = findMentions("Priya's client needs photos", members, { requireCapital: true });
    expect(mention.possessive).toBe(true);

    expect(findMentions('Sam needs a bookkeeper', members, { requireCapital: true, ignoredFirstNames: new Set(['sam']) })).toEqual([]);
    expect(ids('Sam O and Sam')).toEqual([['ortiz'], ['ortiz', 'lee']]);
  });
});

describe('matchMembers', () => {
  it.each([
    ['Sam O', ['ortiz']],
    ['sam o', ['ortiz']],
    ['sam', ['ortiz', 'lee']],
    ['Ortiz', ['ortiz']],
    ['lee photography', ['lee']],
    ['Priya Shah <priya@ledgerlane.example>', ['priya']],
    ['SAM.LEE@LEEPHOTO.EXAMPLE', ['lee']],
    ['Gary the gardener', []],
  ])('%j', (reference, expected) => {
    expect(matchMembers(reference, members).map((m) => m.id)).toEqual(expected);
  });
});
