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
  /** The email shows the note elsewhere (a quote): the need leaves out what the note already says. */
  noteShown?: boolean;
  temperature?: boolean;
}

/** The referral at a glance: prospect, need and whichever parties the reader needs to see. */
export function referralDetails(v: EmailView, options: RowOptions = {}): Block {
  const showContact = options.contact === 'always' || (options.contact === 'with_consent' && v.consent);
  return details([
    ['Prospect', v.prospectKnown ? prospectLabel(v) : undefined],
    ['Email', showContact ? v.prospectEmail : undefined],
    ['Phone', showContact ? v.prospectPhone : undefined],
    ['Need', options.note || options.noteShown ? needBesideNote(v.need, v.note) : v.need],
    ['Provider', options.provider && v.providerKnown ? providerLabel(v) : undefined],
    ['Referred by', options.referrer ? v.referrer : undefined],
    ['Note', options.note ? v.note : undefined],
    ['Temperature', options.temperature ? v.temperature : undefined],
    ...(options.extra ?? []),
  ]);
}

/**
 * A need logged by email is the forwarded subject plus the referrer's note; beside the note itself it
 * is only the part the note does not say ("Help with the books"), or nothing when the note says it all.
 */
export function needBesideNote(need: string, note: string): string | undefined {
  const flat = (s: string) => s.replace(/\s+/g, ' ').trim();
  const n = flat(need);
  const words = flat(note).split(' ');
  // The note as it went into the need may have lost its first words ("For Priya - "): try a few starts.
  for (let i = 0; i < Math.min(words.length, 6); i++) {
    const start = words.slice(i).join(' ').slice(0, 60);
    if (start.length < 12) break;
    const at = n.indexOf(start);
    if (at >= 0) return n.slice(0, at).trim() || undefined;
  }
  return need;
}
