import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Money } from '../../../src/domain/types.js';
import { extractReplyText } from '../../../src/replies/extract-reply-text.js';
import { parseCommand, type Role, type Verb } from '../../../src/replies/parse-command.js';
import { readEml } from './eml.js';

const DIR = join(import.meta.dirname, '../../fixtures/reply-corpus');

interface Case {
  role: Role;
  emailKind: string;
  currency: string;
  client: string;
  verb: Verb | 'ambiguous' | 'unknown';
  amount?: Money;
  days?: number;
  rating?: number;
  options?: Verb[];
  refer?: { name: string; email: string; need: string };
  textIncludes?: string;
  replyIncludes?: string;
  replyExcludes?: string[];
}
const { cases } = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as { cases: Record<string, Case> };

/** In every quoted history and attribution, never in anyone's new words. */
const HISTORY_MARKERS = ['Referral Relay', 'reply.relay.example', 'Reply with', 'wrote:', 'Sent from my', 'Get Outlook'];

function parse(reply: string, c: Case) {
  return parseCommand(reply, { role: c.role, currency: c.currency, emailKind: c.emailKind });
}

describe('reply corpus (test/fixtures/reply-corpus)', () => {
  it('has an expectation for every .eml file, and at least 40 of them', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.eml'));
    expect(Object.keys(cases).sort()).toEqual(files.sort());
    expect(files.length).toBeGreaterThanOrEqual(40);
  });

  it.each(Object.entries(cases))('%s', async (file, c) => {
    // Prepare
    const parts = await readEml(join(DIR, file));

    // Act
    const reply = extractReplyText(parts);
    const command = parse(reply, c);

    // Assess
    for (const marker of [...HISTORY_MARKERS, ...(c.replyExcludes ?? [])]) expect(reply).not.toContain(marker);
    if (c.replyIncludes) expect(reply).toContain(c.replyIncludes);
    expect(command.verb).toBe(c.verb);
    if (c.options) expect(command).toMatchObject({ options: c.options });
    const details = command as { amount?: Money; days?: number; rating?: number; refer?: unknown; text?: string };
    if (c.verb === 'won') expect(details.amount).toEqual(c.amount);
    if (c.days !== undefined) expect(details.days).toBe(c.days);
    if (c.rating !== undefined) expect(details.rating).toBe(c.rating);
    if (c.refer) expect(details.refer).toEqual(c.refer);
    if (c.textIncludes) expect(details.text).toContain(c.textIncludes);
  });

  // The HTML part alone must read the same: some clients send only HTML, and it is the part with the
  // least regular quoting (Outlook's divRplyFwdMsg, Gmail's gmail_quote, Apple's blockquote type=cite).
  const withHtml = Object.entries(cases).filter(([file]) => readFileSync(join(DIR, file), 'utf8').includes('text/html'));
  it.each(withHtml)('%s, HTML part alone', async (file, c) => {
    const { html } = await readEml(join(DIR, file));

    const reply = extractReplyText({ html });
    const command = parse(reply, c);

    for (const marker of HISTORY_MARKERS) expect(reply).not.toContain(marker);
    expect(command.verb).toBe(c.verb);
    if (c.verb === 'won') expect((command as { amount?: Money }).amount).toEqual(c.amount);
  });
});
