import type { SendRawEmailCommand } from '@aws-sdk/client-ses';
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { SesMailSender } from '../../../src/mail/ses/ses-mail-sender.js';

/** A stand-in SES client that keeps what it was asked to send. */
function fakeSes() {
  const sent: SendRawEmailCommand['input'][] = [];
  return { sent, client: { send: async (command: SendRawEmailCommand) => (sent.push(command.input), { MessageId: `ses-${sent.length}` }) } as never };
}
const rawOf = (input: SendRawEmailCommand['input']) => Buffer.from(input.RawMessage!.Data!).toString('latin1');

describe('SesMailSender', () => {
  it('puts a display name on the From (encoded when not ASCII); the envelope sender stays the bare address', async () => {
    const ses = fakeSes();
    const sender = new SesMailSender(ses.client, 'relay@relay.example.com');
    await sender.send({ to: ['bob@stonebakery.example'], subject: 'Hello', text: 'Hi', html: '<p>Hi</p>', fromName: 'Zoë Brandt via Hafen-Runde\r\nBcc: x@evil.example' });
    const [input] = ses.sent;
    expect(input!.Source).toBe('relay@relay.example.com');
    const parsed = await PostalMime.parse(rawOf(input!));
    expect(parsed.from).toEqual({ name: 'Zoë Brandt via Hafen-Runde Bcc: x@evil.example', address: 'relay@relay.example.com' });
    expect(rawOf(input!)).not.toMatch(/^Bcc:/im);
  });

  it('sends the built MIME with the envelope, configuration set and cleaned tags', async () => {
    const ses = fakeSes();
    const sender = new SesMailSender(ses.client, 'relay@relay.example.com', 'relay-events');
    const result = await sender.send({
      to: ['bob@stonebakery.example'],
      cc: ['priya@ledgerlane.example', 'tom@becker.example'],
      replyTo: ['r+abc@reply.relay.example'],
      subject: 'Intro: Bob’s café — €1,200 📈',
      text: 'Hi Bob,\nmeet Priya.\n',
      html: '<p>Hi Bob,</p><p>meet Priya.</p>',
      headers: { 'List-Unsubscribe': '<https://app.relay.example.com/unsubscribe/x.sig>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      tags: { referral: '01J ABC/def', kind: 'intro' },
    });
    expect(result).toEqual({ messageId: 'ses-1' });
    const [input] = ses.sent;
    expect(input).toMatchObject({
      Source: 'relay@relay.example.com',
      Destinations: ['bob@stonebakery.example', 'priya@ledgerlane.example', 'tom@becker.example'],
      ConfigurationSetName: 'relay-events',
      Tags: [
        { Name: 'referral', Value: '01J_ABC_def' },
        { Name: 'kind', Value: 'intro' },
      ],
    });
    const mail = await PostalMime.parse(rawOf(input!));
    expect(mail.from).toEqual({ name: '', address: 'relay@relay.example.com' });
    expect(mail.to).toEqual([{ name: '', address: 'bob@stonebakery.example' }]);
    expect(mail.cc).toEqual([
      { name: '', address: 'priya@ledgerlane.example' },
      { name: '', address: 'tom@becker.example' },
    ]);
    expect(mail.replyTo).toEqual([{ name: '', address: 'r+abc@reply.relay.example' }]);
    expect(mail.subject).toBe('Intro: Bob’s café — €1,200 📈');
    expect(mail.headers.find((h) => h.key === 'list-unsubscribe')?.value).toBe('<https://app.relay.example.com/unsubscribe/x.sig>');
    expect(mail.headers.find((h) => h.key === 'list-unsubscribe-post')?.value).toBe('List-Unsubscribe=One-Click');
    expect(mail.text).toBe('Hi Bob,\nmeet Priya.\n\n');
    expect(mail.html).toBe('<p>Hi Bob,</p><p>meet Priya.</p>\n');
  });

  it('leaves out what it was not given', async () => {
    const ses = fakeSes();
    await new SesMailSender(ses.client, 'relay@relay.example.com').send({ to: ['a@b.example'], subject: 'x', text: 't', html: '<p>t</p>' });
    expect(Object.keys(ses.sent[0]!).sort()).toEqual(['Destinations', 'RawMessage', 'Source']);
    const raw = rawOf(ses.sent[0]!);
    expect(raw).not.toMatch(/^(Cc|Reply-To|List-Unsubscribe):/im);
  });

  it('strips line breaks from the subject and extra headers, so none can inject a header', async () => {
    const ses = fakeSes();
    await new SesMailSender(ses.client, 'relay@relay.example.com').send({
      to: ['a@b.example'],
      subject: 'Hello\r\nBcc: victim@evil.example',
      text: 't',
      html: '<p>t</p>',
      headers: { 'X-Note': 'ok\nBcc: victim@evil.example' },
    });
    const raw = rawOf(ses.sent[0]!);
    expect(raw).not.toMatch(/^Bcc:/im);
    const mail = await PostalMime.parse(raw);
    expect(mail.subject).toBe('Hello Bcc: victim@evil.example');
    expect(mail.bcc).toBeUndefined();
    expect(mail.headers.find((h) => h.key === 'x-note')?.value).toBe('ok Bcc: victim@evil.example');
  });
});
