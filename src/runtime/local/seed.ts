import type { RelayDeps } from '../../referrals/deps.js';
import { addMember, createGroup } from '../../members/members.js';

export const DEMO_SLUG = 'demo';

/** First start only: a demo group with a few members, so the form has someone to refer to. */
export async function seedDemoGroup(deps: RelayDeps): Promise<boolean> {
  if (await deps.store.getGroupBySlug(DEMO_SLUG)) return false;
  const { group } = await createGroup(deps, {
    name: 'Demo Chapter',
    slug: DEMO_SLUG,
    timezone: 'Europe/London',
    currency: 'GBP',
    admin: { name: 'Alice Morgan', email: 'alice@morganlaw.example' },
  });
  const members = [
    { name: 'Priya Shah', email: 'priya@ledgerlane.example', business: 'Ledger Lane', category: 'Bookkeeper', profile: { tellPeople: 'Bookkeeping and VAT returns for trades and food businesses.', goodReferral: 'A sole trader who dreads January.', setsApart: 'Monthly fixed price, no surprises.' }, goalPerMonth: 2 },
    { name: 'Tom Becker', email: 'tom@beckerinteriors.example', business: 'Becker Interiors', category: 'Interior designer', profile: { goodReferral: 'Someone who just bought a flat and hates the kitchen.' }, goalPerMonth: 1 },
    { name: 'Sam Ortiz', email: 'sam@ortizplumbing.example', business: 'Ortiz Plumbing', category: 'Plumber', profile: { goodReferral: 'A landlord with several properties.' } },
    { name: 'Dana Kim', email: 'dana@kimfinancial.example', business: 'Kim Financial', category: 'Financial adviser', profile: { goodReferral: 'A business owner thinking about a pension.' } },
  ];
  for (const m of members) await addMember(deps, group.id, m);
  return true;
}
