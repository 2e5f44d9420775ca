/**
 * `npm start` as a supervisor (or a terminal's Ctrl-C) runs it: SIGTERM or SIGINT sent to the npm
 * process alone stops every child — DynamoDB Local's Java process, the SES stand-in, the SMTP door,
 * the app — and every port is free again. The local SES viewer's mail survives the restart on the
 * same DATA_DIR (kept in DATA_DIR/ses-mail.jsonl).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { afterAll, describe, expect, it } from 'vitest';
import { freePorts } from '../../support/free-ports.js';

const root = join(import.meta.dirname, '../../..');
const dataDir = mkdtempSync(join(tmpdir(), 'relay-start-stop-'));
const started: ChildProcess[] = [];
afterAll(() => {
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

async function npmStart(ports: Record<string, string>) {
  // Its own DynamoDB Local and SES stand-in: no endpoints of a shared run passed down.
  const { DYNAMODB_ENDPOINT: _d, SES_ENDPOINT: _s, ...inherited } = process.env;
  const child = spawn('npm', ['start', '--silent'], {
    cwd: root,
    env: { ...inherited, ...ports, DATA_DIR: dataDir, TABLE_NAME: 'start-stop', SEED_DEMO: 'false', REPLY_TOKEN_SECRET: 'start-stop-secret-0123456789' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
  const deadline = Date.now() + 90_000;
  while (!output.includes('Referral Relay is running locally')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
  return { child, exited, output: () => output };
}

const canListen = (port: string) =>
  new Promise<boolean>((ok) => {
    const s = createServer();
    s.once('error', () => ok(false));
    s.listen(Number(port), '127.0.0.1', () => s.close(() => ok(true)));
  });

/**
 * True once nothing listens on the port: npm itself exits as soon as it has passed the signal on, and
 * the stack stops its children right after (within a few seconds: DynamoDB Local is asked to stop,
 * then killed after 5 s).
 */
async function isFree(port: string): Promise<boolean> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (await canListen(port)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

describe('npm start, stopped by a signal to its npm process', () => {
  it('SIGTERM stops every child; after a restart the SES viewer still has the mail; SIGINT stops it again', { timeout: 240_000 }, async () => {
    const [PORT, SMTP_PORT, SES_PORT, DYNAMODB_PORT] = await freePorts(4);
    const ports = { PORT: PORT!, SMTP_PORT: SMTP_PORT!, SES_PORT: SES_PORT!, DYNAMODB_PORT: DYNAMODB_PORT! };

    const first = await npmStart(ports);
    const ses = new SESClient({ endpoint: `http://127.0.0.1:${SES_PORT}`, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const sent = await ses.send(
      new SendEmailCommand({ Source: 'relay@relay.localhost', Destination: { ToAddresses: ['kept@example.com'] }, Message: { Subject: { Data: 'Kept across a restart' }, Body: { Text: { Data: 'still here' } } } }),
    );
    expect(sent.MessageId).toBeTruthy();
    expect(existsSync(join(dataDir, 'ses-mail.jsonl'))).toBe(true);

    first.child.kill('SIGTERM');
    await first.exited;
    for (const port of Object.values(ports)) expect(await isFree(port), `port ${port} still taken after SIGTERM`).toBe(true);

    const second = await npmStart(ports);
    const store = (await (await fetch(`http://127.0.0.1:${SES_PORT}/store`)).json()) as { emails: { messageId: string; subject: string }[] };
    expect(store.emails.filter((m) => m.subject === 'Kept across a restart').map((m) => m.messageId)).toEqual([sent.MessageId]);

    second.child.kill('SIGINT');
    await second.exited;
    for (const port of Object.values(ports)) expect(await isFree(port), `port ${port} still taken after SIGINT`).toBe(true);
  });
});
