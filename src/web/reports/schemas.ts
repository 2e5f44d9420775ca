/** OpenAPI shapes of the report, campaign and member-hygiene endpoints. */
import * as z from 'zod';

const moneySchema = z.object({ amount: z.number(), currency: z.string() });

export const summaryRowSchema = z
  .object({
    memberId: z.string(),
    name: z.string(),
    status: z.enum(['active', 'removed']),
    given: z.number().int(),
    received: z.number().int(),
    won: z.number().int(),
    lost: z.number().int(),
    closedValue: z.array(moneySchema).meta({ description: 'closed business from referrals this member gave (credited to the referrer), per currency' }),
    closedValueWon: z.array(moneySchema).meta({ description: 'closed business this member won as the provider, per currency' }),
    medianHoursToFirstContact: z.number().nullable(),
    p90HoursToFirstContact: z.number().nullable(),
    thankedWithinDayShare: z.number().nullable(),
    conversion: z.number().nullable(),
  })
  .meta({ id: 'ReportSummaryRow' });

export const summarySchema = z
  .object({
    from: z.string().meta({ description: 'first day included (YYYY-MM-DD, group timezone)' }),
    to: z.string().meta({ description: 'first day not included' }),
    timezone: z.string(),
    members: z.array(summaryRowSchema).meta({ description: 'admin: every member; member: only their own row' }),
    totals: z.object({
      given: z.number().int(),
      won: z.number().int(),
      lost: z.number().int(),
      closedValue: z.array(moneySchema),
      medianHoursToFirstContact: z.number().nullable(),
      p90HoursToFirstContact: z.number().nullable(),
      thankedWithinDayShare: z.number().nullable(),
      conversion: z.number().nullable(),
    }),
  })
  .meta({ id: 'ReportSummary' });

export const campaignResponseSchema = z.object({ campaign: z.object({ startsOn: z.string(), endsOn: z.string() }) }).meta({ id: 'Campaign' });

export const flagBodySchema = z
  .object({ note: z.string().trim().max(1000).meta({ description: 'why a conversation is needed; an empty note clears the flag' }) })
  .strict()
  .meta({ id: 'MemberFlag' });

export const memberIdParamSchema = z.object({ id: z.string().regex(/^[a-z0-9]{16}$/, 'not a member id') });

export const removalSchema = z
  .object({
    member: z.object({ id: z.string(), name: z.string(), status: z.string() }).passthrough(),
    notifiedReferrals: z.array(z.string()).meta({ description: 'open referrals whose referrer was told (this call)' }),
  })
  .meta({ id: 'MemberRemoval' });
