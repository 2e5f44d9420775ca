import { describe, expect, it } from 'vitest';
import { extractReplyText } from '../../../src/replies/extract-reply-text.js';

const ADDR = 'r7k2m9q4w8x1p3z5v0a2@reply.relay.example';
const QUOTE = '> Reply with one word: met | proposal | won 4500 | lost <why>\n>\n> This is request 1 of 6.\n';

describe('extractReplyText: quote attributions', () => {
  it.each([
    ['English (Gmail)', `On Thu, 3 Dec 2026 at 09:00, Referral Relay <${ADDR}> wrote:`],
    ['English (Apple Mail)', `On 3 Dec 2026, at 09:00, Referral Relay <${ADDR}> wrote:`],
    ['English (Outlook for iOS)', `On Thu, Dec 3, 2026 at 9:00 AM, Referral Relay <${ADDR}> wrote:`],
    ['English (Thunderbird)', 'On 03/12/2026 09:00, Referral Relay wrote:'],
    ['German (Gmail)', `Am Do., 3. Dez. 2026 um 09:00 Uhr schrieb Referral Relay <${ADDR}>:`],
    ['German (Apple Mail)', `Am 03.12.2026 um 09:00 schrieb Referral Relay <${ADDR}>:`],
    ['French', `Le jeu. 3 déc. 2026 à 09:00, Referral Relay <${ADDR}> a écrit :`],
    ['Spanish', `El jue, 3 dic 2026 a las 9:00, Referral Relay (<${ADDR}>) escribió:`],
    ['Dutch', `Op do 3 dec. 2026 om 09:00 schreef Referral Relay <${ADDR}>:`],
    ['Italian', `Il giorno gio 3 dic 2026 alle ore 09:00 Referral Relay <${ADDR}> ha scritto:`],
    ['Portuguese', `Em qui., 3 de dez. de 2026 às 09:00, Referral Relay <${ADDR}> escreveu:`],
    ['Swedish', `Den tors 3 dec. 2026 kl 09:00 skrev Referral Relay <${ADDR}>:`],
    ['Danish', `Den tor. 3. dec. 2026 kl. 09.00 skrev Referral Relay <${ADDR}>:`],
    ['Norwegian', `tor. 3. des. 2026 kl. 09:00 skrev Referral Relay <${ADDR}>:`],
    ['Finnish', `to 3.12.2026 klo 9.00 Referral Relay (${ADDR}) kirjoitti:`],
    ['Polish', `czw., 3 gru 2026 o 09:00 Referral Relay <${ADDR}> napisał(a):`],
    ['Japanese (no verb)', `2026年12月3日(木) 9:00 Referral Relay <${ADDR}>:`],
    ['Russian (no verb)', `чт, 3 дек. 2026 г. в 09:00, Referral Relay <${ADDR}>:`],
  ])('removes the history below a %s attribution', (_, attribution) => {
    const text = `Won it – £4,500\n\n${attribution}\n\n${QUOTE}`;

    expect(extractReplyText({ text })).toBe('Won it – £4,500');
  });

  it('removes the history when the client left it unprefixed (no "> ")', () => {
    const text = `Met him\n\nOn Thu, 3 Dec 2026 at 09:00, Referral Relay <${ADDR}> wrote:\n\nReply with one word: won 4500\n`;

    expect(extractReplyText({ text })).toBe('Met him');
  });

  it.each([
    ['inside the address', `On Thu, 3 Dec 2026 at 09:00, Referral Relay <\n${ADDR}> wrote:`],
    ['before "wrote:"', `On Thu, 3 Dec 2026 at 09:00, Referral Relay <${ADDR}>\nwrote:`],
    ['German, before the address', `Am Do., 3. Dez. 2026 um 09:00 Uhr schrieb Referral Relay\n<${ADDR}>:`],
    ['French, before "écrit"', `Le jeu. 3 déc. 2026 à 09:00, Referral Relay <${ADDR}> a\nécrit :`],
    ['over three lines', `On Thursday, 3 December 2026 at 09:00:00 GMT,\nReferral Relay\n<${ADDR}> wrote:`],
  ])('recognises an attribution wrapped across lines (%s)', (_, attribution) => {
    const text = `Proposal sent\n\n${attribution}\n\nReply with one word: won 4500\n`;

    expect(extractReplyText({ text })).toBe('Proposal sent');
  });

  it('keeps a reply line that starts like an attribution ("On it")', () => {
    const text = `On it – called her this morning\nOn Thu, 3 Dec 2026 at 09:00, Referral Relay <${ADDR}> wrote:\n${QUOTE}`;

    expect(extractReplyText({ text })).toBe('On it – called her this morning');
  });

  it('keeps a sentence that merely ends in "wrote:" when no quote follows and it has no date or address', () => {
    const text = 'Bob wrote:\nthanks for the call, speak soon';

    expect(extractReplyText({ text })).toBe('Bob wrote:\nthanks for the call, speak soon');
  });

  it('keeps bottom-posted text below the quote', () => {
    const text = `On 03/12/2026 09:00, Referral Relay wrote:\n${QUOTE}\nSpoke to him this afternoon.\n`;

    expect(extractReplyText({ text })).toBe('Spoke to him this afternoon.');
  });

  it('keeps inline answers between quoted lines', () => {
    const text = `Alice Morgan wrote:\n> Did you reach Bob?\nYes, on Monday.\n> Any news?\nMet him Tuesday.\n`;

    expect(extractReplyText({ text })).toBe('Yes, on Monday.\nMet him Tuesday.');
  });
});

describe('extractReplyText: Outlook blocks and separators', () => {
  it.each([
    ['English', `From: Referral Relay <${ADDR}>\nSent: 03 December 2026 09:00\nTo: Priya Shah <priya@ledgerlane.example>\nSubject: How is it going?`],
    ['English, no address', 'From: Referral Relay\nSent: Thursday, December 3, 2026 9:00 AM\nTo: Priya Shah\nSubject: How is it going?'],
    ['bold plain text', `*From:* Referral Relay <${ADDR}>\n*Sent:* Thursday, December 3, 2026 9:00 AM`],
    ['German', `Von: Referral Relay <${ADDR}>\nGesendet: Donnerstag, 3. Dezember 2026 09:00\nAn: Priya Shah\nBetreff: Wie läuft es?`],
    ['French', `De : Referral Relay <${ADDR}>\nEnvoyé : jeudi 3 décembre 2026 09:00\nÀ : Priya Shah\nObjet : Alors ?`],
    ['Spanish', `De: Referral Relay <${ADDR}>\nEnviado el: jueves, 3 de diciembre de 2026 9:00\nPara: Priya Shah\nAsunto: ¿Qué tal?`],
    ['Dutch', `Van: Referral Relay <${ADDR}>\nVerzonden: donderdag 3 december 2026 09:00\nAan: Priya Shah\nOnderwerp: Hoe gaat het?`],
    ['Original Message', `-----Original Message-----\nFrom: Referral Relay [mailto:${ADDR}]\nSent: 03 December 2026 09:00`],
    ['German Original Message', '-----Ursprüngliche Nachricht-----\nVon: Referral Relay\nGesendet: Donnerstag'],
    ['underscore rule', `________________________________\nFrom: Referral Relay <${ADDR}>\nSent: Thursday`],
    ['forwarded banner', `---------- Forwarded message ---------\nFrom: Referral Relay <${ADDR}>`],
  ])('cuts at the %s header block', (_, block) => {
    const text = `We won it – £4,500\n\n${block}\n\nReply with one word: met | won 4500 | lost <why>\n`;

    expect(extractReplyText({ text })).toBe('We won it – £4,500');
  });

  it('does not cut at a "From:" line that is not followed by other header lines', () => {
    const text = 'provider: Tom Baker\nFrom: his website, he does payroll';

    expect(extractReplyText({ text })).toBe('provider: Tom Baker\nFrom: his website, he does payroll');
  });
});

describe('extractReplyText: signatures and sign-offs', () => {
  it.each([
    ['-- ', 'Lost – cheaper quote\n-- \nPriya Shah\nLedger Lane'],
    ['--', 'Lost – cheaper quote\n--\nPriya Shah | Ledger Lane'],
    ['Sent from my iPhone', 'Lost – cheaper quote\n\nSent from my iPhone'],
    ['Sent from my iPad', 'Lost – cheaper quote\n\nSent from my iPad'],
    ['Sent from my Samsung Galaxy', 'Lost – cheaper quote\n\nSent from my Samsung Galaxy smartphone.'],
    ['Sent from Outlook for iOS', 'Lost – cheaper quote\n\nSent from Outlook for iOS'],
    ['Get Outlook for Android', 'Lost – cheaper quote\n\nGet Outlook for Android<https://aka.ms/AAb9ysg>'],
    ['Envoyé de mon iPhone', 'Lost – cheaper quote\n\nEnvoyé de mon iPhone'],
    ['Von meinem iPhone gesendet', 'Lost – cheaper quote\n\nVon meinem iPhone gesendet'],
    ['Enviado desde mi iPhone', 'Lost – cheaper quote\n\nEnviado desde mi iPhone'],
    ['Verstuurd vanaf mijn iPhone', 'Lost – cheaper quote\n\nVerstuurd vanaf mijn iPhone'],
    ['Skickat från min iPhone', 'Lost – cheaper quote\n\nSkickat från min iPhone'],
    ['Inviato da iPhone', 'Lost – cheaper quote\n\nInviato da iPhone'],
    ['Kind regards + name', 'Lost – cheaper quote\n\nKind regards,\nPriya Shah\nLedger Lane | 020 7946 0000'],
    ['Thanks + name', 'Lost – cheaper quote\n\nThanks,\nPriya'],
    ['Cheers Priya', 'Lost – cheaper quote\nCheers Priya'],
    ['Viele Grüße', 'Lost – cheaper quote\n\nViele Grüße\nKlaus'],
  ])('removes "%s"', (_, text) => {
    expect(extractReplyText({ text })).toBe('Lost – cheaper quote');
  });

  it('keeps a thank-you that is the whole message', () => {
    expect(extractReplyText({ text: 'Thanks so much!\n\nPriya' })).toBe('Thanks so much!\n\nPriya');
  });

  it('keeps "Sent the proposal" (not a device line)', () => {
    expect(extractReplyText({ text: 'Sent the proposal this morning' })).toBe('Sent the proposal this morning');
  });
});

describe('extractReplyText: HTML-only replies', () => {
  it('reads Outlook on the web and drops everything from divRplyFwdMsg / appendonsend', () => {
    const html =
      '<html><body><div>Won it – &pound;4,500</div><div id="appendonsend"></div><hr style="display:inline-block;width:98%">' +
      `<div id="divRplyFwdMsg"><b>From:</b> Referral Relay &lt;${ADDR}&gt;<br><b>Sent:</b> Thursday</div><div>Reply won 4500</div></body></html>`;

    expect(extractReplyText({ html })).toBe('Won it – £4,500');
  });

  it('reads Gmail and drops the gmail_quote', () => {
    const html =
      '<div dir="ltr">Met him yesterday <img data-emoji="👍" class="an1" alt="👍" src="https://fonts.gstatic.com/s/e/notoemoji/15.1/1f44d/32.png"></div><br>' +
      `<div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Thu, 3 Dec 2026 at 09:00, Referral Relay &lt;${ADDR}&gt; wrote:<br></div>` +
      '<blockquote class="gmail_quote">Reply with one word: won 4500</blockquote></div>';

    expect(extractReplyText({ html })).toBe('Met him yesterday 👍');
  });

  it('reads Apple Mail and drops the blockquote type=cite', () => {
    const html =
      '<html><body><div>Proposal sent</div><div><br><blockquote type="cite"><div>On 3 Dec 2026, at 09:00, Referral Relay &lt;' +
      `${ADDR}&gt; wrote:</div><br><div>Reply won 4500</div></blockquote></div></body></html>`;

    expect(extractReplyText({ html })).toBe('Proposal sent');
  });

  it('keeps a reply written below a quoted Outlook message (the marker is inside the blockquote)', () => {
    const html =
      '<div class="moz-cite-prefix">On 03/12/2026 09:00, Referral Relay wrote:<br></div><blockquote type="cite">' +
      '<div id="divRplyFwdMsg"><b>From:</b> someone</div><div>Reply won 4500</div></blockquote><p>Contacted him today</p>';

    expect(extractReplyText({ html })).toBe('Contacted him today');
  });

  it('prefers a text part with words over the HTML part, and falls back to HTML when the text part is blank', () => {
    expect(extractReplyText({ text: 'met', html: '<p>won</p>' })).toBe('met');
    expect(extractReplyText({ text: ' \n ', html: '<p>won</p>' })).toBe('won');
  });

  it('survives broken and deeply nested HTML', () => {
    const deep = '<div>'.repeat(5_000) + 'contacted' + '</div>'.repeat(5_000);

    expect(() => extractReplyText({ html: deep })).not.toThrow();
    expect(extractReplyText({ html: '<p>won <b>it</p></i><<>>' })).toContain('won');
  });
});

describe('extractReplyText: the text itself', () => {
  it('keeps emojis, including skin tones and joined sequences', () => {
    expect(extractReplyText({ text: 'Won it 👍🏽 👨‍👩‍👧 🎉\n\n> old' })).toBe('Won it 👍🏽 👨‍👩‍👧 🎉');
  });

  it('normalises line endings and non-breaking spaces, and trims', () => {
    expect(extractReplyText({ text: '\r\n  Won €3\u00a0000\r\n\r\n\r\n\r\nsigned today  \r\n' })).toBe('Won €3 000\n\nsigned today');
  });

  it('returns an empty string when nothing new was written', () => {
    expect(extractReplyText({})).toBe('');
    expect(extractReplyText({ text: '' })).toBe('');
    expect(extractReplyText({ text: `On 3 Dec 2026, at 09:00, Referral Relay <${ADDR}> wrote:\n${QUOTE}` })).toBe('');
    expect(extractReplyText({ text: '\n\nSent from my iPhone\n' })).toBe('');
  });
});
