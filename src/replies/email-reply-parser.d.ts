// email-reply-parser 1.9 ships no types; only the part we use is declared.
declare module 'email-reply-parser' {
  export default class EmailReplyParser {
    /** The visible text: quoted fragments and signatures removed. */
    parseReply(text: string): string;
  }
}
