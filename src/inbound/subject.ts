/**
 * Subject tags mail clients add when forwarding — Fwd/FW (en), WG (de), TR (fr), RV (es), Doorst (nl), ENC (pt),
 * VL (fi) — or replying — Re, AW (de), SV (sv/da/no), Antw (nl), RES (pt), VS (fi). Italian "I:" is too short to
 * strip safely.
 */
const FORWARD_TAG = String.raw`(?:fwd?|fw|wg|tr|rv|doorst|enc|vl)`;
const REPLY_TAG = String.raw`(?:re|aw|sv|antw|res|vs)`;
const TAGS = new RegExp(String.raw`^\s*(?:(?:${FORWARD_TAG}|${REPLY_TAG})\s*(?:\[\d+\])?\s*:\s*)+`, 'i');

/** "Fwd: RE: Leaking valves" → "Leaking valves". */
export function stripSubjectPrefixes(subject: string): string {
  return subject.replace(TAGS, '').trim();
}
