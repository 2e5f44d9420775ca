/** OpenAPI shapes of the report, campaign and member-hygiene endpoints. */
import * as z from '../../config/zod.js';

const moneySchema = z.object({ amount: z.number(), currency: z.string() });

export const summaryRowSchema = z
  .object({
    memberId: z.string(),
    name: z.string(),
    status: z.enum(['active', 'removed']),
    given: z.int(),
    received: z.int(),
    won: z.int(),
    lost: z.int(),
    closedValue: z.array(moneySchema).register(z.globalRegistry, { description: 'closed business from referrals this member gave (credited to the referrer), per currency' }),
    closedValueWon: z.array(moneySchema).register(z.globalRegistry, { description: 'closed business this member won as the provider, per currency' }),
    medianHoursToFirstContact: z.nullable(z.number()),
    p90HoursToFirstContact: z.nullable(z.number()),
    thankedWithinDayShare: z.nullable(z.number()),
    conversion: z.nullable(z.number()),
  })
  .register(z.globalRegistry, { id: 'ReportSummaryRow' });

export const summarySchema = z
  .object({
    from: z.string().register(z.globalRegistry, { description: 'first day included (YYYY-MM-DD, group timezone)' }),
    to: z.string().register(z.globalRegistry, { description: 'first day not included' }),
    timezone: z.string(),
    members: z.array(summaryRowSchema).register(z.globalRegistry, { description: 'admin: every member; member: only their own row' }),
    totals: z.object({
      given: z.int(),
      won: z.int(),
      lost: z.int(),
      closedValue: z.array(moneySchema),
      medianHoursToFirstContact: z.nullable(z.number()),
      p90HoursToFirstContact: z.nullable(z.number()),
      thankedWithinDayShare: z.nullable(z.number()),
      conversion: z.nullable(z.number()),
    }),
  })
  .register(z.globalRegistry, { id: 'ReportSummary' });

export const campaignResponseSchema = z.object({ campaign: z.object({ startsOn: z.string(), endsOn: z.string() }) }).register(z.globalRegistry, { id: 'Campaign' });

export const flagBodySchema = z
  .strictObject({ note: z.string().check(z.trim(), z.maxLength(1000)).register(z.globalRegistry, { description: 'why a conversation is needed; an empty note clears the flag' }) })
  .register(z.globalRegistry, { id: 'MemberFlag' });

export const memberIdParamSchema = z.object({ id: z.string().check(z.regex(/^[a-z0-9]{16}$/, 'not a member id')) });

export const removalSchema = z
  .object({
    member: z.looseObject({ id: z.string(), name: z.string(), status: z.string() }),
    notifiedReferrals: z.array(z.string()).register(z.globalRegistry, { description: 'open referrals whose referrer was told (this call)' }),
  })
  .register(z.globalRegistry, { id: 'MemberRemoval' });
