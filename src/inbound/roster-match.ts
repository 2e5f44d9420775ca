/**
 * Who is who: finding group members by address and by how people write their names in a note.
 */
import { describingWords, descriptionScore, preferDescribed } from './member-words.js';

/** What resolving needs to know about a member of the group. */
export interface RosterMember {
  id: string;
  name: string;
  /** Primary address. */
  email: string;
  /** Verified extra sender addresses. */
  extraAddresses: string[];
  status: 'active' | 'removed';
  /** Shown next to the name when asking which member was meant. */
  business?: string;
  /** Trade, e.g. "Photographer": a note's "(photographe)" or "our electrician" picks the member by it. */
  category?: string;
  /** Profile answers: their words help decide between two members of the same first name. */
  profile?: { tellPeople?: string; goodReferral?: string; setsApart?: string };
}

/** One place in a text that refers to a member: one candidate, or several when only a shared first name was written. */
export interface Mention {
  members: RosterMember[];
  /** The words as written, for messages. */
  written: string;
  /** Offsets of the words in the text searched. */
  start: number;
  end: number;
  /** "Priya's client": a reference to someone connected to the member, not a name addressed to them. */
  possessive: boolean;
}

/** Active members by every address they send from (lower-cased). */
export function indexByAddress(roster: readonly RosterMember[]): Map<string, RosterMember> {
  const index = new Map<string, RosterMember>();
  for (const member of roster) {
    if (member.status !== 'active') continue;
    for (const address of [member.email, ...member.extraAddresses]) index.set(address.trim().toLowerCase(), member);
  }
  return index;
}

interface Token {
  norm: string;
  capitalised: boolean;
  possessive: boolean;
  start: number;
  end: number;
}

const WORD = /[\p{L}\p{M}][\p{L}\p{M}'’-]*/gu;
const EMAIL = /[^\s<>()[\]{},;:"']+@[^\s<>()[\]{},;:"']+\.[a-z]{2,}/giu;

/** Lower case, no accents, no possessive: "José's" → "jose". */
export function normaliseWord(word: string): string {
  return word
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’]s$/, '')
    .replace(/['’-]+$/, '');
}

function tokenise(text: string): Token[] {
  return [...text.matchAll(WORD)].map((match) => ({
    norm: normaliseWord(match[0]),
    capitalised: /^\p{Lu}/u.test(match[0]),
    possessive: /['’]s$/i.test(match[0]),
    start: match.index,
    end: match.index + match[0].length,
  }));
}

function nameTokens(text: string): string[] {
  return tokenise(text).map((token) => token.norm);
}

export interface MentionOptions {
  /** Names must start with a capital letter in running text, or "will" and "mark" would be members. */
  requireCapital: boolean;
  /** First names of someone else in this mail (the prospect): a bare first name equal to one is not a mention. */
  ignoredFirstNames?: ReadonlySet<string>;
}

/**
 * Finds members referred to in a text: by address, full name, business name, or first name — narrowed by a
 * following surname prefix ("Sam O" is Sam Ortiz when only one Sam's surname starts with O). A first name
 * followed by another capitalised word that fits no member's surname ("Sam Brown") is someone else.
 */
export function findMentions(text: string, members: readonly RosterMember[], options: MentionOptions): Mention[] {
  const mentions: Mention[] = [];
  const byAddress = indexByAddress(members);
  const addressSpans: [number, number][] = [];
  for (const match of text.matchAll(EMAIL)) {
    const end = match.index + match[0].length;
    addressSpans.push([match.index, end]);
    const member = byAddress.get(match[0].toLowerCase());
    if (member) mentions.push(mention([member], text, match.index, end, false));
  }

  // Words inside an address ("Sam.Lee@…") are not names.
  const tokens = tokenise(text).filter(
    (token) => !addressSpans.some(([start, end]) => token.start >= start && token.start < end),
  );
  const adjacent = (i: number): boolean =>
    i + 1 < tokens.length && /^[ \t]+$/.test(text.slice(tokens[i].end, tokens[i + 1].start));
  const phraseAt = (i: number, words: string[]): boolean =>
    words.length > 0 && words.every((word, k) => tokens[i + k]?.norm === word && (k === 0 || adjacent(i + k - 1)));
  // Tokenised once per call, not once per word of the text.
  const named = members.map((member) => ({
    member,
    name: nameTokens(member.name),
    business: nameTokens(member.business ?? ''),
  }));

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (options.requireCapital && !token.capitalised) continue;

    const exact = named
      .map(({ member, name, business }) => ({ member, words: phraseAt(i, name) ? name : business }))
      .find(({ words }) => phraseAt(i, words));
    if (exact) {
      const last = tokens[i + exact.words.length - 1];
      mentions.push(mention([exact.member], text, token.start, last.end, last.possessive));
      i += exact.words.length - 1;
      continue;
    }

    const sameFirstName = named.filter(({ name }) => name[0] === token.norm);
    if (sameFirstName.length === 0) continue;

    const next = adjacent(i) ? tokens[i + 1] : undefined;
    if (next && (next.capitalised || !options.requireCapital)) {
      const bySurname = sameFirstName.filter(({ name }) => name.slice(1).some((part) => part.startsWith(next.norm)));
      if (bySurname.length > 0) {
        mentions.push(mention(bySurname.map((n) => n.member), text, token.start, next.end, next.possessive));
        i += 1;
        continue;
      }
      if (next.capitalised) continue; // "Sam Brown": a different Sam
    }
    if (options.ignoredFirstNames?.has(token.norm)) continue;
    mentions.push(mention(sameFirstName.map((n) => n.member), text, token.start, token.end, token.possessive));
  }
  return mentions.sort((a, b) => a.start - b.start);
}

function mention(members: RosterMember[], text: string, start: number, end: number, possessive: boolean): Mention {
  return { members, written: text.slice(start, end), start, end, possessive };
}

/**
 * Members a short free-form reference stands for, as in `for: Sam O`, `provider: ortiz plumbing` or an address.
 * The most specific reading wins; a surname or one business word alone is the last resort.
 */
export function matchMembers<M extends RosterMember>(reference: string, members: readonly M[]): M[] {
  const mentions = findMentions(reference, members, { requireCapital: false });
  const unique = distinct(mentions.filter((m) => m.members.length === 1).flatMap((m) => m.members));
  if (unique.length > 0) return unique as M[];
  const ambiguous = distinct(mentions.flatMap((m) => m.members));
  // "Sam (photographe)", "Sam the plumber": the other words pick between the Sams.
  if (ambiguous.length > 0) return preferDescribed(ambiguous as M[], reference, mentions.map((m) => m.written));

  const words = nameTokens(reference);
  if (words.length === 0) return [];
  const byName = members.filter((m) => {
    const known = [...nameTokens(m.name), ...nameTokens(m.business ?? '')];
    return words.every((word) => known.includes(word));
  });
  if (byName.length > 0) return byName;
  // No name at all: "photographer", "the electrician", "Buchhaltung".
  const described = describingWords(reference);
  const byTrade = members.filter((m) => descriptionScore(described, m) >= 3);
  // "Jonas Elektriker": of the electricians, the one with that name.
  const alsoNamed = byTrade.filter((m) => nameTokens(m.name).some((part) => words.includes(part)));
  return alsoNamed.length > 0 ? alsoNamed : preferDescribed(byTrade, reference);
}

/** Members in first-seen order, each once. */
export function distinct<M extends RosterMember>(members: readonly M[]): M[] {
  return [...new Map(members.map((m) => [m.id, m])).values()];
}
