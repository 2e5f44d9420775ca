/**
 * confirmation → the member whose reply changed something: one line saying what was done, with
 * `undo` for 15 minutes (issue 15 item 11); after an undo, what was taken back.
 */
import type { EmailData } from '../src/mail/render.js';
import { p } from './lib/blocks.js';
import { baseParts, EmailHtml, emailText, NO_REPLY_NEEDED, type EmailParts } from './lib/email.js';
import { oneLine, referralSubject } from './lib/format.js';
import { greeting, view } from './lib/view.js';

const line = (d: EmailData) => oneLine(d.text, 300) || 'Done — thanks.';

export function subject(d: EmailData): string {
  const v = view(d);
  // "Marked contacted: Bob Stone → Priya Shah"
  return referralSubject(line(d).split(' — ')[0]!.replace(/[.:]+$/, ''), v.prospect, v.provider);
}

function parts(d: EmailData): EmailParts {
  const v = view(d);
  const undoOffered = (d.replyWords ?? []).some((w) => w.word === 'undo');
  return {
    ...baseParts(v, d),
    title: subject(d),
    preheader: line(d),
    replyNote: undoOffered ? 'Reply undo within 15 minutes to take it back.' : NO_REPLY_NEEDED,
    body: [p(greeting(v)), p(line(d))],
  };
}

export function html(d: EmailData) {
  return <EmailHtml parts={parts(d)} />;
}

export function text(d: EmailData): string {
  return emailText(parts(d));
}
