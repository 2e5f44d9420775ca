/**
 * The referral at a glance, shared by the emails that show its details.
 */
import { details, type Block } from './blocks.js';
import { providerLabel, prospectLabel, type EmailView } from './view.js';

export interface RowOptions {
  /** Extra rows after the standard ones. */
  extra?: [label: string, value: string | undefined][];
  /** Prospect email/phone: `with_consent` for a provider (who must not reach out without it), `always` for the referrer's own receipt. */
  contact?: 'with_consent' | 'always';
  provider?: boolean;
  referrer?: boolean;
  /** The referrer's note: members only, never the prospect. */
  note?: boolean;
  temperature?: boolean;
}

/** The referral at a glance: prospect, need and whichever parties the reader needs to see. */
export function referralDetails(v: EmailView, options: RowOptions = {}): Block {
  const showContact = options.contact === 'always' || (options.contact === 'with_consent' && v.consent);
  return details([
    ['Prospect', v.prospectKnown ? prospectLabel(v) : undefined],
    ['Email', showContact ? v.prospectEmail : undefined],
    ['Phone', showContact ? v.prospectPhone : undefined],
    ['Need', v.need],
    ['Provider', options.provider && v.providerKnown ? providerLabel(v) : undefined],
    ['Referred by', options.referrer ? v.referrer : undefined],
    ['Note', options.note ? v.note : undefined],
    ['Temperature', options.temperature ? v.temperature : undefined],
    ...(options.extra ?? []),
  ]);
}
