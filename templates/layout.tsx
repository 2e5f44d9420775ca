/**
 * The shared email layout and its building blocks, for the HTML part (Hono JSX, which escapes every
 * string it is given) and the matching plain-text part.
 *
 * Email clients ignore <style> blocks and external CSS unevenly, so everything is inline, the page
 * is a 600px-max table (Outlook ignores max-width on divs), and there are no images or fonts to load.
 */
import type { Child } from 'hono/jsx';
import type { ReplyWord } from '../src/mail/render.js';
import { oneLine, quoteText } from './lib/format.js';

const FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
const TEXT_COLOUR = '#1f2937';
const MUTED = '#6b7280';
const ACCENT = '#1d4ed8';

export interface FooterOptions {
  groupName: string;
  /** The referral this email is about, e.g. "Bob Brown → Jane Smith": a reference line for inbox search and forwards. */
  about?: string;
  /** One sentence: what replying to this email does. */
  replyNote?: string;
  /** The valid reply words; an empty list shows none. */
  replyWords: ReplyWord[];
  /** One-click links for the recipient to stop emails (prospects) or unsubscribe (members). */
  stop?: string;
  /** Whose stop link it is, when others are copied on the email (the intro). */
  stopFor?: string;
  unsubscribe?: string;
  /** The page about this email's subject in the web app. */
  web?: string;
}

export interface LayoutProps extends FooterOptions {
  /** Document title (also what some clients show as the preview heading). */
  title: string;
  /** Hidden preview text shown after the subject in most inboxes. */
  preheader?: string;
  children?: Child;
}

function cleanWords(words: ReplyWord[]): { word: string; meaning: string }[] {
  return words
    .map((w) => ({ word: oneLine(w.word, 80), meaning: oneLine(w.meaning, 200) }))
    .filter((w) => w.word);
}

export function Layout(props: LayoutProps) {
  const words = cleanWords(props.replyWords);
  const group = oneLine(props.groupName) || 'your group';
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="x-apple-disable-message-reformatting" />
        <meta name="color-scheme" content="light" />
        <title>{oneLine(props.title, 150)}</title>
      </head>
      <body style={{ margin: '0', padding: '0', backgroundColor: '#f3f4f6' }}>
        {props.preheader ? (
          <div style={{ display: 'none', maxHeight: '0', overflow: 'hidden', opacity: '0', fontSize: '1px', lineHeight: '1px' }}>
            {oneLine(props.preheader, 200)}
          </div>
        ) : null}
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border={0} style={{ backgroundColor: '#f3f4f6' }}>
          <tr>
            <td align="center" style={{ padding: '16px 8px' }}>
              <table
                role="presentation"
                width="100%"
                cellpadding="0"
                cellspacing="0"
                border={0}
                style={{ maxWidth: '600px', backgroundColor: '#ffffff', borderRadius: '8px' }}
              >
                <tr>
                  <td
                    style={{
                      padding: '24px 20px',
                      fontFamily: FONT,
                      fontSize: '16px',
                      lineHeight: '1.5',
                      color: TEXT_COLOUR,
                      wordBreak: 'break-word',
                      overflowWrap: 'anywhere',
                      textAlign: 'left',
                    }}
                  >
                    <div style={{ fontSize: '13px', color: MUTED, letterSpacing: '0.02em', margin: '0 0 16px' }}>
                      <bdi>{group}</bdi>
                    </div>
                    {props.children}
                    <Footer {...props} groupName={group} replyWords={words} />
                  </td>
                </tr>
              </table>
            </td>
          </tr>
        </table>
      </body>
    </html>
  );
}

function Footer(props: FooterOptions) {
  const small = { fontSize: '13px', lineHeight: '1.5', color: MUTED, margin: '0 0 8px' };
  return (
    <div style={{ borderTop: '1px solid #e5e7eb', marginTop: '24px', paddingTop: '16px' }}>
      {props.about ? (
        <p style={small}>
          Referral: <bdi>{props.about}</bdi>
        </p>
      ) : null}
      {props.replyNote ? <p style={small}>{props.replyNote}</p> : null}
      {props.replyWords.length > 0 ? (
        <table role="presentation" cellpadding="0" cellspacing="0" border={0} style={{ margin: '0 0 12px', fontSize: '13px', color: MUTED }}>
          {props.replyWords.map((w) => (
            <tr>
              {/* No nowrap: a long word (`refer Name <email> …`) would squeeze the meanings to one character on a phone. */}
              <td valign="top" width="40%" style={{ padding: '2px 12px 2px 0', overflowWrap: 'anywhere' }}>
                <Word>{w.word}</Word>
              </td>
              <td valign="top" style={{ padding: '2px 0' }}>
                {w.meaning}
              </td>
            </tr>
          ))}
        </table>
      ) : null}
      {props.web ? (
        <p style={small}>
          <a href={props.web} style={{ color: ACCENT }}>
            Open in Referral Relay
          </a>
        </p>
      ) : null}
      {props.stop ? (
        <p style={small}>
          {props.stopFor ? (
            <>
              <bdi>{props.stopFor}</bdi>,{' '}
            </>
          ) : null}
          {props.stopFor ? 'rather' : 'Rather'} not hear from <bdi>{props.groupName}</bdi> again?{' '}
          <a href={props.stop} style={{ color: ACCENT }}>
            Stop these emails
          </a>{' '}
          (one click).
        </p>
      ) : null}
      {props.unsubscribe ? (
        <p style={small}>
          <a href={props.unsubscribe} style={{ color: ACCENT }}>
            Unsubscribe
          </a>{' '}
          from these optional emails (one click).
        </p>
      ) : null}
      <p style={small}>
        Sent by Referral Relay for <bdi>{props.groupName}</bdi>.
      </p>
    </div>
  );
}

/** The plain-text part: body, then the same footer as the HTML. */
export function textLayout(body: string, footer: FooterOptions): string {
  const words = cleanWords(footer.replyWords);
  const group = oneLine(footer.groupName) || 'your group';
  const width = Math.min(28, Math.max(0, ...words.map((w) => w.word.length)));
  const lines: string[] = [body, '', '----'];
  if (footer.about) lines.push(`Referral: ${footer.about}`);
  if (footer.replyNote) lines.push(footer.replyNote);
  if (words.length > 0) {
    lines.push(...words.map((w) => `  ${w.word.padEnd(width)}  ${w.meaning}`));
  }
  if (footer.web) lines.push('', `Open in Referral Relay: ${footer.web}`);
  if (footer.stop) {
    const who = footer.stopFor ? `${footer.stopFor}, rather` : 'Rather';
    lines.push('', `${who} not hear from ${group} again? Stop these emails (one click): ${footer.stop}`);
  }
  if (footer.unsubscribe) lines.push('', `Unsubscribe from these optional emails (one click): ${footer.unsubscribe}`);
  lines.push('', `Sent by Referral Relay for ${group}.`);
  return lines.join('\n');
}

// ---- building blocks -------------------------------------------------------------------------

export function P(props: { children?: Child; muted?: boolean }) {
  return <p style={{ margin: '0 0 16px', color: props.muted ? MUTED : TEXT_COLOUR }}>{props.children}</p>;
}

export function Heading(props: { children?: Child }) {
  return <h1 style={{ fontSize: '20px', lineHeight: '1.3', margin: '0 0 16px', fontWeight: '700' }}>{props.children}</h1>;
}

export function SubHeading(props: { children?: Child }) {
  return <h2 style={{ fontSize: '16px', lineHeight: '1.3', margin: '24px 0 8px', fontWeight: '700' }}>{props.children}</h2>;
}

/** A person's or group's name inside a sentence, isolated so RTL names cannot reorder the sentence. */
export function Name(props: { children?: Child; strong?: boolean }) {
  return props.strong ? (
    <strong>
      <bdi>{props.children}</bdi>
    </strong>
  ) : (
    <bdi>{props.children}</bdi>
  );
}

/** A reply word as the reader should type it. */
export function Word(props: { children?: Child }) {
  return (
    <span
      style={{
        fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
        fontWeight: '600',
        color: TEXT_COLOUR,
        backgroundColor: '#eef2ff',
        borderRadius: '4px',
        padding: '1px 6px',
      }}
    >
      {props.children}
    </span>
  );
}

/** Multi-line user text with its line breaks kept. */
export function Lines(props: { text: string }) {
  const lines = props.text.split('\n');
  return (
    <>
      {lines.map((line, i) => (
        <>
          {i > 0 ? <br /> : null}
          {line}
        </>
      ))}
    </>
  );
}

/** Someone's own words (a note, a thank-you, a comment), set apart from ours. */
export function Quote(props: { text: string; by?: string }) {
  if (!props.text) return null;
  return (
    <div style={{ margin: '0 0 16px' }}>
      {props.by ? (
        <p style={{ margin: '0 0 4px', fontSize: '14px', color: MUTED }}>
          <bdi>{props.by}</bdi>:
        </p>
      ) : null}
      <div dir="auto" style={{ borderLeft: `3px solid ${ACCENT}`, padding: '4px 0 4px 12px', fontStyle: 'italic', color: '#374151' }}>
        <Lines text={props.text} />
      </div>
    </div>
  );
}

/** Label / value rows; empty values are left out. */
export function Details(props: { rows: [label: string, value: string | undefined][] }) {
  const rows = props.rows.filter(([, value]) => value);
  if (rows.length === 0) return null;
  return (
    <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border={0} style={{ margin: '0 0 16px', fontSize: '15px' }}>
      {rows.map(([label, value]) => (
        <tr>
          <td valign="top" width="110" style={{ padding: '4px 12px 4px 0', color: MUTED, whiteSpace: 'nowrap' }}>
            {label}
          </td>
          <td valign="top" dir="auto" style={{ padding: '4px 0' }}>
            <Lines text={value ?? ''} />
          </td>
        </tr>
      ))}
    </table>
  );
}

/** A call to action; only http(s) URLs reach here (see safeUrl). `showUrl` prints it too, for clients that block buttons. */
export function Button(props: { href: string; children?: Child; showUrl?: boolean }) {
  return (
    <>
    <p style={{ margin: '0 0 16px' }}>
      <a
        href={props.href}
        style={{
          display: 'inline-block',
          padding: '12px 20px',
          backgroundColor: ACCENT,
          color: '#ffffff',
          borderRadius: '6px',
          textDecoration: 'none',
          fontWeight: '600',
        }}
      >
        {props.children}
      </a>
    </p>
    {props.showUrl ? (
      <p style={{ margin: '0 0 16px', fontSize: '13px', color: MUTED }}>
        Or paste this into your browser: {props.href}
      </p>
    ) : null}
    </>
  );
}

/** A quoted block in the text part, with an optional "Name:" line above it. */
export function textQuote(text: string, by?: string): string {
  if (!text) return '';
  return by ? `${by}:\n${quoteText(text)}` : quoteText(text);
}
