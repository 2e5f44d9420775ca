/**
 * What the two report emails carry beyond the shared `EmailData` (src/mail/render.ts). They extend
 * it rather than change it, so the rendering contract of every other kind stays as it is.
 */
import type { EmailData, MemberCard } from '../mail/render.js';
import type { Status } from '../domain/types.js';

/** campaign_ask → a member, weekly during a referral month. */
export interface CampaignAskContent {
  /** Preformatted, e.g. "1 March" and "31 March". */
  startsOn: string;
  endsOn: string;
  /** Two or three other members and what a good referral is for each. */
  members: MemberCard[];
  /** Set when this is the answer to a reply we could not act on: what was wrong. */
  problem?: string;
  /** The words of that reply, shown back. */
  reply?: string;
}

export type CampaignAskData = EmailData & { campaign?: CampaignAskContent };

export interface AdminSummaryItem {
  prospectName: string;
  providerName: string;
  referrerName: string;
  link?: string;
}

/** admin_summary → each admin, weekly on the digest day (PALMS-like). */
export interface AdminSummaryContent {
  /** "week of 2 March". */
  weekLabel: string;
  /** Logged in the last 7 days, and won among everything in the last 7 days. */
  given: number;
  won: number;
  /** Status changes in the last 7 days, newest first. */
  moved: (AdminSummaryItem & { status: Status; when: string })[];
  /** Open referrals nobody has contacted yet, oldest first. */
  waiting: (AdminSummaryItem & { days: number })[];
  /** First contacts made in the last 7 days, slowest first. */
  slowest: (AdminSummaryItem & { hours: number })[];
  /** Members flagged for a conversation, with the note. */
  flagged: { name: string; note: string }[];
}

export type AdminSummaryData = EmailData & { adminSummary?: AdminSummaryContent };
