/**
 * Helpers for the server-rendered SVG pictures: escaping (every name goes through `xmlText`),
 * the accessible frame every picture shares, and the data-table alternative. Pure.
 */

// Characters XML 1.0 forbids (a NUL in a member's name would make the whole SVG unreadable), lone
// surrogates, and bidi overrides that would visually reorder the rest of a label.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\u202A-\u202E\u2066-\u2069]/g;

/** Text or attribute content, escaped for XML and HTML alike. */
export function xmlText(value: string | number): string {
  return String(value)
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A label cut to `max` characters (whole code points), "…" marking the cut. */
export function shorten(value: string, max: number): string {
  const chars = [...value.replace(NOT_XML, '').replace(/\s+/g, ' ').trim()];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

/** Numbers in coordinates: at most two decimals, no "-0". */
export const n = (value: number): string => {
  const rounded = Math.round(value * 100) / 100;
  return Object.is(rounded, -0) ? '0' : String(rounded);
};

/** An id fragment safe in XML and CSS: letters, digits and dashes. */
export const safeId = (value: string): string => value.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 40) || 'chart';

/** The text alternative of a picture: rendered by the page as a table inside `<details>`. */
export interface DataTable {
  caption: string;
  head: string[];
  rows: (string | number)[][];
}

/** A picture and its text alternative. */
export interface Chart {
  /** A complete `<svg>` element (well-formed XML) to inline in HTML. */
  svg: string;
  table: DataTable;
}

/**
 * The accessible frame: `role="img"`, `aria-labelledby` pointing at its `<title>` and `<desc>`,
 * a viewBox so it scales to the screen, and the system font stack.
 */
export function svgFrame(opts: { id: string; width: number; height: number; title: string; desc: string; body: string; minWidth?: number }): string {
  const id = safeId(opts.id);
  // Never wider than drawn (text stays at its designed size on a desktop); with `minWidth`, never
  // so small on a phone that labels cannot be read: the page scrolls the picture sideways instead.
  const min = opts.minWidth ? `min-width:${n(Math.min(opts.minWidth, opts.width))}px;` : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${n(opts.width)} ${n(opts.height)}" width="100%" ` +
    `preserveAspectRatio="xMinYMin meet" role="img" aria-labelledby="${id}-title ${id}-desc" ` +
    `font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif" style="${min}max-width:${n(opts.width)}px;height:auto">` +
    `<title id="${id}-title">${xmlText(opts.title)}</title>` +
    `<desc id="${id}-desc">${xmlText(opts.desc)}</desc>` +
    opts.body +
    `</svg>`
  );
}

/** `<text>` with escaped content. */
export function text(x: number, y: number, content: string | number, attrs = ''): string {
  return `<text x="${n(x)}" y="${n(y)}"${attrs ? ` ${attrs}` : ''}>${xmlText(content)}</text>`;
}

/** A sequential blue scale from white (0) to dark navy (1); text on it needs white above ~0.55. */
export function heat(share: number): string {
  const t = Math.max(0, Math.min(1, share));
  // Interpolate #eef4fb → #0b3f7a.
  const from = [0xee, 0xf4, 0xfb];
  const to = [0x0b, 0x3f, 0x7a];
  const rgb = from.map((f, i) => Math.round(f + (to[i]! - f) * t));
  return `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/** 0, 1, 2, 5, 10, 20, 50… ticks for an axis up to `max`, about `count` of them. */
export function niceTicks(max: number, count = 4): number[] {
  if (max <= 0) return [0];
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let v = 0; v <= max + step / 2 && ticks.length < 12; v += Math.max(1, Math.round(step))) ticks.push(v);
  if (ticks[ticks.length - 1]! < max) ticks.push(ticks[ticks.length - 1]! + Math.max(1, Math.round(step)));
  return ticks;
}

/** Pieces of the horizontal bar charts: a row's label left of the axis, its value right of the bar, the axis. */
export const barChart = {
  rowLabel: (axisX: number, rowMidY: number, label: string, fill = '#1d232a', font = 12) =>
    text(axisX - 6, rowMidY, label, `font-size="${font}" text-anchor="end" dominant-baseline="central" fill="${fill}"`),
  value: (barEndX: number, rowMidY: number, value: string | number, fill = '#1d232a', font = 12) =>
    text(barEndX + 6, rowMidY, value, `font-size="${font}" dominant-baseline="central" font-weight="600" fill="${fill}"`),
  axis: (axisX: number, top: number, bottom: number) => `<line x1="${axisX}" x2="${axisX}" y1="${top}" y2="${n(bottom)}" stroke="#9aa5b1"/>`,
};
