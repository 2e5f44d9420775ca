import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { USAGE } from '../../../src/cli/usage.js';

const run = promisify(execFile);
const launcher = join(import.meta.dirname, '../../../bin/cli-bundle.js');
const bin = join(import.meta.dirname, '../../../bin/relay.js');
const pkg = (await import('../../../package.json', { with: { type: 'json' } })).default as { version: string };
const scratch = mkdtempSync(join(tmpdir(), 'relay-cli-bundle-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// Plain JavaScript (it runs before tsx could): imported by URL, typed here.
const { cliBundle } = (await import(pathToFileURL(launcher).href)) as { cliBundle: (o: { root: string; cacheDir: string }) => Promise<string> };

/** The bundle's entry, as a file path. */
async function bundleFor(root: string, cacheDir: string): Promise<string> {
  return fileURLToPath(await cliBundle({ root, cacheDir }));
}

/** The same from a process of its own, as each CLI run calls it. */
async function bundleInProcessFor(root: string, cacheDir: string): Promise<string> {
  const script = `const { cliBundle } = await import(${JSON.stringify(launcher)}); process.stdout.write(await cliBundle(${JSON.stringify({ root, cacheDir })}));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { timeout: 30_000 });
  return fileURLToPath(stdout);
}

/** Runs a bundle as bin/relay.js does (source maps on; the arguments from process.argv[2]). */
async function runBundle(entry: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = `process.setSourceMapsEnabled(true); await import(${JSON.stringify(entry)});`;
  try {
    const { stdout, stderr } = await run(process.execPath, ['--input-type=module', '-e', script, '--', 'relay', ...args], { timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    return err as { code: number; stdout: string; stderr: string };
  }
}

let projects = 0;
/** A small project laid out as this one: src/cli/main.ts reads package.json next to it, as usage.ts does. */
function project(files: Record<string, string> = {}): { root: string; cacheDir: string; write: (path: string, text: string) => void } {
  const root = join(scratch, `p${++projects}`);
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('package.json', JSON.stringify({ name: 'fixture', version: '7.1.2', type: 'module' }));
  write('src/cli/greeting.ts', `export const greeting: string = 'hello';\nexport function fail(): never {\n  throw new Error('failed here');\n}\n`);
  write(
    'src/cli/main.ts',
    [
      `import { readFileSync } from 'node:fs';`,
      `import { fail, greeting } from './greeting.js';`,
      `const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };`,
      `if (process.argv.includes('fail')) fail();`,
      `console.log(greeting, version);`,
      '',
    ].join('\n'),
  );
  for (const [path, text] of Object.entries(files)) write(path, text);
  return { root, cacheDir: join(root, 'node_modules/.cache/relay-cli'), write };
}

describe('the CLI bundle (bin/cli-bundle.js)', () => {
  it('is built once and reused; files next to a module are found as from its source; stacks point at the sources', async () => {
    const p = project();
    const entry = await bundleFor(p.root, p.cacheDir);
    expect(await bundleFor(p.root, p.cacheDir)).toBe(entry);
    expect(readdirSync(p.cacheDir)).toEqual([entry.split('/').at(-2)]);
    expect(await runBundle(entry)).toMatchObject({ code: 0, stdout: 'hello 7.1.2\n' });
    const failed = await runBundle(entry, 'fail');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(join(p.root, 'src/cli/greeting.ts:3'));
  });

  it('is built again when a source changes, and the older bundle stays for runs that started with it', async () => {
    const p = project();
    const before = await bundleFor(p.root, p.cacheDir);
    p.write('src/cli/greeting.ts', `export const greeting: string = 'hi';\nexport function fail(): never {\n  throw new Error('x');\n}\n`);
    const after = await bundleFor(p.root, p.cacheDir);
    expect(after).not.toBe(before);
    expect((await runBundle(after)).stdout).toBe('hi 7.1.2\n');
    expect((await runBundle(before)).stdout).toBe('hello 7.1.2\n');
    // Only the modification time changed (a checkout, an editor that saves the same bytes): a new key too.
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(p.root, 'src/cli/greeting.ts'), later, later);
    expect(await bundleFor(p.root, p.cacheDir)).not.toBe(after);
  });

  it('finds files next to a module as from its source when node_modules is a link to elsewhere', async () => {
    const p = project();
    const elsewhere = join(scratch, `modules-of-p${projects}`);
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(p.root, 'node_modules'));
    const entry = await bundleFor(p.root, p.cacheDir);
    expect(entry.startsWith(join(p.root, 'node_modules/'))).toBe(true);
    expect(await runBundle(entry)).toMatchObject({ code: 0, stdout: 'hello 7.1.2\n' });
  });

  it('runs that find no bundle build at once without spoiling each other: one bundle, no leftovers', async () => {
    const p = project();
    const entries = await Promise.all(Array.from({ length: 3 }, () => bundleInProcessFor(p.root, p.cacheDir)));
    expect(new Set(entries).size).toBe(1);
    expect(readdirSync(p.cacheDir)).toEqual([entries[0]!.split('/').at(-2)]);
    expect((await runBundle(entries[0]!)).stdout).toBe('hello 7.1.2\n');
  });

  it('refuses what it cannot bundle faithfully (bin/relay.js then runs the sources through tsx)', async () => {
    const dirnameUse = project({ 'src/cli/greeting.ts': `export const greeting = import.meta.dirname;\nexport function fail(): never {\n  throw new Error('x');\n}\n` });
    await expect(bundleFor(dirnameUse.root, dirnameUse.cacheDir)).rejects.toThrow(/only import\.meta\.url is supported/);
    expect(existsSync(dirnameUse.cacheDir) ? readdirSync(dirnameUse.cacheDir) : []).toEqual([]); // no half-built folder left
    const outside = project({ 'scripts/greeting.ts': `export const greeting = 'hello';\nexport function fail(): never {\n  throw new Error('x');\n}\n` });
    outside.write('src/cli/main.ts', `import { greeting } from '../../scripts/greeting.js';\nconsole.log(greeting);\n`);
    await expect(bundleFor(outside.root, outside.cacheDir)).rejects.toThrow(/outside src\/, templates\/.*scripts\/greeting\.ts/);
  });

  it('builds the real CLI, whose --version and --help answer as through tsx (RELAY_CLI_NO_BUNDLE=1)', async () => {
    const entry = await bundleFor(join(import.meta.dirname, '../../..'), join(scratch, 'real'));
    expect(await runBundle(entry, '--version')).toMatchObject({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    const { stdout, stderr } = await run(process.execPath, [bin, '--help'], { env: { ...process.env, RELAY_CLI_NO_BUNDLE: '1' }, timeout: 30_000 });
    expect({ stdout, stderr }).toEqual({ stdout: `${USAGE}\n`, stderr: '' });
    expect(await runBundle(entry, '--help')).toEqual({ code: 0, stdout, stderr });
  });
});
