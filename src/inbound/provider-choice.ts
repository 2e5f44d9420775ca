import type { NoteDirectives } from './note-directives.js';
import { membersByTrade, preferDescribed } from './member-words.js';
import { distinct, findMentions, matchMembers, type Mention, type RosterMember } from './roster-match.js';

/** The provider a logging email points at, or the members it could mean. */
export interface ProviderChoice {
  provider?: RosterMember;
  /** When no single provider was found: who it could be (may be empty). */
  candidates: RosterMember[];
  /** An explicit `for:` line that named nobody we know, quoted back in the question. */
  unmatchedFor?: string;
  /** The lead "For X" named the provider, so it is not part of the need. */
  usedLeadFor: boolean;
}

/** What choosing a provider looks at. */
export interface ProviderEvidence {
  directives: NoteDirectives;
  /** Active members other than the referrer. */
  others: RosterMember[];
  /** Members among the outer To/Cc, referrer excluded, in header order. */
  addressed: RosterMember[];
  /** First names (normalised) of the non-members in this mail: "Sam" there is the prospect, not a member. */
  ignoredFirstNames: ReadonlySet<string>;
}

/**
 * Provider, by PRODUCT.md precedence: an explicit `for:` line, then the note naming a member (a lead "For X"
 * first, then the member the note opens by addressing, then any unique mention), then a member in the outer
 * To/Cc. When words name several members, the To/Cc narrows them; whatever is still ambiguous goes back to the
 * referrer as candidates.
 */
export function chooseProvider({ directives, others, addressed, ignoredFirstNames }: ProviderEvidence): ProviderChoice {
  const note = directives.remainder;
  if (directives.forLine) {
    const named = preferDescribed(matchMembers(directives.forLine, others), note, [directives.forLine]);
    if (named.length === 0) return { candidates: addressed, unmatchedFor: directives.forLine, usedLeadFor: false };
    return { ...narrow(named, addressed), usedLeadFor: false };
  }

  if (directives.leadFor) {
    const named = preferDescribed(matchMembers(directives.leadFor.target, others), note, [directives.leadFor.target]);
    if (named.length > 0) return { ...narrow(named, addressed), usedLeadFor: true };
  }

  // "Priya's client" names someone connected to Priya, not the person the referral is for. A first name
  // two members share is narrowed by the note's other words: "Sam - the photographer one!", "the Tom who
  // does interiors", "Jo (bookkeeping)".
  const mentions = findMentions(note, others, { requireCapital: true, ignoredFirstNames })
    .filter((mention) => !mention.possessive)
    .map((mention) => ({ ...mention, members: preferDescribed(mention.members, note, [mention.written]) }));
  const addressee = mentions[0] && opensNote(directives.remainder, mentions[0]) ? mentions[0] : undefined;
  if (addressee) {
    const choice = narrow(addressee.members, addressed);
    if (choice.provider) return { ...choice, usedLeadFor: false };
  }

  const unique = distinct(mentions.filter((m) => m.members.length === 1).flatMap((m) => m.members));
  const named = unique.length > 0 ? unique : distinct(mentions.flatMap((m) => m.members));
  if (named.length > 0) {
    const choice = narrow(named, addressed);
    // A bare shared first name that the To/Cc does not settle: both readings go back to the referrer.
    if (!choice.provider && unique.length === 0) choice.candidates = distinct([...named, ...addressed]);
    return { ...choice, usedLeadFor: false };
  }

  // No member named: "over to our electrician", "pour notre photographe".
  const byTrade = membersByTrade(note, others);
  if (byTrade.length > 0) return { ...narrow(byTrade, addressed), usedLeadFor: false };

  return { ...narrow(addressed, []), usedLeadFor: false };
}

const GREETING = /^\s*(?:(?:hi|hey|hello|dear|morning|hiya)\b[\s,]*)?$/i;
// A short aside may follow the name: "Jo (bookkeeping) – can you…".
const VOCATIVE_END = /^\s*(?:\([^()\n]{1,60}\)\s*)?(?:[,:;.!\-–—]|please\b|pls\b|$)/i;

/** "Sam Lee, this is for…", "Hi Tom -", "Sam L please": the note opens by addressing a member. */
function opensNote(note: string, mention: Mention): boolean {
  return GREETING.test(note.slice(0, mention.start)) && VOCATIVE_END.test(note.slice(mention.end, mention.end + 80));
}

function narrow(named: RosterMember[], addressed: RosterMember[]): Pick<ProviderChoice, 'provider' | 'candidates'> {
  if (named.length === 1) return { provider: named[0], candidates: [] };
  const both = named.filter((member) => addressed.some((a) => a.id === member.id));
  if (both.length === 1) return { provider: both[0], candidates: [] };
  return { candidates: both.length > 1 ? both : named };
}
