import { describe, expect, it } from 'vitest';
import { AddressHints } from '../../../src/outbox/address-hints.js';

describe('AddressHints', () => {
  it('remembers the newest address per member and forgets the one remembered longest ago past its size', () => {
    const hints = new AddressHints(2);
    hints.set('a', 'a1@example.com');
    hints.set('b', 'b1@example.com');
    hints.set('a', 'a2@example.com');
    hints.set('c', 'c1@example.com');
    expect(hints.get('a')).toBe('a2@example.com');
    expect(hints.get('b')).toBeUndefined();
    expect(hints.get('c')).toBe('c1@example.com');
  });
});
