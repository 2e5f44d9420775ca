import type { EmailKind, Money, StepKind } from '../domain/types.js';
import type { Delay } from '../schedule/business-hours.js';
import type { AlertReason, NoticeReason } from '../mail/render.js';

export type Party = 'provider' | 'referrer' | 'prospect';

/** An email a decision wants sent; the notifier addresses, signs, renders and records it. */
export interface EmailIntent {
  kind: EmailKind;
  to: Party;
  /** Words relayed from someone (thanks, ask, comment, reason). */
  text?: string;
  notice?: NoticeReason;
  alert?: AlertReason;
  relay?: 'question' | 'pass_suggestion' | 'quality_good' | 'quality_poor' | 'rating';
  /** Who asked, for relayed questions. */
  fromRole?: 'provider' | 'referrer';
  rating?: number;
  closedValue?: Money;
  /** The status a milestone reports. */
  status?: string;
  /** Member named by a pass, offered to the referrer. */
  suggestedMemberId?: string;
  /** Send to this member (by id) instead of the party's usual address (a replaced provider). */
  memberId?: string;
  /** An answer to a reply (help, unknown sender): the kind of the email that was answered. */
  answering?: EmailKind;
  /** help: why we answer (asked for, or a command understood that changed nothing, and why). */
  answer?: { asked?: boolean; understood?: string; why?: string };
  /** For notice `unknown_sender`: the address the reply came from. */
  address?: string;
}

/** A step to plan: the planner adds the group's delay to `anchor` (or `delay` when given), then business hours. */
export interface StepPlan {
  kind: StepKind;
  anchor: Date;
  delay?: Delay;
}

/** What a decision asks the world to do, after the referral change is stored. */
export interface Effects {
  emails: EmailIntent[];
  schedule: StepPlan[];
  /** Kinds of pending steps to cancel. */
  cancel: StepKind[] | 'all';
}

export const noEffects = (): Effects => ({ emails: [], schedule: [], cancel: [] });

/** The members an email may name: the referral's referrer and provider, and whom its intent names. */
export function partiesOf(r: { referrerId: string; providerId?: string }, intent: Pick<EmailIntent, 'memberId' | 'suggestedMemberId'>): string[] {
  return [...new Set([r.referrerId, r.providerId, intent.memberId, intent.suggestedMemberId].filter((x): x is string => !!x))];
}

/** The member an email is addressed to: the one its intent names, else the provider or the referrer; none for the prospect. */
export function recipientOf(r: { referrerId: string; providerId?: string }, intent: Pick<EmailIntent, 'to' | 'memberId'>): string | undefined {
  if (intent.to === 'prospect') return undefined;
  return intent.memberId ?? (intent.to === 'provider' ? r.providerId : r.referrerId);
}
