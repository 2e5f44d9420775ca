import { describe, expect, it } from 'vitest';
import { reportQuerySchema, resolvePeriod } from '../../../src/reports/period.js';

const parse = (q: Record<string, string>) => reportQuerySchema.safeParse(q);

describe('report periods', () => {
  it('resolves this week across the spring-forward weekend in London', () => {
    // Sunday 29 March 2026, 00:30 GMT: clocks go forward at 01:00 that night
    const p = resolvePeriod({ period: 'this_week' }, 'Europe/London', new Date('2026-03-29T00:30:00Z'));
    expect(p).toMatchObject({ from: '2026-03-23', to: '2026-03-30', label: 'week of 23 March 2026' });
    expect(p.fromInstant.toISOString()).toBe('2026-03-23T00:00:00.000Z');
    expect(p.toInstant.toISOString()).toBe('2026-03-29T23:00:00.000Z'); // midnight BST
  });

  it('takes the month and quarter of the group, not of UTC', () => {
    const lateJune = new Date('2026-06-30T23:30:00Z'); // already 1 July in London
    expect(resolvePeriod({ period: 'this_month' }, 'Europe/London', lateJune)).toMatchObject({ from: '2026-07-01', to: '2026-08-01', label: 'July 2026' });
    expect(resolvePeriod({}, 'America/New_York', lateJune)).toMatchObject({ from: '2026-06-01', to: '2026-07-01' });
    expect(resolvePeriod({ period: 'this_quarter' }, 'Europe/London', lateJune)).toMatchObject({ from: '2026-07-01', to: '2026-10-01', label: 'Q3 2026' });
    expect(resolvePeriod({ period: 'this_quarter' }, 'Europe/London', new Date('2026-05-15T12:00:00Z'))).toMatchObject({ from: '2026-04-01', to: '2026-07-01' });
  });

  it('takes custom dates as group-local midnights, to not included', () => {
    const p = resolvePeriod({ from: '2026-06-01', to: '2026-07-01' }, 'Europe/London', new Date('2026-08-01T00:00:00Z'));
    expect(p.fromInstant.toISOString()).toBe('2026-05-31T23:00:00.000Z');
    expect(p.toInstant.toISOString()).toBe('2026-06-30T23:00:00.000Z');
    expect(p.label).toBe('1 Jun – 30 Jun 2026');
  });

  it('runs a from without a to up to and including today', () => {
    const p = resolvePeriod({ from: '2026-06-01' }, 'Europe/London', new Date('2026-06-10T12:00:00Z'));
    expect(p).toMatchObject({ from: '2026-06-01', to: '2026-06-11' });
  });

  it('accepts the period in words', () => {
    for (const words of ['this week', 'this-week', 'week', 'THIS_WEEK']) expect(parse({ period: words })).toMatchObject({ success: true, data: { period: 'this_week' } });
    expect(parse({ period: '' })).toMatchObject({ success: true, data: {} });
    expect(parse({ from: '2024-01-01', to: '2026-01-01' }).success).toBe(true); // exactly two years
    expect(parse({ from: '2026-03-01', to: '2026-03-01' }).success).toBe(true); // an empty period
  });

  it.each([
    [{ from: '2026-02-30', to: '2026-03-10' }, 'from'],
    [{ from: '1 March', to: '2026-03-10' }, 'from'],
    [{ from: '2026-03-10', to: '2026-03-01' }, 'to'],
    [{ from: '2024-01-01', to: '2026-01-02' }, 'to'],
    [{ to: '2026-03-01' }, 'from'],
    [{ period: 'fortnight' }, 'period'],
    [{ period: 'this_month', from: '2026-03-01' }, 'period'],
  ])('refuses %j (field %s)', (query, field) => {
    const result = parse(query as Record<string, string>);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path[0])).toContain(field);
  });
});
