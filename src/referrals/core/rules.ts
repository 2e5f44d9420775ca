/**
 * The rule book of a referral, written once as data (issue 11 item 1; PRODUCT.md "Roles and words",
 * "Lifecycle"). Everything that says "who may do what, when" reads it:
 * - decide (src/referrals/decide-action.ts): another role's command → 403, a command its status does
 *   not allow → 409 (so the API's and the web's answers come from here);
 * - the referral page's buttons (src/web/pages/referrals.tsx: `offeredActions`);
 * - the reply footers "you can reply with …" (src/replies/valid-commands.ts) and the reply parser's
 *   vocabulary per role (src/replies/phrases.ts: `replyRoles`).
 * test/unit/referrals/rules-agree.test.ts proves these agree. Pure data and pure functions: no I/O.
 * It also says which timed step still makes sense in which state (`STEP_RULES`, read by
 * src/referrals/decide-step.ts and the planner; test/unit/referrals/step-rules.test.ts is the table).
 */
import { FINAL_STATUSES, STATUSES, type Referral, type Status, type StepKind } from '../../domain/types.js';
import type { Role, Verb } from '../../replies/types.js';

export const ACTIONS = [
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
  'ask',
  'reopen',
  'withdraw',
  'no_intro',
  // The referrer's one line for the prospect, shown in the introduction (until it goes).
  'intro_line',
  'reassign',
  'erase_prospect',
  // The provider's answers to an anniversary ask (a reply `stop` to it is REPLY_ONLY's stop).
  'anniversary_done',
  'anniversary_skip',
  // Reached by replies (and the prospect's stop link) only: the prospect has no account.
  'connection_yes',
  'connection_no',
  'rating',
  'prospect_stop',
  // A member takes back their last change by reply (within 15 minutes; decide-action.ts).
  'undo',
] as const;
export type ActionName = (typeof ACTIONS)[number];

export type ActorRole = 'provider' | 'referrer' | 'admin' | 'prospect';

const OPEN: readonly Status[] = STATUSES.filter((s) => !FINAL_STATUSES.includes(s));
const UNDER_WAY: readonly Status[] = OPEN.filter((s) => s !== 'needs_info');
const ALL: readonly Status[] = STATUSES;
const HAS_PROVIDER: readonly Status[] = STATUSES.filter((s) => s !== 'needs_info');

/** Why a command is refused in a status (HTTP 409 `code`, and the words a reply answer quotes). */
export interface StatusRefusal {
  code: string;
  message: (r: Pick<Referral, 'status'>) => string;
}

export interface ActionRule {
  /** Who may use it; any other role gets 403. */
  roles: readonly ActorRole[];
  /** Statuses in which it is accepted; in any other, `refusal` (409). */
  allowedIn: readonly Status[];
  refusal?: StatusRefusal;
  /** Statuses in which the page shows its button and emails invite its reply word (a subset of allowedIn). */
  offeredIn: readonly Status[];
  /** Further state the offer depends on (e.g. `share` only until shared). */
  offerIf?: (r: Referral) => boolean;
  /** The reply word that means this action, if a reply can say it. */
  reply?: Verb;
  /** Who may say it by reply, when fewer than `roles` (a referrer's note is web-only). */
  replyBy?: readonly Role[];
  /** Label of the page's button (none: not on the page). */
  button?: string;
}

/** An anniversary ask went out and has not been answered yet. */
export const anniversaryAskOpen = (r: Referral): boolean => !!r.anniversaryAskedAt && !(r.anniversaryAnsweredAt && r.anniversaryAnsweredAt >= r.anniversaryAskedAt);
const NOT_WON: StatusRefusal = { code: 'not_won', message: (r) => `Only a won referral has anniversaries; this one is ${r.status}` };

const NEEDS_INFO: StatusRefusal = { code: 'needs_info', message: () => 'This referral is still missing its provider or prospect' };
const ALREADY_FINAL: StatusRefusal = { code: 'final', message: (r) => `This referral is already ${r.status}` };

const MEMBERS_AND_ADMIN = ['provider', 'admin'] as const;

export const ACTION_RULES: Record<ActionName, ActionRule> = {
  contacted: { roles: MEMBERS_AND_ADMIN, allowedIn: HAS_PROVIDER, refusal: NEEDS_INFO, offeredIn: UNDER_WAY, reply: 'contacted', button: 'Contacted' },
  met: { roles: MEMBERS_AND_ADMIN, allowedIn: HAS_PROVIDER, refusal: NEEDS_INFO, offeredIn: UNDER_WAY, reply: 'met', button: 'Met' },
  proposal: { roles: MEMBERS_AND_ADMIN, allowedIn: HAS_PROVIDER, refusal: NEEDS_INFO, offeredIn: UNDER_WAY, reply: 'proposal', button: 'Proposal sent' },
  won: { roles: MEMBERS_AND_ADMIN, allowedIn: HAS_PROVIDER, refusal: NEEDS_INFO, offeredIn: UNDER_WAY, reply: 'won', button: 'Mark as won' },
  lost: { roles: MEMBERS_AND_ADMIN, allowedIn: HAS_PROVIDER, refusal: NEEDS_INFO, offeredIn: UNDER_WAY, reply: 'lost', button: 'Mark as lost' },
  pass: { roles: MEMBERS_AND_ADMIN, allowedIn: HAS_PROVIDER, refusal: NEEDS_INFO, offeredIn: UNDER_WAY, reply: 'pass', button: 'Pass it on' },
  thanks: { roles: MEMBERS_AND_ADMIN, allowedIn: ALL, offeredIn: ALL, reply: 'thanks', button: 'Send my thanks' },
  thanked: { roles: MEMBERS_AND_ADMIN, allowedIn: ALL, offeredIn: ALL, reply: 'thanked', button: 'I thanked them already' },
  share: { roles: MEMBERS_AND_ADMIN, allowedIn: ALL, offeredIn: ALL, offerIf: (r) => !r.shareClosedValue, reply: 'share', button: 'Share the value with the referrer' },
  snooze: {
    roles: MEMBERS_AND_ADMIN,
    allowedIn: OPEN,
    refusal: { code: 'final', message: () => 'This referral is closed; there is nothing to snooze' },
    offeredIn: UNDER_WAY,
    reply: 'snooze',
    button: 'Snooze',
  },
  note: { roles: ['provider', 'referrer', 'admin'], allowedIn: ALL, offeredIn: ALL, reply: 'note', replyBy: ['provider'], button: 'Save the note' },
  good: { roles: MEMBERS_AND_ADMIN, allowedIn: ALL, offeredIn: ALL, reply: 'good', button: 'Good referral' },
  poor: { roles: MEMBERS_AND_ADMIN, allowedIn: ALL, offeredIn: ALL, reply: 'poor', button: 'Poor referral' },
  ask: { roles: ['provider', 'referrer', 'admin'], allowedIn: ALL, offeredIn: ALL, reply: 'ask', button: 'Send the question' },
  reopen: {
    roles: MEMBERS_AND_ADMIN,
    allowedIn: FINAL_STATUSES,
    refusal: { code: 'not_final', message: () => 'Only a closed referral can be reopened' },
    offeredIn: FINAL_STATUSES,
    button: 'Reopen',
  },
  withdraw: { roles: ['referrer', 'admin'], allowedIn: OPEN, refusal: ALREADY_FINAL, offeredIn: OPEN, reply: 'cancel', button: 'Withdraw' },
  // Refused once the intro went (a state rule, not a status rule: see decide-action.ts).
  no_intro: { roles: ['referrer', 'admin'], allowedIn: ALL, offeredIn: OPEN, offerIf: (r) => r.consent && !r.introAt, reply: 'no_intro', button: 'Do not send the introduction' },
  // Refused once the intro went, like no_intro (decide-action.ts).
  intro_line: { roles: ['referrer', 'admin'], allowedIn: OPEN, refusal: ALREADY_FINAL, offeredIn: OPEN, offerIf: (r) => r.consent && !r.introAt && !r.introducedByReferrer, reply: 'intro', button: 'Save the line' },
  reassign: { roles: ['admin'], allowedIn: OPEN, refusal: ALREADY_FINAL, offeredIn: OPEN, button: 'Reassign' },
  erase_prospect: { roles: ['admin'], allowedIn: ALL, offeredIn: ALL, offerIf: (r) => r.prospect.name !== 'erased', button: 'Erase the prospect' },
  // Answer the open anniversary ask (a state rule too: refused when none is open, see decide-action.ts).
  anniversary_done: { roles: MEMBERS_AND_ADMIN, allowedIn: ['won'], refusal: NOT_WON, offeredIn: ['won'], offerIf: anniversaryAskOpen, reply: 'done', button: 'I sent the anniversary note' },
  anniversary_skip: { roles: MEMBERS_AND_ADMIN, allowedIn: ['won'], refusal: NOT_WON, offeredIn: ['won'], offerIf: anniversaryAskOpen, reply: 'skip', button: 'Skip this anniversary' },
  connection_yes: { roles: ['prospect'], allowedIn: ALL, offeredIn: ALL, reply: 'yes' },
  connection_no: { roles: ['prospect'], allowedIn: ALL, offeredIn: ALL, reply: 'no' },
  rating: { roles: ['prospect'], allowedIn: ALL, offeredIn: ALL, reply: 'rating' },
  prospect_stop: { roles: ['prospect'], allowedIn: ALL, offeredIn: ALL },
  undo: { roles: ['provider', 'referrer', 'admin'], allowedIn: ALL, offeredIn: ALL, offerIf: (r) => !!r.lastChange, reply: 'undo', replyBy: ['provider', 'referrer'] },
};

/** Reply words that are not referral actions: handled by their own flows (reply-flows.ts, act-on-reply.ts). */
export const REPLY_ONLY: Record<'refer' | 'provider' | 'prospect' | 'ok' | 'stop' | 'help', { roles: readonly Role[] }> = {
  refer: { roles: ['provider'] },
  provider: { roles: ['referrer'] },
  prospect: { roles: ['referrer'] },
  ok: { roles: ['referrer'] },
  // A member's `stop` turns off their optional emails; the prospect's withdraws the referral (prospect_stop).
  stop: { roles: ['provider', 'referrer', 'prospect'] },
  help: { roles: ['provider', 'referrer', 'prospect'] },
};

/** Which actions each role may use (CONTRACT.md: another role's action → 403). */
export const ROLE_ACTIONS: Record<ActorRole, readonly ActionName[]> = {
  provider: ACTIONS.filter((a) => ACTION_RULES[a].roles.includes('provider')),
  referrer: ACTIONS.filter((a) => ACTION_RULES[a].roles.includes('referrer')),
  prospect: ACTIONS.filter((a) => ACTION_RULES[a].roles.includes('prospect')),
  admin: ACTIONS.filter((a) => ACTION_RULES[a].roles.includes('admin')),
};

/** The actions the web form and the API accept (the prospect's are reached by replies and links only). */
export const MEMBER_ACTIONS = ACTIONS.filter((a) => !ACTION_RULES[a].roles.includes('prospect'));

/** A refusal from the rule book, or undefined when `role` may use `action` on a referral in this status. */
export function refusalFor(action: ActionName, role: ActorRole, r: Pick<Referral, 'status'>): { status: 403 | 409; code: string; message: string } | undefined {
  const rule = ACTION_RULES[action];
  if (!rule.roles.includes(role)) return { status: 403, code: 'forbidden', message: `As ${role} you cannot use "${action}" on this referral` };
  if (!rule.allowedIn.includes(r.status)) {
    const refusal = rule.refusal ?? ALREADY_FINAL;
    return { status: 409, code: refusal.code, message: refusal.message(r) };
  }
  return undefined;
}

/** Whether the page offers `action` to `role` now (and a reply footer invites its word). */
export function isOffered(action: ActionName, role: ActorRole, r: Referral): boolean {
  const rule = ACTION_RULES[action];
  return rule.roles.includes(role) && rule.offeredIn.includes(r.status) && (rule.offerIf?.(r) ?? true);
}

/** The page's buttons for `role` on this referral, in rule-book order. */
export function offeredActions(role: ActorRole, r: Referral): ActionName[] {
  return ACTIONS.filter((a) => ACTION_RULES[a].button && isOffered(a, role, r));
}

/** The action a reply word means, when it is one. */
export function actionForReply(verb: Verb): ActionName | undefined {
  return ACTIONS.find((a) => ACTION_RULES[a].reply === verb);
}

/** The roles whose replies may use `verb` (the parser only recognises a role's own words). */
export function replyRoles(verb: Verb): readonly Role[] {
  const only = (REPLY_ONLY as Record<string, { roles: readonly Role[] } | undefined>)[verb];
  if (only) return only.roles;
  const action = actionForReply(verb);
  if (!action) return [];
  const rule = ACTION_RULES[action];
  return rule.replyBy ?? rule.roles.filter((r): r is Role => r !== 'admin');
}

/** Every reply word `role` may use, in rule-book order (actions first, then the reply-only words). */
export function replyVerbs(role: Role): Verb[] {
  const fromActions = ACTIONS.map((a) => ACTION_RULES[a].reply).filter((v): v is Verb => !!v && replyRoles(v).includes(role));
  const only = (Object.keys(REPLY_ONLY) as Verb[]).filter((v) => REPLY_ONLY[v as keyof typeof REPLY_ONLY].roles.includes(role));
  return [...fromActions, ...only];
}

/** Whether a reply word is worth inviting now: its action is offered in this state (reply-only words always are). */
export function replyOffered(verb: Verb, role: Role, r: Referral): boolean {
  const action = actionForReply(verb);
  return action ? isOffered(action, role, r) : true;
}

/**
 * Whether a timed step still makes sense when it fires (issue 15 item 10; PRODUCT.md "Whether a step
 * still makes sense is one rule per step kind and referral state"). A step that no longer makes sense
 * is skipped, and the skip (with `reason`) is a timeline event.
 */
export interface StepRule {
  /** Statuses in which the step goes out; in any other, `notIn(status)` is why it does not. */
  sendIn: readonly Status[];
  notIn: (status: Status) => string;
  /** Further state that makes it pointless in an allowed status: the reason, or undefined to send. */
  pointless?: (r: Referral, world: StepWorld) => string | undefined;
  /** A question to the prospect: never planned in the same slot (day) as another one. */
  asksProspect?: boolean;
}

/** What a step needs to know besides the referral (read by the dispatcher). */
export interface StepWorld {
  /** The prospect's address is on the suppression list (bounce, complaint, stop). */
  prospectSuppressed: boolean;
  /** Who turned anniversary asks off, if anyone: the group's admin (the switch) or the provider (`stop`). */
  anniversaryAsksOff?: 'group' | 'provider';
}

const isStatus = (s: Status) => `the referral is ${s.replace(/_/g, ' ')}`;
const outcomeKnown = (s: Status) => (s === 'won' || s === 'lost' ? `the outcome is known (${s})` : isStatus(s));
const STATUS_AFTER_CONTACT: readonly Status[] = ['contacted', 'met', 'proposal'];
const madeContact = (s: Status) => (STATUS_AFTER_CONTACT.includes(s) ? 'the provider has already made contact' : outcomeKnown(s));
const prospectUnreachable = (r: Referral, w: StepWorld): string | undefined =>
  !r.consent ? 'no consent: the prospect is not emailed' : !r.prospect.email || r.prospectBounced || w.prospectSuppressed ? 'the prospect cannot be emailed' : undefined;

export const STEP_RULES: Record<StepKind, StepRule> = {
  // "Thank the referrer right away, whatever the outcome": won and lost still get it.
  thank_you_prompt: {
    sendIn: STATUSES.filter((s) => !['needs_info', 'passed', 'withdrawn'].includes(s)),
    notIn: isStatus,
    pointless: (r) => (r.thankedAt ? 'the provider has already thanked the referrer' : undefined),
  },
  // The intro says "Priya will be in touch shortly": pointless once she has been.
  intro: {
    sendIn: ['logged'],
    notIn: madeContact,
    pointless: (r, w) =>
      r.firstContactAt ? 'the provider has already made contact' : r.introducedByReferrer ? 'the referrer introduced them already' : r.introAt ? 'the introduction went already' : prospectUnreachable(r, w),
  },
  contact_reminder: { sendIn: ['logged', 'dormant'], notIn: madeContact, pointless: (r) => (r.firstContactAt ? 'the provider has already made contact' : undefined) },
  escalation: { sendIn: ['logged', 'dormant'], notIn: madeContact, pointless: (r) => (r.firstContactAt ? 'the provider has already made contact' : undefined) },
  // "Did Priya reach out?" means nothing once the work is won or lost.
  connection_check: { sendIn: ['logged', 'contacted', 'met', 'proposal', 'dormant'], notIn: outcomeKnown, pointless: prospectUnreachable, asksProspect: true },
  progress_request: { sendIn: ['logged', 'contacted', 'met', 'proposal'], notIn: outcomeKnown },
  experience_check: { sendIn: ['won', 'lost'], notIn: (s) => `there is no outcome to ask about (${s.replace(/_/g, ' ')})`, pointless: prospectUnreachable, asksProspect: true },
  needs_info_reminder: { sendIn: ['needs_info'], notIn: () => 'the missing details arrived' },
  needs_info_expiry: { sendIn: ['needs_info'], notIn: () => 'the missing details arrived' },
  // "Thank the customer on the anniversary": only while the referral stands as won.
  anniversary: {
    sendIn: ['won'],
    notIn: (s) => `the referral is no longer won (${s.replace(/_/g, ' ')})`,
    pointless: (r, w) =>
      w.anniversaryAsksOff === 'group'
        ? 'anniversary asks are off for this group'
        : w.anniversaryAsksOff === 'provider'
          ? 'the provider turned anniversary asks off'
          : r.removedProviderId && r.removedProviderId === r.providerId
            ? 'the provider has left the group'
            : undefined,
  },
};

/** The rule book's verdict on a step firing now: send it, or skip it and say why. */
export function stepVerdict(kind: StepKind, r: Referral, world: StepWorld): { send: true } | { send: false; reason: string } {
  const rule = STEP_RULES[kind];
  if (!rule.sendIn.includes(r.status)) return { send: false, reason: rule.notIn(r.status) };
  const reason = rule.pointless?.(r, world);
  return reason ? { send: false, reason } : { send: true };
}

/** Step kinds that ask the prospect something (kept a slot apart). */
export const PROSPECT_QUESTION_STEPS: readonly StepKind[] = (Object.keys(STEP_RULES) as StepKind[]).filter((k) => STEP_RULES[k].asksProspect);
