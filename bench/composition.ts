/**
 * `npx tsx bench/composition.ts [name…]`: what each Lambda bundle is made of. Bundles the entry with the
 * functions' esbuild settings and prints the minified bytes each package (or source folder) adds, largest
 * first. Names are function names (`api`, `inbound`, …) or `baseline`; none means all of them.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BASELINE_ENTRY, FUNCTION_ENTRIES, lambdaBuildOptions } from './bundle.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const all = [{ ...BASELINE_ENTRY, name: 'baseline' }, ...FUNCTION_ENTRIES];
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !all.some((item) => item.name === name));
if (unknown.length) {
  console.error(`unknown bundle: ${unknown.join(', ')} (choose from ${all.map((item) => item.name).join(', ')})`);
  process.exit(2);
}

/** The package a bundled file belongs to, or its first two path segments for our own sources. */
function owner(file: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  return pkg ? pkg[1]! : path.relative(ROOT, path.resolve(ROOT, file)).split(path.sep).slice(0, 2).join('/');
}

for (const item of all.filter((entry) => !wanted.length || wanted.includes(entry.name))) {
  const result = await build({ ...lambdaBuildOptions(item.entry), write: false, outfile: 'index.mjs', metafile: true });
  const output = Object.values(result.metafile.outputs).find((out) => out.entryPoint)!;
  const bytesBy = new Map<string, number>();
  for (const [file, input] of Object.entries(output.inputs)) bytesBy.set(owner(file), (bytesBy.get(owner(file)) ?? 0) + input.bytesInOutput);
  console.log(`${item.name}: ${(output.bytes / 1024).toFixed(1)} KiB`);
  for (const [name, bytes] of [...bytesBy].sort((a, b) => b[1] - a[1])) {
    if (bytes >= 512) console.log(`  ${(bytes / 1024).toFixed(1).padStart(7)} KiB  ${name}`);
  }
}
