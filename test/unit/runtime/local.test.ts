import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, readAwsConfig, readLocalConfig } from '../../../src/config/env.js';
import { ValidationError } from '../../../src/domain/errors.js';
import { signValue, verifyValue } from '../../../src/domain/signed-link.js';
import { Hono } from 'hono';
import { devClockRoutes, parseAdvance, parseTo } from '../../../src/runtime/local/dev-clock.js';
import { LocalClock } from '../../../src/runtime/local/local-clock.js';
import { StartupError, assertJava } from '../../../src/runtime/local/services.js';

describe('configuration', () => {
  it('local defaults follow CONTRACT.md', () => {
    expect(readLocalConfig({})).toMatchObject({ PORT: 3000, SMTP_PORT: 2525, SES_PORT: 8005, DYNAMODB_PORT: 8000, DATA_DIR: './.data', INBOUND_DOMAIN: 'relay.localhost' });
  });
  it('a bad value names the variable', () => {
    expect(() => readLocalConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => readLocalConfig({ PORT: '70000' })).toThrow(/PORT/);
  });
  it('DYNAMODB_ENDPOINT and SES_ENDPOINT: absent by default, http(s) URLs when given, named when bad', () => {
    expect(readLocalConfig({})).not.toHaveProperty('DYNAMODB_ENDPOINT');
    expect(readLocalConfig({ DYNAMODB_ENDPOINT: 'http://localhost:4566', SES_ENDPOINT: 'https://ses.example:8443/' })).toMatchObject({ DYNAMODB_ENDPOINT: 'http://localhost:4566', SES_ENDPOINT: 'https://ses.example:8443/' });
    expect(() => readLocalConfig({ DYNAMODB_ENDPOINT: 'localhost:8000' })).toThrow(/DYNAMODB_ENDPOINT: an http/);
    expect(() => readLocalConfig({ SES_ENDPOINT: 'ftp://ses.example' })).toThrow(/SES_ENDPOINT/);
    expect(() => readLocalConfig({ SES_ENDPOINT: '' })).toThrow(ConfigError);
  });
  it('AWS config says which variable is missing', () => {
    expect(() => readAwsConfig({ TABLE_NAME: 'x' })).toThrow(/INBOUND_DOMAIN/);
  });
});

describe('local runtime', () => {
  it('a missing Java gets a clear message naming Java 17', () => {
    expect(() => assertJava('java-that-does-not-exist-here')).toThrow(StartupError);
    expect(() => assertJava('java-that-does-not-exist-here')).toThrow(/Java 17\+ is needed for DynamoDB Local/);
  });

  it('the clock only moves forward and keeps its offset across restarts', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'clock-')), 'clock.json');
    const clock = new LocalClock(file);
    const start = clock.now().getTime();
    clock.advanceTo(new Date(start + 26 * 3_600_000));
    expect(clock.now().getTime()).toBeGreaterThanOrEqual(start + 26 * 3_600_000);
    clock.advanceTo(new Date(start)); // backwards: ignored
    expect(clock.now().getTime()).toBeGreaterThanOrEqual(start + 26 * 3_600_000);
    const again = new LocalClock(file);
    expect(again.now().getTime()).toBeGreaterThanOrEqual(start + 26 * 3_600_000);
    writeFileSync(file, 'garbage');
    expect(new LocalClock(file).now().getTime()).toBeGreaterThanOrEqual(Date.now() - 1000);
  });

  it('freeze holds time at a due time, unfreeze continues from there', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'clock-')), 'clock.json');
    const clock = new LocalClock(file);
    const due = new Date(clock.now().getTime() + 3_600_000);
    clock.freeze(due);
    expect(clock.now().toISOString()).toBe(due.toISOString());
    clock.unfreeze();
    expect(clock.now().getTime()).toBeGreaterThanOrEqual(due.getTime());
    expect(JSON.parse(readFileSync(file, 'utf8')).offsetMs).toBeGreaterThan(3_500_000);
  });

  it('parses ISO-8601 durations for POST /dev/clock and refuses nonsense', () => {
    expect(parseAdvance('PT26H')).toBe(26 * 3_600_000);
    expect(parseAdvance('P3D')).toBe(3 * 86_400_000);
    for (const bad of ['26h', '', 'P', '-PT1H', 'PT0S', 'P5Y']) expect(() => parseAdvance(bad), bad).toThrow(ValidationError);
  });

  it('reads every part of a duration, with decimals, and says what is wrong', () => {
    expect(parseAdvance('P1W')).toBe(7 * 86_400_000);
    expect(parseAdvance('P1M')).toBe(30 * 86_400_000);
    expect(parseAdvance('P1DT2H3M4.5S')).toBe(86_400_000 + 2 * 3_600_000 + 3 * 60_000 + 4_500);
    expect(parseAdvance('PT1,25S')).toBe(1_250);
    expect(parseAdvance('PT1.5H')).toBe(5_400_000);
    expect(parseAdvance('P0.5D')).toBe(43_200_000);
    expect(parseAdvance('PT90M')).toBe(5_400_000);
    expect(parseAdvance('P400D')).toBe(400 * 86_400_000);
    expect(() => parseAdvance('26h')).toThrow('advance: "26h" is not an ISO-8601 duration such as PT26H or P3D');
    expect(() => parseAdvance('PT1H1D')).toThrow('is not an ISO-8601 duration');
    expect(() => parseAdvance('P1DT')).not.toThrow();
    expect(() => parseAdvance('-PT1H')).toThrow('advance: the clock only moves forward');
    expect(() => parseAdvance('P')).toThrow('advance: the clock only moves forward');
    expect(() => parseAdvance('P401D')).toThrow('advance: at most 400 days at a time');
    expect(() => parseAdvance('P2Y')).toThrow('advance: at most 400 days at a time');
  });

  it('reads {"to": date-time}: with a zone, never backwards, at most 400 days ahead', () => {
    const now = new Date('2026-12-04T21:30:00Z'); // a Friday night
    expect(parseTo('2026-12-07T09:00:00Z', now).toISOString()).toBe('2026-12-07T09:00:00.000Z');
    expect(parseTo('2026-12-07T09:00+01:00', now).toISOString()).toBe('2026-12-07T08:00:00.000Z');
    expect(parseTo('2026-12-04T21:30:00Z', now).getTime()).toBe(now.getTime());
    expect(() => parseTo('2026-12-07T09:00:00', now)).toThrow('to: "2026-12-07T09:00:00" is not an ISO-8601 date-time with a zone');
    expect(() => parseTo('next monday', now)).toThrow(ValidationError);
    expect(() => parseTo('2026-12-04T09:00:00Z', now)).toThrow('to: the clock only moves forward (it is 2026-12-04T21:30:00.000Z)');
    expect(() => parseTo('2028-02-01T00:00:00Z', now)).toThrow('to: at most 400 days ahead');
  });

  it('POST /dev/clock {"to"} runs what is due until then and moves the clock there; a bad body is a 422 that says what to send', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clock-to-'));
    const clock = new LocalClock(join(dir, 'clock.json'));
    const ranUntil: Date[] = [];
    const app = createDevApp(devClockRoutes(clock, async (until) => void ranUntil.push(until)));
    const target = new Date(clock.now().getTime() + 3 * 86_400_000);
    target.setUTCMilliseconds(0);
    const res = await app.request('/dev/clock', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to: target.toISOString() }) });
    expect(res.status).toBe(200);
    // The clock runs on from there (a millisecond or two by the time it answers).
    const answered = Date.parse(((await res.json()) as { now: string }).now) - target.getTime();
    expect(answered).toBeGreaterThanOrEqual(0);
    expect(answered).toBeLessThan(1000);
    expect(ranUntil.map((d) => d.toISOString())).toEqual([target.toISOString()]);
    const back = await app.request('/dev/clock', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to: '2020-01-01T00:00:00Z' }) });
    expect(back.status).toBe(422);
    expect(JSON.stringify(await back.json())).toContain('the clock only moves forward');
    const both = await app.request('/dev/clock', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to: target.toISOString(), advance: 'PT1H' }) });
    expect(both.status).toBe(422);
    expect(JSON.stringify(await both.json())).toContain('{\\"to\\": \\"2026-12-07T09:00:00Z\\"}');
    rmSync(dir, { recursive: true, force: true });
  });
});

/** The dev routes mounted as the app mounts them, with the app's answer to a ValidationError. */
function createDevApp(dev: ReturnType<typeof devClockRoutes>) {
  const app = new Hono();
  app.route('/dev', dev as unknown as Hono);
  app.onError((err, c) => (err instanceof ValidationError ? c.json({ error: { code: 'validation', message: err.message } }, 422) : c.json({ error: String(err) }, 500)));
  return app;
}

describe('signed links', () => {
  it('verify only with the same purpose and secret', () => {
    const signed = signValue('stop', 'abc', 's3cret');
    expect(verifyValue('stop', signed, 's3cret')).toBe('abc');
    expect(verifyValue('unsubscribe', signed, 's3cret')).toBeUndefined();
    expect(verifyValue('stop', signed, 'other')).toBeUndefined();
    expect(verifyValue('stop', `${signed}x`, 's3cret')).toBeUndefined();
    expect(verifyValue('stop', 'nodot', 's3cret')).toBeUndefined();
  });
});

describe('running due steps on the local clock', () => {
  it('runs steps in due order, each at exactly its due time, including steps created on the way', async () => {
    const { runDueSteps } = await import('../../../src/schedule/local/run-due-steps.js');
    const clock = new LocalClock(join(mkdtempSync(join(tmpdir(), 'clock-')), 'clock.json'));
    const t0 = clock.now().getTime();
    const at = (ms: number) => new Date(t0 + ms).toISOString();
    const steps = [
      { stepId: 'b', referralId: 'r', kind: 'intro' as const, due: at(60_000) },
      { stepId: 'a', referralId: 'r', kind: 'intro' as const, due: at(60_000) },
      { stepId: 'c', referralId: 'r', kind: 'intro' as const, due: at(120_000) },
    ];
    const store = {
      listDueSteps: async (until: Date, limit = 100) => steps.filter((s) => Date.parse(s.due) <= until.getTime()).sort((x, y) => x.due.localeCompare(y.due) || x.stepId.localeCompare(y.stepId)).slice(0, limit),
      deleteStep: async (id: string) => void steps.splice(steps.findIndex((s) => s.stepId === id), 1),
      putStep: async () => undefined,
    };
    const seen: [string, string][] = [];
    const ran = await runDueSteps(
      {
        store,
        clock,
        dispatch: async (s) => {
          seen.push([s.stepId, clock.now().toISOString()]);
          await new Promise((r) => setTimeout(r, 30)); // a slow step must not push the next one late
          if (s.stepId === 'a') steps.push({ stepId: 'd', referralId: 'r', kind: 'intro', due: at(90_000) });
        },
      },
      new Date(t0 + 150_000),
    );
    expect(ran).toBe(4);
    expect(seen).toEqual([
      ['a', at(60_000)],
      ['b', at(60_000)],
      ['d', at(90_000)],
      ['c', at(120_000)],
    ]);
    expect(clock.now().getTime()).toBeGreaterThanOrEqual(t0 + 120_000);
  });

  it("runs steps due at the same moment side by side, but one referral's steps one after another, in order", async () => {
    const { runDueSteps } = await import('../../../src/schedule/local/run-due-steps.js');
    const clock = new LocalClock(join(mkdtempSync(join(tmpdir(), 'clock-')), 'clock.json'));
    const due = new Date(clock.now().getTime() + 60_000).toISOString();
    const steps = [
      ...Array.from({ length: 40 }, (_, i) => ({ stepId: `s${String(i).padStart(2, '0')}`, referralId: `r${i}`, kind: 'intro' as const, due })),
      { stepId: 'x1', referralId: 'same', kind: 'intro' as const, due },
      { stepId: 'x2', referralId: 'same', kind: 'intro' as const, due },
    ];
    const store = {
      listDueSteps: async (_until: Date, limit = 100) => [...steps].sort((x, y) => x.stepId.localeCompare(y.stepId)).slice(0, limit),
      deleteStep: async (id: string) => void steps.splice(steps.findIndex((s) => s.stepId === id), 1),
      putStep: async () => undefined,
    };
    let inFlight = 0;
    let most = 0;
    const same: string[] = [];
    const ran = await runDueSteps(
      {
        store,
        clock,
        dispatch: async (s) => {
          inFlight += 1;
          most = Math.max(most, inFlight);
          if (s.referralId === 'same') {
            same.push(`start ${s.stepId}`);
            await new Promise((r) => setTimeout(r, 20));
            same.push(`end ${s.stepId}`);
          } else await new Promise((r) => setTimeout(r, 5));
          inFlight -= 1;
        },
      },
      new Date(Date.parse(due) + 1000),
    );
    expect(ran).toBe(42);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(16);
    expect(same).toEqual(['start x1', 'end x1', 'start x2', 'end x2']);
  });

  it('a step that throws runs again after a backoff on the local clock, and one that always throws is given up to the dead-letter file, never silently dropped', async () => {
    const { runDueSteps, STEP_MAX_RETRIES } = await import('../../../src/schedule/local/run-due-steps.js');
    const clock = new LocalClock(join(mkdtempSync(join(tmpdir(), 'clock-')), 'clock.json'));
    const t0 = clock.now().getTime();
    const at = (ms: number) => new Date(t0 + ms).toISOString();
    type Step = { stepId: string; referralId: string; kind: 'intro'; due: string; retry?: number };
    // Keyed by step id, like the table: putStep replaces, deleteStep(id, due) only that run of it.
    const rows = new Map<string, Step>([
      ['flaky', { stepId: 'flaky', referralId: 'r1', kind: 'intro', due: at(60_000) }],
      ['broken', { stepId: 'broken', referralId: 'r2', kind: 'intro', due: at(60_000) }],
    ]);
    const store = {
      listDueSteps: async (until: Date, limit = 100) => [...rows.values()].filter((s) => Date.parse(s.due) <= until.getTime()).sort((x, y) => x.due.localeCompare(y.due)).slice(0, limit),
      deleteStep: async (id: string, due?: string) => void (rows.get(id)?.due === due && rows.delete(id)),
      putStep: async (s: Step) => void rows.set(s.stepId, s),
    };
    const tries: Record<string, string[]> = { flaky: [], broken: [] };
    const givenUp: string[] = [];
    const retriesAt: string[] = [];
    await runDueSteps(
      {
        store,
        clock,
        dispatch: async (s) => {
          tries[s.stepId]!.push(clock.now().toISOString());
          if (s.stepId === 'broken' || tries.flaky!.length <= 2) throw new Error('DynamoDB throttled');
        },
        onError: (s, _err, retryAt) => s.stepId === 'flaky' && retriesAt.push(retryAt!.toISOString()),
        onGiveUp: (s) => void givenUp.push(s.stepId),
      },
      new Date(t0 + 2 * 86_400_000),
    );
    // flaky: at its due time, then one minute later, then two minutes after that (it succeeded).
    expect(tries.flaky).toEqual([at(60_000), at(120_000), at(240_000)]);
    expect(retriesAt).toEqual([at(120_000), at(240_000)]);
    // broken: the first run and every retry, then handed over; nothing of either is left due.
    expect(tries.broken).toHaveLength(1 + STEP_MAX_RETRIES);
    expect(givenUp).toEqual(['broken']);
    expect(rows.size).toBe(0);
  });
});
