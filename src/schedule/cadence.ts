/**
 * A group's cadence: the delays of the timed emails, its business hours and its digest slot
 * (PRODUCT.md "What happens, and when"). Defaults plus the zod schemas that keep an admin's changes sane.
 */
import * as z from 'zod';
import type { CadenceSettings, Weekday } from '../domain/types.js';

/** A wall-clock time "HH:MM", 00:00–23:59. "24:00" is refused: end-of-day is "23:59" at most. */
export const CLOCK_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * Minutes after local midnight of an "HH:MM" wall-clock time.
 * @throws RangeError when the text is not "HH:MM".
 */
export function clockToMinutes(clock: string): number {
  const minutes = clockToMinutesOrNaN(clock);
  if (Number.isNaN(minutes)) throw new RangeError(`Expected a time "HH:MM", got "${clock}"`);
  return minutes;
}

function clockToMinutesOrNaN(clock: string): number {
  const match = CLOCK_PATTERN.exec(clock);
  return match ? Number(match[1]) * 60 + Number(match[2]) : Number.NaN;
}

/**
 * The PRODUCT.md defaults. Frozen because it is shared: build a changed copy with
 * {@link applyCadencePatch} (or a spread) rather than editing it.
 */
export const DEFAULT_SETTINGS: CadenceSettings = Object.freeze({
  thankYouPromptMinutes: 60,
  introMinutes: 120,
  contactReminderHours: 24,
  escalationHours: 48,
  connectionCheckDays: 3,
  progressRequestDays: 7,
  maxProgressRequests: 6,
  dormantAfterDays: 7,
  experienceCheckDays: 2,
  needsInfoReminderDays: 2,
  needsInfoExpiryDays: 14,
  businessHours: Object.freeze({
    start: '08:00',
    end: '18:00',
    days: Object.freeze([1, 2, 3, 4, 5]) as Weekday[],
  }),
  digestDay: 1,
  digestHour: 8,
});

function wholeNumber(label: string, unit: string, min: number, max: number) {
  const message = `${label} must be a whole number of ${unit} from ${min} to ${max}`;
  return z.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });
}

function clock(label: string) {
  return z.string({ error: `${label} must be a time "HH:MM"` }).regex(CLOCK_PATTERN, {
    error: `${label} must be a time "HH:MM" between 00:00 and 23:59, e.g. "08:00"`,
  });
}

const weekdaySchema = z.literal([1, 2, 3, 4, 5, 6, 7], {
  error: 'Days are numbered 1 (Monday) to 7 (Sunday)',
});

/** Business hours in the group's timezone: start < end on the same day, at least one weekday. */
export const businessHoursSchema = z
  .object({
    start: clock('Business hours start'),
    end: clock('Business hours end'),
    days: z
      .array(weekdaySchema, { error: 'Business days must be a list of weekday numbers' })
      .min(1, { error: 'Pick at least one business day' })
      .refine((days) => new Set(days).size === days.length, { error: 'Each business day may be listed only once' }),
  })
  // Hours that run past midnight (a night shift) are not supported: "same day" keeps the slot maths simple.
  .refine((hours) => {
    const start = clockToMinutesOrNaN(hours.start);
    const end = clockToMinutesOrNaN(hours.end);
    // A malformed time has its own issue already; don't add a confusing second one.
    return Number.isNaN(start) || Number.isNaN(end) || start < end;
  }, {
    error: 'Business hours must start before they end (on the same day)',
    path: ['end'],
  });

/*
 * The ranges are generous but stop settings that would break the product: an intro that cannot be
 * stopped by `no intro` (at least 15 minutes), chases stacked on one day, or runaway reminders.
 */
/** Each numeric setting: what it is called in messages, its unit and its allowed range (forms use these too). */
export const CADENCE_NUMBER_RANGES = {
  thankYouPromptMinutes: { name: 'Thank-you prompt delay', unit: 'minutes', min: 0, max: 24 * 60 },
  introMinutes: { name: 'Introduction delay', unit: 'minutes', min: 15, max: 7 * 24 * 60 },
  contactReminderHours: { name: 'Contact reminder delay', unit: 'hours', min: 1, max: 14 * 24 },
  escalationHours: { name: 'Escalation delay', unit: 'hours', min: 2, max: 21 * 24 },
  connectionCheckDays: { name: 'Connection check delay', unit: 'days', min: 1, max: 30 },
  progressRequestDays: { name: 'Progress request interval', unit: 'days', min: 1, max: 60 },
  maxProgressRequests: { name: 'Progress requests without an answer', unit: 'requests', min: 1, max: 20 },
  dormantAfterDays: { name: 'Dormant delay', unit: 'days', min: 1, max: 60 },
  experienceCheckDays: { name: 'Experience check delay', unit: 'days', min: 0, max: 30 },
  needsInfoReminderDays: { name: 'Needs-info reminder delay', unit: 'days', min: 1, max: 30 },
  needsInfoExpiryDays: { name: 'Needs-info expiry', unit: 'days', min: 2, max: 90 },
  digestHour: { name: 'Digest hour', unit: 'hours', min: 0, max: 23 },
} as const;
type NumberSetting = keyof typeof CADENCE_NUMBER_RANGES;
const numberSetting = (key: NumberSetting) => {
  const r = CADENCE_NUMBER_RANGES[key];
  return wholeNumber(r.name, r.unit, r.min, r.max);
};

const cadenceShape = {
  thankYouPromptMinutes: numberSetting('thankYouPromptMinutes'),
  introMinutes: numberSetting('introMinutes'),
  contactReminderHours: numberSetting('contactReminderHours'),
  escalationHours: numberSetting('escalationHours'),
  connectionCheckDays: numberSetting('connectionCheckDays'),
  progressRequestDays: numberSetting('progressRequestDays'),
  maxProgressRequests: numberSetting('maxProgressRequests'),
  dormantAfterDays: numberSetting('dormantAfterDays'),
  experienceCheckDays: numberSetting('experienceCheckDays'),
  needsInfoReminderDays: numberSetting('needsInfoReminderDays'),
  needsInfoExpiryDays: numberSetting('needsInfoExpiryDays'),
  businessHours: businessHoursSchema,
  digestDay: weekdaySchema,
  digestHour: numberSetting('digestHour'),
};

type CadenceValues = z.infer<z.ZodObject<typeof cadenceShape>>;

// Rules between fields run on the whole settings (after a patch is merged), never on a patch alone.
function checkOrder(settings: CadenceValues, ctx: z.RefinementCtx): void {
  if (settings.escalationHours <= settings.contactReminderHours) {
    ctx.addIssue({
      code: 'custom',
      path: ['escalationHours'],
      message: `Escalation delay (${settings.escalationHours} h) must be longer than the contact reminder delay (${settings.contactReminderHours} h)`,
    });
  }
  if (settings.needsInfoExpiryDays <= settings.needsInfoReminderDays) {
    ctx.addIssue({
      code: 'custom',
      path: ['needsInfoExpiryDays'],
      message: `Needs-info expiry (${settings.needsInfoExpiryDays} days) must be later than the needs-info reminder (${settings.needsInfoReminderDays} days)`,
    });
  }
}

/**
 * Complete cadence settings (as stored on a group). Unknown keys are stripped so that settings
 * written by a newer version still load.
 */
export const cadenceSettingsSchema = z.object(cadenceShape).superRefine(checkOrder);

/**
 * A change to some settings (admin form / API). Strict, so a misspelt field is an error rather than
 * silently ignored; `businessHours` is replaced as a whole so its start < end check stays meaningful.
 * Check the merged result with {@link applyCadencePatch}.
 */
export const cadencePatchSchema = z.strictObject(cadenceShape).partial();

/** A validated partial change to a group's cadence. */
export type CadencePatch = z.infer<typeof cadencePatchSchema>;

/**
 * Validates `patch`, merges it over `current` and validates the result (cross-field rules included).
 * Returns a new object; `current` is not changed.
 * @throws z.ZodError listing every problem, each with its field path and a readable message.
 */
export function applyCadencePatch(current: CadenceSettings, patch: unknown): CadenceSettings {
  const changes = cadencePatchSchema.parse(patch);
  return cadenceSettingsSchema.parse({
    ...current,
    ...changes,
    businessHours: { ...(changes.businessHours ?? current.businessHours) },
  });
}

// Compile-time guard: the schema's output must stay exactly the domain type.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
true satisfies Same<z.infer<typeof cadenceSettingsSchema>, CadenceSettings>;
