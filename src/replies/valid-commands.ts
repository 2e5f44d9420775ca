/**
 * The "you can reply with" lists: what each role may answer, narrowed to the email being answered
 * (PRODUCT.md "What happens, and when"). Used in every automated email and in the answer to an
 * unrecognised reply or `help`.
 */
import type { Referral } from '../domain/types.js';
import { replyOffered, replyVerbs } from '../referrals/core/rules.js';
import type { CommandHelp, Role, Verb } from './types.js';

/** How each reply word is explained; who may use it (and when) comes from the rule book. */
const PROVIDER: Record<string, CommandHelp> = {
  contacted: { word: 'contacted', meaning: 'you have made contact with the prospect' },
  met: { word: 'met', meaning: 'you have met them' },
  proposal: { word: 'proposal', meaning: 'you have sent a proposal or quote' },
  won: { word: 'won 4500', meaning: 'you won the business; the amount is optional and the referrer sees it only if you reply share' },
  lost: { word: 'lost <why>', meaning: 'the business went elsewhere; the referrer is told why' },
  pass: { word: 'pass <who is better>', meaning: 'you are not the best person for this; say who is' },
  thanks: { word: 'thanks <your words>', meaning: 'your thank-you, passed on to the referrer' },
  thanked: { word: 'thanked', meaning: 'you have already thanked the referrer another way' },
  share: { word: 'share', meaning: 'let the referrer see the closed value' },
  snooze: { word: 'snooze 2 weeks', meaning: 'ask again later (days or weeks)' },
  note: { word: 'note <text>', meaning: 'a private note on the referral' },
  good: { word: 'good', meaning: 'it was a good referral' },
  poor: { word: 'poor <why>', meaning: 'it was not a good referral, and why' },
  refer: { word: 'refer Name <email> <need>', meaning: 'refer someone back to the referrer' },
  ask: { word: 'ask <question>', meaning: 'a question, passed on to the referrer' },
  done: { word: 'done', meaning: 'you sent the customer a note of thanks; the referrer hears they are still your customer' },
  skip: { word: 'skip', meaning: 'no note this year' },
};

const REFERRER: Record<string, CommandHelp> = {
  cancel: { word: 'cancel', meaning: 'withdraw the referral; the provider is told' },
  no_intro: { word: 'no intro', meaning: 'send no introduction: the prospect will not be emailed' },
  provider: { word: 'provider: <name or email>', meaning: 'a different provider, before the introduction goes' },
  prospect: { word: 'prospect: <name> <email>', meaning: "correct the prospect's details, before the introduction goes" },
  ok: { word: 'ok', meaning: 'yes, re-refer to the member suggested' },
  ask: { word: 'ask <question>', meaning: 'a question, passed on to the provider' },
};

const PROSPECT: Record<string, CommandHelp> = {
  yes: { word: 'yes', meaning: 'they have been in touch with you' },
  no: { word: 'no', meaning: 'nobody has been in touch yet' },
  rating: { word: '1–5 <comment>', meaning: 'how it went, from 1 (poor) to 5 (excellent), with a comment if you like' },
};

const HELP: CommandHelp = { word: 'help', meaning: 'this list of replies' };
const STOP_MEMBER: CommandHelp = {
  word: 'stop',
  meaning: 'no more optional emails (digest, nudges); updates about referrals you hold continue',
};
const STOP_ANNIVERSARY: CommandHelp = { word: 'stop', meaning: 'no more anniversary reminders' };
const STOP_PROSPECT: CommandHelp = { word: 'stop', meaning: 'no more email from this group; the referral is withdrawn' };

/** Which commands each email invites; an email not listed here shows the role's full list. */
const BY_EMAIL: Record<Role, Record<string, readonly string[]>> = {
  provider: {
    provider_notice: ['contacted', 'pass', 'ask', 'note'],
    contact_reminder: ['contacted', 'pass', 'ask', 'note'],
    escalation: ['contacted', 'pass', 'ask', 'note'],
    thank_you_prompt: ['thanks', 'thanked'],
    progress_request: ['met', 'proposal', 'won', 'lost', 'pass', 'snooze', 'share', 'note', 'ask'],
    quality_question: ['good', 'poor'],
    give_back: ['refer'],
    relay: ['ask', 'note'],
    alert: ['ask', 'note'],
    dormant_notice: ['met', 'proposal', 'won', 'lost', 'pass'],
    anniversary: ['done', 'skip'],
  },
  referrer: {
    receipt: ['cancel', 'no_intro', 'provider', 'prospect', 'ask'],
    needs_info: ['provider', 'prospect', 'cancel'],
    needs_info_reminder: ['provider', 'prospect', 'cancel'],
    relay: ['ok', 'ask', 'cancel'],
    escalation_notice: ['ask', 'cancel'],
    milestone: ['ask'],
    thanks_relay: ['ask'],
    alert: ['ask'],
    dormant_notice: ['ask', 'cancel'],
    anniversary: [],
  },
  prospect: {
    connection_check: ['yes', 'no'],
    experience_check: ['rating'],
  },
};

/** Understood only in a reply to an anniversary ask (phrases.ts `kinds`), so listed only under one. */
const ANNIVERSARY_ANSWERS: readonly string[] = ['done', 'skip'];

const TABLES: Record<Role, Record<string, CommandHelp>> = { provider: PROVIDER, referrer: REFERRER, prospect: PROSPECT };

/** The explained reply words of each role, in the order the footers list them (for the agreement test). */
export const FOOTER_WORDS: Record<Role, readonly string[]> = {
  provider: Object.keys(PROVIDER),
  referrer: Object.keys(REFERRER),
  prospect: Object.keys(PROSPECT),
};

/**
 * The commands `role` may reply with to an email of kind `emailKind` (all of the role's commands
 * when the kind is unknown or invites none in particular), always followed by `help` and `stop`.
 * Only words the rule book gives this role are listed and, given the referral, only those it offers
 * in the referral's present state (no "reply won" under a closed referral).
 */
export function validCommands(role: Role, emailKind?: string, referral?: Referral): CommandHelp[] {
  const table = TABLES[role] ?? PROVIDER;
  const mayUse = new Set<string>(replyVerbs(role));
  const invited = ((emailKind && BY_EMAIL[role]?.[emailKind]) || Object.keys(table).filter((key) => !ANNIVERSARY_ANSWERS.includes(key))).filter(
    (key) => mayUse.has(key) && (!referral || replyOffered(key as Verb, role, referral)),
  );
  // A `stop` to an anniversary ask ends anniversary asks only (act-on-reply.ts).
  const stop = role === 'prospect' ? STOP_PROSPECT : emailKind === 'anniversary' && role === 'provider' ? STOP_ANNIVERSARY : STOP_MEMBER;
  return [...invited.map((key) => table[key]!), HELP, stop];
}
