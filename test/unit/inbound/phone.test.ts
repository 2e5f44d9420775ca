import { describe, expect, it } from 'vitest';
import { findPhones, firstPhone } from '../../../src/inbound/phone.js';

describe('findPhones', () => {
  it.each([
    ['His mobile is 07700 900123.', '07700 900123', undefined],
    ["I'm on 0117 496 0321 most afternoons.", '0117 496 0321', '+441174960321'],
    ['Okafor Architects\n+44 20 7946 0958\n', '+44 20 7946 0958', '+442079460958'],
    ['Tel: (0117) 496-0555', '(0117) 496-0555', '+441174960555'],
    ['ring +44 (0)20 7946 0321 today', '+44 (0)20 7946 0321', '+442079460321'],
    ['US office +1 (415) 555-0132', '+1 (415) 555-0132', '+14155550132'],
    ['Oficina +34 612 345 678', '+34 612 345 678', '+34612345678'],
  ])('%j → %s', (text, written, e164) => {
    expect(findPhones(text)[0]).toEqual(e164 ? { written, e164 } : { written });
  });

  it('keeps a number that is only possible (UK drama range) as written, without E.164', () => {
    expect(findPhones('call 07700 900456')).toEqual([{ written: '07700 900456' }]);
  });

  it('cuts the span back to the number when the library reports it too long', () => {
    expect(findPhones('0161 496 0000, 020 7946 0000').map((p) => p.written)).toEqual(['0161 496 0000', '020 7946 0000']);
  });

  it('ignores dates, order numbers and short digit runs', () => {
    expect(findPhones('Invoice 123456789 dated 2026-11-16, ref 2026/11/16 1234 5678, PIN 4821')).toEqual([]);
  });

  it('uses another default country when told', () => {
    expect(findPhones('Bel 020 123 4567', 'NL')[0]).toEqual({ written: '020 123 4567', e164: '+31201234567' });
  });
});

describe('firstPhone', () => {
  it('searches the texts in order and returns the first hit', () => {
    expect(firstPhone(['no number here', 'Mob: 07700 900321', '0117 496 0321'])).toEqual({ written: '07700 900321' });
    expect(firstPhone(['nothing', ''])).toBeUndefined();
  });
});
