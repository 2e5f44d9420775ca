import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { atLevel, localLogger, textLogger, type RelayDeps } from '../../../src/referrals/deps.js';
import { dispatchHandler } from '../../../src/runtime/aws/dispatch-handler.js';
import { createObservability, httpIds, idsOf, instrumented, METRICS_NAMESPACE, relayLogger, relayMetrics, SERVICE_NAME } from '../../../src/runtime/aws/observability.js';

/** Everything Powertools writes (it writes to process.stdout / process.stderr, as in Lambda), one parsed JSON object per line. */
function captureOutput() {
  const lines: string[] = [];
  const grab = (chunk: unknown) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(grab);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(grab);
  return {
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    restore: () => (out.mockRestore(), err.mockRestore()),
  };
}

const context = (requestId: string) => ({ awsRequestId: requestId, functionName: 'relay-dispatch', functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:relay-dispatch', memoryLimitInMB: '256' }) as Context;

describe('Lambda logs (Powertools Logger)', () => {
  let output: ReturnType<typeof captureOutput>;
  beforeEach(() => (output = captureOutput()));
  afterEach(() => output.restore());

  it("a handler's lines carry the request id, the cold-start flag and the event's referral / step ids; ids found later (group) join", async () => {
    // Lambda says how the environment started; Powertools reports a cold start only for `on-demand`.
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const obs = createObservability();
    vi.unstubAllEnvs();
    const log = relayLogger(obs.logger);
    const deps = { log, metrics: relayMetrics(obs.metrics) } as unknown as RelayDeps;
    // The real dispatch handler, on an input it refuses (no store needed): the refusal's line has the ids.
    const dispatch = instrumented(obs, dispatchHandler(deps), idsOf);
    await expect(dispatch({ stepId: 'step-1', referralId: 'NOT-AN-ID', kind: 'intro' }, context('req-1'))).resolves.toEqual({ outcome: 'rejected' });
    const later = instrumented(obs, async (_event: { referralId: string }) => {
      log.info('first');
      log.appendKeys?.({ groupId: 'g'.repeat(16) });
      log.warn('second', { extra: 1 });
    }, idsOf);
    await later({ referralId: 'r'.repeat(16) }, context('req-2'));

    const [refused, first, second] = output.records();
    expect(refused).toMatchObject({ level: 'ERROR', message: 'dispatch: bad scheduler input', service: SERVICE_NAME, function_request_id: 'req-1', cold_start: true, referralId: 'NOT-AN-ID', stepId: 'step-1' });
    expect(first).toMatchObject({ level: 'INFO', message: 'first', function_request_id: 'req-2', cold_start: false, referralId: 'r'.repeat(16) });
    expect(first).not.toHaveProperty('stepId');
    expect(first).not.toHaveProperty('groupId');
    expect(second).toMatchObject({ level: 'WARN', message: 'second', function_request_id: 'req-2', cold_start: false, referralId: 'r'.repeat(16), groupId: 'g'.repeat(16), extra: 1 });
  });

  it('keys do not leak from one invocation into the next', async () => {
    const obs = createObservability();
    const log = relayLogger(obs.logger);
    const handler = instrumented(obs, async () => log.info('hello'), idsOf);
    await handler({ referralId: 'a'.repeat(16), stepId: 's' }, context('one'));
    await handler({}, context('two'));
    const [, two] = output.records();
    expect(two).toMatchObject({ function_request_id: 'two' });
    expect(two).not.toHaveProperty('referralId');
    expect(two).not.toHaveProperty('stepId');
  });

  it('the API takes the referral id from the request path', () => {
    expect(httpIds({ rawPath: '/api/referrals/abcdefgh12345678/actions' })).toEqual({ referralId: 'abcdefgh12345678' });
    expect(httpIds({ rawPath: '/referrals/abcdefgh12345678' })).toEqual({ referralId: 'abcdefgh12345678' });
    expect(httpIds({ rawPath: '/api/referrals' })).toEqual({});
    expect(httpIds(undefined)).toEqual({});
  });
});

describe('Lambda metrics (Powertools Metrics, CloudWatch EMF)', () => {
  let output: ReturnType<typeof captureOutput>;
  beforeEach(() => (output = captureOutput()));
  afterEach(() => output.restore());

  const emf = () => output.records().filter((r) => r._aws);
  const directive = (r: Record<string, unknown>) => (r._aws as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] }).CloudWatchMetrics[0]!;

  it('a count with a kind: one EMF record by service and kind at once, the total by service when the invocation ends', async () => {
    const obs = createObservability();
    const metrics = relayMetrics(obs.metrics);
    const handler = instrumented(obs, async () => {
      metrics.count('EmailSent', { kind: 'intro' });
      metrics.count('EmailSent', { kind: 'intro' });
      metrics.count('EmailFailed', { kind: 'relay' });
      metrics.count('InboundDeadLettered');
      expect(emf()).toHaveLength(3); // the by-kind records; the totals wait for the end
    });
    await handler({}, context('req'));

    const records = emf();
    expect(records).toHaveLength(4);
    const byKind = records.slice(0, 3);
    for (const r of byKind) {
      expect(directive(r).Namespace).toBe(METRICS_NAMESPACE);
      expect(directive(r).Dimensions).toEqual([['service', 'kind']]);
      expect(r.service).toBe(SERVICE_NAME);
    }
    expect(byKind.map((r) => [directive(r).Metrics[0]!.Name, r.kind, r[directive(r).Metrics[0]!.Name]])).toEqual([
      ['EmailSent', 'intro', 1],
      ['EmailSent', 'intro', 1],
      ['EmailFailed', 'relay', 1],
    ]);
    const totals = records[3]!;
    expect(directive(totals).Dimensions).toEqual([['service']]);
    expect(directive(totals).Metrics).toEqual(expect.arrayContaining([{ Name: 'EmailSent', Unit: 'Count' }, { Name: 'EmailFailed', Unit: 'Count' }, { Name: 'InboundDeadLettered', Unit: 'Count' }]));
    expect(totals).toMatchObject({ EmailSent: [1, 1], EmailFailed: 1, InboundDeadLettered: 1, service: SERVICE_NAME });
    expect(totals).not.toHaveProperty('kind');
  });

  it('an invocation that counted nothing writes no EMF record (and no warning), and one that throws still writes its counts', async () => {
    const obs = createObservability();
    await instrumented(obs, async () => 'nothing')({}, context('quiet'));
    expect(output.records()).toEqual([]);
    const failing = instrumented(obs, async () => {
      relayMetrics(obs.metrics).count('StepLate');
      throw new Error('boom');
    });
    await expect(failing({}, context('loud'))).rejects.toThrow('boom');
    expect(emf().map((r) => r.StepLate)).toEqual([1]);
  });
});

describe('local logs', () => {
  it('are human-readable lines by default, JSON with LOG_FORMAT=json, and LOG_LEVEL drops the lower levels', () => {
    const lines: string[] = [];
    const text = textLogger((line) => lines.push(line), () => new Date('2026-12-05T12:00:01Z'));
    text.info('log mail', { group: 'demo', outcome: 'logged', note: 'two words', skipped: undefined });
    expect(lines).toEqual(['12:00:01 INFO log mail group=demo outcome=logged note="two words"']);
    lines.length = 0;
    const quiet = atLevel(text, 'warn');
    quiet.info('hidden');
    quiet.warn('shown');
    quiet.error('shown too');
    expect(lines.map((l) => l.split(' ').slice(1).join(' '))).toEqual(['WARN shown', 'ERROR shown too']);

    const spy = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      localLogger({ LOG_FORMAT: 'json', LOG_LEVEL: 'info' }).info('hello', { referralId: 'r1' });
      expect(JSON.parse(String(spy.mock.calls[0]![0]))).toEqual({ level: 'info', msg: 'hello', referralId: 'r1' });
    } finally {
      spy.mockRestore();
    }
  });
});
