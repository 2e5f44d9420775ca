import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractReplyText } from '../../../src/replies/extract-reply-text.js';
import { parseCommand } from '../../../src/replies/parse-command.js';
import { DEFAULT_PLACEHOLDERS, readEml } from './eml.js';

const DIR = join(import.meta.dirname, '../../fixtures/replies');

interface Case {
  answers: string;
  from: string;
  then: { status: string; closedValue?: number; reasonIncludes?: string; timelineNoteIncludes?: string };
}
const { cases } = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as { cases: Record<string, Case> };

/** The email each fixture answers, as an EmailKind. */
const KIND: Record<string, string> = { 'new-referral notice': 'provider_notice', 'a progress request': 'progress_request' };

describe('shared reply fixtures (test/fixtures/replies)', () => {
  it.each(Object.entries(cases))('%s', async (file, expected) => {
    // Prepare
    const parts = await readEml(join(DIR, file), { ...DEFAULT_PLACEHOLDERS, FROM: expected.from });

    // Act
    const reply = extractReplyText(parts);
    const command = parseCommand(reply, { role: 'provider', currency: 'GBP', emailKind: KIND[expected.answers] });

    // Assess
    expect(reply).not.toContain('won 4500'); // the quoted line never leaks into the reply
    const { status, closedValue, reasonIncludes, timelineNoteIncludes } = expected.then;
    if (status === 'unchanged') {
      expect(command.verb).toBe('unknown');
      expect(command.text).toContain(timelineNoteIncludes);
      return;
    }
    expect(command.verb).toBe(status);
    if (closedValue !== undefined) expect(command).toMatchObject({ amount: { amount: closedValue, currency: 'GBP' } });
    if (reasonIncludes !== undefined) expect(command.text).toContain(reasonIncludes);
  });

  it('has an expectation for every .eml file', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.eml'));
    expect(files.length).toBeGreaterThan(0);
    expect(Object.keys(cases).sort()).toEqual(files.sort());
  });
});
