import * as z from '../../config/zod.js';

const verdict = () => z.optional(z.object({ status: z.string() }));

/** The parts of an SES receipt event (Lambda action) this app reads. */
export const sesReceiptEventSchema = z.object({
  Records: z
    .array(
      z.object({
        ses: z.object({
          mail: z.object({ messageId: z.string().check(z.regex(/^[A-Za-z0-9._-]+$/)), source: z.string(), destination: z.optional(z.array(z.string())) }),
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

export type InboundVerdict = { accept: false; reason: string } | { accept: true; authenticated: boolean };

/**
 * SES verdicts → what to do. Spam or virus FAIL → dropped. Only a DMARC PASS (SPF or DKIM aligned
 * with the From domain) makes the From address trustworthy: a bare SPF pass proves only the envelope
 * sender, which anyone can set, so it does not count.
 */
export function inboundVerdict(receipt: SesReceiptRecord['ses']['receipt']): InboundVerdict {
  if (receipt.spamVerdict?.status === 'FAIL') return { accept: false, reason: 'spam' };
  if (receipt.virusVerdict?.status === 'FAIL') return { accept: false, reason: 'virus' };
  return { accept: true, authenticated: receipt.dmarcVerdict?.status === 'PASS' };
}

/** Where the S3 action of the receipt rule stored the raw message. */
export const rawMailKey = (messageId: string) => `raw/${messageId}`;
