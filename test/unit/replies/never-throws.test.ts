import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractReplyText } from '../../../src/replies/extract-reply-text.js';
import { parseAmount } from '../../../src/replies/parse-amount.js';
import { parseCommand } from '../../../src/replies/parse-command.js';
import { VERBS } from '../../../src/replies/types.js';

/** Pieces that reach the interesting branches far more often than uniformly random text would. */
const TOKENS = [
  '>', '> ', '\n', '\r\n', ' ', ',', '?', '-- ', '–', ':', '：', '<', '>', '@', 'On ', 'Am ', 'Le ', 'wrote:', 'schrieb', 'a écrit :',
  'From: ', 'Sent: ', 'Von: ', '-----Original Message-----', '________________________________', 'Sent from my iPhone',
  'Thanks,', 'Hi Alice,', 'won', 'lost', 'met', 'contacted', 'proposal', 'thanks', 'pass', 'snooze', 'refer', 'ask', 'no intro',
  'provider:', 'prospect:', 'yes', 'no', 'not yet', 'maybe', 'and', 'but', 'will', "didn't", '£', '$', '€', 'US$', 'GBP', 'k',
  '4,500', '1.200,50', '3 000', '4.5', '07700 900123', '2026', '10:30', '24/11', '⭐', '👍', '👨‍👩‍👧', '\u00a0', '\u200b', 'é', 'ß',
  '<div id="divRplyFwdMsg">', '<blockquote type="cite">', '</blockquote>', '<img data-emoji="👍">', '<p>', '&nbsp;',
];
const tokenText = fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((parts) => parts.join(''));
const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ maxLength: 300 }), tokenText);
const role = fc.constantFrom('provider', 'referrer', 'prospect' as const);
const emailKind = fc.option(fc.constantFrom('progress_request', 'quality_question', 'receipt', 'experience_check', 'thank_you_prompt', 'x'), { nil: undefined });

const COMMAND_VERBS: readonly string[] = [...VERBS, 'ambiguous', 'unknown'];

describe('never throws on arbitrary strings', () => {
  it('extractReplyText, from text and from HTML', () => {
    fc.assert(
      fc.property(anyText, anyText, (text, html) => {
        expect(typeof extractReplyText({ text })).toBe('string');
        expect(typeof extractReplyText({ html })).toBe('string');
        expect(typeof extractReplyText({ text, html })).toBe('string');
      }),
      { numRuns: 400 },
    );
  });

  it('parseAmount, returning a positive finite amount or nothing', () => {
    fc.assert(
      fc.property(anyText, fc.string({ maxLength: 5 }), (text, currency) => {
        const money = parseAmount(text, currency);
        if (money) {
          expect(Number.isFinite(money.amount)).toBe(true);
          expect(money.amount).toBeGreaterThan(0);
          expect(typeof money.currency).toBe('string');
        }
      }),
      { numRuns: 600 },
    );
  });

  it('parseCommand, always answering with a known verb', () => {
    fc.assert(
      fc.property(anyText, role, emailKind, (text, r, kind) => {
        const command = parseCommand(text, { role: r, currency: 'GBP', emailKind: kind });
        expect(COMMAND_VERBS).toContain(command.verb);
        if (command.verb === 'ambiguous') expect(command.options.length).toBeGreaterThan(0);
      }),
      { numRuns: 600 },
    );
  });

  it('the whole pipeline, on replies made of email-ish pieces', () => {
    fc.assert(
      fc.property(tokenText, tokenText, role, (text, html, r) => {
        const reply = extractReplyText({ text, html });
        expect(COMMAND_VERBS).toContain(parseCommand(reply, { role: r, currency: 'EUR' }).verb);
      }),
      { numRuns: 400 },
    );
  });
});

describe('stays fast on hostile input', () => {
  // Regex-heavy parsers can backtrack for minutes on crafted lines; every pattern here is bounded.
  const hostile = [
    'On ' + 'a '.repeat(20_000),
    'x on ' + 'at '.repeat(20_000) + 'wrote',
    'a <'.repeat(20_000),
    'From: ' + ' ['.repeat(20_000),
    '> '.repeat(50_000),
    '1,'.repeat(30_000),
    '£1 '.repeat(20_000),
    'won and lost, '.repeat(5_000),
    'Hi '.repeat(20_000),
    '<div id="divRplyFwdMsg">'.repeat(5_000) + '<blockquote>'.repeat(5_000),
    'x'.repeat(200_000),
    'Thanks\n'.repeat(50_000),
    `On 3 Dec 2026 at 09:00, Relay <${'a'.repeat(300)}\n`.repeat(5_000),
    'From: Relay\n\n'.repeat(20_000),
    'Hi Alice,\n'.repeat(20_000) + 'won',
  ];

  it.each(hostile.map((h, i) => [i, h] as const))('input %i', (_, text) => {
    const started = performance.now();
    extractReplyText({ text });
    extractReplyText({ html: text });
    parseCommand(text, { role: 'provider', currency: 'GBP' });
    parseAmount(text, 'GBP');
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});
