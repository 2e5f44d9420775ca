/**
 * The rule book (src/referrals/core/rules.ts) is the one place that says who may do what, when.
 * These tests prove that the decision (API/web 403/409), the page's buttons, the reply footers and
 * the reply parser's vocabulary all say the same thing.
 */
import { describe, expect, it } from 'vitest';
import { STATUSES, type Status } from '../../../src/domain/types.js';
import { ACTION_RULES, ACTIONS, actionForReply, isOffered, offeredActions, replyRoles, replyVerbs, type ActionName, type ActorRole } from '../../../src/referrals/core/rules.js';
import { decideAction, type ActionInput } from '../../../src/referrals/decide-action.js';
import { PHRASES } from '../../../src/replies/phrases.js';
import { FOOTER_WORDS, validCommands } from '../../../src/replies/valid-commands.js';
import { VERBS, type Role } from '../../../src/replies/types.js';
import { Actions } from '../../../src/web/pages/referrals.js';
import { DomainError, ForbiddenError } from '../../../src/domain/errors.js';
import { group, monday10, referral } from './fixtures.js';

const ROLES: ActorRole[] = ['provider', 'referrer', 'admin', 'prospect'];
const REPLY_ROLES: Role[] = ['provider', 'referrer', 'prospect'];

/** Enough input for every action to get past its own argument checks. */
const INPUT: Record<ActionName, ActionInput> = Object.fromEntries(
  ACTIONS.map((a) => [a, { action: a, text: 'because', days: 7, rating: 4, providerId: 'other00000000000' }]),
) as Record<ActionName, ActionInput>;

const ctx = (role: ActorRole) => ({ role, actorId: 'someone', via: 'api' as const, now: monday10, settings: group.settings, groupCurrency: 'GBP' });

function outcome(action: ActionName, role: ActorRole, status: Status): 200 | 403 | 409 | 422 {
  try {
    // An open anniversary ask, so that answering one is refused only by the rule book's statuses.
    const r = referral({ status, reopenTo: 'met', anniversaryAskedAt: monday10.toISOString() });
    // A change of the actor's own a moment ago, so that undo is refused only by the rule book.
    const { timeline: _t, ...before } = r;
    r.lastChange = { actorId: 'someone', role: 'provider', at: monday10.toISOString(), action: 'contacted', label: 'Marked contacted', version: r.version, told: [], before };
    decideAction(r, INPUT[action], ctx(role));
    return 200;
  } catch (err) {
    if (err instanceof ForbiddenError) return 403;
    if (err instanceof DomainError && err.status === 409) return 409;
    return 422;
  }
}

describe('the decision answers exactly what the rule book says (the API and web map these to 403/409)', () => {
  for (const action of ACTIONS) {
    it(action, () => {
      for (const role of ROLES) {
        for (const status of STATUSES) {
          const rule = ACTION_RULES[action];
          const expected = !rule.roles.includes(role) ? 403 : !rule.allowedIn.includes(status) ? 409 : 200;
          expect(outcome(action, role, status), `${role} ${action} on ${status}`).toBe(expected);
        }
      }
    });
  }

  it('what is offered is always allowed (no button or footer word that would be refused)', () => {
    for (const action of ACTIONS) for (const status of ACTION_RULES[action].offeredIn) expect(ACTION_RULES[action].allowedIn, action).toContain(status);
  });
});

describe("the referral page's buttons are the rule book's offer", () => {
  const rendered = (side: 'provider' | 'referrer' | 'admin', status: Status) =>
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a hono/jsx element stringifies to its HTML
    [...String(Actions({ r: referral({ status }), side, group, members: new Map() })).matchAll(/name="action" value="(\w+)"/g)].map((m) => m[1]);

  for (const side of ['provider', 'referrer', 'admin'] as const) {
    it(`as ${side}, in every status`, () => {
      for (const status of STATUSES) {
        expect(rendered(side, status).sort(), `${side} on ${status}`).toEqual(offeredActions(side, referral({ status })).sort());
      }
    });
  }

  it('state beyond the status counts too: no "share" once shared, no "no intro" once the intro went', () => {
    expect(offeredActions('provider', referral({ status: 'won', shareClosedValue: true }))).not.toContain('share');
    expect(offeredActions('referrer', referral({ introAt: monday10.toISOString() }))).not.toContain('no_intro');
  });
});

describe("the reply footers and the parser's vocabulary are the rule book's reply words", () => {
  for (const role of REPLY_ROLES) {
    it(`${role}: every word the footers explain is one the rule book gives ${role}, and the other way round`, () => {
      expect([...FOOTER_WORDS[role]].sort()).toEqual(replyVerbs(role).filter((v) => v !== 'stop' && v !== 'help').sort());
    });
  }

  it("the parser recognises a word only for the roles the rule book gives it", () => {
    for (const verb of VERBS) {
      const spoken = new Set(PHRASES.filter((p) => p.verb === verb).flatMap((p) => p.roles));
      expect([...spoken].sort(), verb).toEqual([...replyRoles(verb)].sort());
    }
  });

  it('a reply word that is an action leads to that action, and the role that may say it may do it', () => {
    for (const verb of VERBS) {
      const action = actionForReply(verb);
      if (!action) continue;
      for (const role of replyRoles(verb)) expect(ACTION_RULES[action].roles, `${role} ${verb}`).toContain(role);
    }
  });

  it('a footer under a referral invites only what is offered in its state', () => {
    for (const status of STATUSES) {
      const r = referral({ status });
      for (const help of validCommands('provider', 'progress_request', r)) {
        const verb = VERBS.find((v) => FOOTER_WORDS.provider.includes(v) && help.word.split(' ')[0] === v.replace('_', ' '));
        const action = verb && actionForReply(verb);
        if (action) expect(isOffered(action, 'provider', r), `${help.word} on ${status}`).toBe(true);
      }
    }
    expect(validCommands('provider', 'progress_request', referral({ status: 'met' })).map((h) => h.word)).toContain('won 4500');
    expect(validCommands('provider', 'progress_request', referral({ status: 'won' })).map((h) => h.word)).not.toContain('won 4500');
  });
});
