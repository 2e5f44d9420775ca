import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../../src/web/api/openapi-document.js';
import { GoalProgress } from '../../../src/web/reports/goal-progress.js';
import { ReciprocityPanel } from '../../../src/web/reports/reciprocity-panel.js';
import { reportApiRoutes } from '../../../src/web/reports/routes.js';
import { london, member, ref } from './fixtures.js';

const render = async (node: unknown) => String(await node);

describe('ReciprocityPanel', () => {
  it('shows given and received per member, open and closed, and who is owed', async () => {
    // Prepare
    const ann = member('Ann');
    const bob = member('Bob <b>Baker</b>');
    const cat = member('Cat', { status: 'removed' });
    const referrals = [
      ref(bob, ann, '2026-06-01T10:00:00Z', { status: 'won' }),
      ref(bob, ann, '2026-06-02T10:00:00Z'),
      ref(bob, ann, '2026-06-03T10:00:00Z', { status: 'lost' }),
      ref(ann, cat, '2026-06-04T10:00:00Z'),
      ref(ann, undefined, '2026-06-05T10:00:00Z', { status: 'needs_info' }),
    ];

    // Act
    const html = await render(<ReciprocityPanel memberId={ann.id} members={[ann, bob, cat]} referrals={referrals} self />);

    // Assess
    expect(html).toContain('You have received 3 from <strong>Bob &lt;b&gt;Baker&lt;/b&gt;</strong> and given none back.');
    expect(html).toContain('<td>0 (0 open, 0 closed)</td><td>3 (1 open, 2 closed)</td><td>3 to give back</td>');
    expect(html).toContain('Cat<span class="muted"> (removed)</span>');
    expect(html).toContain('<td>1 (1 open, 0 closed)</td><td>0 (0 open, 0 closed)</td><td>+1 given</td>');
  });

  it('never says "balanced" above a row that says "+1 given"; says it only when every row is even', async () => {
    const ann = member('Ann');
    const bob = member('Bob');
    const cat = member('Cat');
    const gaveMore = await render(<ReciprocityPanel memberId={ann.id} members={[ann, bob, cat]} referrals={[ref(ann, bob, '2026-06-01T10:00:00Z')]} />);
    expect(gaveMore).toContain('+1 given');
    expect(gaveMore).not.toContain('balanced');
    expect(gaveMore).toContain('Ann has given more than they received to one member, and owes no one a referral back.');
    const even = await render(<ReciprocityPanel memberId={ann.id} members={[ann, bob, cat]} referrals={[ref(ann, bob, '2026-06-01T10:00:00Z'), ref(bob, ann, '2026-06-02T10:00:00Z')]} self />);
    expect(even).toContain('the give and take is balanced');
    expect(even).toContain('<td>even</td>');
    // The table scrolls sideways in a labelled region that takes the keyboard focus.
    expect(even).toMatch(/<div class="scroll" role="region" tabindex="0" aria-label="Give and take, per member \(scrolls sideways\)">/);
  });

  it('says so when nothing has been exchanged', async () => {
    const ann = member('Ann');
    expect(await render(<ReciprocityPanel memberId={ann.id} members={[ann]} referrals={[]} />)).toContain('Ann has not exchanged any referrals yet.');
  });
});

describe('GoalProgress', () => {
  it('shows this month against the goal with a progress bar', async () => {
    const gia = member('Gia', { goalPerMonth: 4 });
    const referrals = [ref(gia, member('Bob'), '2026-06-02T10:00:00Z')];
    const html = await render(<GoalProgress member={gia} referrals={referrals} timezone={london.timezone} now={new Date('2026-06-10T10:00:00Z')} />);
    expect(html).toContain('Your giving goal: June 2026');
    expect(html).toContain('<strong>1 of 4</strong> given this month. 3 more to reach the goal.');
    expect(html).toContain('<progress max="4" value="1" aria-label="1 of 4 referrals given"');
  });

  it('invites a member without a goal to set one', async () => {
    const html = await render(<GoalProgress member={member('Gia')} referrals={[]} timezone={london.timezone} now={new Date('2026-06-10T10:00:00Z')} />);
    expect(html).toContain('You have given 0 referrals this month.');
    expect(html).toContain('<a href="/profile">Set a monthly goal</a>');
  });
});

describe('the OpenAPI document', () => {
  it('describes the report, campaign and member-hygiene endpoints', () => {
    const doc = openApiDocument(reportApiRoutes().definitions, { openapi: '3.1.0', info: { title: 't', version: '1' } }, { bearer: { type: 'http', scheme: 'bearer' } });
    expect(Object.keys(doc.paths).sort()).toEqual(['/campaigns', '/members/{id}/api-key', '/members/{id}/flag', '/members/{id}/reactivate', '/members/{id}/remove', '/reports/summary', '/reports/summary.csv']);
    expect(Object.keys(doc.paths['/members/{id}/api-key']!).sort()).toEqual(['delete', 'post']);
    const params = (doc.paths['/reports/summary']!.get!.parameters ?? []) as { name: string }[];
    expect(params.map((p) => p.name).sort()).toEqual(['from', 'period', 'to']);
  });
});
