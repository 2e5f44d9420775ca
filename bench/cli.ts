/**
 * How fast `npx relay --help`, `COMMAND --help`, `--version` and a wrong option answer (median wall
 * time of fresh processes). Target: under a second each, as none of them may load the store.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export const CLI_TARGET_MS = 1000;
const bin = join(import.meta.dirname, '../bin/relay.js');
const CASES: string[][] = [['--help'], ['group', 'create', '--help'], ['--version'], ['group', 'create', '--bogus', '1']];

function timeOnce(args: string[]): Promise<number> {
  const started = performance.now();
  // Exit code 2 for the wrong option is expected: only the time matters here.
  return new Promise((resolve) => execFile(process.execPath, [bin, ...args], () => resolve(performance.now() - started)));
}

export async function runCliBench(runs: number): Promise<{ command: string; medianMs: number; withinTarget: boolean }[]> {
  const rows = [];
  for (const args of CASES) {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push(await timeOnce(args));
    times.sort((a, b) => a - b);
    const medianMs = Math.round(times[Math.floor(times.length / 2)]!);
    rows.push({ command: `relay ${args.join(' ')}`, medianMs, withinTarget: medianMs < CLI_TARGET_MS });
  }
  return rows;
}
