/**
 * Puts a template's parts into the shared layout, once for HTML and once for text.
 */
import type { EmailData, ReplyWord } from '../../src/mail/render.js';
import { Layout, textLayout } from '../layout.js';
import { Blocks, blocksToText, type MaybeBlock } from './blocks.js';
import type { EmailView } from './view.js';

export interface EmailParts {
  /** Used as the HTML <title>; normally the subject. */
  title: string;
  preheader?: string;
  /** Footer sentence: what replying to this email does. */
  replyNote?: string;
  replyWords: ReplyWord[];
  groupName: string;
  about?: string;
  stop?: string;
  /** Whose stop link it is, when others are copied (the intro). */
  stopFor?: string;
  unsubscribe?: string;
  web?: string;
  body: MaybeBlock[];
}

/** The common parts of a template; `replyWords` and links come from the data as given. */
export function baseParts(v: EmailView, d: EmailData): Omit<EmailParts, 'title' | 'body'> {
  return {
    groupName: v.group,
    about: v.hasReferral && v.role !== 'prospect' ? `${v.prospect} → ${v.providerKnown ? v.provider : 'provider not chosen yet'}` : undefined,
    replyWords: d.replyWords ?? [],
    stop: v.links.stop,
    unsubscribe: v.links.unsubscribe,
    web: v.links.web,
  };
}

export function EmailHtml(props: { parts: EmailParts }) {
  const { body, ...layout } = props.parts;
  return (
    <Layout {...layout}>
      <Blocks blocks={body} />
    </Layout>
  );
}

export function emailText(parts: EmailParts): string {
  return textLayout(blocksToText(parts.body), parts);
}

/** The usual footer sentence for a member's email about a referral. */
export const REPLY_ACTS = 'Reply to this email to act on this referral; a word or two is enough.';
/** For emails that take no replies. */
export const NO_REPLY_NEEDED = 'No need to reply to this email.';
