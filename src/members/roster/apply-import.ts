/**
 * Carries out an import plan: creates and updates the members (a few at a time, each write
 * conditional: a new member claims its addresses, an update is version-checked and re-merged when
 * someone else wrote in between), then, when the admin asked, welcomes each imported member once.
 */
import { ConflictError, StaleWriteError } from '../../domain/errors.js';
import type { Group, Member } from '../../domain/types.js';
import { renderEmail } from '../../mail/render.js';
import type { RelayDeps } from '../../referrals/deps.js';
import { logAddress } from '../members.js';
import { importCounts, mergeRow, planImport, type ImportCounts, type ImportPlan, type PlannedRow, type RowError } from './import-plan.js';
import { readRoster } from './read-roster.js';
import { newId } from '../../domain/ids.js';

export interface ImportOptions {
  dryRun?: boolean;
  /** Bring back removed members whose rows are in the file. */
  reactivate?: boolean;
  /** Send the welcome email to every imported member who has not had one. */
  welcome?: boolean;
}

/** Writes in parallel, bounded: fast for 500 rows without flooding DynamoDB (Local) with requests. */
const WRITE_CONCURRENCY = 8;
const ATTEMPTS = 5;

async function inBatches<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

/** Reads the roster and plans it against the group's members as they are now; writes nothing. */
export async function planRosterImport(deps: Pick<RelayDeps, 'store' | 'clock'>, group: Pick<Group, 'id'>, csv: string, options: Pick<ImportOptions, 'reactivate'> = {}): Promise<ImportPlan> {
  const roster = readRoster(csv);
  const members = await deps.store.listMembers(group.id);
  return planImport(roster, members, { groupId: group.id, reactivate: options.reactivate ?? false, now: deps.clock.now().toISOString(), newId: () => newId() });
}

/** Writes one planned update; a lost race re-reads the member and merges the row again. */
async function writeRow(deps: Pick<RelayDeps, 'store'>, planned: PlannedRow): Promise<PlannedRow> {
  if (planned.action === 'unchanged' || planned.action === 'create') return planned;
  let next = planned.member;
  for (let attempt = 1; ; attempt++) {
    try {
      return { ...planned, member: await deps.store.updateMember(next) };
    } catch (err) {
      if (!(err instanceof StaleWriteError) || attempt >= ATTEMPTS) throw err;
      const current = await deps.store.getMember(planned.member.id);
      if (!current) throw err;
      const merged = mergeRow(current, planned.values).member;
      next = planned.action === 'reactivate' ? { ...merged, status: 'active' } : merged;
    }
  }
}

/** A transaction holds at most 100 items; a new member is one item plus one address claim. */
const MEMBERS_PER_TRANSACTION = 50;
const CHUNK_CONCURRENCY = 4;

/**
 * New members, 50 to a transaction (DynamoDB Local takes about as long for one of those as for a
 * single member). When one address in a chunk is taken meanwhile, the chunk is written member by
 * member so only that row fails.
 */
async function createInChunks(deps: Pick<RelayDeps, 'store'>, creates: PlannedRow[], done: (row: PlannedRow) => void, failed: (row: PlannedRow, err: unknown) => void) {
  const chunks: PlannedRow[][] = [];
  for (let i = 0; i < creates.length; i += MEMBERS_PER_TRANSACTION) chunks.push(creates.slice(i, i + MEMBERS_PER_TRANSACTION));
  await inBatches(chunks, CHUNK_CONCURRENCY, async (chunk) => {
    try {
      await deps.store.createMembers(chunk.map((r) => r.member));
      chunk.forEach(done);
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      await inBatches(chunk, WRITE_CONCURRENCY, async (row) => {
        try {
          await deps.store.createMember(row.member);
          done(row);
        } catch (e) {
          failed(row, e);
        }
      });
    }
  });
}

/** Applies `plan`; rows whose write is refused (an address taken meanwhile) become errors. */
export async function applyImportPlan(deps: Pick<RelayDeps, 'store' | 'log'>, plan: ImportPlan): Promise<{ rows: PlannedRow[]; errors: RowError[] }> {
  const rows: PlannedRow[] = [];
  const errors: RowError[] = [...plan.errors];
  const refused = (planned: PlannedRow, err: unknown) => {
    if (err instanceof ConflictError) errors.push({ row: planned.row, message: `${planned.email}: ${err.message}` });
    else if (err instanceof StaleWriteError) errors.push({ row: planned.row, message: `${planned.email} was being changed by someone else at the same time; import again` });
    else throw err;
  };
  await createInChunks(deps, plan.rows.filter((r) => r.action === 'create'), (r) => rows.push(r), refused);
  await inBatches(plan.rows.filter((r) => r.action !== 'create'), WRITE_CONCURRENCY, async (planned) => {
    try {
      rows.push(await writeRow(deps, planned));
    } catch (err) {
      refused(planned, err);
    }
  });
  return { rows: rows.sort((a, b) => a.row - b.row), errors };
}

/** The welcome email's once-claim: a member is welcomed at most once, whatever imports follow. */
export const welcomeClaimKey = (member: Pick<Member, 'id'>) => `welcome:${member.id}`;

/**
 * Sends the welcome email unless this member has had one. The claim is taken first and given back
 * when the send fails, so a later import can try again; a failure is logged, never thrown.
 */
export async function welcomeOnce(deps: Pick<RelayDeps, 'store' | 'mail' | 'log' | 'config'>, group: Group, member: Member): Promise<'sent' | 'skipped' | 'failed'> {
  if (member.status !== 'active') return 'skipped';
  if (await deps.store.isSuppressed(member.email)) return 'skipped';
  const key = welcomeClaimKey(member);
  if (!(await deps.store.claimOnce(key))) return 'skipped';
  try {
    const base = deps.config.webBaseUrl.replace(/\/$/, '');
    const email = renderEmail('welcome', {
      groupName: group.name,
      recipientName: member.name,
      recipientRole: 'member',
      replyWords: [],
      links: base ? { web: `${base}/refer` } : {},
      welcome: { logAddress: logAddress(group, deps.config.inboundDomain) },
    });
    await deps.mail.send({ to: [member.email], subject: email.subject, html: email.html, text: email.text, tags: { kind: 'welcome' } });
    return 'sent';
  } catch (err) {
    await deps.store.releaseOnce(key).catch(() => undefined);
    deps.log.error('welcome email failed', { groupId: group.id, memberId: member.id, err: String(err) });
    return 'failed';
  }
}

/**
 * The whole import, as the CLI, the API and the admin page run it: read, plan, and unless it is a
 * dry run write and (optionally) welcome. Throws RosterFormatError when the file cannot be read.
 */
export async function importRoster(deps: RelayDeps, group: Group, csv: string, options: ImportOptions = {}): Promise<ImportResult> {
  const plan = await planRosterImport(deps, group, csv, options);
  const welcomes = { sent: 0, failed: 0 };
  if (options.dryRun) return { counts: importCounts(plan), plan, welcomes };
  const applied = await applyImportPlan(deps, plan);
  // member.added webhooks follow from the stored members (the stream handler), like every effect.
  if (options.welcome) {
    for (const row of applied.rows) {
      const outcome = await welcomeOnce(deps, group, row.member);
      if (outcome !== 'skipped') welcomes[outcome]++;
    }
  }
  return { counts: importCounts(applied), plan: { ...plan, rows: applied.rows, errors: applied.errors }, welcomes };
}

export interface ImportResult {
  /** What every door reports: `{created, updated, unchanged, errors}`. */
  counts: ImportCounts;
  /** Row by row, as written (or, in a dry run, as it would be). */
  plan: ImportPlan;
  /** Welcome emails sent by this import, and ones that failed (their claim given back for a later try). */
  welcomes: { sent: number; failed: number };
}
