/**
 * The words people use for each command, per role (PRODUCT.md "What happens, and when").
 * Data plus a small matcher; the decisions (which phrase wins, when to ask back) live in parse-command.
 */
import { replyRoles } from '../referrals/core/rules.js';
import type { Role, Verb } from './types.js';

/**
 * Where a phrase counts:
 * - `leading`: only as the first words of the message (common English words such as "note", "ask",
 *   "share", "good" are commands only there);
 * - `early`: within the first four words of a line (thanks and appreciation: "Alice, thank you!"
 *   is a thank-you, "…his surname? Thanks" is not);
 * - `anywhere`: in any clause, unless negated or in the future ("haven't called", "will send the quote").
 */
export type Where = 'leading' | 'early' | 'anywhere';

export interface Phrase {
  verb: Verb;
  roles: readonly Role[];
  where: Where;
  /** The phrase states the reason itself ("they went with a cheaper quote"): keep it in the text. */
  describes?: boolean;
  /** Politeness that yields to a real command later in the message ("Thanks, contacted her"). */
  courtesy?: boolean;
  /** Only when answering one of these email kinds (`undefined`: when the kind is not known). */
  kinds?: readonly (string | undefined)[];
  any: RegExp;
  sticky: RegExp;
}


// Letters, digits and an apostrophe followed by a letter ("won't") continue a word.
const BEFORE = "(?<![\\p{L}\\p{N}_'])";
const AFTER = "(?![\\p{L}\\p{N}_]|'\\p{L})";

/** A phrase for `verb`; who may say it comes from the rule book (core/rules.ts), not from here. */
function phrase(
  verb: Verb,
  where: Where,
  src: string,
  extra: Partial<Pick<Phrase, 'describes' | 'courtesy' | 'kinds'>> = {},
): Phrase {
  const body = `${BEFORE}(?:${src})${AFTER}`;
  return { verb, roles: replyRoles(verb), where, ...extra, any: new RegExp(body, 'giu'), sticky: new RegExp(body, 'yiu') };
}

const NUMBER_WORD = '(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a couple of|a few|\\d{1,3})';
const PERIOD = '(?:d|days?|w|wks?|weeks?|months?|mths?)';
const SENT_DOC =
  "(?:(?:him|her|them|over|across|out|off|through)\\s+){0,2}(?:(?:the|a|an|our|my|his|her|their)\\s+)?(?:(?:detailed|formal|full|final|revised|updated|written|fee|draft)\\s+)?(?:proposal|quote|quotation|estimate|pricing|price|prices|costs|costings|figures|offer|tender|engagement letter|scope of work|sow)";

/** "lost", but not "lost his number". */
const LOST = 'lost(?! (?:his|her|their|the|my|your) (?:number|email|e-mail|address|details|contact|phone))';

export const PHRASES: readonly Phrase[] = [
  // ── provider milestones ──────────────────────────────────────────────
  phrase('contacted', 'leading', 'contacted|contact made|made contact|in (?:touch|contact)'),
  phrase(
    'contacted',
    'anywhere',
    `contacted|(?<!(?:is|are|was|were|be) )called|rang|phoned|e-?mailed|texted|messaged|whats-?apped|pinged|dm'?e?d|spoke(?:\\s+(?:to|with))?|spoken\\s+(?:to|with)|talked\\s+(?:to|with)|chatted\\s+(?:to|with)|reached out|got in touch|been in touch|in touch with|made contact|got hold of|caught up with|heard back from|left (?:(?:him|her|them|a|an)\\s+){0,2}(?:voicemail|voice mail|voice message|message|vm)|had (?:a |an )?(?:quick |short |good |great |long |first |intro |phone |zoom |teams )?(?:call|chat|phone call|conversation|zoom|teams call)|(?:sent|dropped) (?:him|her|them) (?:an? )?(?:email|e-mail|message|text|note|line)|(?:meeting|call|appointment|visit|coffee) (?:is )?(?:booked|arranged|scheduled|set up|in the diary|confirmed|fixed|agreed)|(?:booked|arranged|scheduled|set up) (?:a |the |an )?(?:meeting|call|visit|appointment|coffee)`,
  ),
  phrase('met', 'leading', 'met|meeting (?:done|held|went well)'),
  phrase(
    'met',
    'anywhere',
    'met|meeting (?:went|was|happened)|had (?:a |the |our )?(?:good |great |lovely |positive |productive |first |initial |useful )?(?:meeting|site visit|face to face)|(?:good|great|positive|productive|lovely|useful) meeting (?:with|yesterday|today|this morning|this afternoon|earlier|on)|sat down with|went (?:to see|round|over to see)|been to see|visited (?:him|her|them|the)|saw (?:him|her|them)|popped (?:in|round)',
  ),
  phrase('proposal', 'leading', 'proposal|quote|quotation|estimate|quoted|proposal sent|quote sent'),
  phrase(
    'proposal',
    'anywhere',
    `sent ${SENT_DOC}|(?:proposal|quote|quotation|estimate|offer|tender|pricing) (?:is |has )?(?:been )?(?:sent|submitted|out|gone out|went out|delivered|with (?:him|her|them)|in)|quoted (?:him|her|them|for)|submitted (?:a |the |our |my )?(?:proposal|quote|tender|bid)|gave (?:him|her|them) (?:a |the )?(?:quote|price|proposal|figure)|put (?:a |the |our |my )?(?:proposal|quote) (?:in|together|forward)`,
  ),
  phrase('won', 'leading', 'won|win|winner|signed|sold'),
  phrase(
    'won',
    'anywhere',
    "won|signed(?: (?:up|on|today|yesterday|the (?:contract|engagement letter|agreement|deal|paperwork)))?|contract signed|(?:we|they|he|she)(?:'ve| have)? (?:instructed us|hired us|booked us|accepted|agreed|went ahead|are going ahead|said yes)|got (?:the|this) (?:job|work|contract|gig|business|deal|account|client|order|instruction)|(?:proposal|quote|offer|estimate) (?:was |has been |got |is )?(?:accepted|approved|signed)|accepted (?:our|the|my) (?:proposal|quote|offer|estimate)|closed the deal|deal (?:closed|done|agreed|signed)|done deal|it's a (?:go|yes)|going ahead|booked in|new client|on board|onboarded|instructed us|hired us|(?:went|gone|going) (?:with|for) us|(?:chose|picked|appointed) us|job's ours|it's ours",
  ),
  phrase('lost', 'leading', `${LOST}|lose|no deal|no sale|unsuccessful|dead|no go|no-go`),
  phrase(
    'lost',
    'anywhere',
    `${LOST}|didn't (?:get|win) (?:it|the job|the work|the contract|this one|the business)|did not (?:get|win)|(?:wasn't|weren't|was not|were not) successful|unsuccessful|no (?:joy|luck)|(?:not|isn't|aren't) (?:going ahead|proceeding|moving forward)|turned (?:us|me) down`,
  ),
  phrase(
    'lost',
    'anywhere',
    '(?:decided|chose|opted) (?:not to|against)|went (?:with|for) (?:someone|somebody|another|a cheaper|a different|the other|an ?other|his|her|their|a local|an existing|a friend|the cheaper|a competitor|an in-house)|went elsewhere|(?:chose|picked|hired|appointed) (?:someone|somebody|another|a different|a cheaper)|(?:he|she|they) (?:declined|said no)|no longer (?:interested|needs?|wants?|going ahead)',
    { describes: true },
  ),
  phrase('pass', 'leading', 'pass|passed|passing|pass on this'),
  phrase('pass', 'anywhere', "i'll pass|i will pass|i'm passing|passing (?:(?:this|it|him|her|them) )?(?:on |over )?to", {}),
  phrase(
    'pass',
    'anywhere',
    "not (?:really )?(?:my|our) (?:area|field|thing|speciality|specialty|expertise|cup of tea)|(?:someone|somebody) else (?:would be|is) better|better (?:suited|placed) (?:to|for)|out of (?:my|our) (?:area|depth|league|scope)",
    { describes: true },
  ),
  // ── provider: thanks, quality, housekeeping ──────────────────────────
  phrase('thanked', 'anywhere', "thanked|said thank(?:s| you)|(?:sent|gave|bought) (?:her|him|them|alice) (?:a )?(?:thank[- ]you|thanks|card|flowers|bottle|gift)"),
  phrase(
    'thanks',
    'early',
    "thanks|thank you|thank u|thx|many thanks|cheers|ta|(?:really |much |truly |very much )?appreciated?|grateful|you're a star|you are a star|legend",
    { courtesy: true },
  ),
  phrase('share', 'leading', 'share'),
  phrase('share', 'anywhere', 'share (?:it|the (?:value|amount|figure|number|fee))|(?:ok|okay|fine|happy|feel free) to share(?: (?:it|the (?:value|amount|figure|number)))?|you can share(?: it| the (?:value|amount|figure))?'),
  phrase('snooze', 'leading', 'snooze|snoozed|postpone'),
  phrase(
    'snooze',
    'anywhere',
    `(?:check|ask|chase|try|remind|nudge|ping|follow up|come back to|get back to|catch up)(?: with)? (?:me |back |with me |us )?(?:again )?in ${NUMBER_WORD} (?:more )?${PERIOD}|(?:give|allow) (?:me|it|us|them) ${NUMBER_WORD} (?:more )?${PERIOD}`,
  ),
  phrase('note', 'leading', 'note to self|private note|note|notes'),
  // A bare "good" on a progress request is more often "Good, speak soon" than a verdict on the referral.
  phrase('good', 'leading', 'good', { courtesy: true, kinds: ['quality_question', undefined] }),
  phrase('good', 'leading', '(?:great|excellent|brilliant|perfect|yes|yep|definitely|absolutely)|👍', { kinds: ['quality_question'], courtesy: true }),
  phrase('good', 'anywhere', '(?:good|great|excellent|brilliant|fantastic|really good|very good|perfect|top|solid) (?:referral|lead|intro|introduction|fit|one)'),
  phrase('poor', 'leading', 'poor|bad'),
  phrase('poor', 'leading', 'no|not really|nope|meh|not great|not good', { kinds: ['quality_question'] }),
  phrase(
    'poor',
    'anywhere',
    "(?:poor|bad|weak|terrible|not a (?:good|great|real)|not a very good) (?:referral|lead|intro|fit)|waste of time|ty?i?re[- ]kicker|(?:wasn't|was not|not) (?:serious|genuine|a real lead|really interested)",
  ),
  phrase('refer', 'leading', 'refer back|refer|referral for'),
  phrase('ask', 'leading', 'ask|question|q'),
  // ── referrer ─────────────────────────────────────────────────────────
  phrase('cancel', 'leading', 'please cancel|cancel|cancelled|withdraw|scrap'),
  phrase('cancel', 'anywhere', '(?:please )?cancel (?:this|that|it|the referral|the intro|the introduction)|(?:withdraw|scrap|drop) (?:this|that|it|the referral)'),
  phrase(
    'cancel',
    'anywhere',
    "(?:he|she|they|bob) (?:no longer|doesn't|does not|don't|do not) (?:need|want|require)s?|no longer (?:needs?|wants?|requires?)|(?:sorted|found) (?:it|someone) (?:already|elsewhere)",
    { describes: true },
  ),
  phrase('no_intro', 'leading', 'no[ -]?intro(?:duction)?'),
  phrase('no_intro', 'anywhere', "no intro(?:duction)?|(?:please )?(?:don't|do not) (?:send (?:the |an )?intro(?:duction)?|introduce)|hold (?:off )?(?:on )?(?:the )?intro(?:duction)?"),
  // "intro: Priya did our books for years" — the referrer's line for the prospect (one paragraph). The
  // colon is required: "Intro looks good, thanks" is courtesy, not a line for the prospect.
  phrase('intro', 'leading', 'intro(?:duction)?(?: line)?(?=\\s*:)'),
  phrase('provider', 'leading', "(?:the )?provider(?: should be| is)?|(?:wrong|new|different) provider"),
  phrase('prospect', 'leading', "(?:the )?prospect(?:'s (?:email|phone|name|number|details)(?: is)?| should be| is)?"),
  phrase('ok', 'leading', "ok|okay|yes please|yes|yep|yeah|sure|go ahead|please do|fine|agreed|sounds good|do it|👍", { courtesy: true }),
  // ── prospect ─────────────────────────────────────────────────────────
  phrase('yes', 'leading', 'yes|yep|yeah|yup|y|ja|oui|sí|si|indeed|correct|they did|she did|he did'),
  phrase(
    'yes',
    'anywhere',
    "(?!(?:nobody|noone|none|never|not|no|hasn|haven|didn)(?![\\p{L}]))\\p{L}{2,20} (?:has |have |did |already )?(?:called|rang|phoned|e-?mailed|texted|messaged|contacted|got in touch|been in touch|reached out|replied|came back|got back)|(?:we|i) (?:have |'ve |already |did )?(?:spoke|spoken|talked|met|chatted|had a (?:call|chat|meeting))|heard (?:from|back)|(?:she|he|they) did|all good|all sorted",
  ),
  phrase('no', 'leading', 'no|nope|nah|not yet|n|nein|non'),
  phrase(
    'no',
    'anywhere',
    "not yet|nobody|no one|no-one|noone|(?:haven't|have not|hasn't|has not|didn't|did not|not) (?:yet )?(?:heard|been (?:contacted|called|in touch)|had (?:a |any )?(?:call|contact|email))|(?:she|he|they) (?:hasn't|has not|haven't|have not|didn't|did not) (?:yet )?(?:called|rang|phoned|emailed|contacted|been in touch|got in touch|reached out)|still waiting|no (?:call|contact|word|email|news)|(?:nothing|none) yet",
  ),
  phrase('rating', 'leading', '[1-5](?:\\s*(?:/|out of)\\s*(?:5|five))?(?:\\s*stars?)?(?![.,]\\d)'),
  phrase('rating', 'anywhere', '[1-5]\\s*(?:/|out of)\\s*(?:5|five)|[1-5] stars?|(?:one|two|three|four|five) stars?|(?:⭐️?){1,5}|★{1,5}'),
  // ── provider, answering an anniversary ask only ─────────────────────
  phrase('done', 'leading', "done|all done|sent(?: it| the note| a note| them a note)?|did it|note sent|i've sent (?:it|the note|a note)|i sent (?:it|the note|a note)", { kinds: ['anniversary'] }),
  phrase('skip', 'leading', 'skip(?: this year| it)?|not this year|not now|maybe next year', { kinds: ['anniversary'] }),
  // ── members: take back the last change ──────────────────────────────
  phrase('undo', 'leading', 'undo(?: that| it| please| my last (?:change|reply))?|revert(?: that| it)?|oops,? undo'),
  // ── everyone ─────────────────────────────────────────────────────────
  phrase('stop', 'leading', 'stop|unsubscribe|opt[- ]?out|remove me'),
  phrase('stop', 'anywhere', "(?:please )?stop (?:emailing|e-mailing|sending|contacting|messaging|writing to)|unsubscribe|remove me from|(?:don't|do not) (?:email|contact|message) me(?: again)?|take me off"),
  phrase('help', 'leading', 'help|\\?+|commands|options|menu'),
  phrase('help', 'anywhere', 'what (?:can|do|should) i (?:reply|say|write|type|send)|which (?:commands|words)'),
];

/** The phrases that apply to this role and this email. */
export function phrasesFor(role: Role, emailKind?: string): Phrase[] {
  return PHRASES.filter((p) => p.roles.includes(role) && (!p.kinds || p.kinds.includes(emailKind)));
}

/**
 * Future, conditional and negated uses: "haven't called", "will send the quote", "to be signed",
 * "if we win". Checked on the words right before a phrase.
 */
const NOT_DONE = new RegExp(
  `(?:${BEFORE}(?:not|never|no|yet to|unable to|can't|cannot|couldn't|didn't|haven't|hasn't|hadn't|won't|wouldn't|isn't|aren't|wasn't|weren't|will|shall|should|would|going to|gonna|plan to|planning to|about to|try to|trying to|tried to|hope to|hoping to|want to|wants to|need to|needs to|have to|has to|waiting to|waiting for \\p{L}+ to|yet|if|once|unless|until|to be|hopefully)|'ll|n't)\\s+(?:\\p{L}+\\s+)?$`,
  'iu',
);

/** "maybe lost", "possibly won": said without certainty. */
const HEDGE_BEFORE = new RegExp(`${BEFORE}(?:maybe|possibly|perhaps|not sure(?: if| whether)?|might have|may have|might've|could have|could've|might|may)\\s+(?:\\p{L}+\\s+)?$`, 'iu');

/** Is the phrase at this point negated, conditional or in the future? */
export function isNotDone(textBefore: string): boolean {
  return NOT_DONE.test(textBefore.slice(-60));
}

/** Is the phrase at this point hedged ("maybe lost", "won?")? */
export function isHedged(textBefore: string, textAfter: string): boolean {
  return HEDGE_BEFORE.test(textBefore.slice(-60)) || /^\s*\?/.test(textAfter);
}
