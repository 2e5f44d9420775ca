/**
 * Referral month: an admin sets a campaign on the group; while it runs, every active member who has
 * not turned optional emails off gets a weekly ask (sent in the digest run) with two or three other
 * members' "good referral for me" profiles, rotating week by week. A reply
 * `refer Name <email> <need> for <member>` logs the referral (see campaign-reply.ts).
 */
import { wantsOptionalEmail } from '../members/optional-emails.js';
import * as z from '../config/zod.js';
import { StaleWriteError, ValidationError, NotFoundError } from '../domain/errors.js';
import type { Group, Member } from '../domain/types.js';
import { signValue } from '../domain/signed-link.js';
import { calendarDaysBetween, formatCalendarDate, parseIsoDate, parseIsoInZone, startOfLocalDay, zoneOffset } from '../domain/zoned-time.js';
import { renderEmail, type MemberCard, type ReplyWord } from '../mail/render.js';
import { signReplyAddress } from '../mail/reply-token.js';
import type { RelayDeps } from '../referrals/deps.js';
import type { CampaignAskContent, CampaignAskData } from './email-data.js';
import { pace, sendOnceThisWeek } from '../digest/once-a-week.js';
import { isoDateSchema, localDate } from './period.js';

/** A campaign runs at most this long (a "referral month", with room for a quarter). */
export const MAX_CAMPAIGN_DAYS = 92;
/** Members shown in one ask. */
export const PICKS_PER_ASK = 3;

export const campaignSchema = z.strictObject({ startsOn: isoDateSchema, endsOn: isoDateSchema }).check(
  z.superRefine((c, ctx) => {
    const start = parseIsoDate(c.startsOn);
    const end = parseIsoDate(c.endsOn);
    if (!start || !end) return;
    const days = calendarDaysBetween(start, end);
    if (days < 0) ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'endsOn must not be before startsOn' });
    else if (days + 1 > MAX_CAMPAIGN_DAYS) ctx.addIssue({ code: 'custom', path: ['endsOn'], message: `a campaign lasts at most ${MAX_CAMPAIGN_DAYS} days` });
  }),
);
export type CampaignInput = z.infer<typeof campaignSchema>;

/** Today (group timezone) is within [startsOn, endsOn]. */
export function campaignActive(group: Pick<Group, 'campaign' | 'timezone'>, now: Date): boolean {
  if (!group.campaign) return false;
  const today = localDate(now, group.timezone);
  return today >= group.campaign.startsOn && today <= group.campaign.endsOn;
}

/** 0 in the campaign's first week, 1 in its second… (drives the rotation). */
export function campaignWeekIndex(group: Pick<Group, 'campaign' | 'timezone'>, now: Date): number {
  const tz = group.timezone;
  const start = group.campaign ? parseIsoInZone(group.campaign.startsOn, tz) : 0;
  if (start === undefined) return 0; // not a date: the schema never stores one
  // Local days from the start (its local midnight) to today's, whole ones only.
  const wall = (ms: number) => ms + zoneOffset(tz, ms) * 60_000;
  const days = Math.floor((wall(startOfLocalDay(now, tz)) - wall(start)) / 86_400_000);
  return Math.max(0, Math.floor(days / 7));
}

function spread(id: string): number {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h;
}

/**
 * The other members one member is asked about in a given campaign week: active, not the member,
 * preferring those who wrote a "good referral" profile; a window of up to three that moves on by
 * three each week, starting at a different place for each member so everyone gets asked about.
 */
export function campaignPicks(member: Pick<Member, 'id'>, members: readonly Member[], weekIndex: number, count = PICKS_PER_ASK): Member[] {
  const others = members.filter((m) => m.id !== member.id && m.status === 'active').sort((a, b) => a.id.localeCompare(b.id));
  const withProfile = others.filter((m) => m.profile.goodReferral?.trim());
  const pool = withProfile.length >= 2 ? withProfile : others;
  if (pool.length === 0) return [];
  const take = Math.min(count, pool.length);
  const start = (spread(member.id) + weekIndex * take) % pool.length;
  return Array.from({ length: take }, (_, i) => pool[(start + i) % pool.length]!);
}

/** Stores (or replaces) the group's campaign; version-checked, retried on a lost race. */
export async function setCampaign(deps: RelayDeps, groupId: string, input: CampaignInput): Promise<Group> {
  const campaign = campaignSchema.parse(input);
  for (let attempt = 1; ; attempt++) {
    const group = await deps.store.getGroup(groupId);
    if (!group) throw new NotFoundError('group');
    if (campaign.endsOn < localDate(deps.clock.now(), group.timezone)) throw new ValidationError('endsOn: the campaign would be over already', [{ path: 'endsOn', message: 'is in the past' }]);
    try {
      return await deps.store.updateGroup({ ...group, campaign: { startsOn: campaign.startsOn, endsOn: campaign.endsOn } });
    } catch (err) {
      if (err instanceof StaleWriteError && attempt < 5) continue;
      throw err;
    }
  }
}

const card = (m: Member): MemberCard => ({ name: m.name, business: m.business, category: m.category, profile: m.profile });

export const CAMPAIGN_REPLY_WORDS: ReplyWord[] = [
  { word: 'refer Name <email> <need> for <member>', meaning: 'log a referral to that member (you confirm the person agreed to be contacted)' },
  { word: 'help', meaning: 'how to reply' },
  { word: 'stop', meaning: 'no more optional emails (digest, nudges, campaigns)' },
];

/** The template data of one ask (or of the help answer to a reply, with `problem`). */
export function campaignAskData(opts: { group: Group; member: Member; picks: readonly Member[]; webBaseUrl: string; sessionSecret: string; problem?: string; reply?: string }): CampaignAskData {
  const { group } = opts;
  const base = opts.webBaseUrl.replace(/\/$/, '');
  const fmt = (d: string) => {
    const date = parseIsoDate(d);
    return date ? formatCalendarDate(date, 'd LLLL') : d;
  };
  const campaign: CampaignAskContent = {
    startsOn: group.campaign ? fmt(group.campaign.startsOn) : '',
    endsOn: group.campaign ? fmt(group.campaign.endsOn) : '',
    members: opts.picks.map(card),
    ...(opts.problem ? { problem: opts.problem } : {}),
    ...(opts.reply ? { reply: opts.reply } : {}),
  };
  return {
    groupName: group.name,
    recipientName: opts.member.name,
    recipientRole: 'member',
    replyWords: CAMPAIGN_REPLY_WORDS,
    links: { web: `${base}/refer`, unsubscribe: `${base}/unsubscribe/${signValue('unsubscribe', opts.member.id, opts.sessionSecret)}` },
    campaign,
  };
}

/** The signed Reply-To of a campaign ask: the member id stands where a referral id would. */
export const campaignReplyAddress = (deps: RelayDeps, memberId: string) =>
  signReplyAddress({ referralId: memberId, kind: 'campaign_ask', recipient: 'referrer' }, deps.config.replyKeys, deps.config.inboundDomain);

/** Sends one ask (or help answer) to `member`. */
export async function sendCampaignEmail(deps: RelayDeps, group: Group, member: Member, picks: readonly Member[], extra: { problem?: string; reply?: string } = {}): Promise<void> {
  const data = campaignAskData({ group, member, picks, webBaseUrl: deps.config.webBaseUrl, sessionSecret: deps.config.sessionSecret, ...extra });
  const email = renderEmail('campaign_ask', data);
  await deps.mail.send({
    to: [member.email],
    replyTo: [campaignReplyAddress(deps, member.id)],
    subject: email.subject,
    html: email.html,
    text: email.text,
    headers: { 'List-Unsubscribe': `<${data.links!.unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    tags: { kind: extra.problem ? 'help' : 'campaign_ask' },
  });
}

/**
 * The weekly asks of a running campaign, once per member per ISO week (claimOnce), so a second
 * delivery of the digest schedule sends nothing. A failure for one member does not stop the rest.
 */
export async function sendCampaignAsks(deps: RelayDeps, group: Group, members: readonly Member[], suppressed: ReadonlySet<string>, opts: { gapMs?: number } = {}): Promise<{ sent: number; skipped: number }> {
  const now = deps.clock.now();
  if (!campaignActive(group, now)) return { sent: 0, skipped: 0 };
  const weekIndex = campaignWeekIndex(group, now);
  let sent = 0;
  let skipped = 0;
  for (const member of members) {
    if (!wantsOptionalEmail(member, suppressed)) {
      skipped += 1;
      continue;
    }
    const picks = campaignPicks(member, members, weekIndex);
    if (picks.length === 0) {
      skipped += 1;
      continue;
    }
    if (await sendOnceThisWeek(deps, { kind: 'campaign', groupId: group.id, memberId: member.id, timezone: group.timezone, now }, () => sendCampaignEmail(deps, group, member, picks))) sent += 1;
    else skipped += 1;
    await pace(opts.gapMs);
  }
  return { sent, skipped };
}
