// EventBridge Scheduler (one weekly cron schedule per group, in the group's timezone) → that group's digests.
import * as z from '../src/config/zod.js';
import { sendGroupDigests } from '../src/digest/send-digests.js';
import { buildAwsDeps } from '../src/runtime/aws/aws-deps.js';
import { idsOf, instrumented } from '../src/runtime/aws/observability.js';

const deps = await buildAwsDeps();
const input = z.object({ groupId: z.string().check(z.regex(/^[a-z0-9]{16}$/)) });

// Pace under the default SES sending rate (14/s in production accounts; 1/s in the sandbox).
export const handler = instrumented(deps.observability, async (event: unknown) => {
  const parsed = input.safeParse(event);
  if (!parsed.success) return { sent: 0, error: 'bad input' };
  return sendGroupDigests(deps, parsed.data.groupId, { perSecond: 10 });
}, idsOf);
