import { afterAll, afterEach, beforeAll, beforeEach, inject } from 'vitest';
import { createTransport } from 'nodemailer';
import { readLocalConfig } from '../../src/config/env.js';
import { buildLocalDeps, localClients, type LocalClients } from '../../src/runtime/local/local-deps.js';
import { silentLogger } from '../../src/referrals/deps.js';
import { newId } from '../../src/domain/ids.js';
import { startOwnStack, type OwnStack } from './own-stack.js';

/**
 * Gives this file (`per: 'file'`) or each of its tests (`per: 'test'`) a stack of its own — own
 * clock, scheduler and table on its worker's DynamoDB Local and the run's SES — so moving the clock runs only
 * its own referrals' steps. Every helper here (api, freshGroup, deps, sendSmtp, advanceClock) follows.
 */
export function useOwnStack(per: 'file' | 'test' = 'file') {
  let own: OwnStack | undefined;
  const start = async () => {
    own = await startOwnStack(relay.env);
    talkTo(own.env);
  };
  const stop = async () => {
    await own?.stop();
    own = undefined;
    talkTo(relay.env);
  };
  if (per === 'file') {
    beforeAll(start);
    afterAll(stop);
  } else {
    beforeEach(start);
    afterEach(stop);
  }
}

/**
 * The running test stack this file talks to: its worker's (see global-setup.ts; `VITEST_POOL_ID` is
 * 1 to maxWorkers, the same for every file a worker runs).
 */
const lanes = inject('relayLanes');
export const relay = lanes[(Number(process.env.VITEST_POOL_ID ?? '1') - 1) % lanes.length]!;
/** The stack this file talks to: the shared one, or its own (see useOwnStack). */
export let env = relay.env;
export let baseUrl = `http://localhost:${env.PORT}`;
export let sesUrl = env.SES_ENDPOINT!.replace(/\/+$/, '');
/** Points every helper here at the stack whose environment is `stackEnv`. */
function talkTo(stackEnv: Record<string, string>): void {
  env = stackEnv;
  baseUrl = `http://localhost:${env.PORT}`;
  sesUrl = env.SES_ENDPOINT!.replace(/\/+$/, '');
}
export const inboundDomain = env.INBOUND_DOMAIN;

/** The SDK clients of the stack this file talks to, made once per stack (a file calls deps() hundreds of times). */
let clients: { of: Record<string, string>; clients: LocalClients } | undefined;

/**
 * Direct access to the same store (DynamoDB Local) for checks. Built afresh at each call, so a test
 * may replace a part of it (its mail sender, say) and the clock reads the clock file the server
 * moves; only the SDK clients underneath are shared.
 */
export const deps = () => {
  const config = readLocalConfig(env);
  if (clients?.of !== env) clients = { of: env, clients: localClients(config) };
  return buildLocalDeps(config, silentLogger, clients.clients);
};

export interface ApiResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export async function api<T = any>(method: string, path: string, opts: { key?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {}): Promise<ApiResult<T>> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}),
      ...(opts.body !== undefined || opts.raw !== undefined ? { 'content-type': 'application/json' } : {}),
      ...opts.headers,
    },
    body: opts.raw ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: body as T, headers: res.headers };
}

export interface StoredEmail {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
}

/**
 * Files run side by side on one SES stand-in: mail a test counts or waits for must go to addresses
 * of its own file, or another file's mail to the same fixture address would mix in.
 */
let fileTag = newId(6).toLowerCase();
export const ownAddress = (address: string) => address.replace('@', `.${fileTag}@`);
/** `text` (a fixture) with each of `addresses` replaced by this file's own (see ownAddress). */
export const withOwnAddresses = (text: string, addresses: string[]) => addresses.reduce((t, a) => t.replaceAll(a, ownAddress(a)), text);

/** When this test file started (SES store time, epoch seconds): older mail is never what a test waits for. */
let fileStartedAt = Math.floor(Date.now() / 1000) - 2;

const fileResets: (() => void)[] = [];
/** For a helper module's own per-file state (addresses from ownAddress): `reset` runs as each file starts. */
export function onFileStart(reset: () => void): void {
  fileResets.push(reset);
}

/**
 * A worker runs its files one after another in one module cache (isolate: false), so this module's
 * state is a file's own only if reset when each file starts: test/integration/per-file.ts does that.
 */
export function startFile(): void {
  fileTag = newId(6).toLowerCase();
  for (const reset of fileResets) reset();
  fileStartedAt = Math.floor(Date.now() / 1000) - 2;
  mailRead = { from: '', upTo: 0, byId: new Map() };
  talkTo(relay.env);
}

/** Waits until the server's outbox has caught up with every stored change (emails sent, steps scheduled). */
export async function drainOutbox(): Promise<void> {
  const res = await fetch(`${baseUrl}/dev/outbox/drain`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  if (!res.ok) throw new Error(`outbox drain: ${res.status}`);
}

/**
 * This file's mail so far, by message id, and the newest second it has seen: each read asks the SES
 * stand-in only for mail from that second on (`since` is inclusive), not for the whole file's again.
 * Reading everything since the file started made a long file's last reads megabytes each.
 */
let mailRead = { from: '', upTo: 0, byId: new Map<string, StoredEmail>() };

export async function sentEmails(): Promise<StoredEmail[]> {
  await drainOutbox();
  // A file that talks to a stack with an SES stand-in of its own reads that one's mail from the start.
  if (mailRead.from !== sesUrl) mailRead = { from: sesUrl, upTo: fileStartedAt, byId: new Map() };
  const read = mailRead;
  const res = await fetch(`${sesUrl}/store?since=${read.upTo}`);
  const json = (await res.json()) as { emails: StoredEmail[] };
  // aws-ses-v2-local reports the addresses of a raw message as one comma-joined string: split them.
  const split = (list: string[] = []) => list.flatMap((a) => a.split(',')).map((a) => (/<([^>]+)>/.exec(a)?.[1] ?? a).trim()).filter(Boolean);
  for (const e of json.emails) {
    if (!read.byId.has(e.messageId)) read.byId.set(e.messageId, { ...e, replyTo: split(e.replyTo), destination: { to: split(e.destination.to), cc: split(e.destination.cc), bcc: split(e.destination.bcc) } });
    read.upTo = Math.max(read.upTo, e.at);
  }
  return [...read.byId.values()];
}

export async function emailsTo(address: string): Promise<StoredEmail[]> {
  return (await sentEmails()).filter((e) => [...e.destination.to, ...e.destination.cc].map((a) => a.toLowerCase()).some((a) => a.includes(address.toLowerCase())));
}

/** Waits for something to become true (emails arrive asynchronously after SMTP). */
export async function eventually<T>(fn: () => Promise<T | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last instanceof Error ? last.message : JSON.stringify(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function advanceClock(advance: string): Promise<string> {
  const res = await api<{ now: string }>('POST', '/dev/clock', { body: { advance } });
  if (res.status !== 200) throw new Error(`clock: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.now;
}

export async function clockNow(): Promise<Date> {
  return new Date((await api<{ now: string }>('GET', '/dev/clock')).body.now);
}

/** Sends raw MIME over real SMTP to the local inbound door. */
export async function sendSmtp(raw: string | Buffer, envelope: { from: string; to: string[] }): Promise<void> {
  const transport = createTransport({ host: '127.0.0.1', port: Number(env.SMTP_PORT), secure: false, ignoreTLS: true });
  try {
    await transport.sendMail({ envelope, raw });
  } finally {
    transport.close();
  }
}

/** A fresh group with members, made through the CLI's own service functions; unique per test. */
export async function freshGroup(members: { name: string; email?: string; business?: string; category?: string; profile?: Record<string, string> }[] = [], opts: { timezone?: string } = {}) {
  const { createGroup, addMember } = await import('../../src/members/members.js');
  const d = deps();
  const tag = newId(6);
  const slug = `g-${tag}`;
  const { group, admin, apiKey } = await createGroup(d, { name: `Group ${tag}`, slug, timezone: opts.timezone ?? 'Europe/London', admin: { name: 'Ada Admin', email: `admin-${tag}@example.com` } });
  const made: Record<string, { id: string; email: string; apiKey: string; name: string }> = {};
  for (const m of members) {
    const email = m.email ?? `${m.name.toLowerCase().replace(/[^a-z]+/g, '.')}-${tag}@example.com`;
    const r = await addMember(d, group.id, { ...m, email });
    made[m.name] = { id: r.member.id, email, apiKey: r.apiKey, name: m.name };
  }
  return { group, admin: { id: admin.id, email: admin.email, apiKey, name: admin.name }, members: made, logAddress: `${slug}@${inboundDomain}`, tag };
}

/** An email's words without its links: a link's port (45005) must not read as an amount. */
export const withoutLinks = (text: string) => text.replace(/https?:\/\/[^\s"<]+/g, '');
