/**
 * The reciprocity ledger of one member, per other member: referrals given and received, each split
 * into open and closed, and the balance. For a member's page (/members/:id) and the report page.
 * Counts only: no values, no prospects, so any member of the group may see it.
 */
import type { Member, Referral } from '../../domain/types.js';
import { reciprocity } from '../../digest/digest-content.js';
import { ScrollRegion } from '../pages/layout.js';

export interface ReciprocityPanelProps {
  /** Whose ledger it is. */
  memberId: string;
  /** The group's members (names; removed members stay, marked). */
  members: readonly Member[];
  /** The group's referrals (or at least those given or received by the member). */
  referrals: readonly Referral[];
  /** "you" wording when the reader is the member themself. */
  self?: boolean;
}

const split = (total: number, open: number) => `${total} (${open} open, ${total - open} closed)`;

export function ReciprocityPanel(props: ReciprocityPanelProps) {
  const names = new Map(props.members.map((m) => [m.id, m]));
  const owner = names.get(props.memberId);
  const ledger = reciprocity(props.memberId, props.referrals);
  const headingId = `reciprocity-${props.memberId}`;
  const who = props.self ? 'You' : (owner?.name ?? 'This member');
  const owed = ledger.find((p) => p.received > p.given && names.get(p.otherId)?.status === 'active');
  const owedName = owed ? (names.get(owed.otherId)?.name ?? '') : '';
  // "Balanced" only when every row is even: a row that says "+1 given" is not balanced.
  const gaveMore = ledger.filter((p) => p.given > p.received).length;
  return (
    <section class="card reciprocity" aria-labelledby={headingId}>
      <h2 id={headingId} style="margin-top:0">
        Give and take{props.self || !owner ? '' : `: ${owner.name}`}
      </h2>
      {ledger.length === 0 ? (
        <p class="muted">{props.self ? 'You have' : `${who} has`} not exchanged any referrals yet.</p>
      ) : (
        <>
          {owed ? (
            <p>
              {props.self ? 'You have' : `${who} has`} received {owed.received} from <strong>{owedName}</strong> and given {owed.given === 0 ? 'none' : owed.given} back.
            </p>
          ) : gaveMore > 0 ? (
            <p class="muted">
              {props.self ? 'You have' : `${who} has`} given more than {props.self ? 'you' : 'they'} received to {gaveMore === 1 ? 'one member' : `${gaveMore} members`}, and owe{props.self ? '' : 's'} no one a referral back.
            </p>
          ) : (
            <p class="muted">No one is owed a referral back: the give and take is balanced.</p>
          )}
          <ScrollRegion label={`Give and take${props.self || !owner ? '' : ` of ${owner.name}`}, per member (scrolls sideways)`}>
            <table>
              <caption class="muted" style="text-align:left;caption-side:top;padding:.25rem 0">
                Referrals {props.self ? 'you' : 'they'} gave to and received from each member
              </caption>
              <thead>
                <tr>
                  <th scope="col">Member</th>
                  <th scope="col">Given to them</th>
                  <th scope="col">Received from them</th>
                  <th scope="col">Balance</th>
                </tr>
              </thead>
              <tbody>
                {ledger.map((p) => {
                  const other = names.get(p.otherId);
                  const balance = p.given - p.received;
                  return (
                    <tr>
                      <th scope="row">
                        {other?.name ?? '(unknown member)'}
                        {other?.status === 'removed' ? <span class="muted"> (removed)</span> : null}
                      </th>
                      <td>{split(p.given, p.openGiven)}</td>
                      <td>{split(p.received, p.openReceived)}</td>
                      <td>{balance === 0 ? 'even' : balance > 0 ? `+${balance} given` : `${-balance} to give back`}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </ScrollRegion>
        </>
      )}
    </section>
  );
}
