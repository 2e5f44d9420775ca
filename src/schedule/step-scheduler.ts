/**
 * The port for timed steps: one pending one-time schedule per step (PRODUCT.md "What happens, and
 * when"). Adapters: `eventbridge-scheduler/` in AWS, a persistent local scheduler on Node.
 */
import { ID_PATTERN } from '../domain/ids.js';
import { STEP_KINDS, type StepKind } from '../domain/types.js';

/** A step to run at `due`. Only ids travel to the scheduler: no personal data leaves the table. */
export interface ScheduledStep {
  /** `${referralId}.${kind}.${seq}`, see {@link buildStepId}. */
  stepId: string;
  referralId: string;
  kind: StepKind;
  due: Date;
}

/**
 * Plans and cancels timed steps. Both operations are idempotent: scheduling the same step id again
 * replaces its due time, and cancelling an unknown (already run or cancelled) step is not an error.
 */
export interface StepScheduler {
  schedule(step: ScheduledStep): Promise<void>;
  /** The steps one change plans, together where the scheduler can (locally one batch write). */
  scheduleAll?(steps: ScheduledStep[]): Promise<void>;
  cancel(stepId: string): Promise<void>;
  /** Another try of an outbox email at `due`, under a deterministic name (a repeat is the same schedule). */
  scheduleEffectRetry(retry: EffectRetry): Promise<void>;
  /** Plans attempt `attempt` of a webhook delivery (idempotent by its deterministic name). */
  scheduleWebhookAttempt(attempt: WebhookAttempt): Promise<void>;
  /** Cancels it; an unknown or finished one counts as cancelled. */
  cancelWebhookAttempt(deliveryId: string, attempt: number): Promise<void>;
}

/** A failed (or stuck) email effect to try again. */
export interface EffectRetry {
  /** `<referralId>.<version>.<n>` */
  effectId: string;
  referralId: string;
  /** Attempts made so far: part of the name, so each retry is its own one-time schedule. */
  attempt: number;
  /** `leased`: another sender held it; look again when its lease is over. */
  reason?: 'failed' | 'leased';
  due: Date;
}

export const EFFECT_ID_PATTERN = /^[a-z0-9]{16}\.[0-9]{1,12}\.[0-9]{1,3}$/;

/** The scheduler's name for a retry: "retry." + effect id + "." + attempt (≤ 64 characters). */
export function retryScheduleName(retry: Pick<EffectRetry, 'effectId' | 'attempt' | 'reason'>): string {
  if (!EFFECT_ID_PATTERN.test(retry.effectId)) throw new InvalidStepIdError(`Effect id "${retry.effectId}" is not "<referralId>.<version>.<n>"`);
  return `retry.${retry.effectId}.${retry.attempt}${retry.reason === 'leased' ? 'l' : ''}`;
}

/** One attempt of one webhook delivery, by ids only (the body stays in the table). */
export interface WebhookAttempt {
  deliveryId: string;
  attempt: number;
  due: Date;
}

/** A webhook delivery id: 24 lower-case hex digits (from a hash of the event and the endpoint). */
export const WEBHOOK_DELIVERY_ID_PATTERN = /^[0-9a-f]{24}$/;

/** The deterministic name of a webhook attempt: `whk.<deliveryId>.<attempt>` (also its local step id). */
export function webhookAttemptName(deliveryId: string, attempt: number): string {
  if (!WEBHOOK_DELIVERY_ID_PATTERN.test(deliveryId)) throw new InvalidStepIdError(`Webhook delivery id "${deliveryId}" is not 24 hex digits`);
  if (!Number.isInteger(attempt) || attempt < 1 || attempt > 99) throw new InvalidStepIdError(`Webhook attempt must be 1–99, got ${attempt}`);
  return `whk.${deliveryId}.${attempt}`;
}

/** Thrown for a step id that is not `${referralId}.${kind}.${seq}`, or that disagrees with its step. */
export class InvalidStepIdError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidStepIdError';
  }
}

/**
 * A step id: 16-char referral id, a step kind, a sequence number without leading zeros.
 * Dots separate the parts because neither ids nor kinds contain one.
 */
export const STEP_ID_PATTERN = new RegExp(`^([a-z0-9]{16})\\.(${STEP_KINDS.join('|')})\\.(0|[1-9][0-9]{0,15})$`);

/** The parts of a step id. */
export interface StepIdParts {
  referralId: string;
  kind: StepKind;
  seq: number;
}

/**
 * Builds the deterministic id of a step, `${referralId}.${kind}.${seq}`. The sequence number tells
 * repeated steps of one kind apart (the 1st…6th progress request); a retry of the same planning
 * produces the same id, which is what makes scheduling idempotent.
 * @throws InvalidStepIdError for a malformed referral id or a sequence that is not a safe integer ≥ 0
 */
export function buildStepId(referralId: string, kind: StepKind, seq: number): string {
  if (!ID_PATTERN.test(referralId)) throw new InvalidStepIdError(`Referral id "${referralId}" is not 16 of [a-z0-9]`);
  if (!STEP_KINDS.includes(kind)) throw new InvalidStepIdError(`Unknown step kind "${String(kind)}"`);
  if (!Number.isSafeInteger(seq) || seq < 0) throw new InvalidStepIdError(`Step sequence must be an integer ≥ 0, got ${seq}`);
  return `${referralId}.${kind}.${seq}`;
}

/**
 * Splits a step id into its parts.
 * @throws InvalidStepIdError when it is not `${referralId}.${kind}.${seq}`
 */
export function parseStepId(stepId: string): StepIdParts {
  const match = typeof stepId === 'string' ? STEP_ID_PATTERN.exec(stepId) : null;
  if (!match) throw new InvalidStepIdError(`Step id "${String(stepId)}" is not "<referralId>.<kind>.<seq>"`);
  const seq = Number(match[3]);
  if (!Number.isSafeInteger(seq)) throw new InvalidStepIdError(`Step id "${stepId}" has a sequence out of range`);
  return { referralId: match[1]!, kind: match[2] as StepKind, seq };
}

/**
 * Checks a step before it is handed to a scheduler: a well-formed id that names the same referral
 * and kind as the step (so a mix-up cannot cancel or run another referral's step), and a real date.
 * @throws InvalidStepIdError, RangeError for an invalid date
 */
export function assertValidStep(step: ScheduledStep): StepIdParts {
  const parts = parseStepId(step.stepId);
  if (parts.referralId !== step.referralId || parts.kind !== step.kind) {
    throw new InvalidStepIdError(
      `Step id "${step.stepId}" does not match referral "${step.referralId}" and kind "${step.kind}"`,
    );
  }
  if (!(step.due instanceof Date) || Number.isNaN(step.due.getTime())) throw new RangeError(`Step "${step.stepId}" has an invalid due date`);
  return parts;
}

/** Schedule names of steps start with this, so they never clash with other schedules in the group (digests). */
export const STEP_SCHEDULE_PREFIX = 'step.';

/**
 * The scheduler's name for a step: deterministic (the same step always maps to the same schedule,
 * so a retried create conflicts instead of duplicating), ≤ 64 characters of [0-9a-zA-Z-_.] as
 * EventBridge Scheduler requires: "step." + the step id (at most 5 + 16 + 1 + 19 + 1 + 16 = 58).
 * @throws InvalidStepIdError for a malformed step id
 */
export function scheduleName(stepId: string): string {
  parseStepId(stepId);
  return `${STEP_SCHEDULE_PREFIX}${stepId}`;
}
