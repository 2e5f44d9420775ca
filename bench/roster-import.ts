/**
 * `npx tsx bench/roster-import.ts`: imports a 500-row roster into a fresh group on a DynamoDB Local
 * started for the run (in a temporary directory), then imports it again (all unchanged). Prints the
 * time of each phase (after a warm-up import into another group): reading + planning (pure), writing, and the whole import as the CLI and the
 * API run it. The target: under 5 s for 500 rows here. Flags: `--rows N` (500). Not a test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../src/domain/clock.js';
import { createGroup } from '../src/members/members.js';
import { importRoster } from '../src/members/roster/apply-import.js';
import { importCounts, planImport } from '../src/members/roster/import-plan.js';
import { readRoster } from '../src/members/roster/read-roster.js';
import { newId } from '../src/domain/ids.js';
import { silentLogger, type RelayDeps } from '../src/referrals/deps.js';
import { noRateLimits } from '../src/limits/rate-limits.js';
import { startDynamoDbLocal, stopChild } from '../src/runtime/local/services.js';
import { DynamoDbReferralStore, ensureTable } from '../src/store/dynamodb/dynamodb-store.js';
import { freePort } from '../test/support/free-ports.js';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '500' } } });
const ROWS = Number(values.rows);
if (!Number.isInteger(ROWS) || ROWS < 1) throw new RangeError('--rows must be a positive integer');

function rosterCsv(rows: number): string {
  const trades = ['Bookkeeper', 'Electrician', 'Plumber', 'Photographer', 'Solicitor', 'Florist', 'Roofer', 'Interior designer'];
  const lines = Array.from({ length: rows }, (_, i) =>
    [`Member ${i} Example`, `member${i}@bench.example`, `"Business ${i}; Ltd"`, trades[i % trades.length], `07700 9${String(i).padStart(5, '0')}`, String(i % 4), `"We help with ${trades[i % trades.length]!.toLowerCase()} work, ""fast""."`].join(';'),
  );
  return `\uFEFFName;E-Mail;Firma;Kategorie;Telefon;Ziel pro Monat;What sets you apart?\r\n${lines.join('\r\n')}\r\n`;
}

const time = async <T>(fn: () => Promise<T> | T): Promise<[T, number]> => {
  const start = performance.now();
  const out = await fn();
  return [out, performance.now() - start];
};

const dir = mkdtempSync(join(tmpdir(), 'roster-bench-'));
const port = await freePort();
const dynamo = await startDynamoDbLocal(port, dir);
try {
  const store = new DynamoDbReferralStore((await import('../src/runtime/local/services.js')).localDynamoClient(`http://127.0.0.1:${port}`), 'bench');
  await ensureTable(store.client, 'bench');
  const unused = () => Promise.reject(new Error('not used in the benchmark'));
  const deps: RelayDeps = {
    store,
    mail: { send: unused },
    scheduler: { schedule: unused, cancel: unused, scheduleEffectRetry: unused, scheduleWebhookAttempt: unused, cancelWebhookAttempt: unused },
    digests: { plan: () => Promise.resolve() },
    clock: systemClock,
    limits: noRateLimits,
    log: silentLogger,
    config: { inboundDomain: 'relay.localhost', webBaseUrl: '', replyKeys: { current: { id: '1', secret: 'bench-secret-0123456789' } }, sessionSecret: 'bench', local: true },
  };
  const { group } = await createGroup(deps, { name: 'Bench', slug: 'bench', timezone: 'Europe/London', admin: { name: 'Ada Admin', email: 'ada@bench.example' } });
  const csv = rosterCsv(ROWS);
  // A running stack's DynamoDB Local is warm; a fresh JVM is not. Warm it on another group first.
  const { group: warmUp } = await createGroup(deps, { name: 'Warm-up', slug: 'warm-up', timezone: 'Europe/London', admin: { name: 'Wes Warm', email: 'wes@bench.example' } });
  const [, warmMs] = await time(() => importRoster(deps, warmUp, rosterCsv(200)));

  const [, planMs] = await time(() => importCounts(planImport(readRoster(csv), [], { groupId: group.id, reactivate: false, now: new Date().toISOString(), newId: () => newId() })));
  const [first, firstMs] = await time(() => importRoster(deps, group, csv));
  const [second, secondMs] = await time(() => importRoster(deps, group, csv));

  const rows = [
    ['warm-up (200 rows)', warmMs, 'another group, fresh JVM'],
    ['read + plan (pure)', planMs, `${ROWS} rows`],
    ['first import', firstMs, `${first.counts.created} created, ${first.counts.errors.length} errors`],
    ['second import', secondMs, `${second.counts.unchanged} unchanged`],
  ];
  console.log(`roster import, ${ROWS} rows (${(Buffer.byteLength(csv) / 1024).toFixed(0)} KiB), DynamoDB Local`);
  for (const [what, ms, note] of rows) console.log(`${String(what).padEnd(20)} ${(ms as number).toFixed(0).padStart(6)} ms   ${note}`);
  console.log(firstMs < 5000 ? 'first import under 5 s: yes' : 'first import under 5 s: NO');
} finally {
  await stopChild(dynamo.process);
  rmSync(dir, { recursive: true, force: true });
}
