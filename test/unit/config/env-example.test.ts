import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDotEnv, localSettingNames, readLocalConfig } from '../../../src/config/env.js';

const example = readFileSync(join(import.meta.dirname, '../../../.env.example'), 'utf8');
/** Settings set in the file, and settings named in a commented-out `# NAME=` line. */
const set = parseEnv(example) as Record<string, string>;
const commented = [...example.matchAll(/^# ([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);

describe('.env.example', () => {
  it('lists every local setting', () => {
    const listed = new Set([...Object.keys(set), ...commented]);
    expect(localSettingNames().filter((name) => !listed.has(name))).toEqual([]);
  });

  it('gives each setting its real default, and is itself a valid configuration', () => {
    const defaults = readLocalConfig({});
    for (const [name, value] of Object.entries(set)) expect(String(defaults[name as keyof typeof defaults]), name).toBe(value);
    expect(readLocalConfig(set)).toEqual(defaults);
  });
});

describe('loadDotEnv', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    delete process.env.RELAY_TEST_FROM_FILE;
    delete process.env.RELAY_TEST_FROM_ENV;
  });

  it('reads a .env file, without overriding what the environment already sets', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dotenv-'));
    dirs.push(dir);
    writeFileSync(join(dir, '.env'), 'RELAY_TEST_FROM_FILE=file # a comment\nRELAY_TEST_FROM_ENV=file\n');
    process.env.RELAY_TEST_FROM_ENV = 'env';
    loadDotEnv(join(dir, '.env'));
    expect(process.env.RELAY_TEST_FROM_FILE).toBe('file');
    expect(process.env.RELAY_TEST_FROM_ENV).toBe('env');
  });

  it('does nothing when there is no .env file', () => {
    expect(() => loadDotEnv(join(tmpdir(), 'no-such-dir-for-relay', '.env'))).not.toThrow();
  });
});
