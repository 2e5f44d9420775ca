import { describe, expect, it } from 'vitest';
import * as z from '../../../src/config/zod.js';
import type { CadenceSettings } from '../../../src/domain/types.js';
import { applyCadencePatch, cadencePatchSchema, cadenceSettingsSchema } from '../../../src/schedule/cadence-schema.js';
import { clockToMinutes, DEFAULT_SETTINGS } from '../../../src/schedule/cadence.js';

function issuesOf(result: { success: boolean; error?: z.core.$ZodError }): { path: string; message: string }[] {
  return (result.error?.issues ?? []).map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

describe('DEFAULT_SETTINGS', () => {
  it('holds the PRODUCT.md defaults', () => {
    expect(DEFAULT_SETTINGS).toEqual({
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
      businessHours: { start: '08:00', end: '18:00', days: [1, 2, 3, 4, 5] },
      digestDay: 1,
      digestHour: 8,
      anniversaryAsks: true,
    });
  });

  it('passes its own schema', () => {
    expect(cadenceSettingsSchema.safeParse(DEFAULT_SETTINGS).success).toBe(true);
  });

  it('cannot be changed by accident', () => {
    expect(Object.isFrozen(DEFAULT_SETTINGS)).toBe(true);
    expect(Object.isFrozen(DEFAULT_SETTINGS.businessHours.days)).toBe(true);
  });
});

describe('cadenceSettingsSchema', () => {
  const withChange = (change: Partial<Record<keyof CadenceSettings, unknown>>) => ({ ...DEFAULT_SETTINGS, ...change });

  it.each([
    ['a time without a leading zero', { start: '8:00', end: '18:00', days: [1] }, 'businessHours.start', 'HH:MM'],
    ['24:00', { start: '08:00', end: '24:00', days: [1] }, 'businessHours.end', 'HH:MM'],
    ['a start after the end', { start: '18:00', end: '08:00', days: [1] }, 'businessHours.end', 'start before they end'],
    ['equal start and end', { start: '09:00', end: '09:00', days: [1] }, 'businessHours.end', 'start before they end'],
    ['no business day', { start: '08:00', end: '18:00', days: [] }, 'businessHours.days', 'at least one business day'],
    ['a repeated day', { start: '08:00', end: '18:00', days: [1, 1] }, 'businessHours.days', 'only once'],
    ['a day 8', { start: '08:00', end: '18:00', days: [8] }, 'businessHours.days.0', '1 (Monday) to 7 (Sunday)'],
  ])('refuses business hours with %s', (_label, businessHours, path, message) => {
    const issues = issuesOf(cadenceSettingsSchema.safeParse(withChange({ businessHours })));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe(path);
    expect(issues[0]!.message).toContain(message);
  });

  it.each([
    ['maxProgressRequests', 0],
    ['maxProgressRequests', 21],
    ['maxProgressRequests', 2.5],
    ['introMinutes', 5],
    ['contactReminderHours', 0],
    ['digestHour', 24],
    ['digestDay', 0],
    ['progressRequestDays', '7'],
  ] as const)('refuses %s = %s with a message naming the range', (field, value) => {
    const issues = issuesOf(cadenceSettingsSchema.safeParse(withChange({ [field]: value })));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe(field);
    expect(issues[0]!.message).toMatch(/from \d+ to \d+|1 \(Monday\) to 7 \(Sunday\)/);
  });

  it('explains the limits in words', () => {
    const issues = issuesOf(cadenceSettingsSchema.safeParse(withChange({ maxProgressRequests: 50 })));
    expect(issues[0]!.message).toBe('Progress requests without an answer must be a whole number of requests from 1 to 20');
  });

  it('requires the escalation after the contact reminder and the expiry after the reminder', () => {
    const issues = issuesOf(
      cadenceSettingsSchema.safeParse(withChange({ contactReminderHours: 48, escalationHours: 48, needsInfoReminderDays: 5, needsInfoExpiryDays: 3 })),
    );
    expect(issues.map((issue) => issue.path)).toEqual(['escalationHours', 'needsInfoExpiryDays']);
    expect(issues[0]!.message).toContain('longer than the contact reminder');
  });

  it('accepts other sane settings, e.g. Sunday–Thursday hours', () => {
    const result = cadenceSettingsSchema.safeParse(
      withChange({ businessHours: { start: '07:30', end: '16:45', days: [7, 1, 2, 3, 4] }, digestDay: 7, maxProgressRequests: 20 }),
    );
    expect(result.success).toBe(true);
  });
});

describe('cadencePatchSchema and applyCadencePatch', () => {
  it('accepts a partial change', () => {
    expect(cadencePatchSchema.safeParse({ maxProgressRequests: 3 }).success).toBe(true);
    expect(cadencePatchSchema.safeParse({}).success).toBe(true);
  });

  it('refuses a misspelt field instead of ignoring it', () => {
    const issues = issuesOf(cadencePatchSchema.safeParse({ maxProgresRequests: 3 }));
    expect(issues[0]!.message).toContain('maxProgresRequests');
  });

  it('merges a patch into a new object, leaving the current settings alone', () => {
    const result = applyCadencePatch(DEFAULT_SETTINGS, { maxProgressRequests: 3, businessHours: { start: '09:00', end: '17:00', days: [1, 2, 3] } });
    expect(result).toEqual({
      ...DEFAULT_SETTINGS,
      maxProgressRequests: 3,
      businessHours: { start: '09:00', end: '17:00', days: [1, 2, 3] },
    });
    expect(DEFAULT_SETTINGS.maxProgressRequests).toBe(6);
    expect(result.businessHours.days).not.toBe(DEFAULT_SETTINGS.businessHours.days);
  });

  it('checks rules between fields on the merged result', () => {
    // 30 h alone is fine, but not below the group's 36 h contact reminder.
    const current: CadenceSettings = { ...DEFAULT_SETTINGS, contactReminderHours: 36 };
    expect(() => applyCadencePatch(current, { escalationHours: 30 })).toThrow(z.core.$ZodError);
    expect(applyCadencePatch(current, { escalationHours: 40 }).escalationHours).toBe(40);
  });
});

describe('clockToMinutes', () => {
  it('reads HH:MM and refuses anything else', () => {
    expect(clockToMinutes('00:00')).toBe(0);
    expect(clockToMinutes('17:45')).toBe(1065);
    expect(() => clockToMinutes('7:45')).toThrow(RangeError);
  });
});
