import * as z from '../config/zod.js';
import type { RelayDeps } from '../referrals/deps.js';
import { commitReferralChange } from '../referrals/engine.js';
import { decideEffects } from '../referrals/core/decide.js';

const recipients = () => z.array(z.object({ emailAddress: z.string() }));

/** The parts of an SES bounce / complaint notification (SNS message) that matter here. */
export const sesFeedbackSchema = z.object({
  notificationType: z.optional(z.string()),
  eventType: z.optional(z.string()),
  bounce: z.optional(z.object({ bounceType: z.string(), bouncedRecipients: recipients() })),
  complaint: z.optional(z.object({ complainedRecipients: recipients() })),
  mail: z.optional(z.object({ messageId: z.optional(z.string()), tags: z.optional(z.record(z.string(), z.array(z.string()))) })),
});
export type SesFeedback = z.infer<typeof sesFeedbackSchema>;

/** Pulls "a@b.c" out of "Name <a@b.c>". */
const bareAddress = (a: string) => (/<([^>]+)>/.exec(a)?.[1] ?? a).trim().toLowerCase();

/**
 * A bounce or complaint: the address is suppressed (no more email to it), and when it was the
 * prospect of the referral the email was about, the referral shows "email to prospect bounced",
 * its prospect steps are cancelled, and referrer and provider are told.
 */
export async function handleFeedback(deps: RelayDeps, feedback: SesFeedback): Promise<{ suppressed: string[] }> {
  const type = (feedback.notificationType ?? feedback.eventType ?? '').toLowerCase();
  const now = deps.clock.now();
  let addresses: string[];
  if (type === 'bounce' && feedback.bounce) {
    // Transient bounces (mailbox full, out of office) do not suppress; SES retries those itself.
    if (feedback.bounce.bounceType !== 'Permanent') return { suppressed: [] };
    addresses = feedback.bounce.bouncedRecipients.map((r) => bareAddress(r.emailAddress));
  } else if (type === 'complaint' && feedback.complaint) {
    addresses = feedback.complaint.complainedRecipients.map((r) => bareAddress(r.emailAddress));
  } else {
    return { suppressed: [] };
  }
  for (const address of addresses) await deps.store.suppress(address, type, now);

  const referralId = feedback.mail?.tags?.referral?.[0];
  if (referralId && /^[a-z0-9]{16}$/.test(referralId)) {
    const referral = await deps.store.getReferralState(referralId);
    const prospectEmail = referral?.prospect.email?.toLowerCase();
    if (referral && prospectEmail && addresses.includes(prospectEmail) && !referral.prospectBounced) {
      await commitReferralChange(
        deps,
        referral.id,
        (current, group) => decideEffects(current, { type: 'prospect_bounced', feedback: type === 'bounce' ? 'bounce' : 'complaint' }, { now, group }) ?? undefined,
        'system',
      );
    }
  }
  return { suppressed: addresses };
}
