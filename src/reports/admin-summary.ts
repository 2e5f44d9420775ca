/**
 * The admins' weekly summary (PALMS-like): what moved this week, who is waiting on whom (open
 * referrals nobody has contacted, oldest first), and the slowest first contacts. Sent to every
 * active admin in the digest run, once per admin per ISO week.
 */
import type { Group, Member, Referral } from '../domain/types.js';
import { formatInZone, parseIsoInZone } from '../domain/zoned-time.js';
import { renderEmail } from '../mail/render.js';
import type { RelayDeps } from '../referrals/deps.js';
import type { AdminSummaryContent, AdminSummaryData, AdminSummaryItem } from './email-data.js';
import { sendOnceThisWeek } from '../digest/once-a-week.js';
import { countsInReports, hoursToFirstContact, HOUR_MS } from './stats.js';

const WEEK_MS = 7 * 24 * HOUR_MS;

/** "Tue 3 Mar" in the group's timezone (the raw text if it is not an ISO date-time). */
function formatWhen(iso: string, timezone: string): string {
  const at = parseIsoInZone(iso, timezone);
  return at === undefined ? iso : formatInZone(at, timezone, 'ccc d LLL');
}
/** Longest lists in the email; the rest is in the report page. */
export const ADMIN_LIST_MAX = 15;

/** Pure: the summary of the 7 days up to `now`. */
export function adminSummaryFor(group: Pick<Group, 'timezone'>, members: readonly Member[], referrals: readonly Referral[], now: Date, webBaseUrl: string): AdminSummaryContent {
  const names = new Map(members.map((m) => [m.id, m.name]));
  const since = now.getTime() - WEEK_MS;
  const base = webBaseUrl.replace(/\/$/, '');
  const item = (r: Referral): AdminSummaryItem => ({
    prospectName: r.prospect.name,
    providerName: names.get(r.providerId ?? '') ?? '(no provider yet)',
    referrerName: names.get(r.referrerId) ?? '(unknown)',
    link: `${base}/referrals/${r.id}`,
  });
  const inWeek = (iso: string | undefined) => {
    const at = iso ? Date.parse(iso) : NaN;
    return at >= since && at <= now.getTime();
  };
  const counted = referrals.filter(countsInReports);

  const moved = referrals
    .flatMap((r) => r.timeline.filter((e) => e.type === 'status' && e.status && inWeek(e.at)).map((e) => ({ r, e })))
    .sort((a, b) => b.e.at.localeCompare(a.e.at))
    .map(({ r, e }) => ({ ...item(r), status: e.status!, when: formatWhen(e.at, group.timezone) }));

  const waiting = counted
    .filter((r) => !r.firstContactAt && (r.status === 'logged' || r.status === 'dormant'))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .map((r) => ({ ...item(r), days: Math.floor((now.getTime() - Date.parse(r.createdAt)) / (24 * HOUR_MS)) }));

  const slowest = counted
    .filter((r) => inWeek(r.firstContactAt))
    .map((r) => ({ r, hours: hoursToFirstContact(r) ?? 0 }))
    .sort((a, b) => b.hours - a.hours)
    .map(({ r, hours }) => ({ ...item(r), hours: Math.round(hours * 10) / 10 }));

  return {
    weekLabel: `week of ${formatInZone(since, group.timezone, 'd LLLL')}`,
    given: counted.filter((r) => inWeek(r.createdAt)).length,
    won: referrals.filter((r) => r.timeline.some((e) => e.type === 'status' && e.status === 'won' && inWeek(e.at))).length,
    moved: moved.slice(0, ADMIN_LIST_MAX),
    waiting: waiting.slice(0, ADMIN_LIST_MAX),
    slowest: slowest.slice(0, 5),
    flagged: members.filter((m) => m.flagged && m.status === 'active').map((m) => ({ name: m.name, note: m.flagged! })),
  };
}

/** One summary per active admin, at most once per ISO week each (claimOnce). */
export async function sendAdminSummaries(
  deps: RelayDeps,
  group: Group,
  members: readonly Member[],
  referrals: readonly Referral[],
  suppressed: ReadonlySet<string>,
): Promise<{ sent: number; skipped: number }> {
  const now = deps.clock.now();
  const base = deps.config.webBaseUrl.replace(/\/$/, '');
  const content = adminSummaryFor(group, members, referrals, now, base);
  let sent = 0;
  let skipped = 0;
  for (const admin of members.filter((m) => m.role === 'admin')) {
    if (admin.status !== 'active' || suppressed.has(admin.email.toLowerCase())) {
      skipped += 1;
      continue;
    }
    const data: AdminSummaryData = {
      groupName: group.name,
      recipientName: admin.name,
      recipientRole: 'member',
      replyWords: [],
      links: { web: `${base}/reports` },
      adminSummary: content,
    };
    const sentNow = await sendOnceThisWeek(deps, { kind: 'admin-summary', groupId: group.id, memberId: admin.id, timezone: group.timezone, now }, async () => {
      const email = renderEmail('admin_summary', data);
      await deps.mail.send({ to: [admin.email], subject: email.subject, html: email.html, text: email.text, tags: { kind: 'admin_summary' } });
    });
    if (sentNow) sent += 1;
    else skipped += 1;
  }
  return { sent, skipped };
}
