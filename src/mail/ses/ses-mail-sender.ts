import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { MailSender, OutgoingEmail } from '../mail-sender.js';

/** Strips CR/LF so no user-supplied text can inject a header. */
export const headerSafe = (value: string) => value.replace(/[\r\n]+/g, ' ').trim();

/**
 * Sends through SES `SendRawEmail`, with the MIME built by nodemailer's MailComposer (well-kept,
 * handles encoded words, line folding and multipart/alternative) rather than by hand.
 */
export class SesMailSender implements MailSender {
  constructor(
    private readonly client: Pick<SESClient, 'send'>,
    private readonly from: string,
    private readonly configurationSet?: string,
  ) {}

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    const composer = new MailComposer({
      from: this.from,
      to: email.to,
      cc: email.cc,
      replyTo: email.replyTo,
      subject: headerSafe(email.subject),
      text: email.text,
      html: email.html,
      headers: Object.fromEntries(Object.entries(email.headers ?? {}).map(([k, v]) => [headerSafe(k), headerSafe(v)])),
    });
    const raw = await composer.compile().build();
    const res = await this.client.send(
      new SendRawEmailCommand({
        RawMessage: { Data: raw },
        Source: this.from,
        Destinations: [...email.to, ...(email.cc ?? [])],
        ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
        ...(email.tags ? { Tags: Object.entries(email.tags).map(([Name, Value]) => ({ Name, Value: Value.replace(/[^A-Za-z0-9_.@-]/g, '_') })) } : {}),
      }),
    );
    return { messageId: res.MessageId ?? '' };
  }
}
