/**
 * intro → prospect, cc provider and referrer: a warm three-way introduction. Reply-To is the
 * provider, so the conversation leaves the system: no reply words here, ever. Carries the
 * prospect's stop link.
 */
import type { EmailData } from '../src/mail/render.js';
import { list, name, p, quote } from './lib/blocks.js';
import { EmailHtml, emailText, type EmailParts } from './lib/email.js';
import { headerValue, oneLine, SUBJECT_NAME_MAX, subjectName } from './lib/format.js';
import { view } from './lib/view.js';

export function subject(d: EmailData): string {
  const v = view(d);
  const business = oneLine(v.providerBusiness, SUBJECT_NAME_MAX);
  return headerValue(
    `Introduction: ${subjectName(v.prospect, 'hello')}, meet ${subjectName(v.provider, 'a trusted member')}${business ? ` of ${business}` : ''}`,
  );
}

function parts(d: EmailData): EmailParts {
  const v = view(d);
  const tellPeople = v.profile?.tellPeople ?? '';
  const prospectContact = [v.prospectEmail, v.prospectPhone].filter(Boolean).join(' · ');
  return {
    title: subject(d),
    groupName: v.group,
    preheader: `${v.referrer} thought you two should meet.`,
    replyNote: `Replies to this email go to ${v.provider}, with ${v.referrer} copied.`,
    // Reply-To is the provider: a list of commands would only confuse everyone on this thread.
    replyWords: [],
    stop: v.links.stop,
    stopFor: v.prospect,
    body: [
      p('Hi ', name(v.prospect), ' and ', name(v.provider), ','),
      p(name(v.referrer), ' from ', name(v.group), ' thought you two should meet, so here is a quick introduction.'),
      p(
        name(v.prospect),
        ', meet ',
        name(v.provider),
        v.providerBusiness ? ` of ${v.providerBusiness}` : '',
        '. ',
        name(v.referrer),
        ' recommends them',
        v.need ? ` for ${v.need}` : '',
        '.',
      ),
      quote(tellPeople, `In ${v.provider}'s words`),
      p(
        name(v.provider),
        ', meet ',
        name(v.prospect),
        v.prospectCompany ? ` of ${v.prospectCompany}` : '',
        v.need ? `, who is looking for help with ${v.need}.` : '.',
      ),
      (prospectContact || v.providerEmail) && p('How to reach each other:'),
      (prospectContact || v.providerEmail) &&
        list([
          ...(prospectContact ? [[name(v.prospect), `: ${prospectContact}`]] : []),
          ...(v.providerEmail ? [[name(v.provider), `: ${v.providerEmail}`]] : []),
        ]),
      p(
        name(v.provider),
        ' will be in touch shortly. ',
        name(v.prospect),
        ', you can also simply reply to this email: your reply goes straight to ',
        name(v.provider),
        '.',
      ),
      p('Warm wishes,'),
      p(name(v.referrer), ', with ', name(v.group)),
    ],
  };
}

export function html(d: EmailData) {
  return <EmailHtml parts={parts(d)} />;
}

export function text(d: EmailData): string {
  return emailText(parts(d));
}
