import { Hono } from 'hono';
import * as z from '../../config/zod.js';
import { ValidationError } from '../../domain/errors.js';
import type { AppEnv } from '../../web/context.js';
import type { LocalClock } from './local-clock.js';

const MAX_ADVANCE_DAYS = 400;

const advanceSchema = z.union([
  z.strictObject({ advance: z.string().check(z.minLength(2), z.maxLength(40)) }),
  z.strictObject({ to: z.string().check(z.maxLength(40)) }),
]);
const CLOCK_BODY = 'Send JSON like {"advance": "PT26H"} or {"to": "2026-12-07T09:00:00Z"}';

/**
 * The moment a `{"to": …}` names: an ISO-8601 date-time with a zone (`Z` or `+01:00`), not before
 * `now` (the clock never goes backwards) and at most 400 days ahead.
 */
export function parseTo(value: string, now: Date): Date {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i.test(value) || Number.isNaN(Date.parse(value))) {
    throw new ValidationError(`to: "${value}" is not an ISO-8601 date-time with a zone, such as 2026-12-07T09:00:00Z`);
  }
  const at = new Date(value);
  if (at.getTime() < now.getTime()) throw new ValidationError(`to: the clock only moves forward (it is ${now.toISOString()})`);
  if (at.getTime() - now.getTime() > MAX_ADVANCE_DAYS * 86_400_000) throw new ValidationError(`to: at most ${MAX_ADVANCE_DAYS} days ahead`);
  return at;
}

const NUMBER = String.raw`(-?\d{1,20}(?:\.\d{1,20})?)`;
/** ISO-8601 durations: PnYnMnWnDTnHnMnS, every part optional, decimals allowed, each part or the whole may be negative. */
const ISO_DURATION = new RegExp(`^(-)?P(?:${NUMBER}Y)?(?:${NUMBER}M)?(?:${NUMBER}W)?(?:${NUMBER}D)?(?:T(?:${NUMBER}H)?(?:${NUMBER}M)?(?:(-?\\d{1,20})(?:[.,](\\d{1,20}))?S)?)?$`);
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Milliseconds per part of {@link ISO_DURATION}, in order; a year is 365 days and a month 30 (no calendar). */
const PART_MS = [365 * DAY_MS, 30 * DAY_MS, 7 * DAY_MS, DAY_MS, HOUR_MS, 60_000, 1000];

/** The length of an ISO-8601 duration in milliseconds, or undefined when `value` is not one. */
export function isoDurationMillis(value: string): number | undefined {
  const m = ISO_DURATION.exec(value);
  if (!m) return undefined;
  const [, minus, ...parts] = m;
  const fraction = parts.pop();
  let ms = parts.reduce((sum, part, i) => sum + (part === undefined ? 0 : Number(part) * PART_MS[i]!), 0);
  if (fraction !== undefined) ms += (parts[6]!.startsWith('-') ? -1 : 1) * Math.floor(Number(`0.${fraction}`) * 1000);
  return minus ? -ms : ms;
}

/** Parses an ISO-8601 duration ("PT26H", "P3D", "P1W") into milliseconds, or explains why not. */
export function parseAdvance(value: string): number {
  const ms = isoDurationMillis(value);
  if (ms === undefined) throw new ValidationError(`advance: "${value}" is not an ISO-8601 duration such as PT26H or P3D`);
  if (!(ms > 0)) throw new ValidationError('advance: the clock only moves forward');
  if (ms > MAX_ADVANCE_DAYS * 86_400_000) throw new ValidationError(`advance: at most ${MAX_ADVANCE_DAYS} days at a time`);
  return ms;
}

/** GET/POST /dev/clock (local only): before answering, every step due in the window has run. */
export function devClockRoutes(clock: LocalClock, runUntil: (until: Date) => Promise<unknown>, drainOutbox?: () => Promise<number>) {
  const dev = new Hono<AppEnv>();
  // Local only: answers once every stored change's emails are sent and its steps scheduled (tests await this, not a sleep).
  if (drainOutbox) dev.post('/outbox/drain', async (c) => c.json({ handled: await drainOutbox() }));
  dev.get('/clock', (c) => c.json({ now: clock.now().toISOString() }));
  dev.post('/clock', async (c) => {
    const raw: unknown = await c.req.json().catch(() => {
      throw new ValidationError(CLOCK_BODY);
    });
    const parsed = advanceSchema.safeParse(raw);
    if (!parsed.success) throw new ValidationError(CLOCK_BODY);
    const body = parsed.data;
    const target = 'to' in body ? parseTo(body.to, clock.now()) : new Date(clock.now().getTime() + parseAdvance(body.advance));
    await runUntil(target);
    clock.advanceTo(target);
    return c.json({ now: clock.now().toISOString() });
  });
  return dev;
}
