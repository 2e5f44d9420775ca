/**
 * A tiny XML well-formedness check for the SVG pictures (no DTDs, no CDATA, no processing
 * instructions: our SVGs use none). Returns the problems found; [] means well-formed.
 */
const NAME = /^[A-Za-z_:][A-Za-z0-9_.:-]*$/;
const ENTITY = /^&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/;
// Characters XML 1.0 does not allow anywhere.
const BAD_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function checkText(text: string, where: string, problems: string[]) {
  if (BAD_CHAR.test(text)) problems.push(`forbidden character in ${where}`);
  for (let i = text.indexOf('&'); i >= 0; i = text.indexOf('&', i + 1)) {
    if (!ENTITY.test(text.slice(i))) problems.push(`bare & in ${where}: ${text.slice(i, i + 12)}`);
  }
  if (text.includes('<')) problems.push(`bare < in ${where}`);
}

export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  let roots = 0;
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = lt < 0 ? xml.slice(i) : xml.slice(i, lt);
    if (text) {
      if (stack.length === 0 && text.trim()) problems.push('text outside the root element');
      checkText(text, 'text', problems);
    }
    if (lt < 0) break;
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt + 4);
      if (end < 0) return [...problems, 'unclosed comment'];
      i = end + 3;
      continue;
    }
    const gt = findTagEnd(xml, lt);
    if (gt < 0) return [...problems, `unclosed tag at ${lt}`];
    const tag = xml.slice(lt + 1, gt);
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}>`);
    } else {
      const selfClosing = tag.endsWith('/');
      const body = selfClosing ? tag.slice(0, -1) : tag;
      const m = /^([^\s/>]+)([\s\S]*)$/.exec(body);
      if (!m || !NAME.test(m[1]!)) problems.push(`bad tag name <${body.slice(0, 20)}>`);
      else {
        checkAttributes(m[2]!, m[1]!, problems);
        if (stack.length === 0) roots += 1;
        if (!selfClosing) stack.push(m[1]!);
      }
    }
    i = gt + 1;
  }
  if (stack.length > 0) problems.push(`unclosed <${stack.join('> <')}>`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}

/** The `>` that ends a tag, skipping quoted attribute values. */
function findTagEnd(xml: string, from: number): number {
  let quote: string | undefined;
  for (let j = from + 1; j < xml.length; j++) {
    const ch = xml[j]!;
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '>') return j;
    else if (ch === '<') return -1;
  }
  return -1;
}

function checkAttributes(source: string, tag: string, problems: string[]) {
  const seen = new Set<string>();
  const ATTR = /\s+([^\s=]+)\s*=\s*("([^"]*)"|'([^']*)')/gy;
  let at = 0;
  for (;;) {
    ATTR.lastIndex = at;
    const m = ATTR.exec(source);
    if (!m) break;
    const [, name, , dq, sq] = m;
    if (!NAME.test(name!)) problems.push(`bad attribute name ${name} on <${tag}>`);
    if (seen.has(name!)) problems.push(`duplicate attribute ${name} on <${tag}>`);
    seen.add(name!);
    checkText(dq ?? sq ?? '', `attribute ${name} of <${tag}>`, problems);
    at = ATTR.lastIndex;
  }
  if (source.slice(at).trim()) problems.push(`unreadable attributes on <${tag}>: ${source.slice(at, at + 30)}`);
}
