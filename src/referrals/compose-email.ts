import { signValue } from '../domain/signed-link.js';
import { formatInZone, parseIsoInZone } from '../domain/zoned-time.js';
import type { Group, Member, Referral } from '../domain/types.js';
import type { EmailData, MemberCard, ReferralSummary, RelayDetail } from '../mail/render.js';
import { OPTIONAL_EMAILS, validCommands } from '../replies/valid-commands.js';
import type { EmailIntent, Party } from './effects.js';

export interface ComposeContext {
  group: Group;
  referral: Referral;
  referrer: Member;
  provider?: Member;
  /** Member named in a pass suggestion. */
  suggested?: Member;
  recipientName: string;
  webBaseUrl: string;
  sessionSecret: string;
}

export const memberCard = (m: Member): MemberCard => ({ name: m.name, email: m.email, business: m.business, category: m.category, profile: m.profile });

export function formatLocal(iso: string | undefined, tz: string): string | undefined {
  if (!iso) return undefined;
  const at = parseIsoInZone(iso, tz);
  return at === undefined ? undefined : formatInZone(at, tz, 'ccc d LLL, HH:mm');
}

/** The referral as this reader may see it: the closed value only for the provider, or when shared. */
export function summarise(ctx: ComposeContext, reader: Party): ReferralSummary {
  const r = ctx.referral;
  const introPending = r.pending.find((p) => p.kind === 'intro');
  return {
    prospectName: r.prospect.name,
    prospectCompany: r.prospect.company,
    prospectEmail: reader === 'prospect' ? undefined : r.prospect.email,
    prospectPhone: reader === 'prospect' ? undefined : r.prospect.phone,
    // The need and the note describe the prospect to the provider: never shown to the prospect.
    need: reader === 'prospect' ? '' : r.need,
    note: reader === 'prospect' ? undefined : r.note,
    introLine: r.introLine,
    consent: r.consent,
    temperature: r.temperature,
    status: r.status,
    providerName: ctx.provider?.name ?? '',
    providerBusiness: ctx.provider?.business,
    providerEmail: ctx.provider?.email,
    referrerName: ctx.referrer.name,
    referrerEmail: ctx.referrer.email,
    lostReason: r.lostReason,
    closedValue: reader === 'provider' || r.shareClosedValue ? r.closedValue : undefined,
    introAt: formatLocal(r.introAt ?? introPending?.due, ctx.group.timezone),
    introducedByReferrer: r.introducedByReferrer,
  };
}

const RELAY: Record<NonNullable<EmailIntent['relay']>, (ctx: ComposeContext, i: EmailIntent) => RelayDetail> = {
  question: (ctx, i) => ({ type: 'question', fromRole: i.fromRole ?? 'provider', fromName: i.fromRole === 'referrer' ? ctx.referrer.name : (ctx.provider?.name ?? '') }),
  pass_suggestion: (ctx) => ({ type: 'pass_suggestion', suggested: ctx.suggested ? memberCard(ctx.suggested) : { name: '' } }),
  quality_good: () => ({ type: 'quality', verdict: 'good' }),
  quality_poor: () => ({ type: 'quality', verdict: 'poor' }),
  rating: () => ({ type: 'rating' }),
};

/** Builds the template data for one email about a referral. Pure. */
export function composeEmailData(intent: EmailIntent, ctx: ComposeContext): EmailData {
  const r = ctx.referral;
  const base = ctx.webBaseUrl.replace(/\/$/, '');
  const role = intent.to;
  const links: EmailData['links'] = {};
  if (role === 'prospect') {
    links.stop = `${base}/stop/${signValue('stop', r.id, ctx.sessionSecret)}`;
  } else {
    links.web = `${base}/referrals/${r.id}`;
  }
  // An optional email always carries its one-click unsubscribe (PRODUCT.md `stop`), in real sends too.
  const reader = role === 'provider' ? ctx.provider : role === 'referrer' ? ctx.referrer : undefined;
  if (reader && OPTIONAL_EMAILS.includes(intent.kind)) links.unsubscribe = `${base}/unsubscribe/${signValue('unsubscribe', reader.id, ctx.sessionSecret)}`;
  const summary = summarise(ctx, role);
  if (intent.kind === 'milestone') {
    summary.status = (intent.status as ReferralSummary['status']) ?? r.status;
    summary.closedValue = intent.closedValue;
  }
  if (intent.kind === 'intro') {
    // The introduction goes to the prospect with the provider and the referrer in Cc: each party's
    // way to reach the other is the point of it (the intro only goes with the prospect's consent).
    summary.prospectEmail = r.prospect.email;
    summary.prospectPhone = r.prospect.phone;
  }
  return {
    groupName: ctx.group.name,
    recipientName: ctx.recipientName,
    recipientRole: role,
    replyWords: intent.kind === 'intro' ? [] : validCommands(role, intent.kind, r, { relay: intent.relay, alert: intent.alert }),
    links,
    referral: summary,
    text: intent.text,
    rating: intent.rating,
    missing: r.needsInfo?.missing,
    candidates: r.needsInfo?.candidates?.map((c) => ({ name: c.name, email: c.email })),
    profile: intent.kind === 'intro' && ctx.provider ? memberCard(ctx.provider) : intent.kind === 'give_back' ? memberCard(ctx.referrer) : undefined,
    progress: intent.kind === 'progress_request' || intent.kind === 'dormant_notice' ? { number: r.unansweredProgressRequests, max: ctx.group.settings.maxProgressRequests } : undefined,
    alert: intent.alert ? { reason: intent.alert } : undefined,
    notice: intent.notice ? { reason: intent.notice } : undefined,
    relay: intent.relay ? RELAY[intent.relay](ctx, intent) : undefined,
    anniversary:
      intent.kind === 'anniversary'
        ? { years: r.anniversaryYears ?? 1, wonOn: r.wonAt ? formatInZone(Date.parse(r.wonAt), ctx.group.timezone, 'ccc d LLL yyyy') : undefined }
        : undefined,
    deadline:
      intent.kind === 'needs_info' || intent.kind === 'needs_info_reminder'
        ? formatLocal(r.pending.find((p) => p.kind === 'needs_info_expiry')?.due, ctx.group.timezone)
        : undefined,
  };
}
