import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/schedule/cadence.js';
import {
  parseActionForm,
  parseNewMemberForm,
  parseProfileForm,
  parseReferForm,
  parseSettingsForm,
  settingsFieldOf,
  settingsPatchFromForm,
  splitAddresses,
} from '../../../src/web/pages/forms.js';

const refer = (overrides: Record<string, string> = {}) => ({
  provider: 'abcdefghijklmnop',
  name: ' Nadia Baker ',
  email: 'Nadia@Example.com',
  phone: '',
  company: '',
  need: 'A bookkeeper for her bakery',
  temperature: '3',
  consent: 'on',
  note: '',
  ...overrides,
});

/** A form as `readForm` gives it: first values and repeated ones. */
const form = (fields: Record<string, string | string[]>) => ({
  get: (name: string) => {
    const v = fields[name];
    return (Array.isArray(v) ? v[0] : v) ?? '';
  },
  all: (name: string) => {
    const v = fields[name];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  },
});

describe('parseReferForm', () => {
  it('reads a valid form, dropping blank optional fields', () => {
    const parsed = parseReferForm(refer());
    expect(parsed).toEqual({
      ok: true,
      value: { provider: 'abcdefghijklmnop', prospect: { name: 'Nadia Baker', email: 'nadia@example.com' }, need: 'A bookkeeper for her bakery', temperature: 3, consent: true },
    });
  });

  it('reads an unticked consent box as no consent', () => {
    const { consent, ...rest } = refer();
    const parsed = parseReferForm(rest);
    expect(parsed.ok && parsed.value.consent).toBe(false);
    expect(consent).toBe('on');
  });

  it.each([
    [{ name: '' }, 'name', 'Give the prospect’s name'],
    [{ email: 'nadia@' }, 'email', 'Enter an email address like name@example.com, or leave it empty'],
    [{ phone: 'ring ring' }, 'phone', 'Enter a phone number (digits, spaces, + ( ) - only), or leave it empty'],
    [{ temperature: '7' }, 'temperature', 'Temperature is a whole number from 1 to 5'],
    [{ temperature: '0' }, 'temperature', 'Temperature is a whole number from 1 to 5'],
    [{ temperature: '2.5' }, 'temperature', 'Temperature is a whole number from 1 to 5'],
    [{ temperature: '' }, 'temperature', 'Pick how warm this referral is (1 to 5)'],
    [{ temperature: 'hot' }, 'temperature', 'Pick how warm this referral is (1 to 5)'],
    [{ need: 'x' }, 'need', 'Say in a few words what the prospect needs'],
    [{ need: 'x'.repeat(5001) }, 'need', 'Keep it under 5000 characters'],
    [{ provider: '' }, 'provider', 'Choose who you are referring them to'],
  ])('refuses %j on the field %s', (override, field, message) => {
    const parsed = parseReferForm(refer(override));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors[field]).toBe(message);
  });

  it('reports every bad field at once', () => {
    const parsed = parseReferForm(refer({ name: '', email: 'x', need: '' }));
    expect(parsed.ok ? [] : Object.keys(parsed.errors).sort()).toEqual(['email', 'name', 'need']);
  });
});

describe('parseProfileForm', () => {
  it('splits extra addresses one per line (commas too), lower-cased and de-duplicated', () => {
    expect(splitAddresses('A@x.com\n\n b@y.org, a@x.com ;c@z.net')).toEqual(['a@x.com', 'b@y.org', 'c@z.net']);
  });

  it('builds a member patch', () => {
    const parsed = parseProfileForm({ name: 'Pia', business: ' Pia Plants ', category: '', tellPeople: 'Flowers', goodReferral: '', setsApart: '', goalPerMonth: '3', extraAddresses: 'pia@home.net' });
    expect(parsed).toEqual({
      ok: true,
      value: { name: 'Pia', business: 'Pia Plants', category: '', profile: { tellPeople: 'Flowers', goodReferral: '', setsApart: '' }, goalPerMonth: 3, extraAddresses: ['pia@home.net'] },
    });
  });

  it('leaves the goal alone when blank', () => {
    const parsed = parseProfileForm({ name: 'Pia', goalPerMonth: '' });
    expect(parsed.ok && 'goalPerMonth' in parsed.value).toBe(false);
  });

  it('names the bad address, the bad goal and the missing name', () => {
    const parsed = parseProfileForm({ name: ' ', goalPerMonth: '2.5', extraAddresses: 'ok@x.com\nnope' });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.errors.name).toBe('Your name cannot be empty');
      expect(parsed.errors.goalPerMonth).toBe('The goal is a whole number of referrals from 0 to 1000');
      expect(parsed.errors.extraAddresses).toBe('"nope" is not an email address');
    }
  });

  it('allows at most 10 extra addresses', () => {
    const many = Array.from({ length: 11 }, (_, i) => `a${i}@x.com`).join('\n');
    const parsed = parseProfileForm({ name: 'Pia', extraAddresses: many });
    expect(!parsed.ok && parsed.errors.extraAddresses).toBe('At most 10 extra addresses');
  });
});

describe('parseNewMemberForm', () => {
  it('reads a member and explains a bad one', () => {
    expect(parseNewMemberForm({ name: 'Nina', email: 'NINA@x.com', business: '', category: 'Coach' })).toEqual({ ok: true, value: { name: 'Nina', email: 'nina@x.com', category: 'Coach' } });
    const bad = parseNewMemberForm({ name: '', email: 'nina' });
    expect(bad.ok ? {} : bad.errors).toEqual({ name: 'Give the member’s name', email: 'Enter an email address like name@example.com' });
  });
});

describe('the settings form', () => {
  const valid = { start: '09:00', end: '17:00', days: ['1', '2', '3'], introMinutes: '90', digestDay: '5' };

  it('becomes a patch with business hours sent whole and blank numbers left out', () => {
    expect(settingsPatchFromForm(form({ ...valid, thankYouPromptMinutes: '' }))).toEqual({ introMinutes: 90, digestDay: 5, businessHours: { start: '09:00', end: '17:00', days: [1, 2, 3] } });
  });

  it('merges over the current settings', () => {
    const parsed = parseSettingsForm(DEFAULT_SETTINGS, form(valid));
    expect(parsed).toEqual({ ok: true, value: { ...DEFAULT_SETTINGS, introMinutes: 90, digestDay: 5, businessHours: { start: '09:00', end: '17:00', days: [1, 2, 3] } } });
  });

  it.each([
    [{ start: '9am' }, 'start'],
    [{ end: '24:00' }, 'end'],
    [{ start: '17:00', end: '09:00' }, 'end'],
    [{ days: [] }, 'days'],
    [{ days: ['1', '1'] }, 'days'],
    [{ days: ['0'] }, 'days'],
    [{ introMinutes: '10' }, 'introMinutes'],
    [{ introMinutes: 'soon' }, 'introMinutes'],
    [{ digestHour: '24' }, 'digestHour'],
    [{ digestDay: '9' }, 'digestDay'],
    [{ contactReminderHours: '50' }, 'escalationHours'],
    [{ needsInfoReminderDays: '20' }, 'needsInfoExpiryDays'],
  ])('puts the problem with %j on %s', (override, field) => {
    const parsed = parseSettingsForm(DEFAULT_SETTINGS, form({ ...valid, ...override }));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(Object.keys(parsed.errors)).toContain(field);
  });

  it('maps cadence issue paths to form fields', () => {
    expect(settingsFieldOf(['businessHours', 'start'])).toBe('start');
    expect(settingsFieldOf(['businessHours', 'days', 0])).toBe('days');
    expect(settingsFieldOf(['businessHours'])).toBe('days');
    expect(settingsFieldOf(['digestHour'])).toBe('digestHour');
  });
});

describe('parseActionForm', () => {
  it('reads amounts with thousands separators and upper-cases the currency', () => {
    expect(parseActionForm({ action: 'won', amount: '4,500', currency: 'eur', text: '' })).toEqual({ ok: true, value: { action: 'won', amount: 4500, currency: 'EUR' } });
  });

  it('reads snooze days and a reassign target', () => {
    expect(parseActionForm({ action: 'snooze', days: '14' })).toEqual({ ok: true, value: { action: 'snooze', days: 14 } });
    expect(parseActionForm({ action: 'reassign', provider: 'abcdefghijklmnop' })).toEqual({ ok: true, value: { action: 'reassign', provider: 'abcdefghijklmnop' } });
  });

  it.each([
    [{ action: 'explode' }, 'action'],
    [{ action: 'prospect_stop' }, 'action'],
    [{ action: 'won', amount: 'lots' }, 'amount'],
    [{ action: 'won', amount: '-5' }, 'amount'],
    [{ action: 'won', currency: 'pounds' }, 'currency'],
    [{ action: 'snooze', days: '0' }, 'days'],
    [{ action: 'snooze', days: '91' }, 'days'],
  ])('refuses %j on %s', (fields, field) => {
    const parsed = parseActionForm(fields);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(Object.keys(parsed.errors)).toEqual([field]);
  });
});
