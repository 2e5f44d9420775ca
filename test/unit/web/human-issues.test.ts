import { describe, expect, it } from 'vitest';
import { actionSchema, newReferralSchema } from '../../../src/web/api/schemas.js';
import { humanIssues, issuesSentence } from '../../../src/web/human-issues.js';
import { parseReferForm } from '../../../src/web/pages/forms.js';

const good = { provider: 'abcdefghijklmnop', prospect: { name: 'Ann' }, need: 'a bookkeeper', consent: true };
const messagesFor = (body: unknown) => {
  const result = newReferralSchema.safeParse(body);
  expect(result.success).toBe(false);
  return humanIssues(result.error!.issues);
};
const ZOD_WORDING = /Invalid input|expected \w+, received|Too (small|big)|Unrecognized key/i;

describe('human error sentences', () => {
  it.each([
    ['a missing provider', { ...good, provider: undefined }, 'provider', 'Say who you are referring them to (a member’s id or email address)'],
    ['a missing prospect name', { ...good, prospect: {} }, 'prospect.name', 'Give the prospect’s name'],
    ['an empty prospect name', { ...good, prospect: { name: ' ' } }, 'prospect.name', 'Give the prospect’s name'],
    ['a bad prospect email', { ...good, prospect: { name: 'Ann', email: 'ann-at-example' } }, 'prospect.email', 'That email address doesn’t look right'],
    ['a missing prospect email given as null', { ...good, prospect: { name: 'Ann', email: null } }, 'prospect.email', 'Give the prospect’s email address'],
    ['a bad phone', { ...good, prospect: { name: 'Ann', phone: 'call me' } }, 'prospect.phone', 'That phone number doesn’t look right (digits, spaces and + ( ) - only)'],
    ['a missing need', { ...good, need: undefined }, 'need', 'Say in a few words what the prospect needs'],
    ['a temperature of 6', { ...good, temperature: 6 }, 'temperature', 'The temperature is a whole number from 1 to 5'],
    ['consent as text', { ...good, consent: 'yes' }, 'consent', 'Consent is true or false'],
    ['an unknown field', { ...good, colour: 'red' }, '', 'We don’t know the field “colour”: leave it out'],
    ['a note that is a number', { ...good, note: 5 }, 'note', 'The note should be text'],
    ['a note too long', { ...good, note: 'x'.repeat(5001) }, 'note', 'Keep the note under 5000 characters'],
  ])('%s', (_, body, path, message) => {
    const issues = messagesFor(body);
    expect(issues).toContainEqual({ path, message });
    for (const issue of issues) expect(issue.message).not.toMatch(ZOD_WORDING);
  });

  it('an empty body names every missing field in sentences, after their paths', () => {
    const sentence = issuesSentence(messagesFor({}));
    expect(sentence).toContain('provider: Say who you are referring them to');
    expect(sentence).toContain('prospect: Give the prospect: at least their name');
    expect(sentence).toContain('consent: Consent is true or false');
    expect(sentence).not.toMatch(ZOD_WORDING);
  });

  it('an unknown action', () => {
    const result = actionSchema.safeParse({ action: 'explode' });
    expect(humanIssues(result.error!.issues)).toEqual([{ path: 'action', message: 'That is not an action you can take here' }]);
  });

  it('the form uses the same sentences', () => {
    const result = parseReferForm({ provider: 'abcdefghijklmnop', name: 'Ann', email: 'nope', need: 'books', temperature: '3' });
    expect(result).toEqual({ ok: false, errors: { email: 'Enter an email address like name@example.com, or leave it empty' } });
  });
});
