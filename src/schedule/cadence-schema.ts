/**
 * The zod schemas of a group's cadence (ranges and defaults in `cadence.ts`): what an admin may change
 * through the API or the admin form, with readable messages.
 */
import type { $RefinementCtx } from 'zod/v4/core';
import * as z from '../config/zod.js';
import type { CadenceSettings } from '../domain/types.js';
import { CADENCE_NUMBER_RANGES, CLOCK_PATTERN, clockToMinutesOrNaN } from './cadence.js';

function wholeNumber(label: string, unit: string, min: number, max: number) {
  const message = `${label} must be a whole number of ${unit} from ${min} to ${max}`;
  return z.int({ error: message }).check(z.minimum(min, { error: message }), z.maximum(max, { error: message }));
}

function clock(label: string) {
  return z.string({ error: `${label} must be a time "HH:MM"` }).check(
    z.regex(CLOCK_PATTERN, {
      error: `${label} must be a time "HH:MM" between 00:00 and 23:59, e.g. "08:00"`,
    }),
  );
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
      .check(
        z.minLength(1, { error: 'Pick at least one business day' }),
        z.refine((days) => new Set(days).size === days.length, { error: 'Each business day may be listed only once' }),
      ),
  })
  // Hours that run past midnight (a night shift) are not supported: "same day" keeps the slot maths simple.
  .check(
    z.refine(
      (hours) => {
        const start = clockToMinutesOrNaN(hours.start);
        const end = clockToMinutesOrNaN(hours.end);
        // A malformed time has its own issue already; don't add a confusing second one.
        return Number.isNaN(start) || Number.isNaN(end) || start < end;
      },
      {
        error: 'Business hours must start before they end (on the same day)',
        path: ['end'],
      },
    ),
  );

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
  anniversaryAsks: z.optional(z.boolean({ error: 'Anniversary asks must be true (on) or false (off)' })),
};

const cadenceObject = z.object(cadenceShape);
type CadenceValues = z.output<typeof cadenceObject>;

// Rules between fields run on the whole settings (after a patch is merged), never on a patch alone.
function checkOrder(settings: CadenceValues, ctx: $RefinementCtx<CadenceValues>): void {
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
export const cadenceSettingsSchema = cadenceObject.check(z.superRefine(checkOrder));

/**
 * A change to some settings (admin form / API). Strict, so a misspelt field is an error rather than
 * silently ignored; `businessHours` is replaced as a whole so its start < end check stays meaningful.
 * Check the merged result with {@link applyCadencePatch}.
 */
export const cadencePatchSchema = z.partial(z.strictObject(cadenceShape));

/** A validated partial change to a group's cadence. */
export type CadencePatch = z.infer<typeof cadencePatchSchema>;

/**
 * Validates `patch`, merges it over `current` and validates the result (cross-field rules included).
 * Returns a new object; `current` is not changed.
 * @throws $ZodError (zod/v4/core) listing every problem, each with its field path and a readable message.
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
