import { Hono } from 'hono';
import { Duration } from 'luxon';
import * as z from '../../config/zod.js';
import { ValidationError } from '../../domain/errors.js';
import type { AppEnv } from '../../web/context.js';
import type { LocalClock } from './local-clock.js';

const MAX_ADVANCE_DAYS = 400;

const advanceSchema = z.strictObject({ advance: z.string().check(z.minLength(2), z.maxLength(40)) });

/** Parses an ISO-8601 duration ("PT26H", "P3D", "P1W") into milliseconds, or explains why not. */
export function parseAdvance(value: string): number {
  const d = Duration.fromISO(value);
  if (!d.isValid) throw new ValidationError(`advance: "${value}" is not an ISO-8601 duration such as PT26H or P3D`);
  const ms = d.as('milliseconds');
  if (!(ms > 0)) throw new ValidationError('advance: the clock only moves forward');
  if (ms > MAX_ADVANCE_DAYS * 86_400_000) throw new ValidationError(`advance: at most ${MAX_ADVANCE_DAYS} days at a time`);
  return ms;
}

/** GET/POST /dev/clock (local only): before answering, every step due in the window has run. */
export function devClockRoutes(clock: LocalClock, runUntil: (until: Date) => Promise<unknown>) {
  const dev = new Hono<AppEnv>();
  dev.get('/clock', (c) => c.json({ now: clock.now().toISOString() }));
  dev.post('/clock', async (c) => {
    const raw = await c.req.json().catch(() => {
      throw new ValidationError('Send JSON like {"advance": "PT26H"}');
    });
    const parsed = advanceSchema.safeParse(raw);
    if (!parsed.success) throw new ValidationError('Send JSON like {"advance": "PT26H"}');
    const target = new Date(clock.now().getTime() + parseAdvance(parsed.data.advance));
    await runUntil(target);
    clock.advanceTo(target);
    return c.json({ now: clock.now().toISOString() });
  });
  return dev;
}
