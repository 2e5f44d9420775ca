/**
 * `npm run bench [-- WHICH]`: runs the benchmarks and prints their tables.
 *   (none) / bundle   Lambda bundle sizes and cold-start import times. Flags: `--runs N` (fresh
 *                     processes per bundle, default 20), `--keep` (keep the temporary bundles).
 *   api               POST /api/referrals at 32 connections against three floors (bench/api.ts);
 *                     `--seconds N` per target (default 20), `--connections N`.
 *   steps             10,000 due steps dispatched locally, each exactly once (bench/steps.ts).
 *   faults            500 referrals' whole lives with 20 % of DynamoDB and SES calls failing (bench/faults.ts).
 *   crash             the stack SIGKILLed while 1,000 referrals are created and steps fire, then restarted (bench/crash.ts).
 * `--strict`: exit 1 when a target is missed, for use as a gate.
 */
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '20' },
    keep: { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '20' },
    connections: { type: 'string', default: '32' },
    count: { type: 'string' },
  },
});
const positive = (name: string, value: string | undefined) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a positive integer, got "${value}"`);
    process.exit(2);
  }
  return n;
};
const which = positionals[0] ?? 'bundle';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

let met = true;
if (which === 'bundle') {
  const { formatTable, runBundleBench } = await import('./bundle.js');
  const runs = positive('runs', values.runs);
  console.log(`Bundle size and cold-start import time (median of ${runs} fresh node processes)…`);
  const result = await runBundleBench({ runs, keepBundles: values.keep });
  console.log(formatTable(result));
  console.log('\nwritten to bench/results.json');
  const missed = result.functions.filter((f) => !f.withinTarget);
  if (missed.length) console.log(`\n${missed.length} of ${result.functions.length} over ${result.targetRatio}× the baseline (or failed): ${missed.map((f) => f.name).join(', ')}`);
  met = missed.length === 0;

  const { CLI_TARGET_MS, runCliBench } = await import('./cli.js');
  console.log(`\nCLI answers without loading the store (median of ${Math.min(runs, 10)} runs; target < ${CLI_TARGET_MS} ms):`);
  const cli = await runCliBench(Math.min(runs, 10));
  for (const row of cli) console.log(`  ${row.command.padEnd(34)} ${String(row.medianMs).padStart(5)} ms${row.withinTarget ? '' : '  over target'}`);
  met &&= cli.every((row) => row.withinTarget);
} else if (which === 'api') {
  const { runApiBench } = await import('./api.js');
  met = (await runApiBench({ seconds: positive('seconds', values.seconds), connections: positive('connections', values.connections) })).meetsTarget;
} else if (which === 'steps') {
  const { runStepsBench } = await import('./steps.js');
  met = (await runStepsBench({ count: values.count ? positive('count', values.count) : 10_000 })).meetsTarget;
} else if (which === 'faults') {
  const { runFaultsBench } = await import('./faults.js');
  met = (await runFaultsBench({ referrals: values.count ? positive('count', values.count) : 500 })).meetsTarget;
} else if (which === 'crash') {
  const { runCrashBench } = await import('./crash.js');
  met = (await runCrashBench({ referrals: values.count ? positive('count', values.count) : 1000 })).meetsTarget;
} else {
  console.error(`unknown benchmark "${which}": bundle, api, steps, faults or crash`);
  process.exit(2);
}
if (!met && values.strict) process.exitCode = 1;
process.exit();
