import { describe, expect, it } from 'vitest';
import { parseCommand, type CommandContext, type Role } from '../../../src/replies/parse-command.js';

const ctx = (role: Role, emailKind?: string, currency = 'GBP'): CommandContext => ({ role, currency, emailKind });
const provider = ctx('provider', 'progress_request');
const referrer = ctx('referrer', 'receipt');
const prospect = ctx('prospect', 'connection_check');

describe('parseCommand: provider milestones in natural words', () => {
  it.each([
    ['contacted', 'contacted'],
    ['Contacted.', 'contacted'],
    ['CONTACTED', 'contacted'],
    ['Called her this morning 👍', 'contacted'],
    ['Spoke to him', 'contacted'],
    ['spoke with Bob on Monday', 'contacted'],
    ['I have spoken to him', 'contacted'],
    ['reached out', 'contacted'],
    ['Reached out on LinkedIn', 'contacted'],
    ['left a voicemail', 'contacted'],
    ['Left him a message', 'contacted'],
    ['Emailed him yesterday', 'contacted'],
    ['Rang him, no answer, texted instead', 'contacted'],
    ['Just got in touch', 'contacted'],
    ['Had a quick call with Bob', 'contacted'],
    ['Meeting booked for Thursday', 'contacted'],
    ['met', 'met'],
    ['Met with him yesterday', 'met'],
    ['We met for coffee', 'met'],
    ['Had a good meeting with Bob this morning', 'met'],
    ['Went to see him at his yard', 'met'],
    ['proposal', 'proposal'],
    ['Proposal sent', 'proposal'],
    ['sent the quote', 'proposal'],
    ['Sent the proposal on Friday', 'proposal'],
    ['sent him a quote', 'proposal'],
    ['Quoted him for the full year', 'proposal'],
    ['The quote went out yesterday', 'proposal'],
    ['won', 'won'],
    ['signed', 'won'],
    ['They signed the engagement letter', 'won'],
    ['got the job', 'won'],
    ['Got the work!', 'won'],
    ['They accepted our proposal', 'won'],
    ['They went with us in the end', 'won'],
    ['Proposal accepted!', 'won'],
    ['lost', 'lost'],
    ["didn't get it", 'lost'],
    ['Did not win this one', 'lost'],
    ['No luck this time', 'lost'],
    ['They went with someone else', 'lost'],
    ['They decided not to go ahead', 'lost'],
    ['not going ahead', 'lost'],
    ['pass', 'pass'],
    ['Not my area – Tom Baker would be better', 'pass'],
    ["I'll pass, Tom does payroll", 'pass'],
  ])('%j → %s', (text, verb) => {
    expect(parseCommand(text, provider).verb).toBe(verb);
  });
});

describe('parseCommand: amounts with won', () => {
  it.each([
    ['We won it – £4,500', 4500, 'GBP'],
    ['Won it! $4,500', 4500, 'USD'],
    ['won 4500', 4500, 'GBP'],
    ['won 4.5k', 4500, 'GBP'],
    ['Won £3.2k', 3200, 'GBP'],
    ['won €3 000', 3000, 'EUR'],
    ['won 3,000 EUR', 3000, 'EUR'],
    ['won GBP 1200', 1200, 'GBP'],
    ['won 1.200,50 €', 1200.5, 'EUR'],
    ['won 4,500.00', 4500, 'GBP'],
    ['£4,500 – won it!', 4500, 'GBP'],
    ['Signed today, 2 year deal at £800 a month', 800, 'GBP'],
    ['Won it!\n\nIt came to £2,750 in the end.', 2750, 'GBP'],
  ])('%j → %d %s', (text, amount, currency) => {
    expect(parseCommand(text, provider)).toMatchObject({ verb: 'won', amount: { amount, currency } });
  });

  it('uses the group currency when none is written', () => {
    expect(parseCommand('won 4500', ctx('provider', undefined, 'EUR'))).toMatchObject({ amount: { amount: 4500, currency: 'EUR' } });
  });

  it('has no amount when none is written, and ignores dates, durations and a signature phone number', () => {
    const command = parseCommand('Won it, signed on 3 March, starts in 2 weeks\n\nPriya\n07700 900123', provider);

    expect(command.verb).toBe('won');
    expect(command).not.toHaveProperty('amount');
  });
});

describe('parseCommand: reasons and words that go with a command', () => {
  it.each([
    ['lost unfortunately, went with a cheaper quote', 'lost', 'went with a cheaper quote'],
    ['we lost – they went with a cheaper quote', 'lost', 'they went with a cheaper quote'],
    ['Lost unfortunately - he went with his brother-in-law who does it for free.', 'lost', 'he went with his brother-in-law who does it for free.'],
    ["didn't get it, they chose a local firm", 'lost', 'they chose a local firm'],
    ['Sadly they went with a cheaper quote', 'lost', 'they went with a cheaper quote'],
    ['Lost.\n\nThey went with a firm that does it cheaper.', 'lost', 'They went with a firm that does it cheaper.'],
    ['pass – Tom Baker is better placed for payroll', 'pass', 'Tom Baker is better placed for payroll'],
    ['poor – he only wanted a free health check', 'poor', 'he only wanted a free health check'],
    ['note: prefers calls after 5pm\n\nMobile is best.', 'note', 'prefers calls after 5pm\n\nMobile is best.'],
    ['Note - wife is the decision maker', 'note', 'wife is the decision maker'],
    ['ask Does he already have an accountant?', 'ask', 'Does he already have an accountant?'],
    ['ask: what is his budget?', 'ask', 'what is his budget?'],
  ])('%j → %s with %j', (text, verb, words) => {
    expect(parseCommand(text, provider)).toMatchObject({ verb, text: words });
  });

  it('keeps the em dash and curly quotes of the original in the text', () => {
    expect(parseCommand('lost – they’d “found someone”', provider)).toMatchObject({ text: 'they’d “found someone”' });
  });
});

describe('parseCommand: thanks', () => {
  const prompt = ctx('provider', 'thank_you_prompt');

  it('relays the whole message as written', () => {
    expect(parseCommand('Thanks so much Alice, really appreciate it', prompt)).toEqual({
      verb: 'thanks',
      text: 'Thanks so much Alice, really appreciate it',
    });
    expect(parseCommand('Hi Alice,\n\nThank you! Really appreciate you thinking of me 🙏\n\nPriya', prompt)).toEqual({
      verb: 'thanks',
      text: 'Thank you! Really appreciate you thinking of me 🙏\n\nPriya',
    });
    expect(parseCommand('Alice, thank you so much!', prompt)).toMatchObject({ verb: 'thanks' });
    expect(parseCommand('Really appreciate it Alice', prompt)).toMatchObject({ verb: 'thanks' });
  });

  it('relays only the words after "thanks:"', () => {
    expect(parseCommand('thanks: You are a star, Alice!', prompt)).toEqual({ verb: 'thanks', text: 'You are a star, Alice!' });
  });

  it('treats a leading thanks as politeness when a milestone follows (same line or the next)', () => {
    expect(parseCommand('thanks, contacted her', prompt).verb).toBe('contacted');
    expect(parseCommand('Thanks Alice! Called him this morning.', prompt).verb).toBe('contacted');
    expect(parseCommand('Thanks for the referral!\n\nWon it – £1,200', prompt)).toMatchObject({ verb: 'won', amount: { amount: 1200 } });
  });

  it('records a thank-you given elsewhere as thanked', () => {
    expect(parseCommand('thanked', prompt).verb).toBe('thanked');
    expect(parseCommand('Already thanked her at the breakfast 😊', prompt).verb).toBe('thanked');
    expect(parseCommand('Thanks – already thanked her in person', prompt).verb).toBe('thanked');
  });

  it('does not take a trailing "Thanks" or a thank-you for the reminder as a thank-you to relay', () => {
    expect(parseCommand('Can you remind me what his surname was? Thanks', prompt).verb).toBe('unknown');
    expect(parseCommand('Thanks for the reminder!', prompt).verb).toBe('unknown');
    expect(parseCommand('Thanks for the nudge.\nSent the proposal yesterday.', provider).verb).toBe('proposal');
  });
});

describe('parseCommand: the other provider commands', () => {
  it.each([
    ['share', 'share'],
    ['OK to share', 'share'],
    ['happy to share the value', 'share'],
    ['Good referral, exactly my kind of client', 'good'],
    ['Great lead, thanks', 'good'],
    ['poor', 'poor'],
    ['Not a good referral – no budget', 'poor'],
    ['Bad referral, he was a tyre kicker', 'poor'],
    ['help', 'help'],
    ['?', 'help'],
    ['What can I reply?', 'help'],
    ['stop', 'stop'],
    ['Unsubscribe', 'stop'],
  ])('%j → %s', (text, verb) => {
    expect(parseCommand(text, provider).verb).toBe(verb);
  });

  it.each([
    ['snooze 2 weeks', 14],
    ['snooze 10 days', 10],
    ['snooze 10', 10],
    ['Snooze 3w', 21],
    ['snooze a week', 7],
    ['snooze one month', 30],
    ['snooze', 7],
    ['Too early to say, ask me again in 3 weeks', 21],
    ['Nothing yet – check back in a couple of weeks', 14],
    ['snooze 999 weeks', 365],
  ])('%j → snooze %d days', (text, days) => {
    expect(parseCommand(text, provider)).toMatchObject({ verb: 'snooze', days });
  });

  it('reads refer Name <email> <need>', () => {
    expect(parseCommand('refer Tom Baker <Tom@BakerAndCo.example> needs a new website for his café', ctx('provider', 'give_back'))).toMatchObject({
      verb: 'refer',
      refer: { name: 'Tom Baker', email: 'tom@bakerandco.example', need: 'a new website for his café' },
    });
    expect(parseCommand('Refer Sarah Lee, sarah@lee.example - bookkeeping', provider)).toMatchObject({
      refer: { name: 'Sarah Lee', email: 'sarah@lee.example', need: 'bookkeeping' },
    });
  });

  it('keeps a refer without an address as refer with its words, for the caller to ask for the address', () => {
    const command = parseCommand('refer Tom Baker, he needs a website', provider);

    expect(command).toMatchObject({ verb: 'refer', text: 'Tom Baker, he needs a website' });
    expect(command).not.toHaveProperty('refer');
  });

  it('reads a bare "good", "yes" or "no" as a verdict only when answering the quality question', () => {
    const quality = ctx('provider', 'quality_question');

    expect(parseCommand('good', quality).verb).toBe('good');
    expect(parseCommand('Good, speak soon', provider).verb).toBe('unknown');
    expect(parseCommand('Good – met him yesterday', provider).verb).toBe('met');
    expect(parseCommand('Yes, great', quality).verb).toBe('good');
    expect(parseCommand('Not really – no budget at all', quality)).toMatchObject({ verb: 'poor', text: 'no budget at all' });
    expect(parseCommand('Yes', provider).verb).toBe('unknown');
  });
});

describe('parseCommand: referrer commands', () => {
  it.each([
    ['cancel', 'cancel'],
    ['Please cancel – Bob sorted it himself', 'cancel'],
    ['Cancel this please', 'cancel'],
    ['He no longer needs it', 'cancel'],
    ['no intro', 'no_intro'],
    ['No-intro', 'no_intro'],
    ["Please don't send the intro", 'no_intro'],
    ['ok', 'ok'],
    ['OK, go ahead 👍', 'ok'],
    ['Yes please', 'ok'],
    ['ask Has he sent the proposal yet?', 'ask'],
    ['help', 'help'],
    ['stop', 'stop'],
  ])('%j → %s', (text, verb) => {
    expect(parseCommand(text, referrer).verb).toBe(verb);
  });

  it('reads intro: as the line for the prospect, and only with its colon', () => {
    expect(parseCommand('intro: Priya did our books for six years and never missed a deadline.', referrer)).toEqual({
      verb: 'intro',
      text: 'Priya did our books for six years and never missed a deadline.',
    });
    expect(parseCommand('Introduction line: the best bookkeeper I know', referrer)).toEqual({ verb: 'intro', text: 'the best bookkeeper I know' });
    // Courtesy about the introduction is not a line for the prospect.
    expect(parseCommand('Intro looks good, thanks', referrer).verb).not.toBe('intro');
    // Only the referrer writes it.
    expect(parseCommand('intro: hello', provider).verb).not.toBe('intro');
  });

  it('reads provider: and prospect: corrections with their words', () => {
    expect(parseCommand('provider: Tom Baker', referrer)).toEqual({ verb: 'provider', text: 'Tom Baker' });
    expect(parseCommand('Provider should be tom@bakerandco.example', referrer)).toEqual({ verb: 'provider', text: 'tom@bakerandco.example' });
    expect(parseCommand('prospect: Bob Stone <bob@stone.example>', referrer)).toEqual({ verb: 'prospect', text: 'Bob Stone <bob@stone.example>' });
  });

  it('politeness yields to the command that follows ("Ok – cancel it")', () => {
    expect(parseCommand('Ok – cancel it, he found someone', referrer).verb).toBe('cancel');
  });
});

describe('parseCommand: prospect commands', () => {
  it.each([
    ['yes', 'yes'],
    ['Yes she called on Tuesday', 'yes'],
    ['yes, she called Tuesday', 'yes'],
    ['Yep', 'yes'],
    ['She rang me yesterday', 'yes'],
    ['Jane emailed me on Monday', 'yes'],
    ['We spoke on Tuesday', 'yes'],
    ['no', 'no'],
    ['Not yet', 'no'],
    ['Nope', 'no'],
    ['No, nobody has called', 'no'],
    ["She hasn't called yet", 'no'],
    ['Nobody has been in touch', 'no'],
    ["Haven't heard from anyone", 'no'],
    ['stop', 'stop'],
    ['Please stop emailing me', 'stop'],
    ['help', 'help'],
  ])('%j → %s', (text, verb) => {
    expect(parseCommand(text, prospect).verb).toBe(verb);
  });

  it.each([
    ['5', 5, undefined],
    ['4 - good but a little slow', 4, 'good but a little slow'],
    ['5/5 brilliant', 5, 'brilliant'],
    ['3 out of 5. Fine.', 3, 'Fine.'],
    ['⭐⭐⭐⭐⭐ sorted my books in a week', 5, 'sorted my books in a week'],
    ['Four stars, would recommend', 4, 'would recommend'],
    ['Yes, 5 stars!', 5, undefined],
  ])('%j → rating %d', (text, rating, comment) => {
    const command = parseCommand(text, ctx('prospect', 'experience_check'));

    expect(command).toMatchObject({ verb: 'rating', rating });
    expect((command as { text?: string }).text).toBe(comment);
  });

  it('does not take 0, 6 or 4500 as a rating', () => {
    for (const text of ['0', '6', '4500', '4.5']) expect(parseCommand(text, ctx('prospect', 'experience_check')).verb).toBe('unknown');
  });

  it('keeps the whole answer with yes/no, for the provider and referrer to read', () => {
    expect(parseCommand('Yes she called on Tuesday, very helpful.', prospect)).toEqual({ verb: 'yes', text: 'Yes she called on Tuesday, very helpful.' });
  });
});

describe('parseCommand: roles', () => {
  it.each([
    ['won', 'referrer'],
    ['Won it! $4,500', 'referrer'],
    ['contacted', 'referrer'],
    ['cancel', 'provider'],
    ['no intro', 'provider'],
    ['provider: Tom', 'provider'],
    ['yes', 'provider'],
    ['5', 'provider'],
    ['won', 'prospect'],
    ['ask what is this?', 'prospect'],
    ['ok', 'prospect'],
    ['refer Tom <tom@x.example> web', 'referrer'],
  ] as const)('%j from a %s is not a command', (text, role) => {
    expect(parseCommand(text, ctx(role)).verb).toBe('unknown');
  });

  it.each(['help', 'stop'])('%s is for everyone', (word) => {
    for (const role of ['provider', 'referrer', 'prospect'] as const) expect(parseCommand(word, ctx(role)).verb).toBe(word);
  });
});

describe('parseCommand: what the first meaningful line says', () => {
  it('skips greetings and pleasantries', () => {
    expect(parseCommand('Hi Alice,\n\nContacted him this morning.', provider).verb).toBe('contacted');
    expect(parseCommand('Hello,\nmet', provider).verb).toBe('met');
    expect(parseCommand('Good morning Alice!\nHope you are well.\nWe won it – £4,500', provider)).toMatchObject({ verb: 'won', amount: { amount: 4500 } });
    expect(parseCommand('Hi Alice, won it!', provider).verb).toBe('won');
    expect(parseCommand('Hi Alice won it', provider).verb).toBe('won');
    expect(parseCommand('Hi there', provider).verb).toBe('unknown');
    expect(parseCommand('Quick update on Bob:\nproposal sent', provider).verb).toBe('proposal');
  });

  it('steps over filler in front of the news', () => {
    expect(parseCommand('Good news – we won it! £4,500', provider)).toMatchObject({ verb: 'won', amount: { amount: 4500 } });
    expect(parseCommand('Unfortunately we lost, they went cheaper', provider)).toMatchObject({ verb: 'lost', text: 'they went cheaper' });
    expect(parseCommand('Bad news, lost it', provider).verb).toBe('lost');
  });

  it('lets a leading command word win over later words', () => {
    expect(parseCommand('Contacted – meeting him Thursday', provider).verb).toBe('contacted');
    expect(parseCommand('Contacted - spoke to Bob this morning, meeting him Thursday.', provider).verb).toBe('contacted');
    expect(parseCommand('Contacted, met him Tuesday too', provider).verb).toBe('contacted');
    expect(parseCommand('Lost - they said the other firm won on price', provider).verb).toBe('lost');
  });

  it('does not count future plans, conditions or negations as milestones', () => {
    for (const text of [
      'Will call him tomorrow',
      "I'll send the proposal Friday",
      "Haven't called him yet",
      'Not contacted yet, sorry',
      'Going to meet him next week',
      'Contract to be signed on Monday',
      'If we win it I will let you know',
    ]) {
      expect(parseCommand(text, provider).verb, text).toBe('unknown');
    }
  });

  it('reads only the reply, not quoted lines that slipped through', () => {
    expect(parseCommand('> Reply won 4500\nmet him', provider).verb).toBe('met');
  });
});

describe('parseCommand: asking back', () => {
  it.each([
    ['met and lost it', ['met', 'lost']],
    ['won? not sure, maybe lost', ['won', 'lost']],
    ['Sent the proposal but lost it', ['proposal', 'lost']],
    ['Won or lost, hard to say', ['won', 'lost']],
    ['Met him, won it', ['met', 'won']],
    ['won?', ['won']],
    ['maybe lost', ['lost']],
    ['Might have won it', ['won']],
  ])('%j → ambiguous %j', (text, options) => {
    expect(parseCommand(text, provider)).toEqual({ verb: 'ambiguous', options, text });
  });

  it('asks back when a prospect answers both ways', () => {
    expect(parseCommand('yes and no', prospect)).toMatchObject({ verb: 'ambiguous', options: ['yes', 'no'] });
    expect(parseCommand('Yes she called, no meeting yet', prospect).verb).toBe('yes');
  });
});

describe('parseCommand: unknown', () => {
  it.each([
    ['', ''],
    ['   \n\n ', ''],
    ['I am out of the office until Monday', 'I am out of the office until Monday'],
    ['Can you remind me what his surname was?', 'Can you remind me what his surname was?'],
    ['👍', '👍'],
    ['Lost his number – can you resend it?', 'Lost his number – can you resend it?'],
  ])('%j → unknown, text kept', (text, kept) => {
    expect(parseCommand(text, provider)).toEqual({ verb: 'unknown', text: kept });
  });
});
