/**
 * `npx tsx bench/report.ts`: times the group report for a large chapter — buildSummary, the three
 * SVG pictures and the provider scorecard for 100 members and 5,000 referrals over a quarter —
 * as the median of several runs after a warm-up. Prints a table and writes bench/report-results.json.
 * Flags: `--runs N` (default 9), `--members N` (100), `--referrals N` (5000). Not a test.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Group, Member, Referral, Status } from '../src/domain/types.js';
import { providerScorecard } from '../src/reports/scorecard.js';
import { buildSummary } from '../src/reports/summary.js';
import { firstContactChart } from '../src/reports/svg/first-contact.js';
import { referralMatrix } from '../src/reports/svg/matrix.js';
import { weeklyChart } from '../src/reports/svg/weekly.js';
import { summaryCsv } from '../src/reports/csv.js';
import { DEFAULT_SETTINGS } from '../src/schedule/cadence.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '9' },
    members: { type: 'string', default: '100' },
    referrals: { type: 'string', default: '5000' },
  },
});
const RUNS = Number(values.runs);
const MEMBERS = Number(values.members);
const REFERRALS = Number(values.referrals);
for (const [flag, n] of [['runs', RUNS], ['members', MEMBERS], ['referrals', REFERRALS]] as const) {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`--${flag} must be a positive integer`);
}

/** A small deterministic PRNG (mulberry32), so every run measures the same data. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const group: Group = {
  id: 'benchgroup000000', name: 'Bench Chapter', slug: 'bench', timezone: 'Europe/London', currency: 'GBP',
  settings: structuredClone(DEFAULT_SETTINGS) as Group['settings'], createdAt: '2026-01-01T00:00:00.000Z', version: 1,
};

function dataset() {
  const rand = random(42);
  const members: Member[] = Array.from({ length: MEMBERS }, (_, i) => ({
    id: `m${String(i).padStart(15, '0')}`, groupId: group.id, name: `Member ${i} ${['Smith', 'Jones', 'Patel', 'O\u2019Brien & Co'][i % 4]}`,
    email: `m${i}@bench.example`, extraAddresses: [], pendingExtraAddresses: [], profile: {}, status: i % 50 === 49 ? 'removed' : 'active',
    role: i === 0 ? 'admin' : 'member', createdAt: '2026-01-01T00:00:00.000Z', version: 1,
  }));
  const statuses: Status[] = ['logged', 'contacted', 'met', 'proposal', 'won', 'won', 'lost', 'dormant', 'withdrawn'];
  const start = Date.parse('2026-01-01T00:00:00Z');
  const span = Date.parse('2026-04-01T00:00:00Z') - start;
  const referrals: Referral[] = Array.from({ length: REFERRALS }, (_, i) => {
    // Clusters of ten members refer mostly among themselves, as real chapters do.
    const from = Math.floor(rand() * MEMBERS);
    const cluster = Math.floor(from / 10) * 10;
    let to = rand() < 0.7 ? cluster + Math.floor(rand() * 10) : Math.floor(rand() * MEMBERS);
    if (to >= MEMBERS || to === from) to = (from + 1) % MEMBERS;
    const createdAt = new Date(start + rand() * span).toISOString();
    const status = statuses[Math.floor(rand() * statuses.length)]!;
    const at = (hours: number) => new Date(Date.parse(createdAt) + hours * 3_600_000).toISOString();
    return {
      id: `r${String(i).padStart(15, '0')}`, groupId: group.id, status, source: 'web', referrerId: members[from]!.id, providerId: members[to]!.id,
      prospect: { name: `Prospect ${i}` }, need: 'bench', consent: true, unansweredProgressRequests: 0, pending: [], stepSeq: 0,
      timeline: status === 'won' ? [{ at: at(200), type: 'action', via: 'reply', actor: 'prospect', kind: 'rating', text: `the prospect rated the experience ${1 + (i % 5)}/5` }] : [],
      createdAt, updatedAt: createdAt, version: 1,
      ...(status !== 'logged' && status !== 'withdrawn' ? { firstContactAt: at(rand() * 120) } : {}),
      ...(rand() < 0.6 ? { thankedAt: at(rand() * 48) } : {}),
      ...(status === 'won' ? { closedValue: { amount: Math.round(rand() * 10_000), currency: rand() < 0.8 ? 'GBP' : 'EUR' } } : {}),
      ...(status === 'lost' ? { lostReason: 'price' } : {}),
    };
  });
  return { members, referrals };
}

const { members, referrals } = dataset();
const period = { from: '2026-01-01', to: '2026-04-01' };
const viewer = { memberId: members[0]!.id, isAdmin: true };

const steps: Record<string, () => unknown> = {
  buildSummary: () => buildSummary({ group, members, referrals, ...period, viewer }),
  summaryCsv: () => summaryCsv(buildSummary({ group, members, referrals, ...period, viewer })),
  matrixSvg: () => referralMatrix({ members, referrals, periodLabel: 'Q1 2026' }),
  weeklySvg: () => weeklyChart({ referrals, ...period, timezone: group.timezone }),
  firstContactSvg: () => firstContactChart({ referrals, ...period, timezone: group.timezone }),
  scorecard: () => providerScorecard({ members, referrals, ...period, timezone: group.timezone }),
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const round = (ms: number) => Math.round(ms * 100) / 100;

function time(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

// Warm-up: let V8 compile and optimise before measuring.
for (let i = 0; i < 2; i++) for (const fn of Object.values(steps)) fn();

const samples: Record<string, number[]> = Object.fromEntries(Object.keys(steps).map((k) => [k, []]));
const totals: number[] = [];
for (let run = 0; run < RUNS; run++) {
  let total = 0;
  for (const [name, fn] of Object.entries(steps)) {
    const ms = time(fn);
    samples[name]!.push(ms);
    if (name !== 'summaryCsv') total += ms;
  }
  totals.push(total);
}

const results = {
  date: new Date().toISOString(),
  node: process.version,
  runs: RUNS,
  members: MEMBERS,
  referrals: REFERRALS,
  medianMs: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, round(median(v))])),
  /** buildSummary + the three SVGs + the scorecard: what one /reports page computes. */
  pageTotalMedianMs: round(median(totals)),
  svgBytes: {
    matrix: referralMatrix({ members, referrals }).svg.length,
    weekly: weeklyChart({ referrals, ...period, timezone: group.timezone }).svg.length,
    firstContact: firstContactChart({ referrals, ...period, timezone: group.timezone }).svg.length,
  },
};

console.log(`Group report: ${MEMBERS} members, ${REFERRALS} referrals, median of ${RUNS} runs (Node ${process.version})`);
for (const [name, ms] of Object.entries(results.medianMs)) console.log(`  ${name.padEnd(16)} ${String(ms).padStart(8)} ms`);
console.log(`  ${'page total'.padEnd(16)} ${String(results.pageTotalMedianMs).padStart(8)} ms  (summary + 3 SVGs + scorecard)`);
const out = join(dirname(fileURLToPath(import.meta.url)), 'report-results.json');
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
console.log(`written to ${out}`);
