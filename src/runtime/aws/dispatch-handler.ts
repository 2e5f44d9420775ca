import * as z from '../../config/zod.js';
import { STEP_KINDS } from '../../domain/types.js';
import type { RelayDeps } from '../../referrals/deps.js';
import { dispatchStep } from '../../referrals/engine.js';

/** The scheduler's input: ids only, no personal data. */
export const stepEventSchema = z.object({ stepId: z.string().check(z.minLength(1), z.maxLength(64)), referralId: z.string().check(z.regex(/^[a-z0-9]{16}$/)), kind: z.enum(STEP_KINDS) });

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
