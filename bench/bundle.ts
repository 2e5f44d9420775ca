/**
 * Bundle benchmark: per Lambda function, the size of its minified bundle and the time a fresh Node
 * process takes to import it (a cold start's module phase), each next to a baseline: a bare Hono app
 * with a DynamoDB client (`bench/baseline/hono-dynamodb.ts`) built the same way. Target: at most
 * 1.5× the baseline on both.
 *
 * Bundles are built with the settings of the CDK construct (`LAMBDA_BUNDLE`, shared with
 * `RelayFunction`), AWS SDK included, into a temporary directory.
 *
 * Import time covers everything a cold start runs before the first event, which for these functions
 * includes reading the reply-token secret (top-level await). That call goes to a stub Secrets
 * Manager on 127.0.0.1 started here, so the figure holds the request path (credentials, SigV4
 * signing, HTTP, parsing) but no real network latency. Node here may differ from Lambda's Node 24:
 * compare the ratios, not the absolute milliseconds.
 *
 * The baseline is bundled with the functions' settings, which prefer the SDK's ESM builds
 * (`mainFields: module, main`): 359 KiB. With esbuild's default main fields (CommonJS builds) the
 * same baseline is about 560 KiB, and every function grows by about the same 240 KiB of SDK code.
 *
 * One setting differs on purpose: the functions replace the SDK's credential chain by the
 * environment-only provider Lambda needs (`LAMBDA_BUNDLE.alias`, about 93 KiB less each); the baseline
 * keeps the standard chain, as a Lambda written without that care would (with it, it is 227 KiB).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type BuildOptions } from 'esbuild';
import { LAMBDA_BUNDLE } from '../infra/constructs/bundling-options.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const FUNCTION_ENTRIES = ['api', 'inbound', 'dispatch', 'feedback', 'digest', 'effects'].map((name) => ({
  name,
  entry: path.join(ROOT, 'functions', `${name}.ts`),
}));
export const BASELINE_ENTRY = { name: 'baseline (Hono + DynamoDB)', entry: path.join(ROOT, 'bench', 'baseline', 'hono-dynamodb.ts') };
export const TARGET_RATIO = 1.5;

/** What the benchmark found for one bundle. */
export interface BundleMeasurement {
  name: string;
  /** Minified `index.mjs`, source map not counted. */
  bytes: number;
  gzipBytes: number;
  /** Median / min / max import time over the runs, in milliseconds; absent when the import failed. */
  importMs?: { median: number; min: number; max: number; runs: number };
  error?: string;
}

export interface ComparedMeasurement extends BundleMeasurement {
  sizeRatio: number;
  importRatio?: number;
  withinTarget: boolean;
}

export interface BundleBenchResult {
  generatedAt: string;
  node: string;
  platform: string;
  settings: typeof LAMBDA_BUNDLE;
  targetRatio: number;
  baseline: BundleMeasurement;
  functions: ComparedMeasurement[];
}

/** Bundles `entry` to `<outdir>/index.mjs` exactly as `RelayFunction` does (same esbuild settings). */
export async function bundleEntry(entry: string, outdir: string): Promise<string> {
  const outfile = path.join(outdir, 'index.mjs');
  await build({ ...lambdaBuildOptions(entry), outfile, sourcemap: LAMBDA_BUNDLE.sourceMap, sourcesContent: LAMBDA_BUNDLE.sourcesContent });
  return outfile;
}

/** The esbuild options of a Lambda bundle of `entry` (as `RelayFunction` builds it), output left to the caller. */
export function lambdaBuildOptions(entry: string) {
  return {
    // The baseline is a Lambda as anyone would write it, with the SDK's own credential chain: the
    // reference the targets were set against. Our functions carry the Lambda-only chain (`alias`).
    ...(entry === BASELINE_ENTRY.entry ? {} : { alias: LAMBDA_BUNDLE.alias }),
    entryPoints: [entry],
    bundle: true,
    platform: LAMBDA_BUNDLE.platform,
    target: LAMBDA_BUNDLE.target,
    format: LAMBDA_BUNDLE.format,
    minify: LAMBDA_BUNDLE.minify,
    mainFields: [...LAMBDA_BUNDLE.mainFields],
    external: [...LAMBDA_BUNDLE.externalModules],
    banner: { js: LAMBDA_BUNDLE.banner },
    logLevel: 'silent',
  } satisfies BuildOptions;
}

/** A stand-in for Secrets Manager (and anything else the SDK calls at import) on the loopback interface. */
export async function startAwsStub(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      if (target.endsWith('.GetSecretValue')) {
        res.end(JSON.stringify({ ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:bench', Name: 'bench', SecretString: 'k'.repeat(64), VersionId: 'v1' }));
        return;
      }
      res.statusCode = 400;
      res.end(JSON.stringify({ __type: 'UnknownOperationException', message: `bench stub: ${target || req.url}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** The environment the functions validate at cold start (names as in the CDK stack), values fake. */
export function lambdaLikeEnv(awsEndpoint: string): NodeJS.ProcessEnv {
  const arn = (service: string, resource: string) => `arn:aws:${service}:us-east-1:000000000000:${resource}`;
  return {
    PATH: process.env.PATH,
    HOME: tmpdir(),
    APP_ENV: 'aws',
    TABLE_NAME: 'bench-table',
    INBOUND_DOMAIN: 'relay.example.com',
    MAIL_FROM: 'relay@relay.example.com',
    SES_CONFIGURATION_SET: 'bench',
    REPLY_TOKEN_SECRET_ARN: arn('secretsmanager', 'secret:bench'),
    SCHEDULE_GROUP_NAME: 'bench-schedules',
    SCHEDULER_ROLE_ARN: 'arn:aws:iam::000000000000:role/bench',
    SCHEDULER_DLQ_ARN: arn('sqs', 'bench-dlq'),
    DISPATCH_FUNCTION_ARN: arn('lambda', 'function:bench-dispatch'),
    DIGEST_FUNCTION_ARN: arn('lambda', 'function:bench-digest'),
    RAW_MAIL_BUCKET: 'bench-raw-mail',
    WEB_BASE_URL: 'https://bench.example.com',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_ENDPOINT_URL: awsEndpoint,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

// Runs in the child: time from just before the import until its top-level await has settled.
const IMPORT_SCRIPT =
  'const t0 = performance.now(); await import(process.env.BENCH_BUNDLE_URL); ' +
  'process.stdout.write(JSON.stringify({ ms: performance.now() - t0 })); process.exit(0);';

function importOnce(file: string, env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LAMBDA_BUNDLE.nodeOptions, '--input-type=module', '-e', IMPORT_SCRIPT], {
      env: { ...env, BENCH_BUNDLE_URL: pathToFileURL(file).href },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`import exited with ${code}: ${err.trim().split('\n').slice(0, 3).join(' ')}`));
        return;
      }
      try {
        resolve((JSON.parse(out) as { ms: number }).ms);
      } catch {
        reject(new Error(`unexpected output: ${out.slice(0, 200)}`));
      }
    });
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Bundles one entry and sizes it; `file` is absent when bundling failed. */
async function bundleAndSize(item: { name: string; entry: string }, workdir: string): Promise<BundleMeasurement & { file?: string }> {
  const outdir = path.join(workdir, item.name.replace(/[^a-z0-9]+/gi, '-'));
  try {
    const file = await bundleEntry(item.entry, outdir);
    const bytes = (await stat(file)).size;
    const gzipBytes = gzipSync(await readFile(file)).length;
    return { name: item.name, bytes, gzipBytes, file };
  } catch (error: unknown) {
    return { name: item.name, bytes: 0, gzipBytes: 0, error: `bundling failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
}

/**
 * Bundles every item, then times `runs` fresh-process imports of each. Runs are interleaved (round
 * robin over the bundles), so a change in machine load affects every bundle alike, not one of them.
 */
export async function measureBundles(
  items: { name: string; entry: string }[],
  workdir: string,
  env: NodeJS.ProcessEnv,
  runs: number,
): Promise<BundleMeasurement[]> {
  const bundles = [];
  for (const item of items) bundles.push(await bundleAndSize(item, workdir));
  const times = bundles.map(() => [] as number[]);
  for (let run = 0; run < runs; run++) {
    for (const [i, bundle] of bundles.entries()) {
      if (!bundle.file || bundle.error) continue;
      try {
        times[i]!.push(await importOnce(bundle.file, env));
      } catch (error: unknown) {
        bundle.error = error instanceof Error ? error.message : String(error);
      }
    }
  }
  return bundles.map(({ file: _file, ...bundle }, i) =>
    bundle.error
      ? bundle
      : {
          ...bundle,
          importMs: { median: round(median(times[i]!), 2), min: round(Math.min(...times[i]!), 2), max: round(Math.max(...times[i]!), 2), runs },
        },
  );
}

function compare(m: BundleMeasurement, baseline: BundleMeasurement): ComparedMeasurement {
  const sizeRatio = round(m.bytes / baseline.bytes, 2);
  const importRatio = m.importMs && baseline.importMs ? round(m.importMs.median / baseline.importMs.median, 2) : undefined;
  const withinTarget = !m.error && sizeRatio <= TARGET_RATIO && importRatio !== undefined && importRatio <= TARGET_RATIO;
  return { ...m, sizeRatio, importRatio, withinTarget };
}

/** A plain-text table of the result, one row per bundle. */
export function formatTable(result: BundleBenchResult): string {
  const kb = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
  const rows = [
    ['bundle', 'minified', 'gzip', 'size ×', 'import (median)', 'import ×', `≤ ${result.targetRatio}×`],
    [result.baseline.name, kb(result.baseline.bytes), kb(result.baseline.gzipBytes), '1.00', `${result.baseline.importMs?.median ?? '–'} ms`, '1.00', ''],
    ...result.functions.map((f) => [
      f.name,
      f.error && !f.bytes ? '–' : kb(f.bytes),
      f.error && !f.bytes ? '–' : kb(f.gzipBytes),
      f.bytes ? f.sizeRatio.toFixed(2) : '–',
      f.importMs ? `${f.importMs.median} ms` : '–',
      f.importRatio?.toFixed(2) ?? '–',
      f.withinTarget ? 'yes' : 'NO',
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const errors = result.functions.filter((f) => f.error).map((f) => `  ${f.name}: ${f.error}`);
  return [...lines, ...(errors.length ? ['', 'errors:', ...errors] : [])].join('\n');
}

/** Options of {@link runBundleBench}. */
export interface BundleBenchOptions {
  /** Fresh processes per bundle. @default 20 */
  runs?: number;
  /** Where results.json goes. @default bench/results.json */
  resultsFile?: string;
  /** Keep the temporary bundle directory (its path is printed). @default false */
  keepBundles?: boolean;
}

/** Builds and measures every function bundle and the baseline; writes results.json and returns the result. */
export async function runBundleBench(options: BundleBenchOptions = {}): Promise<BundleBenchResult> {
  const runs = options.runs ?? 20;
  const workdir = await mkdtemp(path.join(tmpdir(), 'relay-bench-'));
  const stub = await startAwsStub();
  try {
    const env = lambdaLikeEnv(stub.url);
    const [baseline, ...measured] = await measureBundles([BASELINE_ENTRY, ...FUNCTION_ENTRIES], workdir, env, runs);
    if (!baseline || baseline.error) throw new Error(`baseline failed: ${baseline?.error}`);
    const functions = measured.map((m) => compare(m, baseline));
    const result: BundleBenchResult = {
      generatedAt: new Date().toISOString(),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      settings: LAMBDA_BUNDLE,
      targetRatio: TARGET_RATIO,
      baseline,
      functions,
    };
    await writeFile(options.resultsFile ?? path.join(ROOT, 'bench', 'results.json'), `${JSON.stringify(result, null, 2)}\n`);
    return result;
  } finally {
    stub.server.close();
    if (options.keepBundles) console.log(`bundles kept in ${workdir}`);
    else await rm(workdir, { recursive: true, force: true });
  }
}
