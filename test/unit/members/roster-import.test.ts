import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Member } from '../../../src/domain/types.js';
import { importCounts, planImport, type ImportPlan } from '../../../src/members/roster/import-plan.js';
import { detectDelimiter, readRoster, RosterFormatError } from '../../../src/members/roster/read-roster.js';
import { fieldOfHeader, mapColumns } from '../../../src/members/roster/roster-columns.js';

const dir = join(import.meta.dirname, '../../fixtures/rosters');
const fixture = (name: string) => readFileSync(join(dir, name), 'utf8');
const expected = JSON.parse(fixture('expected.json')).cases as Record<string, { created: string[]; updated_or_unchanged: string[]; errors: { row: number; why: string }[]; check: Record<string, Record<string, unknown>> }>;

/** The Harbour Chapter as members.json loads it. */
function harbour(): Member[] {
  const { members } = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/members.json'), 'utf8')) as { members: (Partial<Member> & { name: string; email: string })[] };
  return members.map((m, i) => ({
    id: `m${String(i).padStart(15, '0')}`,
    groupId: 'g1',
    name: m.name,
    email: m.email,
    extraAddresses: m.extraAddresses ?? [],
    pendingExtraAddresses: [],
    business: m.business,
    category: m.category,
    profile: m.profile ?? {},
    status: 'active',
    role: i === 0 ? 'admin' : 'member',
    createdAt: '2026-01-01T00:00:00.000Z',
    version: 1,
  }));
}

let ids = 0;
const plan = (csv: string, members: Member[] = harbour(), reactivate = false): ImportPlan =>
  planImport(readRoster(csv), members, { groupId: 'g1', reactivate, now: '2026-03-01T00:00:00.000Z', newId: () => `new${String(++ids).padStart(13, '0')}` });

describe('roster columns', () => {
  it.each([
    ['E-Mail', 'email'],
    ['Email address', 'email'],
    ['E-Mail-Adresse', 'email'],
    ['Courriel', 'email'],
    ['Company', 'business'],
    ['Firma', 'business'],
    ['Société', 'business'],
    ['Kategorie', 'category'],
    ['Catégorie', 'category'],
    ['Métier', 'category'],
    ['Telefon', 'phone'],
    ['Téléphone', 'phone'],
    ['Ziel pro Monat', 'goalPerMonth'],
    ['Referrals per month', 'goalPerMonth'],
    ['Full name', 'name'],
    ['Vorname', 'firstName'],
    ['Nachname', 'lastName'],
    ['What do you want me to tell people about you?', 'tellPeople'],
    ['What is a good referral for you?', 'goodReferral'],
    ['What sets you apart?', 'setsApart'],
    ['Was unterscheidet dich von anderen?', 'setsApart'],
    ['  EMAIL  ', 'email'],
  ])('"%s" is %s', (header, field) => {
    expect(fieldOfHeader(header)).toBe(field);
  });

  it.each(['Notes', 'Birthday', '', 'Zip'])('"%s" is not imported', (header) => {
    expect(fieldOfHeader(header)).toBeUndefined();
  });

  it('reads French "Nom" as the surname next to "Prénom", as the full name alone', () => {
    expect(mapColumns(['Prénom', 'Nom', 'Courriel'])).toEqual({ firstName: 0, lastName: 1, email: 2 });
    expect(mapColumns(['Nom', 'Courriel'])).toEqual({ name: 0, email: 1 });
  });
});

describe('readRoster', () => {
  it.each([
    ['a;b;c\n1;2;3', ';'],
    ['a,b,c\n1,2,3', ','],
    ['a\tb\n1\t2', '\t'],
    ['"x;y",b,c\n', ','],
    ['name\n', ','],
  ])('detects the delimiter of %j', (text, delimiter) => {
    expect(detectDelimiter(text)).toBe(delimiter);
  });

  it('numbers rows as the spreadsheet does: a quoted line break stays in its row, blank rows count', () => {
    const roster = readRoster(fixture('messy-export.csv'));

    expect(roster.rows.map((r) => r.row)).toEqual([2, 4, 5, 6, 7, 8, 9]);
    expect(roster.rows[0]!.cells).toMatchObject({ name: 'Jo Bright', email: 'jo@brightbooks.example', category: 'Bookkeeping', tellPeople: 'Bookkeeping for\ntradespeople.' });
    expect(roster.ignored).toEqual(['Notes']);
  });

  it('reads tab-separated exports', () => {
    expect(readRoster(fixture('tabs.tsv.csv')).rows[0]!.cells).toEqual({ name: 'Tab Person', email: 'tab@example.com', business: 'Tabs Ltd' });
  });

  it.each([
    ['', /empty/],
    ['\uFEFF\r\n\r\n', /empty/],
    ['Name,Company\nNo Email Column,Acme\n', /No e-mail column.*"Name", "Company"/],
    ['Name,Email\n"Broken,a@b.example\n', /not readable as CSV/],
  ])('refuses a file it cannot import: %j', (text, message) => {
    expect(() => readRoster(text)).toThrow(RosterFormatError);
    expect(() => readRoster(text)).toThrow(message);
  });
});

describe('planImport on the shared rosters', () => {
  it.each(Object.keys(expected))('%s yields what expected.json says', (file) => {
    const want = expected[file]!;

    const result = plan(fixture(file));

    expect(result.rows.filter((r) => r.action === 'create').map((r) => r.email).sort()).toEqual([...want.created].sort());
    expect(result.rows.filter((r) => r.action !== 'create').map((r) => r.email).sort()).toEqual([...want.updated_or_unchanged].sort());
    expect(result.errors.map((e) => e.row)).toEqual(want.errors.map((e) => e.row));
    for (const [email, fields] of Object.entries(want.check)) {
      expect(result.rows.find((r) => r.email === email)?.member).toMatchObject(fields);
    }
  });

  it('names the row and the reason of each error', () => {
    expect(plan(fixture('harbour-excel-semicolon.csv')).errors).toEqual([{ row: 5, message: 'no e-mail address (column "E-Mail" is empty)' }]);
    expect(plan(fixture('harbour-google-sheets.csv')).errors).toEqual([{ row: 4, message: '"raj@patelit" is not an e-mail address' }]);
  });

  it('updates Priya (a new goal) and leaves Tom unchanged (empty cells keep what is stored)', () => {
    const excel = plan(fixture('harbour-excel-semicolon.csv')).rows.find((r) => r.email === 'priya@ledgerlane.example')!;
    const sheets = plan(fixture('harbour-google-sheets.csv')).rows.find((r) => r.email === 'tom@beckerinteriors.example')!;

    expect(excel).toMatchObject({ action: 'update', changes: ['goalPerMonth'] });
    expect(excel.member.profile.tellPeople).toBe('Bookkeeping and VAT returns for trades and food businesses.');
    expect(sheets).toMatchObject({ action: 'unchanged', changes: [] });
  });

  it('lower-cases e-mail addresses and keeps phone numbers as written', () => {
    const rows = plan(fixture('harbour-excel-semicolon.csv')).rows;

    expect(rows.find((r) => r.email === 'elif@yilmaz-design.example')?.member).toMatchObject({ phone: '0176 1234567', category: 'Grafikdesign' });
  });

  it('counts {created, updated, unchanged, errors}', () => {
    expect(importCounts(plan(fixture('harbour-excel-semicolon.csv')))).toEqual({ created: 3, updated: 1, unchanged: 0, errors: [{ row: 5, message: 'no e-mail address (column "E-Mail" is empty)' }] });
    expect(importCounts(plan(fixture('harbour-google-sheets.csv')))).toEqual({ created: 1, updated: 0, unchanged: 1, errors: [{ row: 4, message: '"raj@patelit" is not an e-mail address' }] });
  });

  it('importing the result again changes nothing', () => {
    const first = plan(fixture('harbour-excel-semicolon.csv'));
    const after = [...harbour().filter((m) => !first.rows.some((r) => r.member.id === m.id)), ...first.rows.map((r) => r.member)];

    const again = plan(fixture('harbour-excel-semicolon.csv'), after);

    expect(importCounts(again)).toMatchObject({ created: 0, updated: 0, unchanged: 4 });
  });
});

describe('planImport on our own rosters', () => {
  it('reads a French Excel export: Prénom + Nom, Courriel, Société, a word where a number belongs', () => {
    const result = plan(fixture('chapitre-paris-excel.csv'));

    expect(result.rows.find((r) => r.email === 'claire@dubois-bistro.example')?.member).toMatchObject({ name: 'Claire Dubois', business: 'Bistro Dubois', category: 'Restaurant', phone: '06 12 34 56 78', goalPerMonth: 1 });
    expect(result.errors).toEqual([{ row: 3, message: 'Objectif par mois: must be a whole number from 0 to 1000' }]);
    // Priya's row has only her name: the same as stored, so nothing changes.
    expect(result.rows.find((r) => r.email === 'priya@ledgerlane.example')?.action).toBe('unchanged');
  });

  it('reports duplicates, missing names, over-long cells, and updates a member by another business name', () => {
    const result = plan(fixture('messy-export.csv'));

    expect(result.errors).toEqual([
      { row: 5, message: 'jo@brightbooks.example is the same member as row 2' },
      { row: 6, message: 'no e-mail address (column "E-mail Address" is empty)' },
      { row: 7, message: 'no name for the new member nameless@example.com' },
      { row: 9, message: 'Mobile: at most 40 characters' },
    ]);
    expect(result.rows.find((r) => r.email === 'sam@ortizplumbing.example')).toMatchObject({ action: 'update', changes: ['business'] });
  });

  it('matches a member by a verified extra address and keeps the primary one', () => {
    const result = plan('Name,Email,Category\nDana Kim,dana.kim@mailbox.example,Wealth planner\n');

    expect(result.rows[0]).toMatchObject({ action: 'update', email: 'dana@kimfinancial.example', changes: ['category'] });
    expect(result.rows[0]!.member.email).toBe('dana@kimfinancial.example');
  });

  it('does not bring back a removed member unless asked', () => {
    const members = harbour().map((m) => (m.email === 'tom@beckerinteriors.example' ? { ...m, status: 'removed' as const } : m));
    const csv = 'Name,Email\nTom Becker,tom@beckerinteriors.example\n';

    expect(plan(csv, members).errors).toEqual([{ row: 2, message: 'tom@beckerinteriors.example was removed from this group; import with "reactivate" to bring them back' }]);
    expect(plan(csv, members, true).rows[0]).toMatchObject({ action: 'reactivate', changes: ['status'], member: { status: 'active' } });
    expect(importCounts(plan(csv, members, true))).toMatchObject({ updated: 1 });
  });

  it('never changes a role: the admin stays admin', () => {
    const result = plan('Name,Email,Company\nAlice Morgan,alice@morganlaw.example,Morgan Law LLP\n');

    expect(result.rows[0]!.member).toMatchObject({ role: 'admin', business: 'Morgan Law LLP' });
  });
});
