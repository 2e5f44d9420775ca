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
  undo: { word: 'undo', meaning: 'take back the change above (within 15 minutes)' },
};

const REFERRER: Record<string, CommandHelp> = {
  cancel: { word: 'cancel', meaning: 'withdraw the referral; the provider is told' },
  no_intro: { word: 'no intro', meaning: 'send no introduction: the prospect will not be emailed' },
  intro: { word: 'intro: <one line for the prospect>', meaning: 'your own words about the provider, shown in the introduction' },
  provider: { word: 'provider: <name or email>', meaning: 'a different provider, before the introduction goes' },
  prospect: { word: 'prospect: <name> <email>', meaning: "correct the prospect's details, before the introduction goes" },
  ok: { word: 'ok', meaning: 'yes, re-refer to the member suggested' },
  ask: { word: 'ask <question>', meaning: 'a question, passed on to the provider' },
  undo: { word: 'undo', meaning: 'take back the change above (within 15 minutes)' },
};

const PROSPECT: Record<string, CommandHelp> = {
  yes: { word: 'yes', meaning: 'they have been in touch with you' },
  no: { word: 'no', meaning: 'nobody has been in touch yet' },
  rating: { word: '1–5 <comment>', meaning: 'how it went, from 1 (poor) to 5 (excellent), with a comment if you like' },
};

const STOP_MEMBER: CommandHelp = {
  word: 'stop',
  meaning: 'no more optional emails (digest, nudges); updates about referrals you hold continue',
};
const STOP_ANNIVERSARY: CommandHelp = { word: 'stop', meaning: 'no more anniversary reminders' };
const STOP_PROSPECT: CommandHelp = { word: 'stop', meaning: 'no more email from this group; the referral is withdrawn' };

/**
 * Which reply words each email invites, the most likely first (issue 15 item 4). An email kind not
 * listed for a role invites nothing ("No need to reply"): notices, help answers, the intro. Every word
 * an email's text asks for is here (test/unit/replies/valid-commands.test.ts checks that table).
 */
const BY_EMAIL: Record<Role, Record<string, readonly string[]>> = {
  provider: {
    provider_notice: ['contacted', 'pass', 'ask', 'note'],
    contact_reminder: ['contacted', 'pass', 'ask', 'note'],
    escalation: ['contacted', 'pass', 'ask', 'note'],
    thank_you_prompt: ['thanks', 'thanked'],
    progress_request: ['met', 'proposal', 'won', 'lost', 'snooze', 'pass', 'share', 'note', 'ask'],
    quality_question: ['good', 'poor'],
    give_back: ['refer'],
    relay: ['ask', 'note'],
    alert: ['contacted', 'ask', 'note'],
    dormant_notice: ['met', 'proposal', 'won', 'lost', 'pass'],
    anniversary: ['done', 'skip'],
    confirmation: ['undo'],
  },
  referrer: {
    receipt: ['intro', 'no_intro', 'cancel', 'provider', 'prospect', 'ask'],
    needs_info: ['provider', 'prospect', 'cancel'],
    needs_info_reminder: ['provider', 'prospect', 'cancel'],
    relay: ['ok', 'ask', 'cancel'],
    escalation_notice: ['ask', 'cancel'],
    milestone: ['ask'],
    thanks_relay: ['ask'],
    alert: ['ask'],
    dormant_notice: ['ask', 'cancel'],
    anniversary: [],
    confirmation: ['undo'],
  },
  prospect: {
    connection_check: ['yes', 'no'],
    experience_check: ['rating'],
  },
};

/** Emails a member may turn off (PRODUCT.md `stop`): only these list `stop`. */
export const OPTIONAL_EMAILS: readonly string[] = ['give_back', 'digest', 'campaign_ask'];

/** The most rows a footer lists before "More: … — reply help". */
export const FOOTER_ROWS = 5;

/** What else the email is about, beyond its kind, when that changes which words apply. */
export interface EmailSituation {
  /** relay: a relayed question (answer with `ask`), a pass suggestion (`ok`), a verdict or a rating. */
  relay?: 'question' | 'pass_suggestion' | 'quality_good' | 'quality_poor' | 'rating';
  /** alert: `contacted` is what a not-contacted alert asks for; a low rating asks for none. */
  alert?: 'not_contacted' | 'low_rating';
}

/** Words that depend on the situation, beyond the rule book's status offer. */
function fits(key: string, role: Role, kind: string | undefined, referral: Referral | undefined, situation: EmailSituation): boolean {
  if (key === 'ok') return kind === 'relay' ? situation.relay === 'pass_suggestion' : !referral || !!referral.passSuggestionId;
  if (key === 'contacted' && kind === 'alert') return situation.alert !== 'low_rating';
  // Bcc mode: the referrer's own email was the introduction; no consent: there is none to stop.
  if ((key === 'no_intro' || key === 'intro') && referral) return referral.consent && !referral.introAt && !referral.introducedByReferrer;
  if (key === 'cancel' && kind === 'relay') return situation.relay === 'pass_suggestion';
  // Only the member whose change it was, while it can still be taken back.
  if (key === 'undo') return !!referral?.lastChange && referral.lastChange.role === role;
  if (key === 'ask' && kind === 'relay' && role === 'referrer') return situation.relay !== 'pass_suggestion';
  return true;
}

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
 * Every word `role` may reply with to an email of kind `emailKind` (the role's whole vocabulary when
 * no kind is given), most likely first: only words the rule book gives this role and, given the
 * referral, those it offers in the referral's present state (no "reply won" under a closed referral)
 * and that fit the situation. `stop` is listed on optional emails (and for a prospect, whose stop
 * withdraws the referral); `help` is not listed: it is how one asks for this list.
 */
export function replyWordsFor(role: Role, emailKind?: string, referral?: Referral, situation: EmailSituation = {}): CommandHelp[] {
  const table = TABLES[role] ?? PROVIDER;
  const mayUse = new Set<string>(replyVerbs(role));
  const invited = (emailKind ? (BY_EMAIL[role]?.[emailKind] ?? []) : Object.keys(table).filter((key) => !ANNIVERSARY_ANSWERS.includes(key))).filter(
    (key) => mayUse.has(key) && (!referral || replyOffered(key as Verb, role, referral)) && fits(key, role, emailKind, referral, situation),
  );
  const words = invited.map((key) => explain(role, key, referral));
  const anniversary = emailKind === 'anniversary' && role === 'provider';
  const stop = role === 'prospect' ? emailKind === undefined || invited.length > 0 : emailKind === undefined || anniversary || OPTIONAL_EMAILS.includes(emailKind);
  // A `stop` to an anniversary ask ends anniversary asks only (act-on-reply.ts).
  return stop ? [...words, role === 'prospect' ? STOP_PROSPECT : anniversary ? STOP_ANNIVERSARY : STOP_MEMBER] : words;
}

/** An explanation true for this referral: cancelling tells the provider only when there is one. */
function explain(role: Role, key: string, referral: Referral | undefined): CommandHelp {
  const help = TABLES[role][key]!;
  if (key === 'cancel' && referral && !referral.providerId) return { word: 'cancel', meaning: 'withdraw the referral' };
  // No introduction of ours to come (no consent, or the referrer's own email was it): no deadline to name.
  if ((key === 'provider' || key === 'prospect') && referral && (!referral.consent || referral.introAt || referral.introducedByReferrer))
    return { ...help, meaning: help.meaning.replace(/, before the introduction goes$/, '') };
  return help;
}

/**
 * The footer's list: at most FOOTER_ROWS rows, the most likely first, then one row pointing at `help`
 * for the rest. Empty when the email invites no reply.
 */
export function validCommands(role: Role, emailKind?: string, referral?: Referral, situation: EmailSituation = {}): CommandHelp[] {
  const all = replyWordsFor(role, emailKind, referral, situation);
  if (all.length <= FOOTER_ROWS) return all;
  const rest = all.slice(FOOTER_ROWS).map((w) => w.word.split(' ')[0]!.replace(/:$/, ''));
  return [...all.slice(0, FOOTER_ROWS), { word: 'help', meaning: `More: ${rest.join(', ')} — reply help for all of them` }];
}

/**
 * The answer to `help`: the words of the email being answered first, then every other word the
 * role may use on this referral now (help is how one learns about the rest).
 */
export function helpWords(role: Role, emailKind: string | undefined, referral: Referral): CommandHelp[] {
  const seen = new Set<string>();
  return [...replyWordsFor(role, emailKind, referral), ...replyWordsFor(role, undefined, referral)].filter((w) => !seen.has(w.word) && !!seen.add(w.word));
}
