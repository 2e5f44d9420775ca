/**
 * {@link StepScheduler} on Amazon EventBridge Scheduler: one one-time schedule per pending step that
 * invokes the dispatch Lambda, plus one recurring schedule per group for the weekly digest.
 *
 * Production caveats:
 * - The schedule group (`groupName`) must exist; the CDK stack creates it. The role (`roleArn`) must
 *   allow `lambda:InvokeFunction` on both targets and `sqs:SendMessage` on the dead-letter queue, and
 *   the caller's role needs `scheduler:CreateSchedule/UpdateSchedule/DeleteSchedule` plus
 *   `iam:PassRole` on `roleArn`.
 * - A schedule can still fire after its step stopped mattering (a cancel lost in a race, a DLQ
 *   redrive), so the dispatch Lambda must check the referral still lists the step as pending.
 */
import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { ID_PATTERN } from '../../domain/ids.js';
import type { Weekday } from '../../domain/types.js';
import { isValidTimeZone } from '../../domain/zoned-time.js';
import { assertValidStep, retryScheduleName, scheduleName, webhookAttemptName, type EffectRetry, type ScheduledStep, type StepScheduler, type WebhookAttempt } from '../step-scheduler.js';

/** The one SDK method used, so tests and callers can pass any client that sends commands. */
export type SchedulerSender = Pick<SchedulerClient, 'send'>;

/** Construction settings of {@link EventBridgeStepScheduler}. */
export interface EventBridgeStepSchedulerConfig {
  client: SchedulerSender;
  /** The schedule group holding every schedule of this app (created by CDK). */
  groupName: string;
  /** ARN of the dispatch Lambda that runs a step. */
  targetArn: string;
  /** ARN of the role EventBridge Scheduler assumes to invoke the targets and write the DLQ. */
  roleArn: string;
  /** ARN of the SQS queue receiving invocations that still failed after the retries. */
  deadLetterArn: string;
  /** ARN of the digest Lambda; required only by {@link EventBridgeStepScheduler.upsertGroupDigestSchedule}. */
  digestTargetArn?: string;
  /** 0–185; default 10. Retrying is safe because a step is never sent twice. */
  maximumRetryAttempts?: number;
  /** 60–86400; default 86400 (a day-late reminder beats none; after that the DLQ has it). */
  maximumEventAgeInSeconds?: number;
  /** Clock for clamping past due times; defaults to the system clock. */
  now?: () => Date;
}

/** What the dispatch Lambda receives for a step: ids only, never personal data. */
export interface StepScheduleInput {
  stepId: string;
  referralId: string;
  kind: ScheduledStep['kind'];
}

/** What the dispatch Lambda receives to retry an outbox email. */
export interface EffectRetryInput {
  kind: 'email_retry';
  effectId: string;
  referralId: string;
}

/** What the dispatch Lambda receives for a webhook attempt: ids only, the body stays in the table. */
export interface WebhookAttemptInput {
  kind: 'webhook';
  deliveryId: string;
  attempt: number;
}

/** What the digest Lambda receives for a group. */
export interface DigestScheduleInput {
  groupId: string;
  kind: 'digest';
}

/** A group's recurring digest: an EventBridge `cron(...)` read in the group's timezone. */
export interface GroupDigestSchedule {
  groupId: string;
  /** e.g. `cron(0 8 ? * MON *)`; build it with {@link weeklyDigestCron}. */
  cron: string;
  /** The group's IANA timezone, so 08:00 stays 08:00 across DST. */
  timezone: string;
}

/** Thrown when a schedule could not be created or updated because it kept appearing and disappearing. */
export class ScheduleRaceError extends Error {
  constructor(readonly scheduleName: string) {
    super(`Schedule "${scheduleName}" was deleted while being updated, twice; giving up`);
    this.name = 'ScheduleRaceError';
  }
}

const DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 10;
const DEFAULT_MAXIMUM_EVENT_AGE_SECONDS = 86_400;
// EventBridge rejects at() expressions in the past; a minute leaves room for clock skew and latency.
const PAST_DUE_DELAY_MS = 60_000;
const SCHEDULE_NAME_PATTERN = /^[0-9a-zA-Z\-_.]{1,64}$/;
const CRON_PATTERN = /^cron\([^()]+\)$/;
const CRON_WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;

/** Schedule name of a group's digest: "digest." + the 16-char group id (never clashes with "step."). */
export function digestScheduleName(groupId: string): string {
  if (!ID_PATTERN.test(groupId)) throw new RangeError(`Group id "${groupId}" is not 16 of [a-z0-9]`);
  return `digest.${groupId}`;
}

/**
 * The EventBridge cron of a weekly digest at `hour`:00 on an ISO weekday, e.g. (1, 8) →
 * `cron(0 8 ? * MON *)`. Read in the schedule's timezone, so pass the group's.
 * @throws RangeError for a weekday outside 1–7 or an hour outside 0–23
 */
export function weeklyDigestCron(day: Weekday, hour: number): string {
  const weekday = CRON_WEEKDAYS[day - 1];
  if (!weekday || !Number.isInteger(day)) throw new RangeError(`Digest day must be 1–7, got ${day}`);
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new RangeError(`Digest hour must be 0–23, got ${hour}`);
  return `cron(0 ${hour} ? * ${weekday} *)`;
}

/** `at(yyyy-mm-ddThh:mm:ss)` of an instant, in UTC. */
function atExpression(instantMs: number): string {
  return `at(${new Date(instantMs).toISOString().slice(0, 19)})`;
}

function isAwsError(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}

function requireInRange(label: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${label} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

function requireArn(label: string, value: string): string {
  if (typeof value !== 'string' || !value.startsWith('arn:')) throw new RangeError(`${label} must be an ARN, got "${String(value)}"`);
  return value;
}

/** {@link StepScheduler} backed by EventBridge Scheduler one-time schedules. */
export class EventBridgeStepScheduler implements StepScheduler {
  private readonly client: SchedulerSender;
  private readonly groupName: string;
  private readonly targetArn: string;
  private readonly roleArn: string;
  private readonly deadLetterArn: string;
  private readonly digestTargetArn: string | undefined;
  private readonly retryPolicy: { MaximumRetryAttempts: number; MaximumEventAgeInSeconds: number };
  private readonly now: () => Date;

  /** @throws RangeError for a malformed group name, ARN or retry setting */
  constructor(config: EventBridgeStepSchedulerConfig) {
    if (!SCHEDULE_NAME_PATTERN.test(config.groupName)) {
      throw new RangeError(`Schedule group name must be 1–64 of [0-9a-zA-Z-_.], got "${config.groupName}"`);
    }
    this.client = config.client;
    this.groupName = config.groupName;
    this.targetArn = requireArn('targetArn', config.targetArn);
    this.roleArn = requireArn('roleArn', config.roleArn);
    this.deadLetterArn = requireArn('deadLetterArn', config.deadLetterArn);
    this.digestTargetArn = config.digestTargetArn === undefined ? undefined : requireArn('digestTargetArn', config.digestTargetArn);
    this.retryPolicy = {
      MaximumRetryAttempts: requireInRange('maximumRetryAttempts', config.maximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS, 0, 185),
      MaximumEventAgeInSeconds: requireInRange(
        'maximumEventAgeInSeconds',
        config.maximumEventAgeInSeconds ?? DEFAULT_MAXIMUM_EVENT_AGE_SECONDS,
        60,
        86_400,
      ),
    };
    this.now = config.now ?? (() => new Date());
  }

  /**
   * Creates the step's one-time schedule. If it exists already (a retry of this call, or the step
   * re-planned with a new due time, e.g. after `snooze`), it is updated to this request: UpdateSchedule
   * replaces the whole definition, so one rule covers both cases without a read first.
   * A due time in the past (or within the next minute) fires one minute from now; times are rounded
   * up to the whole second so a step never fires before its due time.
   * @throws InvalidStepIdError when the id is malformed or names another referral or kind
   */
  async schedule(step: ScheduledStep): Promise<void> {
    assertValidStep(step);
    const earliest = this.now().getTime() + PAST_DUE_DELAY_MS;
    const fireAt = Math.ceil(Math.max(step.due.getTime(), earliest) / 1000) * 1000;
    const input: StepScheduleInput = { stepId: step.stepId, referralId: step.referralId, kind: step.kind };
    await this.createOrUpdate({
      Name: scheduleName(step.stepId),
      GroupName: this.groupName,
      ScheduleExpression: atExpression(fireAt),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Target: {
        Arn: this.targetArn,
        RoleArn: this.roleArn,
        Input: JSON.stringify(input),
        RetryPolicy: this.retryPolicy,
        DeadLetterConfig: { Arn: this.deadLetterArn },
      },
    });
  }

  /** A one-time schedule that hands the effect back to the dispatch Lambda (ids only). */
  async scheduleEffectRetry(retry: EffectRetry): Promise<void> {
    const earliest = this.now().getTime() + PAST_DUE_DELAY_MS;
    const fireAt = Math.ceil(Math.max(retry.due.getTime(), earliest) / 1000) * 1000;
    const input: EffectRetryInput = { kind: 'email_retry', effectId: retry.effectId, referralId: retry.referralId };
    await this.createOrUpdate({
      Name: retryScheduleName(retry),
      GroupName: this.groupName,
      ScheduleExpression: atExpression(fireAt),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Target: { Arn: this.targetArn, RoleArn: this.roleArn, Input: JSON.stringify(input), RetryPolicy: this.retryPolicy, DeadLetterConfig: { Arn: this.deadLetterArn } },
    });
  }

  /**
   * Deletes the step's schedule. A schedule that is gone already (it ran and deleted itself, or was
   * cancelled before) counts as cancelled.
   * @throws InvalidStepIdError for a malformed step id
   */
  async cancel(stepId: string): Promise<void> {
    await this.deleteIfPresent(scheduleName(stepId));
  }

  /**
   * A webhook delivery attempt as a one-time schedule of the dispatch Lambda, named
   * `whk.<deliveryId>.<attempt>` so a repeated call plans the same schedule.
   */
  async scheduleWebhookAttempt(attempt: WebhookAttempt): Promise<void> {
    const earliest = this.now().getTime() + PAST_DUE_DELAY_MS;
    const fireAt = Math.ceil(Math.max(attempt.due.getTime(), earliest) / 1000) * 1000;
    const input: WebhookAttemptInput = { kind: 'webhook', deliveryId: attempt.deliveryId, attempt: attempt.attempt };
    await this.createOrUpdate({
      Name: webhookAttemptName(attempt.deliveryId, attempt.attempt),
      GroupName: this.groupName,
      ScheduleExpression: atExpression(fireAt),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Target: { Arn: this.targetArn, RoleArn: this.roleArn, Input: JSON.stringify(input), RetryPolicy: this.retryPolicy, DeadLetterConfig: { Arn: this.deadLetterArn } },
    });
  }

  async cancelWebhookAttempt(deliveryId: string, attempt: number): Promise<void> {
    await this.deleteIfPresent(webhookAttemptName(deliveryId, attempt));
  }

  /**
   * Creates or replaces a group's recurring digest schedule (Create, then Update on conflict), read in
   * the group's timezone so the digest keeps its local hour across DST.
   * @throws RangeError for a malformed group id, cron or timezone, or when no `digestTargetArn` was configured
   */
  async upsertGroupDigestSchedule(digest: GroupDigestSchedule): Promise<void> {
    if (!this.digestTargetArn) throw new RangeError('digestTargetArn is not configured: cannot schedule digests');
    const name = digestScheduleName(digest.groupId);
    if (!CRON_PATTERN.test(digest.cron)) throw new RangeError(`Digest schedule must be "cron(...)", got "${digest.cron}"`);
    if (!isValidTimeZone(digest.timezone)) throw new RangeError(`Unknown IANA timezone "${digest.timezone}"`);
    const input: DigestScheduleInput = { groupId: digest.groupId, kind: 'digest' };
    await this.createOrUpdate({
      Name: name,
      GroupName: this.groupName,
      ScheduleExpression: digest.cron,
      ScheduleExpressionTimezone: digest.timezone,
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'NONE',
      State: 'ENABLED',
      Target: {
        Arn: this.digestTargetArn,
        RoleArn: this.roleArn,
        Input: JSON.stringify(input),
        RetryPolicy: this.retryPolicy,
        DeadLetterConfig: { Arn: this.deadLetterArn },
      },
    });
  }

  /**
   * Deletes a group's digest schedule; absent counts as deleted.
   * @throws RangeError for a malformed group id
   */
  async deleteGroupDigestSchedule(groupId: string): Promise<void> {
    await this.deleteIfPresent(digestScheduleName(groupId));
  }

  private async createOrUpdate(request: CreateScheduleCommandInput): Promise<void> {
    // Two rounds: an update can miss because the schedule just ran and deleted itself; creating it
    // again is safe because the dispatch Lambda never sends a step twice.
    for (let round = 0; round < 2; round++) {
      try {
        await this.client.send(new CreateScheduleCommand(request));
        return;
      } catch (error: unknown) {
        if (!isAwsError(error, 'ConflictException')) throw error;
      }
      try {
        await this.client.send(new UpdateScheduleCommand(request));
        return;
      } catch (error: unknown) {
        if (!isAwsError(error, 'ResourceNotFoundException')) throw error;
      }
    }
    throw new ScheduleRaceError(request.Name ?? '');
  }

  private async deleteIfPresent(name: string): Promise<void> {
    try {
      await this.client.send(new DeleteScheduleCommand({ Name: name, GroupName: this.groupName }));
    } catch (error: unknown) {
      if (!isAwsError(error, 'ResourceNotFoundException')) throw error;
    }
  }
}
