import * as z from '../../config/zod.js';
import { handleFeedback, sesFeedbackSchema } from '../../mailflow/feedback.js';
import type { RelayDeps } from '../../referrals/deps.js';

const snsEventSchema = z.object({ Records: z.array(z.object({ Sns: z.object({ Message: z.string() }) })).check(z.minLength(1)) });

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
