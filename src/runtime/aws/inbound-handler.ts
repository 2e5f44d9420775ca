import { isAutoReply } from '../../inbound/auto-reply.js';
import { headerFields, singleFromAddress } from '../../inbound/sender-authentication.js';
import { handleInboundMail } from '../../mailflow/handle-inbound.js';
import { tellUntrustedSender } from '../../mailflow/untrusted-sender.js';
import type { RelayDeps } from '../../referrals/deps.js';
import { eventHasHeaders, inboundVerdict, rawMailKey, sesReceiptEventSchema } from './ses-receipt.js';

/** Reads one stored raw mail (the object SES's S3 action wrote) by its key; on AWS, `s3RawMailReader`. */
export type RawMailReader = (key: string) => Promise<Uint8Array>;

/**
 * SES receipt → the shared inbound pipeline. The sender is authenticated first, from the event's
 * verdicts and headers: mail from an unproven sender is never read from S3 nor parsed, and only a
 * member's own address may hear why (`tellUntrustedSender`).
 */
export function inboundHandler(deps: RelayDeps, readRaw: RawMailReader, rawLocation: (key: string) => string = (key) => key) {
  return async (event: unknown) => {
    const parsed = sesReceiptEventSchema.safeParse(event);
    if (!parsed.success) {
      deps.log.error('inbound: not an SES receipt event', { issues: parsed.error.issues.map((i) => i.message) });
      return { disposition: 'CONTINUE' };
    }
    for (const record of parsed.data.Records) {
      const key = rawMailKey(record.ses.mail.messageId);
      let raw: Uint8Array | undefined;
      let headers = record.ses.mail.headers ?? [];
      if (!eventHasHeaders(record)) {
        raw = await readRaw(key);
        headers = headerFields(raw);
      }
      const verdict = inboundVerdict(record, headers);
      if (!verdict.accept) {
        deps.log.warn('inbound: dropped by SES verdict', { reason: verdict.reason, messageId: record.ses.mail.messageId });
        continue;
      }
      const envelopeFrom = record.ses.mail.source === '<>' ? '' : record.ses.mail.source;
      if (!verdict.trust.trusted) {
        const fields = Object.fromEntries(headers.map((h) => [h.name.toLowerCase(), h.value]));
        await tellUntrustedSender(deps, {
          from: verdict.trust.from,
          reason: verdict.trust.reason,
          envelopeFrom,
          recipients: record.ses.receipt.recipients,
          automated: isAutoReply({ headers: fields, fromEmail: singleFromAddress(headers), subject: fields['subject'] ?? '' }),
        });
        continue;
      }
      await handleInboundMail(deps, { raw: raw ?? (await readRaw(key)), envelopeFrom, envelopeTo: record.ses.receipt.recipients, authenticated: true, provenFrom: verdict.trust.from, rawRef: rawLocation(key) });
    }
    return { disposition: 'CONTINUE' };
  };
}
