/**
 * help → whoever replied `help` or something we could not read: what was not understood, and the
 * replies this email understands (from `replyWords`, listed in the body rather than the footer).
 */
import type { EmailData } from '../src/mail/render.js';
import { list, muted, name, p, quote, word } from './lib/blocks.js';
import { baseParts, EmailHtml, emailText, type EmailParts } from './lib/email.js';
import { headerValue, oneLine, referralSubject } from './lib/format.js';
import { greeting, view } from './lib/view.js';

export function subject(d: EmailData): string {
  const v = view(d);
  return v.hasReferral ? referralSubject('How to reply', v.prospect, v.provider) : headerValue(`How to reply to ${v.group}`);
}

function parts(d: EmailData): EmailParts {
  const v = view(d);
  const words = (d.replyWords ?? [])
    .map((w) => ({ word: oneLine(w.word, 80), meaning: oneLine(w.meaning, 200) }))
    .filter((w) => w.word);
  const answer = d.answer ?? {};
  const about = v.hasReferral ? v.prospect : '';
  const intro = (): ReturnType<typeof p> => {
    if (answer.understood) return p('We understood ', word(answer.understood), ', but nothing changed: ', answer.why ?? 'it could not be done now', '.');
    if (answer.why) return p(answer.why);
    if (answer.asked || !v.text) return about ? p('Here is what you can reply about ', name(about), ':') : p('Here is what you can reply:');
    return p('We could not match your reply to an action:');
  };
  const quoted = !answer.asked && v.text;
  return {
    ...baseParts(v, d),
    // The words are the body of this email; repeating them in the footer would only add noise.
    replyWords: [],
    title: subject(d),
    preheader: answer.understood ? 'Nothing changed: here is why.' : 'The replies this email understands.',
    replyNote: words.length > 0 ? 'Reply again with one of the words above.' : 'No need to reply to this email.',
    body: [
      p(greeting(v)),
      v.hasReferral && !answer.asked && p('This is about the referral of ', name(v.prospect), ' to ', name(v.provider), '.'),
      intro(),
      quoted && quote(v.text, 'Your reply'),
      quoted && v.hasReferral && !answer.understood && muted('Nothing is lost: your message is kept on the referral as a private note.'),
      words.length > 0 && !answer.asked && p(answer.understood ? 'What you can reply now:' : 'Reply with one of these:'),
      words.length > 0 && list(words.map((w) => [word(w.word), w.meaning ? ` – ${w.meaning}` : ''])),
      words.length === 0 && p('This email does not take any commands.'),
    ],
  };
}

export function html(d: EmailData) {
  return <EmailHtml parts={parts(d)} />;
}

export function text(d: EmailData): string {
  return emailText(parts(d));
}
