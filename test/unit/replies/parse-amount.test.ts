import { describe, expect, it } from 'vitest';
import { parseAmount } from '../../../src/replies/parse-amount.js';

describe('parseAmount', () => {
  it.each([
    ['4500', 4500, 'GBP'],
    ['$4,500', 4500, 'USD'],
    ['4.5k', 4500, 'GBP'],
    ['4.5K', 4500, 'GBP'],
    ['£3.2k', 3200, 'GBP'],
    ['€3 000', 3000, 'EUR'],
    ['€3\u00a0000', 3000, 'EUR'],
    ['€3\u202f000', 3000, 'EUR'],
    ['3,000 EUR', 3000, 'EUR'],
    ['3000 eur', 3000, 'EUR'],
    ['GBP 1200', 1200, 'GBP'],
    ['GBP1200', 1200, 'GBP'],
    ['USD 4,500.00', 4500, 'USD'],
    ['1.200,50 €', 1200.5, 'EUR'],
    ['€ 3.000,00', 3000, 'EUR'],
    ['4,500.00', 4500, 'GBP'],
    ['1,234,567', 1234567, 'GBP'],
    ['4.500', 4500, 'GBP'],
    ['4,50 €', 4.5, 'EUR'],
    ['£99.99', 99.99, 'GBP'],
    ['£1.2m', 1200000, 'GBP'],
    ['4 grand', 4000, 'GBP'],
    ['5 thousand', 5000, 'GBP'],
    ['300 quid', 300, 'GBP'],
    ['250 pounds', 250, 'GBP'],
    ['400 euros', 400, 'EUR'],
    ['US$ 4,500', 4500, 'USD'],
    ['A$3000', 3000, 'AUD'],
    ['CHF 1\'200', 1200, 'CHF'],
    ['45 000 SEK', 45000, 'SEK'],
    ['10k', 10000, 'GBP'],
  ])('%s → %d %s', (text, amount, currency) => {
    expect(parseAmount(text, 'GBP')).toEqual({ amount, currency });
  });

  it('uses the group currency when none is written', () => {
    expect(parseAmount('won 4500', 'EUR')).toEqual({ amount: 4500, currency: 'EUR' });
  });

  it('reads "$" as the group\'s own dollar in a dollar group, US dollars elsewhere', () => {
    expect(parseAmount('$4,500', 'AUD')).toEqual({ amount: 4500, currency: 'AUD' });
    expect(parseAmount('$4,500', 'CAD')).toEqual({ amount: 4500, currency: 'CAD' });
    expect(parseAmount('$4,500', 'EUR')).toEqual({ amount: 4500, currency: 'USD' });
  });

  it('finds the amount inside a sentence, preferring one with a currency over bare numbers', () => {
    expect(parseAmount('We won it – £4,500 for the year, signed today.', 'GBP')).toEqual({ amount: 4500, currency: 'GBP' });
    expect(parseAmount('Won it – 3 year contract at £1,200 a month', 'GBP')).toEqual({ amount: 1200, currency: 'GBP' });
    expect(parseAmount('won it 2 weeks ago, 4500', 'GBP')).toEqual({ amount: 4500, currency: 'GBP' });
    expect(parseAmount('Won it: 1.200,50 € for the first month', 'GBP')).toEqual({ amount: 1200.5, currency: 'EUR' });
  });

  it.each([
    ['no number', 'won it'],
    ['a time and a date', 'meeting at 10:30 on 24/11/2026'],
    ['a dotted date', 'signed 24.11.2026'],
    ['an ordinal date', 'signed 3rd March'],
    ['a day and month', 'met on 3 March'],
    ['a year', 'won it in 2026'],
    ['a duration', 'snooze 2 weeks'],
    ['a percentage', '12.5%'],
    ['a UK mobile number', 'Tel 07700 900123'],
    ['an international number', '+44 7700 900123'],
    ['a rating', '5/5'],
    ['a bare "m" (minutes, metres)', '1.2m'],
    ['zero', '£0'],
    ['empty text', ''],
  ])('finds nothing in %s', (_, text) => {
    expect(parseAmount(text, 'GBP')).toBeUndefined();
  });

  it('reads a dot before a multiplier as a decimal point, a comma before three digits as thousands', () => {
    expect(parseAmount('£3.333k', 'GBP')).toEqual({ amount: 3333, currency: 'GBP' });
    expect(parseAmount('£1,500k', 'GBP')).toEqual({ amount: 1_500_000, currency: 'GBP' });
    expect(parseAmount('4,5k €', 'GBP')).toEqual({ amount: 4500, currency: 'EUR' });
  });

  it('rounds to cents', () => {
    expect(parseAmount('£1.23456k', 'GBP')).toBeUndefined(); // five decimals: not a way anyone writes money
    expect(parseAmount('£1.2345k', 'GBP')).toEqual({ amount: 1234.5, currency: 'GBP' });
  });
});
