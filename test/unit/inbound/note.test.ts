import { describe, expect, it } from 'vitest';
import { readNoteDirectives, readProspectLine } from '../../../src/inbound/note-directives.js';
import { cleanNote, stripQuotedHistory, stripSignature } from '../../../src/inbound/note-text.js';
import { stripSubjectPrefixes } from '../../../src/inbound/subject.js';
import { repairCp1252 } from '../../../src/inbound/cp1252.js';
import { prepareForReading } from '../../../src/inbound/readable-text.js';

describe('stripQuotedHistory', () => {
  it.each([
    ['On Mon, 16 Nov 2026 at 17:40, Gwen Hale <gwen@x.example> wrote:\n> hi'],
    ['On Mon, 16 Nov 2026 at 17:40, Gwen Hale <\ngwen@x.example> wrote:\n> hi'],
    ['Am Mo., 16. Nov. 2026 um 17:40 Uhr schrieb Klaus <k@x.example>:\n> hallo'],
    ['Le lun. 16 nov. 2026 à 17:40, Amélie <a@x.example> a écrit :\n> salut'],
    ['El lun, 16 nov 2026 a las 17:40, Lucía <l@x.example> escribió:\n> hola'],
    ['-----Original Message-----\nFrom: Gwen\nSent: today'],
  ])('cuts at %j', (history) => {
    expect(stripQuotedHistory(`Gwen, meet Tom.\n\n${history}`)).toBe('Gwen, meet Tom.');
  });

  it('keeps a line that only starts like a quote header', () => {
    expect(stripQuotedHistory('On Tuesday she said she would call.')).toBe('On Tuesday she said she would call.');
  });
});

describe('stripSignature', () => {
  it.each([
    ['Sam - a plumbing job.\n\nSent from my iPhone', 'Sam - a plumbing job.'],
    ['Alice, the lease.\n\nGet Outlook for iOS<https://aka.ms/o0ukef>', 'Alice, the lease.'],
    ['Tom, see below.\n\nVon meinem iPhone gesendet', 'Tom, see below.'],
    ['For Priya.\n\n-- \nAlice Morgan\nMorgan Law\n0117 496 0000', 'For Priya.'],
    ['For Priya.\n\nKind regards,\nAlice Morgan\nMorgan Law', 'For Priya.'],
    ['Could you ring her?\n\nTom', 'Could you ring her?'],
    ['Could you ring her?\n\n- Tom x', 'Could you ring her?'],
    ['Could you ring her?\n________________________________', 'Could you ring her?'],
  ])('%j → %j', (text, expected) => {
    expect(stripSignature(text, 'Tom Becker')).toBe(expected);
  });

  it('keeps a "thanks" in the middle of a longer note and a note that is only a name', () => {
    const note = 'Thanks for the lunch!\nJo needs a plumber.\nShe has a leak.\nCall her today.\nHer flat is on Quay St.\nAsk for the side door.\nShe is in all day.\nReally urgent.';
    expect(stripSignature(note, 'Alice Morgan')).toBe(note);
    expect(stripSignature('Alice', 'Alice Morgan')).toBe('Alice');
  });

  it('cleanNote removes history first, then the sign-off', () => {
    expect(cleanNote('Meet Tom.\nCheers\nAlice\n\nOn Mon, X <x@y.example> wrote:\n> hi', 'Alice Morgan')).toBe('Meet Tom.');
  });
});

describe('readNoteDirectives', () => {
  it('reads for:, provider: and prospect: lines and removes them from the remainder', () => {
    const directives = readNoteDirectives('prospect: Jo Bloggs <jo@x.example>\nFOR: Sam O\nJo needs a plumber.');

    expect(directives).toMatchObject({ forLine: 'Sam O', prospectLine: 'Jo Bloggs <jo@x.example>', noIntro: false });
    expect(directives.remainder).toBe('Jo needs a plumber.');
    expect(readNoteDirectives('provider: Ortiz Plumbing').forLine).toBe('Ortiz Plumbing');
  });

  it('reads an intro: line (the one line for the prospect) and keeps it out of the need', () => {
    const directives = readNoteDirectives('For Priya - his books are a shoebox.\nIntro: Priya sorted my VAT out in a week, you will like her.');
    expect(directives.introLine).toBe('Priya sorted my VAT out in a week, you will like her.');
    expect(directives.remainder).toBe('For Priya - his books are a shoebox.');
    expect(readNoteDirectives('introduction:   Meet Sam.  ').introLine).toBe('Meet Sam.');
    expect(readNoteDirectives('no intro please').introLine).toBeUndefined();
  });

  it.each([
    ['no intro', ''],
    ['No intro please - I will call him first.', 'I will call him first.'],
    ['NO INTRODUCTION.', ''],
    ["Please don't introduce them yet.", ''],
    ['Do not introduce us, I will do it.', 'I will do it.'],
    ['dont introduce', ''],
    ["Jo's shy, so please don’t send an intro.", "Jo's shy."],
    ['Lovely chap. No introduction needed, I will ring him.', 'Lovely chap. I will ring him.'],
  ])('"%s" states no consent and leaves %j', (note, remainder) => {
    const directives = readNoteDirectives(note);

    expect(directives.noIntro).toBe(true);
    expect(directives.remainder).toBe(remainder);
  });

  it('does not read "introduce" on its own as no intro', () => {
    expect(readNoteDirectives('Happy for you to introduce us.').noIntro).toBe(false);
    expect(readNoteDirectives('Please introduce them.').noIntro).toBe(false);
  });

  it.each([
    ['For Priya - Bob runs the bakery.', 'Priya', 'Bob runs the bakery.'],
    ['For Sam, please.\nMei needs photos.', 'Sam', 'Mei needs photos.'],
    ['Pour Dana : Amélie cherche un conseiller.', 'Dana', 'Amélie cherche un conseiller.'],
    ['For the attention of Tom Becker\nA refit.', 'Tom Becker', 'A refit.'],
  ])('reads the lead "For X" in %j', (note, target, noteWithout) => {
    expect(readNoteDirectives(note).leadFor).toEqual({ target, noteWithout });
  });
});

describe('readProspectLine', () => {
  it.each([
    ['Jo Bloggs <Jo@Bloggs.example>', { name: 'Jo Bloggs', email: 'jo@bloggs.example' }],
    ['Oliver Grant (Grant & Sons) <oliver@grantandsons.example>, 07700 900222', { name: 'Oliver Grant', email: 'oliver@grantandsons.example', phone: '07700 900222', company: 'Grant & Sons' }],
    ['Helen Price, helen@pricebooks.example, 0117 496 0321', { name: 'Helen Price', email: 'helen@pricebooks.example', phone: '0117 496 0321', phoneE164: '+441174960321' }],
    ['mei@mailbox.example', { email: 'mei@mailbox.example' }],
    ['Ivy Chen 07700 900789', { name: 'Ivy Chen', phone: '07700 900789' }],
  ])('%j', (line, expected) => {
    const read = readProspectLine(line);
    expect(Object.fromEntries(Object.entries(read).filter(([, v]) => v !== undefined))).toEqual(expected);
  });
});

describe('subjects and charsets', () => {
  it.each([
    ['Fwd: Need a bookkeeper', 'Need a bookkeeper'],
    ['FW: RE: Leaking valves', 'Leaking valves'],
    ['WG: AW: Altersvorsorge', 'Altersvorsorge'],
    ['TR : Bureau', 'Bureau'],
    ['RV: Fuga', 'Fuga'],
    ['Doorst: Nieuw kantoor', 'Nieuw kantoor'],
    ['Fwd[2]: Fw: loft', 'loft'],
    ['Trees for the office', 'Trees for the office'],
  ])('strips %j', (subject, expected) => {
    expect(stripSubjectPrefixes(subject)).toBe(expected);
  });

  it('maps C1 controls to windows-1252 and drops the undefined ones', () => {
    expect(repairCp1252('\u0080 \u0091x\u0092 \u0093y\u0094 \u0096 \u0097 \u0081')).toBe('€ ‘x’ “y” – — ');
    expect(repairCp1252('plain café')).toBe('plain café');
  });
});

describe('prepareForReading', () => {
  it('unifies line ends, collapses blanks and empty lines, and drops trailing blanks', () => {
    expect(prepareForReading('a  \t b \r\n\r\n\r\n\r\n\u00a0\nc\r', 1000)).toBe('a b\n\n\nc\n');
  });

  it('wraps lines over 1000 characters at a space and caps the length', () => {
    const lines = prepareForReading(`${'word '.repeat(500)}end`, 10_000).split('\n');

    expect(lines.length).toBe(3);
    expect(lines.every((line) => line.length <= 1000 && !line.startsWith(' '))).toBe(true);
    expect(prepareForReading('x'.repeat(5000), 100)).toBe('x'.repeat(100));
  });
});
