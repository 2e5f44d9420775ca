/**
 * What `npx relay` accepts, as data: the commands, their options and their help text. Parsing the
 * command line needs nothing else (Node's own `parseArgs`), so `--help`, `--version` and a wrong
 * option are answered before any store, SDK or DynamoDB Local is loaded.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface OptionSpec {
  /** Placeholder shown in the usage line, e.g. `SLUG`; none for an on/off flag. */
  value?: string;
  required?: boolean;
  /** One line of help. */
  help: string;
}

export interface CommandSpec {
  /** Positional arguments after the command words, e.g. `ID`. */
  positionals?: { name: string; help: string }[];
  options: Record<string, OptionSpec>;
  /** One line: what the command does and what it prints. */
  summary: string;
}

/** Every command, keyed by its words. A new command is one row here and one case in `runCommand`. */
export const COMMANDS = {
  'group create': {
    summary: 'Create a group with its admin; prints {"groupId","slug","logAddress","apiKey","adminMemberId"}.',
    options: {
      name: { value: 'NAME', required: true, help: 'the group name, e.g. "Harbour Chapter"' },
      slug: { value: 'SLUG', required: true, help: 'short lower-case name used in addresses and URLs (a-z, 0-9, -)' },
      timezone: { value: 'IANA', required: true, help: 'the group time zone, e.g. Europe/London' },
      admin: { value: '"Name <email>"', required: true, help: 'the first admin member' },
      currency: { value: 'CODE', help: 'ISO 4217 currency of closed values (default GBP)' },
    },
  },
  'member add': {
    summary: 'Add a member to a group; prints {"memberId","apiKey"}.',
    options: {
      group: { value: 'SLUG', required: true, help: 'the slug of the group' },
      name: { value: 'NAME', required: true, help: 'the member name' },
      email: { value: 'EMAIL', required: true, help: 'the member email address' },
      business: { value: 'B', help: 'business name' },
      category: { value: 'C', help: 'business category, e.g. "Accountant"' },
    },
  },
  'member import': {
    summary:
      'Import a roster CSV (comma or semicolon separated, UTF-8 with or without BOM; columns such as Name, Email, Company, Category, Phone, Goal per month, the three profile questions, also in German and French), matched by email; prints {"created","updated","unchanged","errors":[{"row","message"}]}.',
    positionals: [{ name: 'FILE.csv', help: 'the roster file' }],
    options: {
      group: { value: 'SLUG', required: true, help: 'the slug of the group' },
      'dry-run': { help: 'only say what would happen' },
      reactivate: { help: 'bring back removed members whose rows are in the file' },
      welcome: { help: 'send each imported member the welcome email (at most once per member)' },
    },
  },
  'member key rotate': {
    summary: 'Revoke every API key of a member and issue a new one; prints {"memberId","apiKey"}.',
    options: { id: { value: 'MEMBER_ID', required: true, help: 'the member id (16 letters and digits)' } },
  },
  'member key revoke': {
    summary: 'Revoke every API key of a member; prints {"memberId","revoked":true}.',
    options: { id: { value: 'MEMBER_ID', required: true, help: 'the member id (16 letters and digits)' } },
  },
  'member reactivate': {
    summary: 'Make a removed member active again, with a new API key; prints {"memberId","status","apiKey"}.',
    options: { id: { value: 'MEMBER_ID', required: true, help: 'the member id (16 letters and digits)' } },
  },
  'referral show': {
    summary: 'Print a referral as GET /api/referrals/:id shows it to an admin.',
    positionals: [{ name: 'ID', help: 'the referral id (16 letters and digits)' }],
    options: {},
  },
  'webhook add': {
    summary: 'Register an outgoing webhook (Standard Webhooks); prints {"id","url","events","secret"}, the whsec_ secret shown this once.',
    options: {
      group: { value: 'SLUG', required: true, help: 'the slug of the group' },
      url: { value: 'URL', required: true, help: 'https URL of the receiver (http only to localhost, locally)' },
      events: { value: 'LIST', help: 'comma-separated: referral.created, referral.status_changed, referral.won, referral.lost, member.added (default: all)' },
    },
  },
  'webhook list': {
    summary: 'List a group\'s webhooks (never their secrets) with their failing deliveries; prints {"items":[…],"failing":[…]}.',
    options: { group: { value: 'SLUG', required: true, help: 'the slug of the group' } },
  },
  'webhook remove': {
    summary: 'Remove a webhook; prints {"removed": ID}.',
    positionals: [{ name: 'ID', help: 'the webhook id (16 letters and digits)' }],
    options: { group: { value: 'SLUG', required: true, help: 'the slug of the group' } },
  },
  migrate: {
    summary:
      'Move referrals written before the outbox (one item holding the whole timeline) to the current layout and give open referrals of the last 30 days their duplicate key; idempotent and resumable; prints {"scanned","migrated","duplicateKeys"}.',
    options: {},
  },
} satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;

/** Bad input on the command line: exit code 2, the message, then the usage of `command` (or of all). */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: CommandName,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

function synopsis(name: CommandName): string {
  const spec: CommandSpec = COMMANDS[name];
  const parts = [`relay ${name}`, ...(spec.positionals ?? []).map((p) => p.name)];
  for (const [option, o] of Object.entries(spec.options)) parts.push(o.required ? `--${option} ${o.value}` : o.value ? `[--${option} ${o.value}]` : `[--${option}]`);
  return parts.join(' ');
}

const ENVIRONMENT = `Environment (also read from a .env file; see .env.example):
  APP_ENV=aws works on the deployed table (TABLE_NAME, AWS_REGION, AWS credentials); otherwise the
  local store in DATA_DIR (default ./.data), through the running DynamoDB Local (DYNAMODB_PORT) or
  one started for the command.`;

/** The whole CLI's usage. */
export const USAGE = `Usage: relay COMMAND [options]      (npx relay … in this project)

Commands:
${(Object.keys(COMMANDS) as CommandName[]).map((name) => `  ${synopsis(name)}\n      ${COMMANDS[name].summary}`).join('\n')}

  relay --help, relay COMMAND --help   this text, or one command's options
  relay --version                      the version of Referral Relay

Output: JSON on stdout. Exit codes: 0 success; 2 bad input (a one-line message on stderr, then the
usage); 1 anything else (e.g. the store cannot be reached).

${ENVIRONMENT}`;

/** One command's usage: its synopsis, what it does and every option. */
export function commandUsage(name: CommandName): string {
  const spec: CommandSpec = COMMANDS[name];
  const rows = [
    ...(spec.positionals ?? []).map((p) => [p.name, p.help]),
    ...Object.entries(spec.options).map(([option, o]) => [o.value ? `--${option} ${o.value}` : `--${option}`, `${o.help}${o.required ? ' (required)' : ''}`]),
    ['--help', 'this text'],
  ];
  const width = Math.max(...rows.map(([left]) => left!.length));
  return `Usage: ${synopsis(name)}\n\n${spec.summary}\n\n${rows.map(([left, right]) => `  ${left!.padEnd(width)}  ${right}`).join('\n')}`;
}

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** What the command line asks for. */
export type Invocation =
  | { kind: 'print'; text: string }
  | { kind: 'run'; command: CommandName; values: Record<string, string | undefined>; flags: Record<string, boolean>; positionals: string[] };

/** Reads the command line; throws `UsageError` (exit code 2) for anything it cannot run. */
export function parseInvocation(argv: string[]): Invocation {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') return { kind: 'print', text: USAGE };
  if (argv[0] === '--version' || argv[0] === '-v') return { kind: 'print', text: version() };
  if (argv[0]!.startsWith('-')) throw new UsageError(`unknown option "${argv[0]}"`);
  // Commands are one to three words ("migrate", "member add", "member key rotate"): the longest known one wins.
  const words = [3, 2, 1].find((n) => argv.slice(0, n).join(' ') in COMMANDS);
  if (!words) {
    // A command family on its own ("relay webhook", "relay member key --help"): its commands.
    const firstOption = argv.findIndex((a) => a.startsWith('-'));
    const typed = argv.slice(0, firstOption === -1 ? argv.length : firstOption).slice(0, 2).join(' ');
    const family = (Object.keys(COMMANDS) as CommandName[]).filter((name) => name.startsWith(`${typed} `));
    if (family.length > 0) {
      const list = family.map((name) => `  ${synopsis(name)}\n      ${COMMANDS[name].summary}`).join('\n');
      if (argv.includes('--help') || argv.includes('-h')) return { kind: 'print', text: `Usage: relay ${typed} COMMAND [options]\n\nCommands:\n${list}\n\n  relay COMMAND --help   one command's options` };
      throw new UsageError(`"relay ${typed}" needs one of: ${family.map((name) => name.slice(typed.length + 1)).join(', ')}`);
    }
    throw new UsageError(`unknown command "${argv.slice(0, 2).join(' ')}"`);
  }
  const command = argv.slice(0, words).join(' ') as CommandName;
  const rest = argv.slice(words);
  if (rest.includes('--help') || rest.includes('-h')) return { kind: 'print', text: commandUsage(command) };

  const spec: CommandSpec = COMMANDS[command];
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: Object.fromEntries(Object.entries(spec.options).map(([option, o]) => [option, { type: o.value ? ('string' as const) : ('boolean' as const) }])),
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    // parseArgs' own messages are clear ("Unknown option '--bogus'") but some add a hint about `--`.
    throw new UsageError((err as Error).message.split('\n')[0]!.replace(/\. To specify a positional argument.*$/, ''), command);
  }
  const values: Record<string, string | undefined> = {};
  const flags: Record<string, boolean> = {};
  for (const [option, value] of Object.entries(parsed.values)) {
    if (typeof value === 'boolean') flags[option] = value;
    else if (typeof value === 'string') values[option] = value;
  }
  for (const [option, o] of Object.entries(spec.options)) {
    if (o.required && !values[option]) throw new UsageError(`missing --${option} ${o.value ?? ''}`.trim(), command);
  }
  const expected = spec.positionals ?? [];
  if (parsed.positionals.length > expected.length) throw new UsageError(`unexpected argument "${parsed.positionals[expected.length]}"`, command);
  const missing = expected[parsed.positionals.length];
  if (missing) throw new UsageError(`missing ${missing.name}: ${missing.help}`, command);
  return { kind: 'run', command, values, flags, positionals: parsed.positionals };
}
