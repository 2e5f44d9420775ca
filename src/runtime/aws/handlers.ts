import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { STEP_KINDS } from '../../domain/types.js';
import { handleInboundMail } from '../../mailflow/handle-inbound.js';
import { handleFeedback, sesFeedbackSchema } from '../../mailflow/feedback.js';
import type { RelayDeps } from '../../referrals/deps.js';
import { dispatchStep } from '../../referrals/engine.js';
import { inboundVerdict, rawMailKey, sesReceiptEventSchema } from './ses-receipt.js';

/** The scheduler's input: ids only, no personal data. */
export const stepEventSchema = z.object({ stepId: z.string().min(1).max(64), referralId: z.string().regex(/^[a-z0-9]{16}$/), kind: z.enum(STEP_KINDS) });

export function dispatchHandler(deps: RelayDeps) {
  return async (event: unknown) => {
    const parsed = stepEventSchema.safeParse(event);
    if (!parsed.success) {
      // A malformed input can never succeed: log and finish, so the scheduler does not retry it.
      deps.log.error('dispatch: bad scheduler input', { issues: parsed.error.issues.map((i) => i.message) });
      return { outcome: 'rejected' };
    }
    return { outcome: await dispatchStep(deps, parsed.data) };
  };
}

export type RawMailReader = (key: string) => Promise<Uint8Array>;

export function s3RawMailReader(bucket: string, client: Pick<S3Client, 'send'> = new S3Client({})): RawMailReader {
  return async (key) => {
    const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!res.Body) throw new Error(`s3://${bucket}/${key} is empty`);
    return res.Body.transformToByteArray();
  };
}

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

const snsEventSchema = z.object({ Records: z.array(z.object({ Sns: z.object({ Message: z.string() }) })).min(1) });

export function feedbackHandler(deps: RelayDeps) {
  return async (event: unknown) => {
    const parsed = snsEventSchema.safeParse(event);
    if (!parsed.success) {
      deps.log.error('feedback: not an SNS event');
      return { suppressed: [] as string[] };
    }
    const suppressed: string[] = [];
    for (const record of parsed.data.Records) {
      let message: unknown;
      try {
        message = JSON.parse(record.Sns.Message);
      } catch {
        deps.log.error('feedback: SNS message is not JSON');
        continue;
      }
      const feedback = sesFeedbackSchema.safeParse(message);
      if (!feedback.success) continue;
      suppressed.push(...(await handleFeedback(deps, feedback.data)).suppressed);
    }
    return { suppressed };
  };
}
