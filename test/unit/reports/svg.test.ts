import { describe, expect, it } from 'vitest';
import { firstContactBuckets, firstContactChart } from '../../../src/reports/svg/first-contact.js';
import { clusterOrder, referralMatrix } from '../../../src/reports/svg/matrix.js';
import { weeklyChart, weeklyCounts } from '../../../src/reports/svg/weekly.js';
import { xmlText, type Chart } from '../../../src/reports/svg/xml.js';
import { london, member, ref } from './fixtures.js';
import { xmlProblems } from './xml-check.js';

const HOSTILE = [
  member('Zoë <script>alert(1)</script>'),
  member('O\'Brien & "Sons"'),
  member('Null\u0000Byte \u202Egnp.exe'),
  member('\uD83D\uDE00 Emoji Ltd'),
  member('A'.repeat(80)),
];
const ann = member('Ann');
const bob = member('Bob');
const cat = member('Cat');
const dan = member('Dan');
const eve = member('Eve');

/** Accessible frame: role, aria-labelledby naming a <title> and a <desc> that exist. */
function expectAccessible(chart: Chart) {
  expect(xmlProblems(chart.svg)).toEqual([]);
  expect(chart.svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 [\d.]+ [\d.]+"/);
  expect(chart.svg).toContain('role="img"');
  const ids = /aria-labelledby="([^"]+)"/.exec(chart.svg)![1]!.split(' ');
  expect(ids).toHaveLength(2);
  expect(chart.svg).toContain(`<title id="${ids[0]}">`);
  expect(chart.svg).toContain(`<desc id="${ids[1]}">`);
  expect(chart.table.head.length).toBeGreaterThan(1);
}

describe('who-refers-whom matrix', () => {
  it('is well-formed XML and names every member, however hostile the name', () => {
    // Prepare
    const members = [ann, ...HOSTILE];
    const referrals = HOSTILE.map((m, i) => ref(ann, m, `2026-06-0${i + 1}T10:00:00Z`));

    // Act
    const chart = referralMatrix({ members, referrals, idPrefix: 'm1' });

    // Assess
    expectAccessible(chart);
    for (const m of members) expect(chart.svg).toContain(xmlText(m.name));
    expect(chart.svg).not.toContain('<script>');
    expect(chart.svg).not.toContain('\u0000');
    expect(chart.svg).not.toContain('\u202E');
    // The legend is whole, on its own line, and the picture is wide enough for it (0.65 em a character).
    const legend = 'darker = more (most in one pair: 1)';
    expect(chart.svg).toMatch(new RegExp(`<text [^>]*>${legend.replace(/[()]/g, '\\$&')}</text>`));
    const width = Number(/viewBox="0 0 ([\d.]+) /.exec(chart.svg)?.[1] ?? /width="([\d.]+)"/.exec(chart.svg)?.[1]);
    expect(width).toBeGreaterThanOrEqual(8 + legend.length * 12 * 0.65);
  });

  it('prints the count in every non-empty cell and lists the pairs as a table', () => {
    const referrals = [ref(ann, bob, '2026-06-01T10:00:00Z'), ref(ann, bob, '2026-06-02T10:00:00Z'), ref(bob, ann, '2026-06-03T10:00:00Z'), ref(cat, ann, '2026-06-03T10:00:00Z')];
    const chart = referralMatrix({ members: [ann, bob, cat], referrals });
    expect(chart.svg).toMatch(/font-weight="600"[^>]*>2<\/text>/);
    expect(chart.svg).toContain('Ann → Bob: 2');
    expect(chart.table.rows).toEqual([
      ['Ann', 'Bob', 2, 1],
      ['Bob', 'Ann', 1, 2],
      ['Cat', 'Ann', 1, 0],
    ]);
    expect(chart.svg).toContain('The busiest pair is Ann to Bob with 2');
  });

  it('orders members so that those who refer each other sit together', () => {
    // Two clusters, {Ann, Cat, Eve} and {Bob, Dan}, interleaved by name
    const members = [ann, bob, cat, dan, eve];
    const pairs: [typeof ann, typeof ann][] = [[ann, cat], [cat, eve], [eve, ann], [cat, ann], [bob, dan], [dan, bob], [dan, bob]];
    const referrals = pairs.map(([a, b], i) => ref(a, b, `2026-06-${String(i + 1).padStart(2, '0')}T10:00:00Z`));
    const index = new Map(members.map((m, i) => [m.id, i]));
    const counts = members.map(() => members.map(() => 0));
    for (const r of referrals) counts[index.get(r.referrerId)!]![index.get(r.providerId!)!]! += 1;

    const order = clusterOrder(members, counts).map((i) => members[i]!.name);

    const position = (name: string) => order.indexOf(name);
    const span = (names: string[]) => Math.max(...names.map(position)) - Math.min(...names.map(position));
    expect(span(['Ann', 'Cat', 'Eve'])).toBe(2);
    expect(span(['Bob', 'Dan'])).toBe(1);
  });

  it('copes with no members and no referrals', () => {
    expectAccessible(referralMatrix({ members: [], referrals: [] }));
    expect(referralMatrix({ members: [ann], referrals: [] }).svg).toContain('No referrals yet.');
  });
});

describe('referrals per week', () => {
  it('counts given and won by the week the referral was logged, in the group timezone', () => {
    // Monday 1 June 2026; the Sunday-night referral (UTC) is Monday 8 June in London
    const referrals = [
      ref(ann, bob, '2026-06-01T09:00:00Z', { status: 'won' }),
      ref(ann, bob, '2026-06-03T09:00:00Z'),
      ref(bob, ann, '2026-06-07T23:30:00Z', { status: 'won' }),
      ref(cat, ann, '2026-06-20T10:00:00Z', { status: 'lost' }),
    ];
    const weeks = weeklyCounts({ referrals, from: '2026-06-01', to: '2026-07-01', timezone: london.timezone });
    expect(weeks.map((w) => w.weekStart)).toEqual(['2026-06-01', '2026-06-08', '2026-06-15', '2026-06-22', '2026-06-29']);
    expect(weeks.map((w) => [w.given, w.won])).toEqual([[2, 1], [1, 1], [1, 0], [0, 0], [0, 0]]);

    const chart = weeklyChart({ referrals, from: '2026-06-01', to: '2026-07-01', timezone: london.timezone, idPrefix: 'w' });
    expectAccessible(chart);
    expect(chart.table.rows[0]).toEqual(['1 Jun 2026', 2, 1]);
    expect(chart.svg).toContain('4 given and 2 won over 5 weeks');
  });

  it('stays well-formed for two years of weeks', () => {
    const chart = weeklyChart({ referrals: [], from: '2024-06-01', to: '2026-06-01', timezone: london.timezone });
    expectAccessible(chart);
    expect(chart.table.rows.length).toBeGreaterThanOrEqual(104);
  });
});

describe('time to first contact', () => {
  it('buckets hours from logging to first contact, and counts open referrals not contacted yet', () => {
    const at = '2026-06-02T09:00:00Z';
    const referrals = [
      ref(ann, bob, at, { contactAfter: 0.5 }),
      ref(ann, bob, at, { contactAfter: 1 }), // 1 h is "1–4 h"
      ref(ann, bob, at, { contactAfter: 23.9 }),
      ref(ann, bob, at, { contactAfter: 24 }),
      ref(ann, bob, at, { contactAfter: 200 }),
      ref(ann, bob, at), // open, waiting
      ref(ann, bob, at, { status: 'withdrawn' }), // closed without contact: left out
    ];
    const buckets = firstContactBuckets({ referrals, from: '2026-06-01', to: '2026-07-01', timezone: london.timezone });
    expect(buckets.map((b) => [b.label, b.count])).toEqual([
      ['under 1 h', 1], ['1–4 h', 1], ['4–24 h', 1], ['1–2 days', 1], ['2–7 days', 0], ['over 7 days', 1], ['not yet', 1],
    ]);
    const chart = firstContactChart({ referrals, from: '2026-06-01', to: '2026-07-01', timezone: london.timezone });
    expectAccessible(chart);
    expect(chart.svg).toContain('3 of 5 contacted within 24 hours; 1 open referral not contacted yet.');
  });
});

describe('the well-formedness check itself', () => {
  it.each([
    ['<svg><g></svg>', 'mismatched close'],
    ['<svg>a & b</svg>', 'bare ampersand'],
    ['<svg><text x="1 < 2">t</text></svg>', 'bare < in an attribute'],
    ['<svg a="1" a="2"/>', 'duplicate attribute'],
    ['<svg x=1/>', 'unquoted attribute'],
    ['<svg/><svg/>', 'two roots'],
    ['<svg>\u0000</svg>', 'NUL'],
  ])('rejects %j (%s)', (xml) => {
    expect(xmlProblems(xml)).not.toEqual([]);
  });

  it('accepts entities, comments and self-closing tags', () => {
    expect(xmlProblems('<svg a="&quot;x&#39;"><!-- c --><g/>&amp;&#x1F600;</svg>')).toEqual([]);
  });
});
