import { wantsOptionalEmail } from '../members/optional-emails.js';
import { signValue } from '../domain/signed-link.js';
import { renderEmail } from '../mail/render.js';
import type { RelayDeps } from '../referrals/deps.js';
import { withTimelines } from '../referrals/timelines.js';
import { sendAdminSummaries } from '../reports/admin-summary.js';
import { sendCampaignAsks } from '../reports/campaign.js';
import { digestFor } from './digest-content.js';
import { pace, sendOnceThisWeek } from './once-a-week.js';

/**
 * The weekly digest of one group: one email per active member who has not turned optional emails
 * off, each at most once per ISO week (a second delivery of the schedule sends nothing), paced
 * under the SES send rate. In the same run: the weekly ask of a running referral-month campaign, and
 * the admins' weekly summary (each also once per ISO week).
 */
export async function sendGroupDigests(
  deps: RelayDeps,
  groupId: string,
  opts: { perSecond?: number } = {},
): Promise<{ sent: number; skipped: number; campaignAsks: number; adminSummaries: number }> {
  const group = await deps.store.getGroup(groupId);
  if (!group) return { sent: 0, skipped: 0, campaignAsks: 0, adminSummaries: 0 };
  const now = deps.clock.now();
  const members = await deps.store.listMembers(group.id);
  const referrals = await deps.store.listReferrals({ groupId: group.id });
  const base = deps.config.webBaseUrl.replace(/\/$/, '');
  const gapMs = opts.perSecond ? 1000 / opts.perSecond : 0;
  let sent = 0;
  let skipped = 0;
  for (const member of members) {
    if (!(await wantsOptionalEmail(deps.store, member, group.id))) {
      skipped += 1;
      continue;
    }
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
      continue;
    }
    sent += 1;
    await pace(gapMs);
  }
  const asks = await sendCampaignAsks(deps, group, members, { gapMs });
  const summaries = await sendAdminSummaries(deps, group, members, await withTimelines(deps.store, referrals));
  return { sent, skipped, campaignAsks: asks.sent, adminSummaries: summaries.sent };
}
