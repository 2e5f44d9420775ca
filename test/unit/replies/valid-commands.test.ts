import { describe, expect, it } from 'vitest';
import { parseCommand, validCommands, type Role } from '../../../src/replies/parse-command.js';

const words = (role: Role, kind?: string) => validCommands(role, kind).map((c) => c.word);

describe('validCommands', () => {
  it('lists what each email invites, then help and stop', () => {
    expect(words('provider', 'progress_request')).toEqual([
      'met', 'proposal', 'won 4500', 'lost <why>', 'pass <who is better>', 'snooze 2 weeks', 'share', 'note <text>', 'ask <question>', 'help', 'stop',
    ]);
    expect(words('provider', 'thank_you_prompt')).toEqual(['thanks <your words>', 'thanked', 'help', 'stop']);
    expect(words('referrer', 'receipt')).toEqual(['cancel', 'no intro', 'provider: <name or email>', 'prospect: <name> <email>', 'ask <question>', 'help', 'stop']);
    expect(words('referrer', 'relay')).toContain('ok');
    expect(words('prospect', 'connection_check')).toEqual(['yes', 'no', 'help', 'stop']);
    expect(words('prospect', 'experience_check')).toEqual(['1–5 <comment>', 'help', 'stop']);
  });

  it("lists all of the role's commands for an email with no particular invitation", () => {
    expect(words('provider')).toHaveLength(17);
    expect(words('provider', 'digest')).toEqual(words('provider'));
    expect(words('referrer')).toEqual(['cancel', 'no intro', 'provider: <name or email>', 'prospect: <name> <email>', 'ok', 'ask <question>', 'help', 'stop']);
  });

  it('explains stop differently to a prospect and to a member', () => {
    expect(validCommands('prospect').at(-1)?.meaning).toMatch(/no more email from this group/);
    expect(validCommands('provider').at(-1)?.meaning).toMatch(/optional emails/);
  });

  it('lists only words that parseCommand reads back as that command', () => {
    for (const role of ['provider', 'referrer', 'prospect'] as const) {
      for (const { word } of validCommands(role)) {
        // The example as typed, with placeholders filled the way a person would.
        const typed = word.replace('<why>', 'too expensive').replace('<who is better>', 'Tom Baker').replace('<your words>', 'cheers Alice')
          .replace('<text>', 'call after 5').replace('<question>', 'any budget?').replace('<name or email>', 'Tom Baker')
          .replace('<name> <email>', 'Bob Stone bob@stone.example').replace('Name <email> <need>', 'Tom Baker <tom@baker.example> a website')
          .replace('1–5 <comment>', '5 great').replace('<comment>', '');
        expect(parseCommand(typed, { role, currency: 'GBP' }).verb, `${role}: ${typed}`).not.toMatch(/unknown|ambiguous/);
      }
    }
  });
});
