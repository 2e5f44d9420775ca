import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newId } from '../../../src/domain/ids.js';
import { STEP_KINDS } from '../../../src/domain/types.js';
import {
  assertValidStep,
  buildStepId,
  InvalidStepIdError,
  parseStepId,
  scheduleName,
} from '../../../src/schedule/step-scheduler.js';

describe('step ids', () => {
  it('round-trips every kind', () => {
    const referralId = newId();
    for (const kind of STEP_KINDS) {
      const stepId = buildStepId(referralId, kind, 3);
      expect(stepId).toBe(`${referralId}.${kind}.3`);
      expect(parseStepId(stepId)).toEqual({ referralId, kind, seq: 3 });
    }
  });

  it.each([
    ['a short referral id', 'abc.intro.0'],
    ['upper case', 'ABCDEFGHIJKLMNOP.intro.0'],
    ['an unknown kind', 'abcdefghijklmnop.lunch.0'],
    ['a leading zero', 'abcdefghijklmnop.intro.01'],
    ['a negative sequence', 'abcdefghijklmnop.intro.-1'],
    ['no sequence', 'abcdefghijklmnop.intro'],
    ['extra parts', 'abcdefghijklmnop.intro.0.x'],
  ])('refuses %s', (_label, stepId) => {
    expect(() => parseStepId(stepId)).toThrow(InvalidStepIdError);
    expect(() => scheduleName(stepId)).toThrow(InvalidStepIdError);
  });

  it('refuses to build from bad parts', () => {
    expect(() => buildStepId('short', 'intro', 0)).toThrow(InvalidStepIdError);
    expect(() => buildStepId(newId(), 'intro', 1.5)).toThrow(InvalidStepIdError);
    expect(() => buildStepId(newId(), 'intro', -1)).toThrow(InvalidStepIdError);
  });

  it('refuses a step whose id names another referral or kind', () => {
    const referralId = newId();
    const stepId = buildStepId(referralId, 'contact_reminder', 0);
    const due = new Date('2026-06-02T10:00:00Z');
    expect(assertValidStep({ stepId, referralId, kind: 'contact_reminder', due })).toEqual({ referralId, kind: 'contact_reminder', seq: 0 });
    expect(() => assertValidStep({ stepId, referralId: newId(), kind: 'contact_reminder', due })).toThrow(InvalidStepIdError);
    expect(() => assertValidStep({ stepId, referralId, kind: 'escalation', due })).toThrow(InvalidStepIdError);
    expect(() => assertValidStep({ stepId, referralId, kind: 'contact_reminder', due: new Date(Number.NaN) })).toThrow(RangeError);
  });
});

describe('scheduleName', () => {
  it('is deterministic and fits EventBridge Scheduler names for every valid step', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9]{16}$/),
        fc.constantFrom(...STEP_KINDS),
        fc.maxSafeNat(),
        (referralId, kind, seq) => {
          const stepId = buildStepId(referralId, kind, seq);
          const name = scheduleName(stepId);
          expect(name).toBe(scheduleName(stepId));
          expect(name).toMatch(/^[0-9a-zA-Z\-_.]{1,64}$/);
          expect(name).toBe(`step.${stepId}`);
        },
      ),
    );
  });
});
