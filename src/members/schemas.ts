import * as z from '../config/zod.js';
import { isValidTimeZone } from '../domain/zoned-time.js';

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
export const emailSchema = z.pipe(z.string().check(z.trim(), z.toLowerCase(), z.maxLength(254)), z.email({ message: 'must be an email address' }));

export const profileSchema = z.object({
  tellPeople: z.optional(z.string().check(z.trim(), z.maxLength(1000))),
  goodReferral: z.optional(z.string().check(z.trim(), z.maxLength(1000))),
  setsApart: z.optional(z.string().check(z.trim(), z.maxLength(1000))),
});

export const slugSchema = z.string().check(z.trim(), z.toLowerCase(), z.regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, 'lower-case letters, digits and dashes (2–40 characters)'));
export const timezoneSchema = z.string().check(z.trim(), z.refine((tz) => isValidTimeZone(tz), 'must be an IANA timezone such as Europe/London'));
export const currencySchema = z.string().check(z.trim(), z.toUpperCase(), z.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as GBP'));

export const newMemberSchema = z.object({
  name: text(120),
  email: emailSchema,
  business: z.optional(z.string().check(z.trim(), z.maxLength(200))),
  category: z.optional(z.string().check(z.trim(), z.maxLength(120))),
  phone: z.optional(z.string().check(z.trim(), z.maxLength(40))),
  profile: z.optional(profileSchema),
  goalPerMonth: z.optional(z.int().check(z.minimum(0), z.maximum(1000))),
  role: z.optional(z.enum(['member', 'admin'])),
});
export type NewMemberInput = z.infer<typeof newMemberSchema>;

export const memberPatchSchema = z.strictObject({
  name: z.optional(text(120)),
  business: z.optional(z.string().check(z.trim(), z.maxLength(200))),
  category: z.optional(z.string().check(z.trim(), z.maxLength(120))),
  phone: z.optional(z.string().check(z.trim(), z.maxLength(40))),
  profile: z.optional(profileSchema),
  goalPerMonth: z.optional(z.int().check(z.minimum(0), z.maximum(1000))),
  extraAddresses: z.optional(z.array(emailSchema).check(z.maxLength(10))),
});
export type MemberPatch = z.infer<typeof memberPatchSchema>;

export const newGroupSchema = z.object({
  name: text(120),
  slug: slugSchema,
  timezone: timezoneSchema,
  currency: z._default(currencySchema, 'GBP'),
  admin: z.object({ name: text(120), email: emailSchema }),
});
export type NewGroupInput = z.input<typeof newGroupSchema>;
