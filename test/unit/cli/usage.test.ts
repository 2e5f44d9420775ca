import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS, commandUsage, parseInvocation, USAGE, UsageError, type CommandName } from '../../../src/cli/usage.js';

const pkg = (await import('../../../package.json', { with: { type: 'json' } })).default as { version: string };

describe('parseInvocation', () => {
  it('--help, no arguments and help print the whole usage; --version the package version', () => {
    for (const argv of [['--help'], [], ['help'], ['-h']]) expect(parseInvocation(argv)).toEqual({ kind: 'print', text: USAGE });
    expect(parseInvocation(['--version'])).toEqual({ kind: 'print', text: pkg.version });
  });

  it('COMMAND --help prints that command with every option, wherever --help stands', () => {
    expect(parseInvocation(['group', 'create', '--help'])).toEqual({ kind: 'print', text: commandUsage('group create') });
    expect(parseInvocation(['member', 'add', '--name', 'x', '--help'])).toEqual({ kind: 'print', text: commandUsage('member add') });
    for (const option of Object.keys(COMMANDS['group create'].options)) expect(commandUsage('group create')).toContain(`--${option} `);
  });

  it('a command family with --help lists its commands; alone it names them and exits 2', () => {
    const webhook = parseInvocation(['webhook', '--help']);
    expect(webhook.kind).toBe('print');
    const text = (webhook as { text: string }).text;
    for (const name of ['webhook add', 'webhook list', 'webhook remove'] as const) expect(text).toContain(`relay ${name}`);
    expect(text).not.toContain('relay member add');
    expect((parseInvocation(['member', 'key', '-h']) as { text: string }).text).toContain('relay member key rotate --id MEMBER_ID');
    expect(() => parseInvocation(['webhook'])).toThrow(/"relay webhook" needs one of: add, list, remove/);
    expect(() => parseInvocation(['webhooks', '--help'])).toThrow(/unknown command "webhooks --help"/);
  });

  it('the usage names every command with all its options (not only a first line)', () => {
    for (const [name, spec] of Object.entries(COMMANDS)) {
      expect(USAGE).toContain(`relay ${name}`);
      for (const option of Object.keys(spec.options)) expect(commandUsage(name as CommandName)).toContain(`--${option}`);
    }
    expect(USAGE).toMatch(/Exit codes: 0 success; 2 bad input/);
  });

  it('parses a good command into its values and positionals', () => {
    expect(parseInvocation(['referral', 'show', 'abcdefgh12345678'])).toEqual({ kind: 'run', command: 'referral show', values: {}, flags: {}, positionals: ['abcdefgh12345678'] });
    expect(parseInvocation(['member', 'add', '--group', 'g', '--name', 'N', '--email', 'n@x.example'])).toMatchObject({ kind: 'run', command: 'member add', values: { group: 'g', name: 'N', email: 'n@x.example' } });
    expect(parseInvocation(['member', 'import', 'r.csv', '--group', 'g', '--dry-run'])).toEqual({ kind: 'run', command: 'member import', values: { group: 'g' }, flags: { 'dry-run': true }, positionals: ['r.csv'] });
    expect(parseInvocation(['member', 'key', 'rotate', '--id', 'abcdefgh12345678'])).toMatchObject({ kind: 'run', command: 'member key rotate', values: { id: 'abcdefgh12345678' } });
  });

  it.each([
    [['frobnicate'], /unknown command "frobnicate"/, undefined],
    [['--nope'], /unknown option "--nope"/, undefined],
    [['group', 'create', '--bogus', '1'], /^Unknown option '--bogus'$/, 'group create'],
    [['group', 'create', '--name', 'X'], /missing --slug SLUG/, 'group create'],
    [['referral', 'show'], /missing ID/, 'referral show'],
    [['referral', 'show', 'a', 'b'], /unexpected argument "b"/, 'referral show'],
  ])('%j is a usage error naming the problem', (argv, message, command) => {
    let error: unknown;
    try {
      parseInvocation(argv);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toMatch(message);
    expect((error as UsageError).command).toBe(command);
  });
});

describe('npx relay --help / --version / a wrong option', () => {
  const bin = join(import.meta.dirname, '../../../bin/relay.js');
  const dataDir = join(mkdtempSync(join(tmpdir(), 'relay-cli-')), 'data-must-not-exist');
  // Nothing listens on port 1 and DATA_DIR does not exist: starting the store would create it.
  const env = { ...process.env, DATA_DIR: dataDir, DYNAMODB_PORT: '1', APP_ENV: 'local' };
  const relay = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { env, timeout: 30_000 });
      return { code: 0, stdout, stderr };
    } catch (err) {
      return err as { code: number; stdout: string; stderr: string };
    }
  };
  afterAll(() => rmSync(join(dataDir, '..'), { recursive: true, force: true }));

  it('answer without starting DynamoDB Local or touching DATA_DIR, with exit codes 0 and 2', async () => {
    const [help, commandHelp, versionOut, wrong, unknown] = await Promise.all([
      relay('--help'),
      relay('member', 'add', '--help'),
      relay('--version'),
      relay('group', 'create', '--slug', 'x', '--bogus', '1'),
      relay('frobnicate'),
    ]);
    expect(help).toMatchObject({ code: 0, stdout: `${USAGE}\n`, stderr: '' });
    expect(commandHelp).toMatchObject({ code: 0, stdout: `${commandUsage('member add')}\n` });
    expect(versionOut).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    expect(wrong.code).toBe(2);
    expect(wrong.stdout).toBe('');
    expect(wrong.stderr).toBe(`relay: Unknown option '--bogus'\n\n${commandUsage('group create')}\n`);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(`relay: unknown command "frobnicate"\n\n${USAGE}\n`);
    expect(existsSync(dataDir)).toBe(false);
  }, 60_000);
});
