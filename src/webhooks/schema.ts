/** What an admin sends to register a webhook (API, CLI, /admin); apart from url-check.ts so deliveries bundle no schema. */
import * as z from '../config/zod.js';
import { WEBHOOK_EVENTS } from './url-check.js';

export const newWebhookSchema = z.strictObject({
  url: z.string().check(z.trim(), z.minLength(1)),
  events: z.optional(z.array(z.enum(WEBHOOK_EVENTS)).check(z.minLength(1), z.maxLength(WEBHOOK_EVENTS.length))),
});
