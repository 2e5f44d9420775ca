/**
 * Vocabulary of reply commands (PRODUCT.md "Email as the interface", "What happens, and when").
 * Plain data types only.
 */
import type { Money } from '../domain/types.js';

/** Who is replying, as far as the reply token says. */
export type Role = 'provider' | 'referrer' | 'prospect';

export const VERBS = [
  'contacted',
  'met',
  'proposal',
  'won',
  'lost',
  'pass',
  'thanks',
  'thanked',
  'share',
  'snooze',
  'note',
  'good',
  'poor',
  'refer',
  'ask',
  'cancel',
  'no_intro',
  'intro',
  'provider',
  'prospect',
  'ok',
  'yes',
  'no',
  'rating',
  // Answers to an anniversary ask (understood only in a reply to one).
  'done',
  'skip',
  // Takes back the member's last change by reply, within 15 minutes.
  'undo',
  'stop',
  'help',
] as const;
export type Verb = (typeof VERBS)[number];

/** The milestones a provider reports; `won`, `lost` and `pass` are final (cannot be undone by a reply). */
export const MILESTONE_VERBS: readonly Verb[] = ['contacted', 'met', 'proposal', 'won', 'lost', 'pass'];
export const FINAL_VERBS: readonly Verb[] = ['won', 'lost', 'pass'];

/** A `refer Name <email> <need>` give-back. */
export interface ReferBack {
  name: string;
  email: string;
  need: string;
}

/** What a reply asks for. */
export type Command =
  | {
      verb: Verb;
      /** The words that go with the command: the lost reason, the thanks to relay, the note, the question… */
      text?: string;
      /** `won`: the closed value, in major units. */
      amount?: Money;
      /** `snooze`: days until the next progress request. */
      days?: number;
      /** `rating`: 1–5. */
      rating?: number;
      /** `refer`: present only when a name and an email address could be read. */
      refer?: ReferBack;
    }
  /** The words could mean more than one command: ask back rather than guess. */
  | { verb: 'ambiguous'; options: Verb[]; text: string }
  /** Nothing recognisable: store the text privately and answer with the valid commands. */
  | { verb: 'unknown'; text: string };

/** Context of the reply: who sent it, the group's currency, and which email it answers. */
export interface CommandContext {
  role: Role;
  /** ISO 4217 code used when an amount is written without a currency. */
  currency: string;
  /** The `EmailKind` of the email being answered, when known. */
  emailKind?: string;
}

/** One line of a "you can reply with" list. */
export interface CommandHelp {
  /** As the reader should type it: `won 4500`, `lost <why>`. */
  word: string;
  meaning: string;
}
