/**
 * The domain vocabulary of Referral Relay (see PRODUCT.md "Roles and words" and "Lifecycle").
 * Plain data types only: no I/O here.
 */

export const STATUSES = [
  'needs_info',
  'logged',
  'contacted',
  'met',
  'proposal',
  'won',
  'lost',
  'passed',
  'withdrawn',
  'dormant',
] as const;
export type Status = (typeof STATUSES)[number];

export const FINAL_STATUSES: readonly Status[] = ['won', 'lost', 'passed', 'withdrawn'];

/** Forward order of the open statuses; a move to a lower rank is kept on the timeline but changes nothing. */
export const STATUS_RANK: Record<Status, number> = {
  needs_info: 0,
  logged: 1,
  dormant: 1,
  contacted: 2,
  met: 3,
  proposal: 4,
  won: 5,
  lost: 5,
  passed: 5,
  withdrawn: 5,
};

export type Source = 'web' | 'email' | 'api' | 'reply';
export type Via = 'web' | 'api' | 'email' | 'reply' | 'schedule' | 'system' | 'cli';

export interface Money {
  amount: number;
  currency: string;
}

export interface Profile {
  tellPeople?: string;
  goodReferral?: string;
  setsApart?: string;
}

export const EMAIL_KINDS = [
  'receipt',
  'provider_notice',
  'thank_you_prompt',
  'intro',
  'contact_reminder',
  'escalation',
  'escalation_notice',
  'connection_check',
  'progress_request',
  'milestone',
  'experience_check',
  'quality_question',
  'give_back',
  'thanks_relay',
  'alert',
  'needs_info',
  'help',
  'refusal',
  'dormant_notice',
  'needs_info_reminder',
  'relay',
  'digest',
  'magic_link',
  'notice',
  'campaign_ask',
  'admin_summary',
  'welcome',
  // To the provider on a won referral's anniversary; to the referrer when the provider confirms.
  'anniversary',
  // To a member whose reply changed something: one line, with `undo` for 15 minutes.
  'confirmation',
] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];

/** Timed steps, one pending schedule each (PRODUCT.md "What happens, and when"). */
export const STEP_KINDS = [
  'thank_you_prompt',
  'intro',
  'contact_reminder',
  'escalation',
  'connection_check',
  'progress_request',
  'experience_check',
  'needs_info_reminder',
  'needs_info_expiry',
  'anniversary',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7; // ISO: Monday = 1

export interface CadenceSettings {
  /** Delays in minutes unless the name says otherwise. */
  thankYouPromptMinutes: number;
  introMinutes: number;
  contactReminderHours: number;
  escalationHours: number;
  connectionCheckDays: number;
  progressRequestDays: number;
  maxProgressRequests: number;
  dormantAfterDays: number;
  experienceCheckDays: number;
  needsInfoReminderDays: number;
  needsInfoExpiryDays: number;
  businessHours: { start: string; end: string; days: Weekday[] };
  digestDay: Weekday;
  digestHour: number;
  /** Anniversary asks to providers of won referrals (absent = on: groups made before the switch). */
  anniversaryAsks?: boolean;
}

export interface Group {
  id: string;
  name: string;
  slug: string;
  timezone: string;
  currency: string;
  settings: CadenceSettings;
  /** A "referral month": weekly asks go out with the digest from startsOn to endsOn (YYYY-MM-DD, group timezone, inclusive). */
  campaign?: { startsOn: string; endsOn: string };
  createdAt: string;
  version: number;
}

export type MemberRole = 'member' | 'admin';
export type MemberStatus = 'active' | 'removed';

export interface Member {
  id: string;
  groupId: string;
  name: string;
  email: string;
  /** Verified extra sender addresses. */
  extraAddresses: string[];
  /** Added by the member, awaiting the confirmation click. */
  pendingExtraAddresses: string[];
  business?: string;
  category?: string;
  /** As written (e.g. from an imported roster). */
  phone?: string;
  profile: Profile;
  goalPerMonth?: number;
  status: MemberStatus;
  role: MemberRole;
  /** The member replied `stop`: optional emails (digest, give-back nudges, campaigns) end. */
  optionalEmailsOff?: boolean;
  /** The member replied `stop` to an anniversary ask: no more of them. */
  anniversaryAsksOff?: boolean;
  flagged?: string;
  /** Only API keys issued in this generation work (absent = 1); an admin's revoke or rotate moves it on. */
  apiKeyGeneration?: number;
  /** Only sessions started in this generation work (absent = 1); removal moves it on. */
  sessionGeneration?: number;
  createdAt: string;
  version: number;
}

export interface Prospect {
  name: string;
  email?: string;
  phone?: string;
  phoneE164?: string;
  company?: string;
}

export type Actor = string; // a member id, 'prospect', 'system' or 'admin:<id>'

export interface TimelineEvent {
  at: string;
  type: 'created' | 'status' | 'email' | 'note' | 'action' | 'skipped' | 'info';
  via: Via;
  actor: Actor;
  text: string;
  /** Seen only by the author's side and admins. */
  privateText?: string;
  /** Which side may see privateText: the provider's or the referrer's. */
  privateTo?: 'provider' | 'referrer';
  kind?: string;
  to?: string;
  cc?: string[];
  messageId?: string;
  status?: Status;
  /** An email not sent yet because sending failed: retrying, or parked for an admin. */
  delivery?: 'failing' | 'parked';
}

export interface PendingStep {
  /** Deterministic per (referral, step): referralId + kind + sequence. */
  id: string;
  kind: StepKind;
  due: string;
  seq: number;
}

/** A member's change by reply, as `undo` needs it: who, when, what, and the state before it. */
export interface LastChange {
  actorId: string;
  role: 'provider' | 'referrer';
  at: string;
  action: string;
  /** "Marked contacted": what the confirmation said was done. */
  label: string;
  /** The state's version right after the change: any later change (another member, a step) makes undo refuse. */
  version: number;
  /** Who else was emailed about it (they are told of an undo: an email cannot be unsent). */
  told: ('provider' | 'referrer' | 'prospect')[];
  /** The state before the change (without timeline or lastChange). */
  before: Omit<Referral, 'timeline' | 'lastChange'>;
}

export interface Referral {
  id: string;
  groupId: string;
  status: Status;
  source: Source;
  referrerId: string;
  providerId?: string;
  prospect: Prospect;
  need: string;
  temperature?: number;
  consent: boolean;
  note?: string;
  /** One line for the prospect, written by the referrer: the introduction shows it (never need or note). */
  introLine?: string;
  closedValue?: Money;
  shareClosedValue?: boolean;
  lostReason?: string;
  /** Bcc mode: the referrer's own email was the introduction. */
  introducedByReferrer?: boolean;
  /** When the intro went (or the referrer's intro was received). */
  introAt?: string;
  firstContactAt?: string;
  thankedAt?: string;
  /** When the referral was won (the anniversaries count from it). */
  wonAt?: string;
  /** When the latest anniversary ask went to the provider, and which anniversary (1, 2, …) it was. */
  anniversaryAskedAt?: string;
  anniversaryYears?: number;
  /** When the provider answered it (`done` or `skip`). */
  anniversaryAnsweredAt?: string;
  unansweredProgressRequests: number;
  /** Last open status before a final one, for `reopen`. */
  reopenTo?: Status;
  /** Member suggested by a `pass`, awaiting the referrer's `ok`. */
  passSuggestionId?: string;
  /** What email logging could not tell. */
  needsInfo?: { missing: string[]; candidates?: { id: string; name: string; email: string }[]; question?: string };
  prospectBounced?: boolean;
  /** When the prospect said stop (reply or the stop link). State, not read back from the timeline: a member's own `stop` is a different thing. */
  prospectStoppedAt?: string;
  /** The provider who was removed from the group while holding this referral (its referrer was told). */
  removedProviderId?: string;
  messageId?: string;
  /** The last change a member made by reply, kept so they can `undo` it within 15 minutes. */
  lastChange?: LastChange;
  pending: PendingStep[];
  /** Monotonic counter for step ids, so a consumed step id is never reused. */
  stepSeq: number;
  /** Sequence of the last stored timeline event (events are items of their own). */
  eventSeq?: number;
  /** In memory only: the events loaded with the state (none when only the state was read). */
  timeline: TimelineEvent[];
  createdAt: string;
  updatedAt: string;
  version: number;
}
