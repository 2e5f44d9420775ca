import * as z from 'zod';
import { isValidTimeZone } from '../domain/zoned-time.js';

const text = (max: number) => z.string().trim().min(1).max(max);
export const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email({ message: 'must be an email address' }));

export const profileSchema = z.object({
  tellPeople: z.string().trim().max(1000).optional(),
  goodReferral: z.string().trim().max(1000).optional(),
  setsApart: z.string().trim().max(1000).optional(),
});

export const slugSchema = z.string().trim().toLowerCase().regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, 'lower-case letters, digits and dashes (2–40 characters)');
export const timezoneSchema = z.string().trim().refine((tz) => isValidTimeZone(tz), 'must be an IANA timezone such as Europe/London');
export const currencySchema = z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as GBP');

export const newMemberSchema = z.object({
  name: text(120),
  email: emailSchema,
  business: z.string().trim().max(200).optional(),
  category: z.string().trim().max(120).optional(),
  profile: profileSchema.optional(),
  goalPerMonth: z.number().int().min(0).max(1000).optional(),
  role: z.enum(['member', 'admin']).optional(),
});
export type NewMemberInput = z.infer<typeof newMemberSchema>;

export const memberPatchSchema = z.strictObject({
  name: text(120).optional(),
  business: z.string().trim().max(200).optional(),
  category: z.string().trim().max(120).optional(),
  profile: profileSchema.optional(),
  goalPerMonth: z.number().int().min(0).max(1000).optional(),
  extraAddresses: z.array(emailSchema).max(10).optional(),
});
export type MemberPatch = z.infer<typeof memberPatchSchema>;

export const newGroupSchema = z.object({
  name: text(120),
  slug: slugSchema,
  timezone: timezoneSchema,
  currency: currencySchema.default('GBP'),
  admin: z.object({ name: text(120), email: emailSchema }),
});
export type NewGroupInput = z.input<typeof newGroupSchema>;
