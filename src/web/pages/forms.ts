/**
 * Form bodies → validated domain input, with one readable message per form field. Pure, so the
 * rules can be unit-tested; the schemas are the API's own (src/web/api/schemas.ts,
 * src/members/schemas.ts, src/schedule/cadence.ts), so a form and the API accept the same things.
 */
import { $ZodError, type $ZodIssue } from 'zod/v4/core';
import * as z from '../../config/zod.js';
import type { CadenceSettings } from '../../domain/types.js';
import { memberPatchSchema, newMemberSchema, type MemberPatch, type NewMemberInput } from '../../members/schemas.js';
import { applyCadencePatch } from '../../schedule/cadence-schema.js';
import { CADENCE_NUMBER_RANGES } from '../../schedule/cadence.js';
import { actionSchema, newReferralSchema, prospectSchema } from '../api/schemas.js';
import { humanMessage } from '../human-issues.js';
import type { FieldErrors } from './layout.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** A trimmed field, or undefined when blank (forms send "" for an empty input). */
const optional = (value: string | undefined) => {
  const v = (value ?? '').trim();
  return v === '' ? undefined : v;
};

/** A whole or decimal number typed into a form; anything else is left as text for the schema to refuse. */
function numberOrText(value: string | undefined): number | string | undefined {
  const v = optional(value);
  if (v === undefined) return undefined;
  return /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
}

/** The first issue of each field, keyed by `fieldOf(path)`. */
export function fieldErrors(error: $ZodError, fieldOf: (path: PropertyKey[]) => string = (p) => String(p[0] ?? 'form'), messageOf?: (field: string, issue: $ZodIssue) => string | undefined): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = fieldOf(issue.path);
    if (errors[field]) continue;
    errors[field] = messageOf?.(field, issue) ?? humanMessage(issue);
  }
  return errors;
}

// ---- refer ----

export interface ReferInput {
  provider: string;
  prospect: z.infer<typeof prospectSchema>;
  need: string;
  temperature: number;
  consent: boolean;
  note?: string;
  intro?: string;
}

const referFormSchema = z.object({
  provider: z.string({ error: 'Choose who you are referring them to' }).check(z.trim(), z.minLength(1, 'Choose who you are referring them to')),
  prospect: prospectSchema,
  need: newReferralSchema.shape.need,
  temperature: z
    .number({ error: 'Pick how warm this referral is (1 to 5)' })
    .check(
      z.int({ error: 'Temperature is a whole number from 1 to 5' }),
      z.minimum(1, { error: 'Temperature is a whole number from 1 to 5' }),
      z.maximum(5, { error: 'Temperature is a whole number from 1 to 5' }),
    ),
  consent: z.boolean(),
  note: newReferralSchema.shape.note,
  intro: newReferralSchema.shape.intro,
});

const REFER_MESSAGES: Record<string, string> = {
  name: 'Give the prospect’s name',
  email: 'Enter an email address like name@example.com, or leave it empty',
  phone: 'Enter a phone number (digits, spaces, + ( ) - only), or leave it empty',
  need: 'Say in a few words what the prospect needs',
};

/** Form field names of the refer form: provider, name, email, phone, company, need, temperature, consent, note, intro. */
export function parseReferForm(form: Record<string, string>): Parsed<ReferInput> {
  const candidate = {
    provider: optional(form.provider),
    prospect: { name: form.name ?? '', email: optional(form.email), phone: optional(form.phone), company: optional(form.company) },
    need: form.need ?? '',
    temperature: numberOrText(form.temperature),
    consent: form.consent === 'on' || form.consent === 'yes' || form.consent === 'true',
    note: optional(form.note),
    intro: optional(form.intro),
  };
  const result = referFormSchema.safeParse(candidate);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    errors: fieldErrors(
      result.error,
      (path) => String(path[0] === 'prospect' ? path[1] : path[0]),
      (field, issue) => {
        // Temperature and provider carry their own messages (a too-big temperature is a number, not text).
        if (field === 'temperature' || field === 'provider' || (field === 'intro' && issue.code !== 'too_big')) return issue.message;
        return issue.code === 'too_big' ? `Keep it under ${String((issue as { maximum?: unknown }).maximum)} characters` : REFER_MESSAGES[field];
      },
    ),
  };
}

// ---- profile ----

/** Extra sender addresses typed one per line (commas and spaces also separate them). */
export function splitAddresses(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((a) => a.trim().toLowerCase()).filter(Boolean))];
}

/** Form fields: name, business, category, tellPeople, goodReferral, setsApart, goalPerMonth, extraAddresses. */
export function parseProfileForm(form: Record<string, string>): Parsed<MemberPatch> {
  const addresses = splitAddresses(form.extraAddresses ?? '');
  const candidate = {
    name: form.name ?? '',
    business: (form.business ?? '').trim(),
    category: (form.category ?? '').trim(),
    profile: { tellPeople: (form.tellPeople ?? '').trim(), goodReferral: (form.goodReferral ?? '').trim(), setsApart: (form.setsApart ?? '').trim() },
    ...(optional(form.goalPerMonth) !== undefined ? { goalPerMonth: numberOrText(form.goalPerMonth) } : {}),
    extraAddresses: addresses,
  };
  const result = memberPatchSchema.safeParse(candidate);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    errors: fieldErrors(
      result.error,
      (path) => String(path[0] === 'profile' ? path[1] : path[0]),
      (field, issue) => {
        if (issue.code === 'too_big' && field === 'extraAddresses' && issue.path.length === 1) return 'At most 10 extra addresses';
        if (issue.code === 'too_big') return `Keep it under ${String((issue as { maximum?: unknown }).maximum)} characters`;
        if (field === 'name') return 'Your name cannot be empty';
        if (field === 'goalPerMonth') return 'The goal is a whole number of referrals from 0 to 1000';
        if (field === 'extraAddresses') return `"${addresses[Number(issue.path[1])] ?? ''}" is not an email address`;
        return undefined;
      },
    ),
  };
}

// ---- admin: add a member ----

/** Form fields: name, email, business, category. */
export function parseNewMemberForm(form: Record<string, string>): Parsed<NewMemberInput> {
  const result = newMemberSchema.safeParse({ name: form.name ?? '', email: form.email ?? '', business: optional(form.business), category: optional(form.category) });
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    errors: fieldErrors(result.error, undefined, (field, issue) =>
      issue.code === 'too_big' ? `Keep it under ${String((issue as { maximum?: unknown }).maximum)} characters` : field === 'name' ? 'Give the member’s name' : field === 'email' ? 'Enter an email address like name@example.com' : undefined,
    ),
  };
}

// ---- admin: cadence settings ----

/** The numeric cadence fields, in the order the settings form shows them (the schema's order). */
export const CADENCE_NUMBER_FIELDS = Object.keys(CADENCE_NUMBER_RANGES) as (keyof typeof CADENCE_NUMBER_RANGES)[];

/**
 * The settings form as a cadence patch. Business hours are always sent whole (no day ticked → an
 * empty list, which the schema refuses); a blank number keeps the current value.
 */
export function settingsPatchFromForm(form: { get(name: string): string; all(name: string): string[] }): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const field of CADENCE_NUMBER_FIELDS) {
    const value = numberOrText(form.get(field));
    if (value !== undefined) patch[field] = value;
  }
  const digestDay = numberOrText(form.get('digestDay'));
  if (digestDay !== undefined) patch.digestDay = digestDay;
  // An unticked checkbox sends nothing, so the form says it showed the switch.
  if (form.get('anniversaryAsksShown')) patch.anniversaryAsks = form.get('anniversaryAsks') === 'on';
  patch.businessHours = {
    start: form.get('start').trim(),
    end: form.get('end').trim(),
    days: form.all('days').map((d) => numberOrText(d)),
  };
  return patch;
}

/** Settings form field of a cadence issue path: business hours map to start / end / days. */
export function settingsFieldOf(path: PropertyKey[]): string {
  if (path[0] === 'businessHours') return path[1] === undefined ? 'days' : String(path[1]);
  return String(path[0] ?? 'form');
}

/** Merges the form over the current settings; every problem is reported against its form field. */
export function parseSettingsForm(current: CadenceSettings, form: { get(name: string): string; all(name: string): string[] }): Parsed<CadenceSettings> {
  try {
    return { ok: true, value: applyCadencePatch(current, settingsPatchFromForm(form)) };
  } catch (err) {
    if (err instanceof $ZodError) return { ok: false, errors: fieldErrors(err, settingsFieldOf) };
    throw err;
  }
}

// ---- referral actions ----

export type ActionBody = z.infer<typeof actionSchema>;

/** Form fields: action, text, amount, currency, days, provider. "4,500" is read as 4500. */
export function parseActionForm(form: Record<string, string>): Parsed<ActionBody> {
  const amountText = optional(form.amount)?.replace(/[,\s]/g, '');
  const candidate = {
    action: form.action ?? '',
    ...(optional(form.text) !== undefined ? { text: optional(form.text) } : {}),
    ...(amountText !== undefined ? { amount: numberOrText(amountText) } : {}),
    ...(optional(form.currency) !== undefined ? { currency: optional(form.currency) } : {}),
    ...(optional(form.days) !== undefined ? { days: numberOrText(form.days) } : {}),
    ...(optional(form.provider) !== undefined ? { provider: optional(form.provider) } : {}),
  };
  const result = actionSchema.safeParse(candidate);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    errors: fieldErrors(result.error, undefined, (field, issue) => {
      if (field === 'action') return 'That is not an action you can take here';
      if (field === 'amount') return 'The amount must be a number such as 4500';
      if (field === 'currency') return 'The currency is a three-letter code such as GBP';
      if (field === 'days') return 'Snooze for a whole number of days from 1 to 90';
      if (issue.code === 'too_big') return `Keep it under ${String((issue as { maximum?: unknown }).maximum)} characters`;
      return undefined;
    }),
  };
}
