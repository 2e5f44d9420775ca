import { describe, expect, it } from 'vitest';
import { assertCase, emlFiles, harbourRoster, loadCases, readCase } from './mail-cases.js';

// The shared fixtures (test/fixtures/email) checked at the resolve level; the emails they list are the
// mail flow's business and are checked there.
describe('shared email fixtures', () => {
  const { cases } = loadCases('email');
  const roster = harbourRoster();

  it('has an expectation for every .eml', () => {
    expect(Object.keys(cases).sort()).toEqual(emlFiles('email'));
  });

  it.each(Object.entries(cases))('%s', async (file, testCase) => {
    const { mail, result } = await readCase('email', file, testCase, roster);

    assertCase(testCase, mail, result, roster);
  });

  it('asks about both Sams by name when "For Sam" is ambiguous (05)', async () => {
    const { result } = await readCase('email', '05-ambiguous-provider.eml', cases['05-ambiguous-provider.eml'], roster);

    expect(result.kind).toBe('needs_info');
    if (result.kind !== 'needs_info') return;
    expect(result.question).toContain('Sam Ortiz');
    expect(result.question).toContain('Sam Lee');
    expect(result.providerCandidates.map((c) => c.name)).toEqual(['Sam Ortiz', 'Sam Lee']);
  });

  it('reads the windows-1252 quoted-printable Outlook mail without C1 control characters (02)', async () => {
    const { mail } = await readCase('email', '02-outlook-forward-cc-provider.eml', cases['02-outlook-forward-cc-provider.eml'], roster);

    expect(mail.note).toContain('Sam – Helen');
    expect(mail.forwarded[0].body).toContain('there’s a slow leak');
    expect(mail.forwarded[0].body).toContain('Price’s Books');
    expect(mail.text).not.toMatch(/[\u0080-\u009f]/);
  });
});
