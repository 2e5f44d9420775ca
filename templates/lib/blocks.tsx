/**
 * A tiny content model for email bodies. Each template writes its wording once, as blocks, and
 * gets both parts from it: `<Blocks>` for the HTML (Hono JSX, escaped) and `blocksToText` for the
 * plain text. That keeps the two parts saying the same thing, names included.
 */
import type { Child } from 'hono/jsx';
import { Button, Details, Heading, Name, P, Quote, SubHeading, Word, textQuote } from '../layout.js';

export type Inline =
  | string
  | { name: string }
  | { word: string }
  | { strong: string }
  | { link: string; label: string };

export type Block =
  | { type: 'p'; content: Inline[]; muted?: boolean }
  | { type: 'heading'; content: Inline[] }
  | { type: 'subheading'; content: Inline[] }
  | { type: 'details'; rows: [label: string, value: string | undefined][] }
  | { type: 'quote'; text: string; by?: string }
  | { type: 'button'; href: string | undefined; label: string; showUrl?: boolean }
  | { type: 'list'; items: Inline[][] };

/** Anything falsy is dropped, so blocks can be written as `cond && p(...)`. */
export type MaybeBlock = Block | false | null | undefined | '';

// ---- constructors -----------------------------------------------------------------------------

export const p = (...content: Inline[]): Block => ({ type: 'p', content });
export const muted = (...content: Inline[]): Block => ({ type: 'p', content, muted: true });
export const heading = (...content: Inline[]): Block => ({ type: 'heading', content });
export const subheading = (...content: Inline[]): Block => ({ type: 'subheading', content });
export const details = (rows: [string, string | undefined][]): Block => ({ type: 'details', rows });
export const quote = (text: string, by?: string): Block => ({ type: 'quote', text, by });
export const button = (href: string | undefined, label: string, showUrl = false): Block => ({
  type: 'button',
  href,
  label,
  showUrl,
});
export const list = (items: Inline[][]): Block => ({ type: 'list', items });

export const name = (value: string): Inline => ({ name: value });
export const word = (value: string): Inline => ({ word: value });
export const strong = (value: string): Inline => ({ strong: value });
export const link = (href: string, label: string): Inline => ({ link: href, label });

export function compact(blocks: MaybeBlock[]): Block[] {
  return blocks.filter((b): b is Block => Boolean(b));
}

// ---- HTML ---------------------------------------------------------------------------------------

function InlineHtml(props: { part: Inline }): Child {
  const part = props.part;
  if (typeof part === 'string') return part;
  if ('name' in part) return <Name>{part.name}</Name>;
  if ('word' in part) return <Word>{part.word}</Word>;
  if ('strong' in part) return <strong>{part.strong}</strong>;
  return (
    <a href={part.link} style={{ color: '#1d4ed8' }}>
      {part.label}
    </a>
  );
}

function Inlines(props: { content: Inline[] }) {
  return (
    <>
      {props.content.map((part) => (
        <InlineHtml part={part} />
      ))}
    </>
  );
}

function BlockHtml(props: { block: Block }) {
  const b = props.block;
  switch (b.type) {
    case 'p':
      return (
        <P muted={b.muted}>
          <Inlines content={b.content} />
        </P>
      );
    case 'heading':
      return (
        <Heading>
          <Inlines content={b.content} />
        </Heading>
      );
    case 'subheading':
      return (
        <SubHeading>
          <Inlines content={b.content} />
        </SubHeading>
      );
    case 'details':
      return <Details rows={b.rows} />;
    case 'quote':
      return <Quote text={b.text} by={b.by} />;
    case 'button':
      return b.href ? (
        <Button href={b.href} showUrl={b.showUrl}>
          {b.label}
        </Button>
      ) : null;
    case 'list':
      return (
        <ul style={{ margin: '0 0 16px', paddingLeft: '20px' }}>
          {b.items.map((item) => (
            <li style={{ margin: '0 0 8px' }}>
              <Inlines content={item} />
            </li>
          ))}
        </ul>
      );
  }
}

export function Blocks(props: { blocks: MaybeBlock[] }) {
  return (
    <>
      {compact(props.blocks).map((block) => (
        <BlockHtml block={block} />
      ))}
    </>
  );
}

// ---- text ---------------------------------------------------------------------------------------

function inlineText(part: Inline): string {
  if (typeof part === 'string') return part;
  if ('name' in part) return part.name;
  if ('word' in part) return `"${part.word}"`;
  if ('strong' in part) return part.strong;
  return `${part.label} (${part.link})`;
}

function inlinesText(content: Inline[]): string {
  return content.map(inlineText).join('');
}

function blockText(b: Block): string {
  switch (b.type) {
    case 'p':
    case 'heading':
    case 'subheading':
      return inlinesText(b.content);
    case 'details':
      return b.rows
        .filter(([, value]) => value)
        .map(([label, value]) => `${label}: ${(value ?? '').split('\n').join('\n    ')}`)
        .join('\n');
    case 'quote':
      return textQuote(b.text, b.by);
    case 'button':
      return b.href ? `${b.label}: ${b.href}` : '';
    case 'list':
      return b.items.map((item) => `- ${inlinesText(item)}`).join('\n');
  }
}

/** The plain-text body: one paragraph per block, blank lines between. */
export function blocksToText(blocks: MaybeBlock[]): string {
  return compact(blocks)
    .map(blockText)
    .filter((t) => t.trim() !== '')
    .join('\n\n');
}
