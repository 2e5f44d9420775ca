import * as z from '../../config/zod.js';
import { emailSchema, memberPatchSchema, newMemberSchema, profileSchema } from '../../members/schemas.js';
import { MEMBER_ACTIONS } from '../../referrals/core/rules.js';
import { STATUSES } from '../../domain/types.js';

/** Member ids are 16 lower-case letters/digits; anything with an @ is an email. */
export const memberRefSchema = z.string().check(z.trim(), z.minLength(1), z.maxLength(254)).register(z.globalRegistry, { description: 'a member id or email address' });

export const prospectSchema = z.object({
  name: z.string().check(z.trim(), z.minLength(1, 'the prospect needs a name'), z.maxLength(200)),
  email: z.optional(emailSchema),
  phone: z.optional(z.string().check(z.trim(), z.maxLength(40), z.regex(/^[+()0-9 .\-/]{5,40}$/, 'must be a phone number'))),
  company: z.optional(z.string().check(z.trim(), z.maxLength(200))),
});

export const newReferralSchema = z
  .strictObject({
    referrer: z.optional(memberRefSchema).register(z.globalRegistry, { description: 'admin only: log on behalf of this member' }),
    provider: memberRefSchema,
    prospect: prospectSchema,
    need: z.string().check(z.trim(), z.minLength(3, 'say what the prospect needs'), z.maxLength(5000)),
    temperature: z.optional(z.int().check(z.minimum(1), z.maximum(5))),
    consent: z.boolean({ message: 'consent must be true or false' }),
    note: z.optional(z.string().check(z.trim(), z.maxLength(5000))),
    intro: z
      .optional(z.string().check(z.trim(), z.maxLength(300, 'keep the introduction to one line (at most 300 characters)'), z.regex(/^[^\r\n]*$/, 'keep the introduction to one line')))
      .register(z.globalRegistry, { description: 'one line for the prospect, in the referrer\'s words; the introduction email shows it (never the need or the note)' }),
  })
  .register(z.globalRegistry, { id: 'NewReferral' });

export const actionSchema = z
  .strictObject({
    action: z.enum(MEMBER_ACTIONS as [string, ...string[]]),
    amount: z.optional(z.number().check(z.minimum(0), z.maximum(1e12))),
    currency: z.optional(z.string().check(z.trim(), z.toUpperCase(), z.regex(/^[A-Z]{3}$/))),
    text: z.optional(z.string().check(z.trim(), z.maxLength(5000))),
    days: z.optional(z.int().check(z.minimum(1), z.maximum(90))),
    provider: z.optional(memberRefSchema).register(z.globalRegistry, { description: 'reassign: the new provider' }),
  })
  .register(z.globalRegistry, { id: 'ReferralAction' });

/** Every list answers one page: `limit` (1–100, default 50) items and, when there is more, `next`. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 50;
export const pageQueryShape = {
  limit: z._default(z.coerce.number().check(z.int('limit: a whole number'), z.minimum(1), z.maximum(MAX_PAGE_SIZE)), DEFAULT_PAGE_SIZE).register(z.globalRegistry, { description: `page size, 1–${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})` }),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(1000))).register(z.globalRegistry, { description: 'the `next` of the previous page, as it was given (opaque)' }),
};
export const pageQuerySchema = z.object(pageQueryShape);
/** The answer of a list: `{items, next?}`; `next` is absent on the last page. */
export const pageOf = <T extends z.ZodMiniType>(item: T) =>
  z.object({ items: z.array(item), next: z.optional(z.string()).register(z.globalRegistry, { description: 'pass as `cursor` for the next page; absent on the last page' }) });

export const listQuerySchema = z.object({
  status: z.optional(z.enum(STATUSES)),
  role: z.optional(z.enum(['given', 'received'])),
  ...pageQueryShape,
});

/** One page of a referral's timeline: the cursor from `timelineNext`, and how many events (1–500). */
export const timelinePageSchema = z.object({
  timeline_after: z.optional(z.string().check(z.regex(/^EV#\d{10}(#\d{9}#\d{2})?$/, 'not a timeline cursor'))),
  timeline_limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(500))),
});

export const idParamSchema = z.object({ id: z.string().check(z.regex(/^[a-z0-9]{16}$/, 'not a valid id')) });

const personSchema = z.nullable(z.object({ id: z.string(), name: z.string(), email: z.string() }));
export const timelineEventSchema = z.object({
  at: z.string(),
  type: z.string(),
  via: z.string(),
  actor: z.string(),
  text: z.string(),
  privateText: z.optional(z.string()),
  kind: z.optional(z.string()),
  to: z.optional(z.string()),
  cc: z.optional(z.array(z.string())),
  messageId: z.optional(z.string()),
  status: z.optional(z.string()),
  delivery: z.optional(z.enum(['failing', 'parked'])),
}).register(z.globalRegistry, { id: 'TimelineEvent' });
export const moneySchema = z.object({ amount: z.number(), currency: z.string() });
export const referralSchema = z
  .object({
    id: z.string(),
    groupId: z.string(),
    status: z.enum(STATUSES),
    source: z.enum(['web', 'email', 'api', 'reply']),
    referrer: personSchema,
    provider: personSchema,
    prospect: z.object({ name: z.string(), email: z.nullable(z.string()), phone: z.nullable(z.string()), company: z.nullable(z.string()) }),
    need: z.string(),
    temperature: z.nullable(z.number()),
    consent: z.boolean(),
    note: z.nullable(z.string()),
    closedValue: z.optional(moneySchema),
    createdAt: z.string(),
    timeline: z.array(timelineEventSchema),
    /** Present when the timeline has more events: the path of the next page. */
    timelineNext: z.optional(z.string()),
    pending: z.array(z.object({ kind: z.string(), due: z.string() })),
  })
  .register(z.globalRegistry, { id: 'Referral' });

/**
 * The answer to an action: the referral as GET answers it (its timeline's first page, oldest first)
 * and `added`, the events this action put on the timeline. On a referral with more than a page of
 * history the first page does not show them.
 */
export const actionResultSchema = z.intersection(referralSchema, z.object({ added: z.array(timelineEventSchema) })).register(z.globalRegistry, { id: 'ActionResult' });

export const memberSchema = z
  .object({
    id: z.string(),
    groupId: z.string(),
    name: z.string(),
    email: z.string(),
    business: z.nullable(z.string()),
    category: z.nullable(z.string()),
    phone: z.optional(z.string()),
    profile: profileSchema,
    goalPerMonth: z.nullable(z.number()),
    status: z.enum(['active', 'removed']),
    role: z.enum(['member', 'admin']),
    extraAddresses: z.optional(z.array(z.string())),
    createdAt: z.string(),
  })
  .register(z.globalRegistry, { id: 'Member' });

// The API refuses unknown fields in member bodies.
export const newMemberBodySchema = z.strictObject(newMemberSchema.shape).register(z.globalRegistry, { id: 'NewMember' });
export const memberPatchBodySchema = z.strictObject(memberPatchSchema.shape).register(z.globalRegistry, { id: 'MemberPatch' });

export const errorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.optional(z.unknown()) }) })
  .register(z.globalRegistry, { id: 'Error' });
