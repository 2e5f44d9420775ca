import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const script = join(import.meta.dirname, '../../../scripts/ensure-deps.mjs');
const dirs: string[] = [];

/** A project folder with no dependencies, so `npm ci` in it needs no network. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ensure-deps-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'p', version: '1.0.0', private: true }));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: 'p', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'p', version: '1.0.0' } } }));
  return dir;
}

function installedTree(dir: string, ageSeconds: number): void {
  mkdirSync(join(dir, 'node_modules/some-dep'), { recursive: true });
  writeFileSync(join(dir, 'node_modules/.package-lock.json'), '{}');
  const when = new Date(Date.now() - ageSeconds * 1000);
  utimesSync(join(dir, 'node_modules/.package-lock.json'), when, when);
}

const ensureDeps = (cwd: string) => run(process.execPath, [script], { cwd, timeout: 60_000 });

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('scripts/ensure-deps.mjs (prestart / pretest)', () => {
  it('installs when node_modules is missing', async () => {
    const dir = project();
    const { stdout } = await ensureDeps(dir);
    expect(stdout).toContain('Installing dependencies (node_modules is missing)');
  }, 60_000); // a real `npm ci`, slow on a busy machine

  it('with a lockfile newer than the installed tree: says so and keeps the tree', async () => {
    const dir = project();
    installedTree(dir, 3600);
    const { stdout, stderr } = await ensureDeps(dir);
    expect(stdout).not.toContain('Installing');
    expect(stderr).toContain('package-lock.json is newer than node_modules');
    expect(stderr).toContain('npm ci');
    expect(readdirSync(join(dir, 'node_modules'))).toContain('some-dep');
  });

  it('with an up-to-date tree: silent, nothing touched', async () => {
    const dir = project();
    installedTree(dir, -3600);
    const { stdout, stderr } = await ensureDeps(dir);
    expect(stdout + stderr).toBe('');
    expect(existsSync(join(dir, 'node_modules/some-dep'))).toBe(true);
  });
});
