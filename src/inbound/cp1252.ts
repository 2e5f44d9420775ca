/**
 * Node 20's TextDecoder (ICU) decodes `windows-1252` — and `iso-8859-1`/`us-ascii`, which WHATWG maps to
 * it — as plain Latin-1, so bytes 0x80–0x9F come out as invisible C1 control characters instead of €, ‘ ’ “ ” – — …
 * Outlook sends exactly those bytes for curly quotes and dashes. C1 controls never carry meaning in mail text,
 * so mapping them back to their windows-1252 characters after decoding is safe for every charset.
 */

// windows-1252 code points for bytes 0x80..0x9F; 0 marks the five bytes the code page leaves undefined.
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
  0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];

const C1_CONTROLS = /[\u0080-\u009f]/g;

/** Replaces C1 control characters with the windows-1252 characters they stand for (undefined ones are dropped). */
export function repairCp1252(text: string): string {
  return text.replace(C1_CONTROLS, (c) => {
    const mapped = CP1252_HIGH[c.charCodeAt(0) - 0x80];
    return mapped ? String.fromCharCode(mapped) : '';
  });
}
