import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/domain/errors.js';
import { localRawMailArchive } from '../../../src/runtime/local/local-raw-mail.js';
import { isPermanentFailure } from '../../../src/runtime/local/smtp.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('local raw-mail archive', () => {
  it('expires files after 30 days on the local clock, and drops one on request', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'raw-mail-'));
    dirs.push(dataDir);
    let now = Date.parse('2026-11-01T00:00:00Z');
    const archive = localRawMailArchive(dataDir, { now: () => new Date(now) });
    const first = await archive.keep('first', new Uint8Array([1, 2, 3]));
    now += 29 * 86_400_000;
    const second = await archive.keep('second', new Uint8Array([4]));
    expect(readdirSync(archive.dir).sort()).toEqual([first.slice(5), second.slice(5)].sort());
    now += 2 * 86_400_000;
    await archive.keep('third', new Uint8Array([5]));
    expect(readdirSync(archive.dir)).not.toContain(first.slice(5));
    await archive.drop(second);
    expect(readdirSync(archive.dir)).toHaveLength(1);
    await expect(archive.drop('file:../../etc/passwd')).rejects.toThrow(/pointer/);
  });
});

describe('SMTP answers', () => {
  it('a failure the same message would meet again is permanent (554), an outage is temporary (451)', () => {
    expect(isPermanentFailure(new DomainError('x', 'invalid', 422))).toBe(true);
    expect(isPermanentFailure(Object.assign(new Error('Item size has exceeded the maximum allowed size'), { name: 'ValidationException' }))).toBe(true);
    expect(isPermanentFailure(Object.assign(new Error('down'), { name: 'ServiceUnavailable' }))).toBe(false);
    expect(isPermanentFailure(Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' }))).toBe(false);
    expect(isPermanentFailure(new Error('ECONNREFUSED'))).toBe(false);
  });
});
