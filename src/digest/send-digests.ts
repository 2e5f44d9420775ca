import { wantsOptionalEmail } from '../members/optional-emails.js';
import { signValue } from '../domain/signed-link.js';
import { renderEmail } from '../mail/render.js';
import type { RelayDeps } from '../referrals/deps.js';
import { withTimelines } from '../referrals/timelines.js';
import { sendAdminSummaries } from '../reports/admin-summary.js';
import { sendCampaignAsks } from '../reports/campaign.js';
import { digestFor } from './digest-content.js';
import { pace, sendOnceThisWeek } from './once-a-week.js';
import { eachLimited } from '../domain/each-limited.js';
import type { Group } from '../domain/types.js';

/** Members whose digests are built and sent at once when nothing paces the sends (locally). */
const UNPACED_CONCURRENCY = 4;

/**
 * The weekly digest of one group: one email per active member who has not turned optional emails
 * off, each at most once per ISO week (a second delivery of the schedule sends nothing), paced
 * under the SES send rate. In the same run: the weekly ask of a running referral-month campaign, and
 * the admins' weekly summary (each also once per ISO week). The members' suppressions are read once.
 */
export async function sendGroupDigests(
  deps: RelayDeps,
  groupId: string,
  opts: { perSecond?: number; group?: Group } = {},
): Promise<{ sent: number; skipped: number; campaignAsks: number; adminSummaries: number }> {
  const group = opts.group ?? (await deps.store.getGroup(groupId));
  if (!group) return { sent: 0, skipped: 0, campaignAsks: 0, adminSummaries: 0 };
  const now = deps.clock.now();
  const [members, referrals] = await Promise.all([deps.store.listMembers(group.id), deps.store.listReferrals({ groupId: group.id })]);
  const suppressed = await deps.store.suppressedAmong(members.map((m) => m.email), group.id);
  const base = deps.config.webBaseUrl.replace(/\/$/, '');
  const gapMs = opts.perSecond ? 1000 / opts.perSecond : 0;
  const readers = members.filter((m) => wantsOptionalEmail(m, suppressed));
  let sent = 0;
  let skipped = members.length - readers.length;
  // Paced: one after another, under the SES rate. Unpaced: a few members at a time.
  const digests = () => eachLimited(readers, gapMs ? 1 : UNPACED_CONCURRENCY, async (member) => {
    const unsubscribe = `${base}/unsubscribe/${signValue('unsubscribe', member.id, deps.config.sessionSecret)}`;
    const sentNow = await sendOnceThisWeek(deps, { kind: 'digest', groupId: group.id, memberId: member.id, timezone: group.timezone, now }, async () => {
      const email = renderEmail('digest', {
        groupName: group.name,
        recipientName: member.name,
        recipientRole: 'member',
        replyWords: [],
        links: { unsubscribe, web: `${base}/refer` },
        digest: digestFor(member, group, referrals, members, now, base),
      });
      await deps.mail.send({
        to: [member.email],
        subject: email.subject,
        html: email.html,
        text: email.text,
        // RFC 8058 one-click unsubscribe.
        headers: { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
        tags: { kind: 'digest' },
      });
    });
    if (!sentNow) {
      skipped += 1;
      return;
    }
    sent += 1;
    await pace(gapMs);
  });
  const asks = () => sendCampaignAsks(deps, group, members, suppressed, { gapMs });
  const summaries = async () => sendAdminSummaries(deps, group, members, await withTimelines(deps.store, referrals), suppressed);
  // Paced, the three kinds share the SES rate one after another; unpaced, they go side by side.
  const [, asked, summarised] = gapMs ? [await digests(), await asks(), await summaries()] : await Promise.all([digests(), asks(), summaries()]);
  return { sent, skipped, campaignAsks: asked.sent, adminSummaries: summarised.sent };
}
