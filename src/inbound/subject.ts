/**
 * Subject prefixes mail clients add when forwarding or replying, in the languages members write in:
 * Fwd/FW (en), WG (de), TR (fr), RV (es), Doorst (nl), ENC (pt), VS/VL (fi), I (it, too short to strip safely).
 */
const FORWARD_TAG = String.raw`(?:fwd?|fw|wg|tr|rv|doorst|enc|vs|vl|vb)`;
const REPLY_TAG = String.raw`(?:re|aw|sv|antw|res)`;
const TAGS = new RegExp(String.raw`^\s*(?:(?:${FORWARD_TAG}|${REPLY_TAG})\s*(?:\[\d+\])?\s*:\s*)+`, 'i');
const FORWARD = new RegExp(String.raw`^\s*(?:${REPLY_TAG}\s*:\s*)*${FORWARD_TAG}\s*(?:\[\d+\])?\s*:`, 'i');

/** "Fwd: RE: Leaking valves" → "Leaking valves". */
export function stripSubjectPrefixes(subject: string): string {
  return subject.replace(TAGS, '').trim();
}

/** The subject says the mail is a forward, in any of the languages above. */
export function hasForwardPrefix(subject: string): boolean {
  return FORWARD.test(subject);
}
