import * as z from 'zod';
import { emailSchema, memberPatchSchema, newMemberSchema, profileSchema } from '../../members/schemas.js';
import { ACTIONS } from '../../referrals/decide-action.js';
import { STATUSES } from '../../domain/types.js';

/** Member ids are 16 lower-case letters/digits; anything with an @ is an email. */
export const memberRefSchema = z.string().trim().min(1).max(254).meta({ description: 'a member id or email address' });

export const prospectSchema = z.object({
  name: z.string().trim().min(1, 'the prospect needs a name').max(200),
  email: emailSchema.optional(),
  phone: z.string().trim().max(40).regex(/^[+()0-9 .\-/]{5,40}$/, 'must be a phone number').optional(),
  company: z.string().trim().max(200).optional(),
});

export const newReferralSchema = z
  .object({
    referrer: memberRefSchema.optional().meta({ description: 'admin only: log on behalf of this member' }),
    provider: memberRefSchema,
    prospect: prospectSchema,
    need: z.string().trim().min(3, 'say what the prospect needs').max(5000),
    temperature: z.number().int().min(1).max(5).optional(),
    consent: z.boolean({ message: 'consent must be true or false' }),
    note: z.string().trim().max(5000).optional(),
  })
  .strict()
  .meta({ id: 'NewReferral' });

export const actionSchema = z
  .object({
    action: z.enum(ACTIONS.filter((a) => !['connection_yes', 'connection_no', 'rating', 'prospect_stop'].includes(a)) as [string, ...string[]]),
    amount: z.number().min(0).max(1e12).optional(),
    currency: z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/).optional(),
    text: z.string().trim().max(5000).optional(),
    days: z.number().int().min(1).max(90).optional(),
    provider: memberRefSchema.optional().meta({ description: 'reassign: the new provider' }),
  })
  .strict()
  .meta({ id: 'ReferralAction' });

export const listQuerySchema = z.object({
  status: z.enum(STATUSES).optional(),
  role: z.enum(['given', 'received']).optional(),
});

export const idParamSchema = z.object({ id: z.string().regex(/^[a-z0-9]{16}$/, 'not a valid id') });

const personSchema = z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable();
export const timelineEventSchema = z.object({
  at: z.string(),
  type: z.string(),
  via: z.string(),
  actor: z.string(),
  text: z.string(),
  privateText: z.string().optional(),
  kind: z.string().optional(),
  to: z.string().optional(),
  cc: z.array(z.string()).optional(),
  messageId: z.string().optional(),
  status: z.string().optional(),
});
export const moneySchema = z.object({ amount: z.number(), currency: z.string() });
export const referralSchema = z
  .object({
    id: z.string(),
    groupId: z.string(),
    status: z.enum(STATUSES),
    source: z.enum(['web', 'email', 'api', 'reply']),
    referrer: personSchema,
    provider: personSchema,
    prospect: z.object({ name: z.string(), email: z.string().nullable(), phone: z.string().nullable(), company: z.string().nullable() }),
    need: z.string(),
    temperature: z.number().nullable(),
    consent: z.boolean(),
    note: z.string().nullable(),
    closedValue: moneySchema.optional(),
    createdAt: z.string(),
    timeline: z.array(timelineEventSchema),
    pending: z.array(z.object({ kind: z.string(), due: z.string() })),
  })
  .meta({ id: 'Referral' });

export const memberSchema = z
  .object({
    id: z.string(),
    groupId: z.string(),
    name: z.string(),
    email: z.string(),
    business: z.string().nullable(),
    category: z.string().nullable(),
    profile: profileSchema,
    goalPerMonth: z.number().nullable(),
    status: z.enum(['active', 'removed']),
    role: z.enum(['member', 'admin']),
    extraAddresses: z.array(z.string()).optional(),
    createdAt: z.string(),
  })
  .meta({ id: 'Member' });

// The API refuses unknown fields in member bodies.
export const newMemberBodySchema = z.strictObject(newMemberSchema.shape).meta({ id: 'NewMember' });
export const memberPatchBodySchema = z.strictObject(memberPatchSchema.shape).meta({ id: 'MemberPatch' });

export const errorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
  .meta({ id: 'Error' });
