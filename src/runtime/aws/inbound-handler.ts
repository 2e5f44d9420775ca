import { handleInboundMail } from '../../mailflow/handle-inbound.js';
import type { RelayDeps } from '../../referrals/deps.js';
import { inboundVerdict, rawMailKey, sesReceiptEventSchema } from './ses-receipt.js';

/** Reads one stored raw mail (the object SES's S3 action wrote) by its key; on AWS, `s3RawMailReader`. */
export type RawMailReader = (key: string) => Promise<Uint8Array>;

export function inboundHandler(deps: RelayDeps, readRaw: RawMailReader) {
  return async (event: unknown) => {
    const parsed = sesReceiptEventSchema.safeParse(event);
    if (!parsed.success) {
      deps.log.error('inbound: not an SES receipt event', { issues: parsed.error.issues.map((i) => i.message) });
      return { disposition: 'CONTINUE' };
    }
    for (const record of parsed.data.Records) {
      const verdict = inboundVerdict(record.ses.receipt);
      if (!verdict.accept) {
        deps.log.warn('inbound: dropped by SES verdict', { reason: verdict.reason, messageId: record.ses.mail.messageId });
        continue;
      }
      const raw = await readRaw(rawMailKey(record.ses.mail.messageId));
      await handleInboundMail(deps, {
        raw,
        envelopeFrom: record.ses.mail.source === '<>' ? '' : record.ses.mail.source,
        envelopeTo: record.ses.receipt.recipients,
        authenticated: verdict.authenticated,
      });
    }
    return { disposition: 'CONTINUE' };
  };
}
