/**
 * How people describe a member instead of naming them: by trade ("our electrician", "Sam (photographe)",
 * "the Tom who does interiors"), by business ("Priya at Ledger Lane") or by what their profile says.
 * Words are compared loosely (plural, -er/-ing, accents: "photos" ~ "Photographer", "électricien" ~
 * "Electrician"), and common trades are known in English, German and French. Pure.
 */
import { normaliseWord, type RosterMember } from './roster-match.js';

/** Trades by their word stems in English, German and French; words sharing a group describe the same trade. */
const TRADES: readonly string[][] = [
  ['photograph', 'photo', 'fotograf', 'fotografin'],
  ['electric', 'electrician', 'elektrik', 'elektriker', 'electricien', 'electricienne', 'electricite'],
  ['plumb', 'klempner', 'installateur', 'sanitar', 'plombier', 'plomberie', 'heating'],
  ['bookkeep', 'buchhalt', 'buchfuhr', 'comptab', 'accountan', 'accounting', 'steuerberat', 'expert comptable', 'vat', 'tax'],
  ['solicitor', 'lawyer', 'attorney', 'legal', 'anwalt', 'anwaltin', 'rechtsanwalt', 'avocat', 'avocate', 'notaire', 'juriste', 'contract', 'lease'],
  ['interior', 'designer', 'innenarchitekt', 'einricht', 'decorat', 'architecte d interieur', 'interieur'],
  ['roof', 'dachdeck', 'dach', 'couvreur', 'toiture'],
  ['florist', 'flower', 'blume', 'florist', 'fleur', 'fleuriste'],
  ['financial', 'finance', 'wealth', 'pension', 'invest', 'finanz', 'anlage', 'vermogen', 'financier', 'patrimoine', 'conseiller financier'],
  ['graphic', 'grafik', 'graphisme', 'graphiste', 'logo', 'branding'],
  ['carpent', 'joiner', 'tischler', 'schreiner', 'menuisier', 'charpentier'],
  ['paint', 'decorator', 'maler', 'peintre'],
  ['estate agent', 'realtor', 'property', 'immobil', 'makler', 'agent immobilier'],
  ['insur', 'versicher', 'assur'],
  ['garden', 'landscap', 'gartner', 'garten', 'jardin', 'paysag'],
  ['it support', 'computer', 'software', 'informatik', 'informatique', 'developer', 'web'],
  ['restaurant', 'cater', 'chef', 'traiteur', 'gastronom', 'bistro'],
  ['mortgage', 'hypothek', 'pret immobilier', 'credit immobilier'],
  ['print', 'druck', 'imprim'],
  ['clean', 'reinig', 'putz', 'nettoyage', 'menage'],
];

/** Words that describe nobody: articles, pronouns and fillers in the three languages, and short words. */
const STOP = new Set(
  (
    'the a an and or for with from to of in on at by our your their his her its this that who does do does one who which ' +
    'can could would should please need needs want wants new about into over call ask them they she he you we me my ' +
    'der die das den dem des ein eine einen einem und oder fur mit von zu im am beim unser unsere unseren unserem bitte ' +
    'le la les un une des du de et ou pour avec sur au aux notre nos votre vos qui fait est son sa ses merci'
  ).split(' '),
);

/** Meaningful words of a text, normalised ("Électricité!" → "electricite"). */
export function describingWords(text: string): string[] {
  return (text.match(/[\p{L}\p{M}][\p{L}\p{M}'’-]*/gu) ?? []).map(normaliseWord).filter((w) => w.length >= 3 && !STOP.has(w));
}

const commonPrefix = (a: string, b: string) => {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
};

/** "photos" ~ "photographer", "plumbing" ~ "plumber", "interiors" ~ "interior": one word, loosely. */
export function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  const shorter = Math.min(a.length, b.length);
  const shared = commonPrefix(a, b);
  return shared >= 5 && shared >= shorter - 3;
}

const tradesOf = (word: string) => TRADES.filter((group) => group.some((stem) => (stem.includes(' ') ? false : word.startsWith(stem) || sameWord(word, stem))));

/** Whether two words describe the same thing: loosely the same word, or the same trade in another language. */
export function describeSame(a: string, b: string): boolean {
  if (sameWord(a, b)) return true;
  const groups = tradesOf(a);
  return groups.length > 0 && tradesOf(b).some((g) => groups.includes(g));
}

/** Words of a member that describe what they do: business and category weigh most, profile answers less. */
function memberWords(member: RosterMember): { strong: string[]; weak: string[] } {
  return {
    strong: describingWords(`${member.category ?? ''} ${member.business ?? ''}`),
    weak: describingWords([member.profile?.tellPeople, member.profile?.goodReferral, member.profile?.setsApart].filter(Boolean).join(' ')),
  };
}

/** How well `words` describe `member`: 3 per word matching the business or category, 1 per profile word. */
export function descriptionScore(words: readonly string[], member: RosterMember): number {
  const { strong, weak } = memberWords(member);
  let score = 0;
  for (const word of new Set(words)) {
    if (strong.some((w) => describeSame(word, w))) score += 3;
    else if (weak.some((w) => sameWord(word, w))) score += 1;
  }
  return score;
}

/**
 * Of several members a name could mean, the one the surrounding words describe best. Returns the
 * members unchanged when no words describe any of them, or when two describe equally well.
 */
export function preferDescribed<M extends RosterMember>(members: readonly M[], text: string, exclude: readonly string[] = []): M[] {
  if (members.length < 2) return [...members];
  const skip = new Set(exclude.map(normaliseWord));
  const words = describingWords(text).filter((w) => !skip.has(w));
  const scored = members.map((member) => ({ member, score: descriptionScore(words, member) }));
  const best = Math.max(...scored.map((s) => s.score));
  if (best === 0) return [...members];
  const top = scored.filter((s) => s.score === best).map((s) => s.member);
  return top;
}

/** "our electrician", "the photographer", "unser Elektriker", "notre électricienne", "to our bookkeeper". */
const TRADE_REFERENCE = /\b(?:our|the|your|unser(?:e[mnrs]?)?|notre|votre|le|la|l['’])\s*([\p{L}\p{M}-]{4,})/giu;

/** Members named by their trade alone ("over to our electrician"); empty when the note names no trade a member has. */
export function membersByTrade<M extends RosterMember>(text: string, members: readonly M[]): M[] {
  const found = new Map<string, M>();
  for (const match of text.matchAll(TRADE_REFERENCE)) {
    const word = normaliseWord(match[1]!);
    if (STOP.has(word)) continue;
    for (const member of members) {
      const category = describingWords(member.category ?? '');
      if (category.some((c) => describeSame(word, c))) found.set(member.id, member);
    }
  }
  return [...found.values()];
}

/** Members whose name, business, category or profile match every word of `query` (the web form's search). */
export function searchMembers<M extends RosterMember>(query: string, members: readonly M[]): M[] {
  const words = (query.match(/[\p{L}\p{M}\d][\p{L}\p{M}\d'’-]*/gu) ?? []).map(normaliseWord).filter((w) => w.length > 0);
  if (!words.length) return [...members];
  return members.filter((member) => {
    const names = describingWords(`${member.name} ${member.business ?? ''}`).concat((member.name.match(/[\p{L}\p{M}]+/gu) ?? []).map(normaliseWord));
    const { strong, weak } = memberWords(member);
    return words.every(
      (word) => names.some((n) => n.startsWith(word) || sameWord(word, n)) || strong.some((w) => w.startsWith(word) || describeSame(word, w)) || weak.some((w) => sameWord(word, w)),
    );
  });
}
