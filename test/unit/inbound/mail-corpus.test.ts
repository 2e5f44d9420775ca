import { describe, expect, it } from 'vitest';
import { assertCase, emlFiles, harbourRoster, loadCases, readCase } from './mail-cases.js';

// Realistic raw mail from the clients members actually use, in test/fixtures/email-corpus.
describe('own email corpus', () => {
  const { cases, extraMembers } = loadCases('email-corpus');
  const roster = harbourRoster(extraMembers);

  it('has an expectation for every .eml and at least 30 cases', () => {
    expect(Object.keys(cases).sort()).toEqual(emlFiles('email-corpus'));
    expect(Object.keys(cases).length).toBeGreaterThanOrEqual(30);
  });

  it.each(Object.entries(cases))('%s', async (file, testCase) => {
    const { mail, result } = await readCase('email-corpus', file, testCase, roster);

    assertCase(testCase, mail, result, roster);
  });
});
