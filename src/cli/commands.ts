import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { $ZodError } from 'zod/v4/core';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { addMember, createGroup, logAddress } from '../members/members.js';
import { emailSchema } from '../members/schemas.js';
import { importRoster } from '../members/roster/apply-import.js';
import { RosterFormatError, rosterText } from '../members/roster/read-roster.js';
import type { RelayDeps } from '../referrals/deps.js';
import { referralView } from '../referrals/view.js';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `Usage:
  relay group create --name NAME --slug SLUG --timezone IANA --admin "Name <email>" [--currency GBP]
  relay member add --group SLUG --name NAME --email EMAIL [--business B] [--category C]
  relay member import FILE.csv --group SLUG [--dry-run] [--reactivate] [--welcome]
  relay referral show ID

member import reads a roster (comma or semicolon separated, UTF-8 with or without BOM; columns such as
Name, Email, Company, Category, Phone, Goal per month, the three profile questions; also in German and
French) and matches members by e-mail. It prints {"created","updated","unchanged","errors":[{"row","message"}]}.
  --dry-run     only say what would happen
  --reactivate  bring back removed members whose rows are in the file
  --welcome     send each imported member the welcome email (at most once per member)`;

/** The usage line of one command, named in its error messages. */
export function commandUsage(argv: string[]): string | undefined {
  const [noun, verb] = argv;
  return USAGE.split('\n').find((line) => noun && verb && line.trim().startsWith(`relay ${noun} ${verb} `))?.trim();
}

/** "Ada Lovelace <ada@example.com>" → name and email. */
export function parseNameAddress(value: string): { name: string; email: string } {
  const match = /^\s*"?([^"<]+?)"?\s*<([^>]+)>\s*$/.exec(value);
  if (!match) throw new UsageError(`--admin must look like "Name <email>", got "${value}"`);
  const email = emailSchema.safeParse(match[2]);
  if (!email.success) throw new UsageError(`--admin: "${match[2]}" is not an email address`);
  return { name: match[1]!.trim(), email: email.data };
}

function options(args: string[], spec: Record<string, { required?: boolean; flag?: boolean }>) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: Object.fromEntries(Object.entries(spec).map(([k, s]) => [k, { type: s.flag ? ('boolean' as const) : ('string' as const) }])), allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]!);
  }
  for (const [name, s] of Object.entries(spec)) {
    if (s.required && !parsed.values[name]) throw new UsageError(`missing --${name}`);
  }
  return { values: parsed.values as Record<string, string | undefined>, flags: parsed.values as Record<string, boolean | undefined>, positionals: parsed.positionals };
}

/** The roster file's text; a file that is not there or not text is a usage error (exit 2). */
function readRosterFile(path: string | undefined): string {
  if (!path) throw new UsageError('member import needs the roster file, e.g. relay member import roster.csv --group SLUG');
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new UsageError(`cannot read "${path}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return rosterText(bytes);
}

function zodMessage(err: $ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
}

/** Runs one CLI command against the store; returns the JSON to print. */
export async function runCommand(deps: RelayDeps, argv: string[]): Promise<unknown> {
  const [noun, verb, ...rest] = argv;
  try {
    if (noun === 'group' && verb === 'create') {
      const { values } = options(rest, { name: { required: true }, slug: { required: true }, timezone: { required: true }, admin: { required: true }, currency: {} });
      const admin = parseNameAddress(values.admin!);
      const { group, admin: member, apiKey } = await createGroup(deps, { name: values.name!, slug: values.slug!, timezone: values.timezone!, currency: values.currency ?? 'GBP', admin });
      return { groupId: group.id, slug: group.slug, logAddress: logAddress(group, deps.config.inboundDomain), apiKey, adminMemberId: member.id };
    }
    if (noun === 'member' && verb === 'add') {
      const { values } = options(rest, { group: { required: true }, name: { required: true }, email: { required: true }, business: {}, category: {} });
      const group = await deps.store.getGroupBySlug(values.group!.toLowerCase());
      if (!group) throw new UsageError(`no group with slug "${values.group}"`);
      const { member, apiKey } = await addMember(deps, group.id, { name: values.name!, email: values.email!, business: values.business, category: values.category });
      return { memberId: member.id, apiKey };
    }
    if (noun === 'member' && verb === 'import') {
      const { values, flags, positionals } = options(rest, { group: { required: true }, 'dry-run': { flag: true }, reactivate: { flag: true }, welcome: { flag: true } });
      if (positionals.length > 1) throw new UsageError(`member import takes one file, got ${positionals.length}`);
      const csv = readRosterFile(positionals[0]);
      const group = await deps.store.getGroupBySlug(values.group!.toLowerCase());
      if (!group) throw new UsageError(`no group with slug "${values.group}"`);
      const { counts, welcomes } = await importRoster(deps, group, csv, { dryRun: flags['dry-run'], reactivate: flags.reactivate, welcome: flags.welcome });
      if (welcomes.failed) process.stderr.write(`relay: note: ${welcomes.failed} welcome email(s) could not be sent; run the import with --welcome again later\n`);
      return counts;
    }
    if (noun === 'referral' && verb === 'show') {
      const { positionals } = options(rest, {});
      const id = positionals[0];
      if (!id || !/^[a-z0-9]{16}$/.test(id)) throw new UsageError('referral show needs a referral id (16 letters and digits)');
      const referral = await deps.store.getReferral(id);
      if (!referral) throw new NotFoundError('referral');
      const members = new Map((await deps.store.listMembers(referral.groupId)).map((m) => [m.id, m]));
      return referralView(referral, 'admin', members);
    }
  } catch (err) {
    if (err instanceof $ZodError) throw new UsageError(zodMessage(err));
    if (err instanceof ValidationError || err instanceof RosterFormatError) throw new UsageError(err.message);
    throw err;
  }
  throw new UsageError(`unknown command "${[noun, verb].filter(Boolean).join(' ')}"\n${USAGE}`);
}
