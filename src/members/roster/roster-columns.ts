/**
 * Which column of a roster holds what, from the header names people actually write: "E-mail",
 * "Email address", "Company", "Firma", "Kategorie", "Catégorie", "Ziel pro Monat", or a whole profile
 * question as a Google Form puts it ("What is a good referral for you?").
 */

export const ROSTER_FIELDS = ['name', 'firstName', 'lastName', 'email', 'business', 'category', 'phone', 'goalPerMonth', 'tellPeople', 'goodReferral', 'setsApart'] as const;
export type RosterField = (typeof ROSTER_FIELDS)[number];

/** Lower case, accents and punctuation gone: "E-Mail-Adresse" → "e mail adresse", "Catégorie" → "categorie". */
export function normaliseHeader(header: string): string {
  return header
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Exact header names (normalised), in English, German and French. */
const ALIASES: Record<RosterField, string[]> = {
  name: ['name', 'full name', 'fullname', 'member', 'member name', 'contact', 'contact name', 'person', 'vollstandiger name', 'mitglied', 'nom complet', 'nom et prenom', 'prenom et nom', 'membre'],
  firstName: ['first name', 'firstname', 'given name', 'forename', 'vorname', 'prenom'],
  lastName: ['last name', 'lastname', 'surname', 'family name', 'nachname', 'familienname', 'nom de famille'],
  email: ['email', 'e mail', 'email address', 'e mail address', 'mail', 'mail address', 'emailadresse', 'email adresse', 'e mail adresse', 'mailadresse', 'adresse e mail', 'adresse email', 'adresse mail', 'courriel', 'adresse courriel', 'mel'],
  business: ['business', 'business name', 'company', 'company name', 'firm', 'organisation', 'organization', 'employer', 'firma', 'firmenname', 'unternehmen', 'betrieb', 'entreprise', 'societe', 'nom de l entreprise', 'raison sociale'],
  category: ['category', 'trade', 'profession', 'occupation', 'industry', 'classification', 'speciality', 'specialty', 'seat', 'kategorie', 'branche', 'beruf', 'gewerk', 'fachgebiet', 'categorie', 'metier', 'secteur', 'activite', 'specialite'],
  phone: ['phone', 'phone number', 'telephone', 'telephone number', 'tel', 'mobile', 'mobile number', 'cell', 'cell phone', 'telefon', 'telefonnummer', 'handy', 'mobil', 'mobilnummer', 'numero de telephone', 'portable', 'tel portable'],
  goalPerMonth: ['goal', 'monthly goal', 'goal per month', 'goal month', 'referrals per month', 'referral goal', 'target', 'monthly target', 'ziel', 'ziel pro monat', 'monatsziel', 'empfehlungen pro monat', 'objectif', 'objectif mensuel', 'objectif par mois'],
  tellPeople: ['tell people', 'what to tell people', 'elevator pitch', 'pitch'],
  goodReferral: ['good referral', 'a good referral', 'ideal referral', 'gute empfehlung', 'bonne recommandation'],
  setsApart: ['sets apart', 'what sets you apart', 'usp', 'unique selling point', 'alleinstellungsmerkmal', 'ce qui vous distingue'],
};

/** Long question-style headers, matched by their telling words when no exact alias fits. */
const QUESTION_PATTERNS: [RosterField, RegExp][] = [
  ['goodReferral', /\b(good|ideal) referral\b|\bgute[rn]? (empfehlung|kontakt)|\bbonne (recommandation|reference)\b/],
  ['setsApart', /\bapart\b|\bunterscheidet\b|\bdistingue\b|\bdifferen/],
  ['tellPeople', /\btell (people|others)\b|\berzahl|\bsagen\b|\bdire de vous\b|\bpresenter\b/],
  ['goalPerMonth', /\b(per|a|each) month\b|\bpro monat\b|\bpar mois\b/],
];

const LOOKUP = new Map<string, RosterField>(Object.entries(ALIASES).flatMap(([field, names]) => names.map((n) => [n, field as RosterField])));

/** The field a header names, or undefined when the column is not one we import. */
export function fieldOfHeader(header: string): RosterField | undefined {
  const key = normaliseHeader(header);
  if (!key) return undefined;
  const exact = LOOKUP.get(key);
  if (exact) return exact;
  return QUESTION_PATTERNS.find(([, pattern]) => pattern.test(key))?.[0];
}

/**
 * Column index per field. The first column naming a field wins; French "Nom" is the surname when a
 * "Prénom" column exists and the full name otherwise.
 */
export function mapColumns(headers: string[]): Partial<Record<RosterField, number>> {
  const columns: Partial<Record<RosterField, number>> = {};
  const hasFirstName = headers.some((h) => fieldOfHeader(h) === 'firstName');
  headers.forEach((header, index) => {
    const key = normaliseHeader(header);
    const field = key === 'nom' ? (hasFirstName ? 'lastName' : 'name') : fieldOfHeader(header);
    if (field && columns[field] === undefined) columns[field] = index;
  });
  return columns;
}
