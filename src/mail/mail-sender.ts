/** An email ready to send: rendered, addressed, with its Reply-To already signed. */
export interface OutgoingEmail {
  to: string[];
  cc?: string[];
  replyTo?: string[];
  subject: string;
  /**
   * The From display name ("Alice Morgan via Harbour Chapter", or the group's name); the address is
   * always the configured MAIL_FROM.
   */
  fromName?: string;
  html: string;
  text: string;
  /** Extra headers such as List-Unsubscribe; values must be single-line. */
  headers?: Record<string, string>;
  /** Message tags (SES): come back in bounce/complaint events, e.g. `{ referral: id }`. */
  tags?: Record<string, string>;
}

/** The mail port: the SES adapter is the one implementation (locally it talks to aws-ses-v2-local). */
export interface MailSender {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}
