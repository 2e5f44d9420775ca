import { SMTPServer } from 'smtp-server';
import { DomainError } from '../../domain/errors.js';

export const MAX_MESSAGE_BYTES = 40 * 1024 * 1024; // like SES receiving

export interface InboundDelivery {
  raw: Buffer;
  envelopeFrom: string;
  envelopeTo: string[];
}

/**
 * The local door for inbound mail: accepts mail for the inbound domain only (other recipients are
 * refused at RCPT time), caps the size, and hands raw bytes + envelope to the same handler as the
 * `inbound` Lambda. Mail here counts as authenticated (there is no DMARC locally).
 */
export function startSmtpServer(opts: { port: number; host?: string; inboundDomain: string; deliver(d: InboundDelivery): Promise<void>; onError?(err: unknown): void }): Promise<SMTPServer> {
  const domain = opts.inboundDomain.toLowerCase();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAX_MESSAGE_BYTES,
    banner: 'Referral Relay local inbound',
    logger: false,
    onRcptTo(address, _session, callback) {
      const to = address.address.toLowerCase();
      if (!to.endsWith(`@${domain}`)) {
        const err = new Error(`550 5.1.1 <${address.address}>: this server only accepts mail for @${domain}`) as Error & { responseCode: number };
        err.responseCode = 550;
        return callback(err);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_MESSAGE_BYTES) chunks.push(chunk);
      });
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded || size > MAX_MESSAGE_BYTES) {
          const err = new Error('552 5.3.4 Message too big (40 MB at most)') as Error & { responseCode: number };
          err.responseCode = 552;
          return callback(err);
        }
        const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const envelopeTo = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        opts
          .deliver({ raw: Buffer.concat(chunks), envelopeFrom, envelopeTo })
          .then(() => callback())
          .catch((err: unknown) => {
            opts.onError?.(err);
            // The handler keeps what it cannot process as a dead letter; only a failure to store lands here.
            // A retry helps only when that failure is passing (service down, throttled): a permanent one
            // (bad request to the store, a bug on this input) is answered 554 so the sender is told at once
            // instead of retrying for days.
            const permanent = isPermanentFailure(err);
            const e = new Error(permanent ? '554 5.3.0 This message cannot be processed' : '451 4.3.0 Temporary failure, please retry') as Error & { responseCode: number };
            e.responseCode = permanent ? 554 : 451;
            callback(e);
          });
      });
    },
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => ok(server));
  });
}

const PERMANENT_ERROR_NAMES = new Set(['ValidationException', 'ValidationError', 'MailParseError', 'MimeError', 'SerializationException', 'ItemCollectionSizeLimitExceededException', 'TypeError', 'RangeError']);

/** An error that the same message would meet again on retry (as opposed to an outage or throttling). */
export function isPermanentFailure(err: unknown): boolean {
  if (err instanceof DomainError) return true;
  const name = (err as { name?: unknown } | null)?.name;
  return typeof name === 'string' && PERMANENT_ERROR_NAMES.has(name);
}
