import { parseArgs } from 'node:util';
import { $ZodError } from 'zod/v4/core';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { addMember, createGroup, logAddress } from '../members/members.js';
import { emailSchema } from '../members/schemas.js';
import type { RelayDeps } from '../referrals/deps.js';
import { migrate } from '../referrals/migrate.js';
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
  relay referral show ID
  relay migrate`;

/** "Ada Lovelace <ada@example.com>" → name and email. */
export function parseNameAddress(value: string): { name: string; email: string } {
  const match = /^\s*"?([^"<]+?)"?\s*<([^>]+)>\s*$/.exec(value);
  if (!match) throw new UsageError(`--admin must look like "Name <email>", got "${value}"`);
  const email = emailSchema.safeParse(match[2]);
  if (!email.success) throw new UsageError(`--admin: "${match[2]}" is not an email address`);
  return { name: match[1]!.trim(), email: email.data };
}

function options(args: string[], spec: Record<string, { required?: boolean }>) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: Object.fromEntries(Object.keys(spec).map((k) => [k, { type: 'string' as const }])), allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]!);
  }
  for (const [name, s] of Object.entries(spec)) {
    if (s.required && !parsed.values[name]) throw new UsageError(`missing --${name}`);
  }
  return { values: parsed.values as Record<string, string | undefined>, positionals: parsed.positionals };
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
    if (noun === 'migrate') {
      if (verb) throw new UsageError('migrate takes no arguments');
      return migrate(deps);
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
    if (err instanceof ValidationError) throw new UsageError(err.message);
    throw err;
  }
  throw new UsageError(`unknown command "${[noun, verb].filter(Boolean).join(' ')}"\n${USAGE}`);
}
