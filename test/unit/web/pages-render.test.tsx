import { describe, expect, it } from 'vitest';
import type { Group, Member } from '../../../src/domain/types.js';
import { DEFAULT_SETTINGS } from '../../../src/schedule/cadence.js';
import type { Session } from '../../../src/web/context.js';
import { formatWhen } from '../../../src/web/pages/format.js';
import { ReferPage } from '../../../src/web/pages/refer.js';

const HOSTILE = '<img src=x onerror=alert(1)>';

const group: Group = { id: 'g'.repeat(16), name: `Chapter ${HOSTILE}`, slug: 'c', timezone: 'Europe/London', currency: 'GBP', settings: DEFAULT_SETTINGS, createdAt: '2025-01-01T00:00:00.000Z', version: 1 };
const member = (id: string, name: string, extra: Partial<Member> = {}): Member => ({
  id,
  groupId: group.id,
  name,
  email: `${id}@example.com`,
  extraAddresses: [],
  pendingExtraAddresses: [],
  profile: {},
  status: 'active',
  role: 'member',
  createdAt: group.createdAt,
  version: 1,
  ...extra,
});

describe('ReferPage: the provider search (no JavaScript: a GET form)', () => {
  const me = member('a'.repeat(16), 'Rita');
  const session: Session = { member: me, group, isAdmin: false, via: 'web' };
  const priya = member('p'.repeat(16), 'Priya Shah', { business: 'Ledger Lane', category: 'Bookkeeper' });
  const samO = member('o'.repeat(16), 'Sam Ortiz', { business: 'Ortiz Plumbing', category: 'Plumber' });
  const samL = member('l'.repeat(16), 'Sam Lee', { business: 'Lee Photography', category: 'Photographer', profile: { tellPeople: 'Weddings and food photography.' } });
  const render = async (query: string, values: Record<string, string> = {}) => String(await (<ReferPage session={session} providers={[priya, samO, samL]} values={values} query={query} />));
  const options = (html: string) => [...html.matchAll(/<option value="([a-z]{16})"( selected="")?/g)].map((m) => `${m[1]![0]}${m[2] ? '*' : ''}`);

  it.each([
    ['', ['p', 'o', 'l']],
    ['sam', ['o', 'l']],
    ['ledger lane', ['p*']],
    ['bookkeeping', ['p*']],
    ['photographe', ['l*']],
    ['weddings', ['l*']],
    ['sam plumber', ['o*']],
    ['nobody-like-this', ['p', 'o', 'l']],
  ])('"%s" lists %j (* = chosen, when only one matches)', async (query, expected) => {
    expect(options(await render(query))).toEqual(expected);
  });

  it('says how many match, and keeps a provider already chosen in the list', async () => {
    const html = await render('sam', { provider: priya.id });
    expect(html).toContain('2 of 3 members match “sam”.');
    expect(options(html)).toEqual(['p*', 'o', 'l']);
    expect(await render('zzz')).toContain('No member matches “zzz”; showing everyone.');
  });
});

describe('ReferPage', () => {
  it('escapes member names, profiles and what was typed', async () => {
    // Prepare
    const me = member('a'.repeat(16), 'Rita');
    const session: Session = { member: me, group, isAdmin: false, via: 'web' };
    const provider = member('b'.repeat(16), `Paul ${HOSTILE}`, { category: '"Books"', profile: { goodReferral: `</details>${HOSTILE}` } });

    // Act
    const html = String(await (<ReferPage session={session} providers={[provider]} values={{ name: `"><script>x()</script>`, need: '</textarea><b>bold</b>', temperature: '4', consent: 'on' }} errors={{ email: `bad ${HOSTILE}` }} />));

    // Assess
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('</textarea><b>');
    expect(html).toContain('Paul &lt;img src=x onerror=alert(1)&gt; — &quot;Books&quot;');
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;x()&lt;/script&gt;"');
    expect(html).toContain('&lt;/textarea&gt;&lt;b&gt;bold&lt;/b&gt;');
    expect(html).toContain('name="temperature" value="4" checked=""');
    expect(html).toContain('name="consent" value="on" checked=""');
    expect(html).toContain('<p class="field-error" id="email-error">bad &lt;img');
  });
});

describe('formatWhen', () => {
  it('shows times in the group timezone, DST included', () => {
    expect(formatWhen('2025-07-01T12:00:00.000Z', 'Europe/London')).toBe('1 Jul 2025, 13:00');
    expect(formatWhen('2025-01-01T12:00:00.000Z', 'Europe/London')).toBe('1 Jan 2025, 12:00');
    expect(formatWhen('2025-01-01T12:00:00.000Z', 'America/New_York')).toBe('1 Jan 2025, 07:00');
  });
});
