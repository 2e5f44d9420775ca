import * as z from '../../config/zod.js';
import { authenticateSender, type SenderTrust } from '../../inbound/sender-authentication.js';

const verdict = () => z.optional(z.object({ status: z.string() }));

/** The parts of an SES receipt event (Lambda action) this app reads. */
export const sesReceiptEventSchema = z.object({
  Records: z
    .array(
      z.object({
        ses: z.object({
          mail: z.object({
            messageId: z.string().check(z.regex(/^[A-Za-z0-9._-]+$/)),
            source: z.string(),
            destination: z.optional(z.array(z.string())),
            headersTruncated: z.optional(z.boolean()),
            headers: z.optional(z.array(z.object({ name: z.string(), value: z.string() }))),
          }),
          receipt: z.object({
            recipients: z.array(z.string()),
            spamVerdict: verdict(),
            virusVerdict: verdict(),
            spfVerdict: verdict(),
            dkimVerdict: verdict(),
            dmarcVerdict: verdict(),
          }),
        }),
      }),
    )
    .check(z.minLength(1)),
});
export type SesReceiptEvent = z.infer<typeof sesReceiptEventSchema>;
export type SesReceiptRecord = SesReceiptEvent['Records'][number];

export type InboundVerdict = { accept: false; reason: string } | { accept: true; trust: SenderTrust };

/**
 * SES verdicts → what to do. Spam or virus FAIL → dropped. Otherwise whether the From address is
 * proven (`authenticateSender`: DMARC, or without a DMARC policy an SPF/DKIM pass aligned with the
 * From domain), from the verdicts and the headers — `headers` when SES left them out of the event.
 */
export function inboundVerdict(record: SesReceiptRecord, headers = record.ses.mail.headers ?? []): InboundVerdict {
  const { receipt, mail } = record.ses;
  if (receipt.spamVerdict?.status === 'FAIL') return { accept: false, reason: 'spam' };
  if (receipt.virusVerdict?.status === 'FAIL') return { accept: false, reason: 'virus' };
  const trust = authenticateSender({
    spf: receipt.spfVerdict?.status,
    dkim: receipt.dkimVerdict?.status,
    dmarc: receipt.dmarcVerdict?.status,
    envelopeFrom: mail.source === '<>' ? '' : mail.source,
    headers,
  });
  return { accept: true, trust };
}

/** The event carries the headers SES saw, unless they were too long for it. */
export const eventHasHeaders = (record: SesReceiptRecord) => !record.ses.mail.headersTruncated && (record.ses.mail.headers?.length ?? 0) > 0;

/** Where the S3 action of the receipt rule stored the raw message. */
export const rawMailKey = (messageId: string) => `raw/${messageId}`;
