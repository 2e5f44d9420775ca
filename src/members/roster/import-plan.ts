/**
 * What importing a roster would do to a group, decided without I/O: each row either creates a
 * member, updates one (matched by e-mail, primary or verified extra address, case-insensitive),
 * leaves one unchanged, or is an error naming its row. Empty cells never wipe what is stored, a
 * member's role is never changed by an import, and a removed member comes back only with
 * `reactivate`. The same plan is the admin page's preview and what the import then writes.
 */
import * as z from '../../config/zod.js';
import type { Member, Profile } from '../../domain/types.js';
import { emailSchema } from '../schemas.js';
import type { Roster, RosterRow } from './read-roster.js';
import type { RosterField } from './roster-columns.js';

export type RowAction = 'create' | 'update' | 'reactivate' | 'unchanged';

export interface PlannedRow {
  row: number;
  action: RowAction;
  email: string;
  /** The member as it will be stored (for `unchanged`, as it is). */
  member: Member;
  /** Fields this row changes, e.g. ["business", "goalPerMonth"]; empty for `create` and `unchanged`. */
  changes: string[];
  /** The row's validated values (merged again when the member changed before the write). */
  values: RowValues;
}

export interface RowError {
  row: number;
  message: string;
}

export interface ImportPlan {
  rows: PlannedRow[];
  errors: RowError[];
  /** Columns of the file that are not imported. */
  ignored: string[];
}

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
  errors: RowError[];
}

/** A row's values once validated; absent = the cell was empty (keep what is stored). */
export interface RowValues {
  name?: string;
  email: string;
  business?: string;
  category?: string;
  phone?: string;
  goalPerMonth?: number;
  profile: Profile;
}

const optionalText = (max: number) => z.optional(z.string().check(z.trim(), z.maxLength(max, `at most ${max} characters`)));

const rowSchema = z.object({
  name: optionalText(120),
  business: optionalText(200),
  category: optionalText(120),
  phone: z.optional(z.string().check(z.trim(), z.maxLength(40, 'at most 40 characters'), z.regex(/\d/, 'must contain digits'))),
  goalPerMonth: z.optional(
    z.pipe(
      z.string().check(z.trim(), z.regex(/^\d{1,4}$/, 'must be a whole number from 0 to 1000')),
      z.pipe(
        z.transform((s: string) => Number(s)),
        z.number().check(z.maximum(1000, 'must be a whole number from 0 to 1000')),
      ),
    ),
  ),
  tellPeople: optionalText(1000),
  goodReferral: optionalText(1000),
  setsApart: optionalText(1000),
});

/** Validates one row's cells; messages name the column as the file names it. */
export function validateRow(row: RosterRow, headers: Roster['headers']): { ok: true; value: RowValues } | { ok: false; message: string } {
  const column = (field: RosterField) => headers[field] ?? field;
  const rawEmail = row.cells.email;
  if (!rawEmail) return { ok: false, message: `no e-mail address (column "${column('email')}" is empty)` };
  const email = emailSchema.safeParse(rawEmail);
  if (!email.success) return { ok: false, message: `"${rawEmail}" is not an e-mail address` };
  const { firstName, lastName, name, ...rest } = row.cells;
  const fullName = name ?? ([firstName, lastName].filter(Boolean).join(' ') || undefined);
  const parsed = rowSchema.safeParse({ ...rest, name: fullName });
  if (!parsed.success) {
    const field = (path: PropertyKey[]) => (path[0] === 'name' && !headers.name ? column('firstName') : column(path[0] as RosterField));
    return { ok: false, message: parsed.error.issues.map((i) => `${field(i.path)}: ${i.message}`).join('; ') };
  }
  const { tellPeople, goodReferral, setsApart, ...fields } = parsed.data;
  const profile: Profile = {};
  if (tellPeople) profile.tellPeople = tellPeople;
  if (goodReferral) profile.goodReferral = goodReferral;
  if (setsApart) profile.setsApart = setsApart;
  const value: RowValues = { email: email.data, profile };
  for (const [key, v] of Object.entries(fields)) if (v !== undefined && v !== '') (value as unknown as Record<string, unknown>)[key] = v;
  return { ok: true, value };
}

const MEMBER_FIELDS = ['name', 'business', 'category', 'phone', 'goalPerMonth'] as const;
const PROFILE_FIELDS = ['tellPeople', 'goodReferral', 'setsApart'] as const;

/** `member` with the row's non-empty values; `changes` lists what differs (empty: nothing to write). */
export function mergeRow(member: Member, values: RowValues): { member: Member; changes: string[] } {
  const next: Member = { ...member, profile: { ...member.profile } };
  const changes: string[] = [];
  for (const field of MEMBER_FIELDS) {
    const v = values[field];
    if (v !== undefined && v !== member[field]) {
      (next as unknown as Record<string, unknown>)[field] = v;
      changes.push(field);
    }
  }
  for (const field of PROFILE_FIELDS) {
    const v = values.profile[field];
    if (v !== undefined && v !== member.profile[field]) {
      next.profile[field] = v;
      changes.push(field);
    }
  }
  return { member: next, changes };
}

/** A new member from a row (no API key: imported members sign in by e-mail link). */
export function newMemberFromRow(values: RowValues, ctx: { groupId: string; id: string; now: string }): Member {
  return {
    id: ctx.id,
    groupId: ctx.groupId,
    name: values.name!,
    email: values.email,
    extraAddresses: [],
    pendingExtraAddresses: [],
    ...(values.business !== undefined ? { business: values.business } : {}),
    ...(values.category !== undefined ? { category: values.category } : {}),
    ...(values.phone !== undefined ? { phone: values.phone } : {}),
    ...(values.goalPerMonth !== undefined ? { goalPerMonth: values.goalPerMonth } : {}),
    profile: values.profile,
    status: 'active',
    role: 'member',
    createdAt: ctx.now,
    version: 1,
  };
}

export interface PlanOptions {
  groupId: string;
  /** Bring back members an admin removed, when their row is in the file. */
  reactivate: boolean;
  now: string;
  newId: () => string;
}

/** Decides every row of `roster` against the group's current `members`. */
export function planImport(roster: Roster, members: Member[], options: PlanOptions): ImportPlan {
  const byAddress = new Map<string, Member>();
  for (const m of members) for (const address of [m.email, ...m.extraAddresses]) byAddress.set(address.toLowerCase(), m);
  const seen = new Map<string, number>();
  const rows: PlannedRow[] = [];
  const errors: RowError[] = [];
  for (const row of roster.rows) {
    const checked = validateRow(row, roster.headers);
    if (!checked.ok) {
      errors.push({ row: row.row, message: checked.message });
      continue;
    }
    const values = checked.value;
    const existing = byAddress.get(values.email);
    const identity = existing ? `member:${existing.id}` : `email:${values.email}`;
    const firstRow = seen.get(identity);
    if (firstRow !== undefined) {
      errors.push({ row: row.row, message: `${values.email} is the same member as row ${firstRow}` });
      continue;
    }
    seen.set(identity, row.row);
    if (!existing) {
      if (!values.name) {
        errors.push({ row: row.row, message: `no name for the new member ${values.email}` });
        continue;
      }
      rows.push({ row: row.row, action: 'create', email: values.email, member: newMemberFromRow(values, { groupId: options.groupId, id: options.newId(), now: options.now }), changes: [], values });
      continue;
    }
    const merged = mergeRow(existing, values);
    if (existing.status === 'removed') {
      if (!options.reactivate) {
        errors.push({ row: row.row, message: `${values.email} was removed from this group; import with "reactivate" to bring them back` });
        continue;
      }
      rows.push({ row: row.row, action: 'reactivate', email: existing.email, member: { ...merged.member, status: 'active' }, changes: ['status', ...merged.changes], values });
      continue;
    }
    rows.push({ row: row.row, action: merged.changes.length ? 'update' : 'unchanged', email: existing.email, member: merged.member, changes: merged.changes, values });
  }
  return { rows, errors, ignored: roster.ignored };
}

/** The summary every door prints: `{created, updated, unchanged, errors}` (reactivated count as updated). */
export function importCounts(plan: Pick<ImportPlan, 'rows' | 'errors'>): ImportCounts {
  const count = (...actions: RowAction[]) => plan.rows.filter((r) => actions.includes(r.action)).length;
  return { created: count('create'), updated: count('update', 'reactivate'), unchanged: count('unchanged'), errors: [...plan.errors].sort((a, b) => a.row - b.row) };
}
