/**
 * Who refers whom: a heat map with givers as rows and receivers as columns, the count printed in
 * every non-empty cell. Members are ordered so that groups who refer each other sit together.
 */
import type { Referral } from '../../domain/types.js';
import { countsInReports } from '../stats.js';
import { heat, n, shorten, svgFrame, text, xmlText, type Chart } from './xml.js';

export interface MatrixMember {
  id: string;
  name: string;
}

export interface MatrixInput {
  members: readonly MatrixMember[];
  referrals: readonly Referral[];
  /** Unique per page: the ids of `<title>`/`<desc>` are built from it. */
  idPrefix?: string;
  /** Words for the period, e.g. "March 2026". */
  periodLabel?: string;
}

/** counts[from][to], by member index. */
function countPairs(members: readonly MatrixMember[], referrals: readonly Referral[]): number[][] {
  const index = new Map(members.map((m, i) => [m.id, i]));
  const counts = members.map(() => members.map(() => 0));
  for (const r of referrals) {
    if (!countsInReports(r)) continue;
    const from = index.get(r.referrerId);
    const to = index.get(r.providerId!);
    if (from === undefined || to === undefined || from === to) continue;
    counts[from]![to]! += 1;
  }
  return counts;
}

/**
 * A simple greedy seriation: start with the busiest member, then repeatedly take the unplaced member
 * with the most referrals exchanged (both ways) with the last one placed, ties broken by the weight
 * to everyone placed so far, then by total activity, then by name. Clusters end up as blocks on
 * the diagonal. O(n²) per step, O(n³) overall: fine for a chapter (100 members ≈ 1 ms).
 */
export function clusterOrder(members: readonly MatrixMember[], counts: readonly (readonly number[])[]): number[] {
  const size = members.length;
  const mutual = (a: number, b: number) => counts[a]![b]! + counts[b]![a]!;
  const activity = members.map((_, i) => counts[i]!.reduce((s, v) => s + v, 0) + counts.reduce((s, row) => s + row[i]!, 0));
  const toPlaced = new Array<number>(size).fill(0);
  const placed: number[] = [];
  const free = new Set(members.map((_, i) => i));
  const better = (a: number, b: number, last: number | undefined) => {
    const la = last === undefined ? 0 : mutual(a, last);
    const lb = last === undefined ? 0 : mutual(b, last);
    if (la !== lb) return la > lb;
    if (toPlaced[a] !== toPlaced[b]) return toPlaced[a]! > toPlaced[b]!;
    if (activity[a] !== activity[b]) return activity[a]! > activity[b]!;
    return members[a]!.name.localeCompare(members[b]!.name) < 0;
  };
  while (free.size > 0) {
    const last = placed[placed.length - 1];
    let best: number | undefined;
    for (const candidate of free) if (best === undefined || better(candidate, best, last)) best = candidate;
    placed.push(best!);
    free.delete(best!);
    for (const other of free) toPlaced[other]! += mutual(other, best!);
  }
  return placed;
}

const CELL = 30;
const FONT = 12;
const LABEL_MAX = 22;

/** The who-refers-whom heat map and its table of pairs. */
export function referralMatrix(input: MatrixInput): Chart {
  const counts = countPairs(input.members, input.referrals);
  const order = clusterOrder(input.members, counts);
  const members = order.map((i) => input.members[i]!);
  const grid = order.map((from) => order.map((to) => counts[from]![to]!));
  const max = Math.max(0, ...grid.flat());
  const total = grid.flat().reduce((s, v) => s + v, 0);
  const size = members.length;

  const labelWidth = Math.max(60, Math.min(LABEL_MAX, Math.max(1, ...members.map((m) => [...m.name].length))) * FONT * 0.62 + 12);
  const top = labelWidth * 0.75 + 24; // rotated column labels need about sin(50°) of their length
  const left = labelWidth + 8;
  // The legend on two short lines, so a phone-width picture never cuts it off mid-sentence.
  const notes = [`${total} referral${total === 1 ? '' : 's'} between ${size} member${size === 1 ? '' : 's'}`, ...(max > 0 ? [`darker = more (most in one pair: ${max})`] : [])];
  // The last column's label leans right past the grid by about cos(50°) of its length; the note
  // under the grid needs its own length (0.65 em a character: wide enough for the system fonts).
  const width = Math.max(left + size * CELL + labelWidth * 0.65 + 8, 8 + Math.max(...notes.map((l) => l.length)) * FONT * 0.65);
  const height = top + size * CELL + 20 + notes.length * 16;

  const parts: string[] = [];
  parts.push(text(left + (size * CELL) / 2, 14, 'received by →', `font-size="${FONT}" text-anchor="middle" fill="#5b6570"`));
  parts.push(text(8, top - 8, 'given by ↓', `font-size="${FONT}" fill="#5b6570"`));
  const escaped = members.map((m) => ({ full: xmlText(m.name), label: xmlText(shorten(m.name, LABEL_MAX)) }));
  escaped.forEach(({ full, label }, i) => {
    const cy = top + i * CELL + CELL / 2;
    parts.push(`<text x="${n(left - 6)}" y="${n(cy)}" font-size="${FONT}" text-anchor="end" dominant-baseline="central" fill="#1d232a"><title>${full}</title>${label}</text>`);
    const cx = left + i * CELL + CELL / 2;
    parts.push(`<text transform="translate(${n(cx)} ${n(top - 6)}) rotate(-50)" font-size="${FONT}" fill="#1d232a"><title>${full}</title>${label}</text>`);
  });
  // One white board with grid lines, then only the diagonal and the non-empty cells: a 100-member
  // chapter draws a few hundred shapes instead of ten thousand.
  const side = size * CELL;
  parts.push(`<rect x="${n(left)}" y="${n(top)}" width="${side}" height="${side}" fill="#ffffff"/>`);
  grid.forEach((row, i) => {
    const y = top + i * CELL;
    parts.push(`<rect x="${n(left + i * CELL)}" y="${n(y)}" width="${CELL}" height="${CELL}" fill="#e4e8ee"/>`);
    row.forEach((count, j) => {
      if (count === 0 || i === j) return;
      const x = left + j * CELL;
      const shade = 0.15 + 0.85 * (count / max);
      parts.push(`<rect x="${n(x)}" y="${n(y)}" width="${CELL}" height="${CELL}" fill="${heat(shade)}"><title>${escaped[i]!.full} → ${escaped[j]!.full}: ${count}</title></rect>`);
      parts.push(`<text x="${n(x + CELL / 2)}" y="${n(y + CELL / 2)}" font-size="${FONT}" text-anchor="middle" dominant-baseline="central" font-weight="600" fill="${shade > 0.55 ? '#ffffff' : '#0b2545'}">${count}</text>`);
    });
  });
  const lines: string[] = [];
  for (let k = 0; k <= size; k++) lines.push(`M${n(left)} ${n(top + k * CELL)}h${side}`, `M${n(left + k * CELL)} ${n(top)}v${side}`);
  if (size > 0) parts.push(`<path d="${lines.join('')}" stroke="#dde1e6" stroke-width="1" fill="none"/>`);
  notes.forEach((line, i) => parts.push(text(8, top + size * CELL + 22 + i * 16, line, `font-size="${FONT}" fill="#5b6570"`)));

  const pairs: { from: string; to: string; count: number; back: number }[] = [];
  grid.forEach((row, i) => row.forEach((count, j) => count > 0 && pairs.push({ from: members[i]!.name, to: members[j]!.name, count, back: grid[j]![i]! })));
  pairs.sort((a, b) => b.count - a.count || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  const busiest = pairs[0];
  const period = input.periodLabel ? ` in ${input.periodLabel}` : '';

  return {
    svg: svgFrame({
      id: `${input.idPrefix ?? 'matrix'}`,
      width,
      height,
      minWidth: 560,
      title: `Who refers whom${period}`,
      desc:
        `Rows are the members who gave referrals and columns the members who received them; each cell shows how many. ` +
        `${total} referrals between ${size} members${period}.` +
        (busiest ? ` The busiest pair is ${busiest.from} to ${busiest.to} with ${busiest.count}.` : ' No referrals yet.'),
      body: parts.join(''),
    }),
    table: {
      caption: `Who refers whom${period}: every pair with at least one referral`,
      head: ['Given by', 'Received by', 'Referrals', 'Given back'],
      rows: pairs.map((p) => [p.from, p.to, p.count, p.back]),
    },
  };
}
