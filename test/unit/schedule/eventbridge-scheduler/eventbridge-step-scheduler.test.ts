import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  ThrottlingException,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../../../src/domain/ids.js';
import {
  EventBridgeStepScheduler,
  ScheduleRaceError,
  weeklyDigestCron,
  type EventBridgeStepSchedulerConfig,
} from '../../../../src/schedule/eventbridge-scheduler/eventbridge-step-scheduler.js';
import { buildStepId, InvalidStepIdError, type ScheduledStep } from '../../../../src/schedule/step-scheduler.js';

const schedulerMock = mockClient(SchedulerClient);

const DISPATCH_ARN = 'arn:aws:lambda:eu-west-2:123456789012:function:relay-dispatch';
const DIGEST_ARN = 'arn:aws:lambda:eu-west-2:123456789012:function:relay-digest';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/relay-scheduler';
const DLQ_ARN = 'arn:aws:sqs:eu-west-2:123456789012:relay-dispatch-dlq';
const NOW = new Date('2026-06-02T09:00:00.000Z');

function makeScheduler(overrides: Partial<EventBridgeStepSchedulerConfig> = {}): EventBridgeStepScheduler {
  return new EventBridgeStepScheduler({
    client: new SchedulerClient({ region: 'eu-west-2' }),
    groupName: 'referral-relay',
    targetArn: DISPATCH_ARN,
    roleArn: ROLE_ARN,
    deadLetterArn: DLQ_ARN,
    digestTargetArn: DIGEST_ARN,
    now: () => NOW,
    ...overrides,
  });
}

function aStep(due: Date): ScheduledStep {
  const referralId = newId();
  return { stepId: buildStepId(referralId, 'contact_reminder', 0), referralId, kind: 'contact_reminder', due };
}

function conflict(): ConflictException {
  return new ConflictException({ message: 'Schedule already exists', Message: 'Schedule already exists', $metadata: {} });
}

function notFound(): ResourceNotFoundException {
  return new ResourceNotFoundException({ message: 'Schedule does not exist', Message: 'Schedule does not exist', $metadata: {} });
}

beforeEach(() => {
  schedulerMock.reset();
});

describe('EventBridgeStepScheduler.schedule', () => {
  it('creates one one-time schedule in UTC that sends only ids to the dispatch Lambda', async () => {
    // Prepare
    schedulerMock.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });
    const step = aStep(new Date('2026-06-03T10:00:00.000Z'));

    // Act
    await makeScheduler().schedule(step);

    // Assess
    const calls = schedulerMock.commandCalls(CreateScheduleCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      Name: `step.${step.stepId}`,
      GroupName: 'referral-relay',
      ScheduleExpression: 'at(2026-06-03T10:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Target: {
        Arn: DISPATCH_ARN,
        RoleArn: ROLE_ARN,
        Input: JSON.stringify({ stepId: step.stepId, referralId: step.referralId, kind: 'contact_reminder' }),
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 86_400 },
        DeadLetterConfig: { Arn: DLQ_ARN },
      },
    });
    expect(JSON.parse(calls[0]!.args[0].input.Target!.Input!)).toEqual({
      stepId: step.stepId,
      referralId: step.referralId,
      kind: 'contact_reminder',
    });
    expect(schedulerMock.commandCalls(UpdateScheduleCommand)).toHaveLength(0);
  });

  it('uses the configured retry policy', async () => {
    schedulerMock.on(CreateScheduleCommand).resolves({});
    await makeScheduler({ maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 }).schedule(aStep(new Date('2026-06-03T10:00:00Z')));
    expect(schedulerMock.commandCalls(CreateScheduleCommand)[0]!.args[0].input.Target!.RetryPolicy).toEqual({
      MaximumRetryAttempts: 3,
      MaximumEventAgeInSeconds: 3600,
    });
  });

  it('fires a past due step one minute from now', async () => {
    schedulerMock.on(CreateScheduleCommand).resolves({});
    await makeScheduler().schedule(aStep(new Date('2026-06-01T10:00:00Z')));
    expect(schedulerMock.commandCalls(CreateScheduleCommand)[0]!.args[0].input.ScheduleExpression).toBe('at(2026-06-02T09:01:00)');
  });

  it('rounds a due time up to the whole second, never firing early', async () => {
    schedulerMock.on(CreateScheduleCommand).resolves({});
    await makeScheduler().schedule(aStep(new Date('2026-06-03T10:00:00.001Z')));
    expect(schedulerMock.commandCalls(CreateScheduleCommand)[0]!.args[0].input.ScheduleExpression).toBe('at(2026-06-03T10:00:01)');
  });

  it('updates the schedule when it exists already (a retry or a re-planned due time)', async () => {
    // Prepare
    schedulerMock.on(CreateScheduleCommand).rejects(conflict());
    schedulerMock.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });
    const step = aStep(new Date('2026-06-09T08:00:00Z'));

    // Act
    await makeScheduler().schedule(step);

    // Assess
    const create = schedulerMock.commandCalls(CreateScheduleCommand)[0]!.args[0].input;
    const updates = schedulerMock.commandCalls(UpdateScheduleCommand);
    expect(updates).toHaveLength(1);
    expect(updates[0]!.args[0].input).toEqual(create);
    expect(updates[0]!.args[0].input.ScheduleExpression).toBe('at(2026-06-09T08:00:00)');
  });

  it('creates again when the schedule disappeared between create and update', async () => {
    schedulerMock.on(CreateScheduleCommand).rejectsOnce(conflict()).resolves({});
    schedulerMock.on(UpdateScheduleCommand).rejects(notFound());
    await makeScheduler().schedule(aStep(new Date('2026-06-09T08:00:00Z')));
    expect(schedulerMock.commandCalls(CreateScheduleCommand)).toHaveLength(2);
    expect(schedulerMock.commandCalls(UpdateScheduleCommand)).toHaveLength(1);
  });

  it('gives up with a named error when the schedule keeps racing', async () => {
    schedulerMock.on(CreateScheduleCommand).rejects(conflict());
    schedulerMock.on(UpdateScheduleCommand).rejects(notFound());
    await expect(makeScheduler().schedule(aStep(new Date('2026-06-09T08:00:00Z')))).rejects.toThrow(ScheduleRaceError);
  });

  it('passes other errors on (the caller retries)', async () => {
    schedulerMock.on(CreateScheduleCommand).rejects(new ThrottlingException({ message: 'slow down', Message: 'slow down', $metadata: {} }));
    await expect(makeScheduler().schedule(aStep(new Date('2026-06-09T08:00:00Z')))).rejects.toThrow(ThrottlingException);
    expect(schedulerMock.commandCalls(UpdateScheduleCommand)).toHaveLength(0);
  });

  it('refuses a step whose id does not match it, before calling AWS', async () => {
    const step = aStep(new Date('2026-06-09T08:00:00Z'));
    await expect(makeScheduler().schedule({ ...step, referralId: newId() })).rejects.toThrow(InvalidStepIdError);
    await expect(makeScheduler().schedule({ ...step, stepId: 'nope' })).rejects.toThrow(InvalidStepIdError);
    expect(schedulerMock.calls()).toHaveLength(0);
  });
});

describe('EventBridgeStepScheduler.cancel', () => {
  it('deletes the step schedule', async () => {
    schedulerMock.on(DeleteScheduleCommand).resolves({});
    const stepId = buildStepId(newId(), 'escalation', 1);
    await makeScheduler().cancel(stepId);
    expect(schedulerMock.commandCalls(DeleteScheduleCommand).map((call) => call.args[0].input)).toEqual([
      { Name: `step.${stepId}`, GroupName: 'referral-relay' },
    ]);
  });

  it('treats a schedule that is gone already as cancelled', async () => {
    schedulerMock.on(DeleteScheduleCommand).rejects(notFound());
    await expect(makeScheduler().cancel(buildStepId(newId(), 'escalation', 1))).resolves.toBeUndefined();
  });

  it('passes other errors on', async () => {
    schedulerMock.on(DeleteScheduleCommand).rejects(new ThrottlingException({ message: 'slow down', Message: 'slow down', $metadata: {} }));
    await expect(makeScheduler().cancel(buildStepId(newId(), 'escalation', 1))).rejects.toThrow(ThrottlingException);
  });

  it('refuses a malformed step id (it could name a digest schedule)', async () => {
    await expect(makeScheduler().cancel(`digest.${newId()}`)).rejects.toThrow(InvalidStepIdError);
    expect(schedulerMock.calls()).toHaveLength(0);
  });
});

describe('group digest schedules', () => {
  it('creates a weekly schedule read in the group timezone', async () => {
    // Prepare
    schedulerMock.on(CreateScheduleCommand).resolves({});
    const groupId = newId();

    // Act
    await makeScheduler().upsertGroupDigestSchedule({ groupId, cron: weeklyDigestCron(1, 8), timezone: 'Europe/London' });

    // Assess
    expect(schedulerMock.commandCalls(CreateScheduleCommand)[0]!.args[0].input).toEqual({
      Name: `digest.${groupId}`,
      GroupName: 'referral-relay',
      ScheduleExpression: 'cron(0 8 ? * MON *)',
      ScheduleExpressionTimezone: 'Europe/London',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'NONE',
      State: 'ENABLED',
      Target: {
        Arn: DIGEST_ARN,
        RoleArn: ROLE_ARN,
        Input: JSON.stringify({ groupId, kind: 'digest' }),
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 86_400 },
        DeadLetterConfig: { Arn: DLQ_ARN },
      },
    });
  });

  it('updates the schedule when the group has one (settings changed)', async () => {
    schedulerMock.on(CreateScheduleCommand).rejects(conflict());
    schedulerMock.on(UpdateScheduleCommand).resolves({});
    const groupId = newId();
    await makeScheduler().upsertGroupDigestSchedule({ groupId, cron: weeklyDigestCron(5, 16), timezone: 'Pacific/Auckland' });
    const update = schedulerMock.commandCalls(UpdateScheduleCommand)[0]!.args[0].input;
    expect(update.Name).toBe(`digest.${groupId}`);
    expect(update.ScheduleExpression).toBe('cron(0 16 ? * FRI *)');
    expect(update.ScheduleExpressionTimezone).toBe('Pacific/Auckland');
  });

  it('refuses bad input and a missing digest target before calling AWS', async () => {
    const groupId = newId();
    const scheduler = makeScheduler();
    await expect(scheduler.upsertGroupDigestSchedule({ groupId, cron: 'rate(7 days)', timezone: 'Europe/London' })).rejects.toThrow(RangeError);
    await expect(scheduler.upsertGroupDigestSchedule({ groupId, cron: weeklyDigestCron(1, 8), timezone: 'Europe/Londres' })).rejects.toThrow(
      RangeError,
    );
    await expect(scheduler.upsertGroupDigestSchedule({ groupId: 'x', cron: weeklyDigestCron(1, 8), timezone: 'UTC' })).rejects.toThrow(RangeError);
    await expect(
      makeScheduler({ digestTargetArn: undefined }).upsertGroupDigestSchedule({ groupId, cron: weeklyDigestCron(1, 8), timezone: 'UTC' }),
    ).rejects.toThrow(/digestTargetArn/);
    expect(schedulerMock.calls()).toHaveLength(0);
  });

  it('deletes a group digest schedule, tolerating one that is gone', async () => {
    schedulerMock.on(DeleteScheduleCommand).resolvesOnce({}).rejects(notFound());
    const groupId = newId();
    await makeScheduler().deleteGroupDigestSchedule(groupId);
    await makeScheduler().deleteGroupDigestSchedule(groupId);
    expect(schedulerMock.commandCalls(DeleteScheduleCommand).map((call) => call.args[0].input)).toEqual([
      { Name: `digest.${groupId}`, GroupName: 'referral-relay' },
      { Name: `digest.${groupId}`, GroupName: 'referral-relay' },
    ]);
  });
});

describe('configuration', () => {
  it('refuses out-of-range retry settings and malformed names', () => {
    expect(() => makeScheduler({ maximumRetryAttempts: 186 })).toThrow(RangeError);
    expect(() => makeScheduler({ maximumEventAgeInSeconds: 59 })).toThrow(RangeError);
    expect(() => makeScheduler({ groupName: 'has space' })).toThrow(RangeError);
    expect(() => makeScheduler({ targetArn: 'relay-dispatch' })).toThrow(RangeError);
  });

  it('builds weekly digest crons', () => {
    expect(weeklyDigestCron(1, 8)).toBe('cron(0 8 ? * MON *)');
    expect(weeklyDigestCron(7, 0)).toBe('cron(0 0 ? * SUN *)');
    expect(() => weeklyDigestCron(1, 24)).toThrow(RangeError);
  });
});

describe('EventBridgeStepScheduler webhook attempts', () => {
  it('one one-time schedule per attempt, named by delivery and attempt, sending only ids to the dispatch Lambda', async () => {
    // Prepare
    schedulerMock.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });
    schedulerMock.on(DeleteScheduleCommand).rejects(notFound());
    const deliveryId = 'a'.repeat(24);

    // Act
    await makeScheduler().scheduleWebhookAttempt({ deliveryId, attempt: 3, due: new Date('2026-06-02T09:30:00.000Z') });
    await makeScheduler().cancelWebhookAttempt(deliveryId, 4);

    // Assess
    const [call] = schedulerMock.commandCalls(CreateScheduleCommand);
    expect(call!.args[0].input).toMatchObject({
      Name: `whk.${deliveryId}.3`,
      ScheduleExpression: 'at(2026-06-02T09:30:00)',
      ActionAfterCompletion: 'DELETE',
      Target: { Arn: DISPATCH_ARN, Input: JSON.stringify({ kind: 'webhook', deliveryId, attempt: 3 }) },
    });
    expect(schedulerMock.commandCalls(DeleteScheduleCommand)[0]!.args[0].input).toEqual({ Name: `whk.${deliveryId}.4`, GroupName: 'referral-relay' });
    await expect(makeScheduler().scheduleWebhookAttempt({ deliveryId: 'not-hex', attempt: 1, due: NOW })).rejects.toThrow(InvalidStepIdError);
  });
});
