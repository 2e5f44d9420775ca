import { describe, expect, it } from 'vitest';
import { decideAction } from '../../../src/referrals/decide-action.js';
import { ERASED, prospectScrubber } from '../../../src/referrals/erase.js';
import { monday10, referral } from './fixtures.js';

const prospect = { name: 'Bob Stone', email: 'Bob@StoneBakery.example', phone: '07700 900123', phoneE164: '+447700900123', company: 'Stone Bakery Ltd' };

describe('erase_prospect leaves no trace of the prospect', () => {
  it('scrubs email events addressed to the prospect whatever their kind, private texts, need, note and lost reason', () => {
    const r = referral({
      prospect,
      need: 'Bob needs a bookkeeper; call 07700-900-123',
      note: 'Bob Stone of Stone Bakery Ltd, bob@stonebakery.example',
      status: 'lost',
      lostReason: 'bob went elsewhere',
      timeline: [
        { at: '2026-03-02T10:00:00.000Z', via: 'web', actor: 'a', type: 'email', kind: 'help', to: 'bob@stonebakery.example', text: 'help sent' },
        { at: '2026-03-02T10:00:00.000Z', via: 'web', actor: 'a', type: 'email', kind: 'needs_info', to: 'Bob Stone <BOB@stonebakery.example>', cc: ['priya@ledgerlane.example', 'bob@stonebakery.example'], text: 'asked' },
        { at: '2026-03-02T10:00:00.000Z', via: 'reply', actor: 'p', type: 'note', text: 'note', privateText: 'Called BOB on +44 7700 900123, he wants quotes' },
        { at: '2026-03-02T10:00:00.000Z', via: 'web', actor: 'a', type: 'email', kind: 'receipt', to: 'alice@morganlaw.example', text: 'receipt' },
      ],
    });
    const { referral: after } = decideAction(r, { action: 'erase_prospect' }, { role: 'admin', actorId: 'admin:x', via: 'web', now: monday10 } as never);
    const everything = JSON.stringify(after).toLowerCase();
    for (const trace of ['bob', 'stonebakery', 'stone bakery', '900123', '900-123', '7700']) expect(everything, trace).not.toContain(trace);
    expect(after.prospect).toEqual({ name: 'erased' });
    expect(after.timeline[0]!.to).toBe(ERASED);
    expect(after.timeline[1]).toMatchObject({ to: ERASED, cc: ['priya@ledgerlane.example', ERASED] });
    expect(after.timeline[3]!.to).toBe('alice@morganlaw.example');
    expect(after.timeline[2]!.privateText).toBe(`Called ${ERASED} on ${ERASED}, he wants quotes`);
  });

  it('matches names as whole words only', () => {
    const scrub = prospectScrubber({ name: 'Ann Lee' });
    expect(scrub('Annual review with Ann and lee')).toBe(`Annual review with ${ERASED} and ${ERASED}`);
  });
});
