import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import type { MailSender, OutgoingEmail } from '../mail-sender.js';
import { buildMime } from '../mime/build-mime.js';

/** Strips CR/LF so no user-supplied text can inject a header. */
export const headerSafe = (value: string) => value.replace(/[\r\n]+/g, ' ').trim();

/**
 * Sends through SES `SendRawEmail`, with the MIME built by our own `buildMime` (encoded-words, line
 * folding, quoted-printable multipart/alternative; see its tests), which keeps nodemailer out of the bundles.
 */
export class SesMailSender implements MailSender {
  constructor(
    private readonly client: Pick<SESClient, 'send'>,
    private readonly from: string,
    private readonly configurationSet?: string,
  ) {}

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    const raw = buildMime({
      from: email.fromName ? { name: headerSafe(email.fromName).slice(0, 120), address: this.from } : this.from,
      to: email.to,
      cc: email.cc,
      replyTo: email.replyTo,
      subject: headerSafe(email.subject),
      text: email.text,
      html: email.html,
      headers: Object.fromEntries(Object.entries(email.headers ?? {}).map(([k, v]) => [headerSafe(k), headerSafe(v)])),
    });
    const res = await this.client.send(
      new SendRawEmailCommand({
        RawMessage: { Data: Buffer.from(raw, 'ascii') },
        Source: this.from,
        Destinations: [...email.to, ...(email.cc ?? [])],
        ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
        ...(email.tags ? { Tags: Object.entries(email.tags).map(([Name, Value]) => ({ Name, Value: Value.replace(/[^A-Za-z0-9_.@-]/g, '_') })) } : {}),
      }),
    );
    return { messageId: res.MessageId ?? '' };
  }
}
