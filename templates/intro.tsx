/**
 * intro → prospect, cc provider and referrer: a warm three-way introduction. Reply-To is the
 * provider, so the conversation leaves the system: no reply words here, ever. Carries the
 * prospect's stop link.
 */
import type { EmailData } from '../src/mail/render.js';
import { list, name, p, quote, type MaybeBlock } from './lib/blocks.js';
import { EmailHtml, emailText, type EmailParts } from './lib/email.js';
import { headerValue, oneLine, SUBJECT_NAME_MAX, subjectName } from './lib/format.js';
import { firstName, view, type EmailView } from './lib/view.js';

export function subject(d: EmailData): string {
  const v = view(d);
  const business = oneLine(v.providerBusiness, SUBJECT_NAME_MAX);
  return headerValue(
    `Introduction: ${subjectName(v.prospect, 'hello')}, meet ${subjectName(v.provider, 'a trusted member')}${business ? ` of ${business}` : ''}`,
  );
}

/**
 * What the prospect reads about the provider: the referrer's own line for them when there is one,
 * else a sentence from the provider's profile. Never the referrer's need or note: those describe the
 * prospect to the provider and stay with the provider.
 */
function aboutProvider(v: EmailView): MaybeBlock[] {
  const who = [name(v.provider), v.providerBusiness ? ` of ${v.providerBusiness}` : ''] as const;
  const trade = v.profile?.category ? ` (${v.profile.category.toLowerCase()})` : '';
  const tellPeople = v.profile?.tellPeople ?? '';
  return [
    v.introLine ? quote(v.introLine, `${firstName(v.referrer)} on ${firstName(v.provider)}`) : undefined,
    tellPeople ? p(...who, trade, ', in their own words:') : p(...who, trade, ' is a member of ', name(v.group), '.'),
    tellPeople ? quote(tellPeople) : undefined,
  ];
}

function parts(d: EmailData): EmailParts {
  const v = view(d);
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
      p('Hi ', name(firstName(v.prospect)), ' and ', name(firstName(v.provider)), ','),
      p(name(v.referrer), ', a member of ', name(v.group), ', thought you two should meet and asked us to introduce you.'),
      ...aboutProvider(v),
      (prospectContact || v.providerEmail) && p('How to reach each other:'),
      (prospectContact || v.providerEmail) &&
        list([
          ...(prospectContact ? [[name(v.prospect), `: ${prospectContact}`]] : []),
          ...(v.providerEmail ? [[name(v.provider), `: ${v.providerEmail}`]] : []),
        ]),
      p(
        name(firstName(v.provider)),
        ' will be in touch. ',
        name(firstName(v.prospect)),
        ', you can also simply reply to this email: your reply goes straight to ',
        name(firstName(v.provider)),
        '.',
      ),
      p('Introduced on ', name(v.referrer), "'s behalf by ", name(v.group), "'s referral relay."),
    ],
  };
}

export function html(d: EmailData) {
  return <EmailHtml parts={parts(d)} />;
}

export function text(d: EmailData): string {
  return emailText(parts(d));
}
