/**
 * Everything the report page and API show, computed once per request from the group's members and
 * referrals, already cut down to what the viewer may see. Pure apart from the loader.
 */
import { withTimelines } from '../../referrals/timelines.js';
import type { Group, Member, Referral } from '../../domain/types.js';
import type { RelayDeps } from '../../referrals/deps.js';
import type { ReportPeriod } from '../../reports/period.js';
import { providerScorecard, type ProviderScore } from '../../reports/scorecard.js';
import { buildSummary, referralsInPeriod, type Summary } from '../../reports/summary.js';
import { firstContactChart } from '../../reports/svg/first-contact.js';
import { referralMatrix } from '../../reports/svg/matrix.js';
import { weeklyChart } from '../../reports/svg/weekly.js';
import type { Chart } from '../../reports/svg/xml.js';

export interface ReportViewer {
  memberId: string;
  isAdmin: boolean;
}

export interface ReportView {
  group: Group;
  period: ReportPeriod;
  summary: Summary;
  charts: { matrix: Chart; weekly: Chart; firstContact: Chart };
  /** Admins only. */
  scorecard?: ProviderScore[];
  members: Member[];
  referrals: Referral[];
}

export async function loadGroupData(deps: RelayDeps, groupId: string): Promise<{ members: Member[]; referrals: Referral[] }> {
  const [members, states] = await Promise.all([deps.store.listMembers(groupId), deps.store.listReferrals({ groupId })]);
  // The scorecard reads status changes from the timelines.
  return { members, referrals: await withTimelines(deps.store, states) };
}

/**
 * The matrix an admin sees covers the whole group; a member sees only their own row and column
 * (who they refer, who refers them), as they see only their own row of the table.
 */
function matrixFor(members: readonly Member[], inPeriod: readonly Referral[], viewer: ReportViewer, period: ReportPeriod): Chart {
  const mine = viewer.isAdmin ? inPeriod : inPeriod.filter((r) => r.referrerId === viewer.memberId || r.providerId === viewer.memberId);
  const involved = new Set(mine.flatMap((r) => [r.referrerId, r.providerId!]));
  const shown = members.filter((m) => (viewer.isAdmin ? m.status === 'active' || involved.has(m.id) : m.id === viewer.memberId || involved.has(m.id)));
  return referralMatrix({ members: shown.map((m) => ({ id: m.id, name: m.name })), referrals: mine, idPrefix: 'who-refers-whom', periodLabel: period.label });
}

export function buildReportView(group: Group, members: Member[], referrals: Referral[], period: ReportPeriod, viewer: ReportViewer, now?: Date): ReportView {
  const summary = buildSummary({ group, members, referrals, from: period.from, to: period.to, viewer, now });
  const inPeriod = referralsInPeriod(referrals, period.from, period.to, group.timezone);
  const common = { referrals: inPeriod, from: period.from, to: period.to, timezone: group.timezone, periodLabel: period.label };
  return {
    group,
    period,
    summary,
    charts: {
      matrix: matrixFor(members, inPeriod, viewer, period),
      weekly: weeklyChart({ ...common, idPrefix: 'per-week' }),
      firstContact: firstContactChart({ ...common, idPrefix: 'first-contact' }),
    },
    ...(viewer.isAdmin ? { scorecard: providerScorecard({ members, referrals, from: period.from, to: period.to, timezone: group.timezone }) } : {}),
    members,
    referrals,
  };
}
