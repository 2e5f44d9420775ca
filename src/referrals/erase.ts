import type { Prospect, Referral } from '../domain/types.js';

export const ERASED = '[erased]';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A function that replaces every trace of the prospect in a free text: their email address, phone
 * number (as written and as E.164, ignoring spacing), company, full name and each part of the name as
 * a whole word (a provider's note says "called Bob", not "called Bob Stone"), case-insensitively.
 */
export function prospectScrubber(prospect: Prospect): (text: string | undefined) => string | undefined {
  const patterns: RegExp[] = [];
  if (prospect.email) patterns.push(new RegExp(escape(prospect.email), 'gi'));
  for (const phone of [prospect.phone, prospect.phoneE164]) {
    const digits = phone?.replace(/\D/g, '') ?? '';
    if (digits.length >= 6) patterns.push(new RegExp(`\\+?${digits.split('').join('[\\s().-]*')}`, 'g'));
  }
  for (const words of [prospect.company, prospect.name]) {
    const whole = words?.trim();
    if (!whole) continue;
    patterns.push(new RegExp(`(?<![\\p{L}\\p{N}])${escape(whole)}(?![\\p{L}\\p{N}])`, 'giu'));
    for (const part of whole.split(/\s+/).filter((p) => p.length >= 2)) {
      patterns.push(new RegExp(`(?<![\\p{L}\\p{N}])${escape(part)}(?![\\p{L}\\p{N}])`, 'giu'));
    }
  }
  return (text) => (text === undefined ? undefined : patterns.reduce((t, re) => t.replace(re, ERASED), text));
}

/**
 * The referral with every trace of its prospect removed: the prospect fields, the need and note, every
 * timeline text and private text, and the prospect's address wherever an email event has it in `to`
 * or `cc` — whatever the email's kind (help, needs-info and notices go to prospects too).
 */
export function eraseProspectFrom(r: Referral): Referral {
  const scrub = prospectScrubber(r.prospect);
  const address = r.prospect.email?.toLowerCase();
  const isProspect = (a: string | undefined) => !!a && !!address && a.toLowerCase().includes(address);
  return {
    ...r,
    prospect: { name: 'erased' },
    need: scrub(r.need) ?? '',
    note: scrub(r.note),
    ...(r.lostReason !== undefined ? { lostReason: scrub(r.lostReason) } : {}),
    ...(r.needsInfo ? { needsInfo: { ...r.needsInfo, question: scrub(r.needsInfo.question) } } : {}),
    timeline: r.timeline.map((e) => ({
      ...e,
      text: scrub(e.text) ?? '',
      ...(e.privateText !== undefined ? { privateText: scrub(e.privateText) } : {}),
      ...(e.to !== undefined ? { to: isProspect(e.to) ? ERASED : e.to } : {}),
      ...(e.cc !== undefined ? { cc: e.cc.map((a) => (isProspect(a) ? ERASED : a)) } : {}),
    })),
  };
}
