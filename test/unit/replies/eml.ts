/**
 * Reading reply fixtures: fill the placeholders of test/fixtures/replies/*.eml (see its expected.json)
 * and parse the message with postal-mime, as the inbound Lambda does.
 */
import { readFileSync } from 'node:fs';
import PostalMime from 'postal-mime';

export interface Placeholders {
  REPLY_TO: string;
  FROM: string;
  SUBJECT: string;
  IN_REPLY_TO: string;
  QUOTED_LINE: string;
}

/**
 * The quoted line names commands on purpose: if quoted history leaked into the reply text, the
 * parse would change (or turn ambiguous) and the test would fail.
 */
export const DEFAULT_PLACEHOLDERS: Placeholders = {
  REPLY_TO: 'r7k2m9q4w8x1p3z5v0a2b4c6d8e0f1g3h5@reply.relay.example',
  FROM: 'priya@ledgerlane.example',
  SUBJECT: 'How is it going with Bob Stone?',
  IN_REPLY_TO: '<notice-7k2m9q4w@relay.example>',
  QUOTED_LINE: 'Reply with one word: met | proposal | won 4500 | lost <why> | pass <who is better> | snooze 2 weeks',
};

function base64Lines(text: string): string {
  return (Buffer.from(text, 'utf8').toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
}

/** Simple placeholders first (they also appear inside {{BASE64:…}}), then the base64 blocks. */
export function fillPlaceholders(raw: string, values: Placeholders = DEFAULT_PLACEHOLDERS): string {
  const simple = raw.replace(/\{\{(REPLY_TO|FROM|SUBJECT|IN_REPLY_TO|QUOTED_LINE)\}\}/g, (_, key: keyof Placeholders) => values[key]);
  return simple.replace(/\{\{BASE64:([\s\S]*?)\}\}/g, (_, inner: string) => base64Lines(inner));
}

/** The text and HTML parts of an .eml file, placeholders filled. */
export async function readEml(path: string, values?: Placeholders): Promise<{ text?: string; html?: string }> {
  const email = await PostalMime.parse(fillPlaceholders(readFileSync(path, 'utf8'), values));
  return { text: email.text, html: email.html };
}
