/**
 * A From header that mail software writes badly must never crash the inbound door. Fuzzing found
 * `""unterminated" <x@example.com>`: the parser left the display name inside the address, and building
 * the refusal to that "address" threw, so the door answered 451 and the sender's server retried forever.
 */
import { describe, expect, it } from 'vitest';
import { handleInboundMail } from '../../../src/mailflow/handle-inbound.js';
import { deps, emailsTo, eventually, freshGroup, sendSmtp } from '../harness.js';

function mail(from: string, to: string, id: string): string {
  return `From: ${from}\r\nTo: ${to}\r\nSubject: Please meet Carla\r\nMessage-ID: <${id}@broken-from.test>\r\n\r\nCarla needs a bookkeeper.\r\n`;
}

describe('a broken From header', () => {
  it('an unterminated quoted name: the mail is taken (250) and the sender meant is answered', async () => {
    const g = await freshGroup([{ name: 'Priya Shah' }]);
    const stranger = `stranger-${g.tag}@example.com`;
    await sendSmtp(mail(`""unterminated" <${stranger}>`, g.logAddress, `u-${g.tag}`), { from: stranger, to: [g.logAddress] });
    const answers = await eventually(async () => {
      const found = await emailsTo(stranger);
      return found.length ? found : undefined;
    }, 'the refusal to the stranger');
    expect(answers).toHaveLength(1);
    expect(answers[0]!.subject).toMatch(/not|member|log/i);
  });

  it.each([
    ['no address at all', '"Only A Name"'],
    ['an address with a space', '"Bob" <bob smith@example.com>'],
    ['two at signs', '<bob@@example.com>'],
    ['a header line break', '"Bob" <bob@example.com\r\n X-Injected: yes>'],
    ['an empty angle address', '"Bob" <>'],
  ])('%s: nothing thrown, nobody answered at that address', async (_what, from) => {
    const g = await freshGroup([{ name: 'Priya Shah' }]);
    const d = deps();
    const raw = new TextEncoder().encode(mail(from, g.logAddress, `b-${g.tag}`));
    await expect(handleInboundMail(d, { raw, envelopeFrom: `env-${g.tag}@example.com`, envelopeTo: [g.logAddress], authenticated: true })).resolves.toBeUndefined();
    expect(await emailsTo('bob smith')).toHaveLength(0);
    expect(await emailsTo(`env-${g.tag}@example.com`)).toHaveLength(0);
  });
});
