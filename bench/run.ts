/**
 * `npm run bench`: runs the benchmarks and prints their tables. Flags: `--runs N` (fresh processes
 * per bundle, default 20), `--keep` (keep the temporary bundles), `--strict` (exit 1 when a function
 * misses its target, for use as a gate).
 */
import { parseArgs } from 'node:util';
import { formatTable, runBundleBench } from './bundle.js';
import { CLI_TARGET_MS, runCliBench } from './cli.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    keep: { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`--runs must be a positive integer, got "${values.runs}"`);

console.log(`Bundle size and cold-start import time (median of ${runs} fresh node processes)…`);
const result = await runBundleBench({ runs, keepBundles: values.keep });
console.log(formatTable(result));
console.log('\nwritten to bench/results.json');

console.log(`\nCLI answers without loading the store (median of ${Math.min(runs, 10)} runs; target < ${CLI_TARGET_MS} ms):`);
const cli = await runCliBench(Math.min(runs, 10));
for (const row of cli) console.log(`  ${row.command.padEnd(34)} ${String(row.medianMs).padStart(5)} ms${row.withinTarget ? '' : '  over target'}`);
if (values.strict && cli.some((row) => !row.withinTarget)) process.exitCode = 1;

const missed = result.functions.filter((f) => !f.withinTarget);
if (missed.length) {
  console.log(`\n${missed.length} of ${result.functions.length} over ${result.targetRatio}× the baseline (or failed): ${missed.map((f) => f.name).join(', ')}`);
  if (values.strict) process.exitCode = 1;
}
