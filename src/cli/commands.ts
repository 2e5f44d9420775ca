import { $ZodError } from 'zod/v4/core';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { readFileSync } from 'node:fs';
import { reactivateMember, revokeApiKeys, rotateApiKey } from '../members/credentials.js';
import { importRoster } from '../members/roster/apply-import.js';
import { RosterFormatError, rosterText } from '../members/roster/read-roster.js';
import { addMember, createGroup, logAddress } from '../members/members.js';
import { emailSchema } from '../members/schemas.js';
import type { RelayDeps } from '../referrals/deps.js';
import { migrate } from '../referrals/migrate.js';
import { referralView } from '../referrals/view.js';
import { deliveryView, registerWebhook, removeWebhook, troubledDeliveries, webhookView } from '../webhooks/registry.js';
import { newWebhookSchema } from '../webhooks/schema.js';
import { UsageError, type Invocation } from './usage.js';

/** The roster file's text; a file that is not there or not text is a usage error (exit 2). */
function readRosterFile(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new UsageError(`cannot read "${path}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return rosterText(bytes);
}

function memberId(id: string): string {
  if (!/^[a-z0-9]{16}$/.test(id)) throw new UsageError('--id needs a member id (16 letters and digits)');
  return id;
}

/** "Ada Lovelace <ada@example.com>" → name and email. */
export function parseNameAddress(value: string): { name: string; email: string } {
  const match = /^\s*"?([^"<]+?)"?\s*<([^>]+)>\s*$/.exec(value);
  if (!match) throw new UsageError(`--admin must look like "Name <email>", got "${value}"`);
  const email = emailSchema.safeParse(match[2]);
  if (!email.success) throw new UsageError(`--admin: "${match[2]}" is not an email address`);
  return { name: match[1]!.trim(), email: email.data };
}

function zodMessage(err: $ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
}

/** Runs one parsed CLI command against the store; returns the JSON to print. */
export async function runCommand(deps: RelayDeps, invocation: Extract<Invocation, { kind: 'run' }>): Promise<unknown> {
  const { command, values, flags, positionals } = invocation;
  try {
    switch (command) {
      case 'group create': {
        const admin = parseNameAddress(values.admin!);
        const { group, admin: member, apiKey } = await createGroup(deps, { name: values.name!, slug: values.slug!, timezone: values.timezone!, currency: values.currency ?? 'GBP', admin });
        return { groupId: group.id, slug: group.slug, logAddress: logAddress(group, deps.config.inboundDomain), apiKey, adminMemberId: member.id };
      }
      case 'member add': {
        const group = await deps.store.getGroupBySlug(values.group!.toLowerCase());
        if (!group) throw new UsageError(`no group with slug "${values.group}"`);
        const { member, apiKey } = await addMember(deps, group.id, { name: values.name!, email: values.email!, business: values.business, category: values.category });
        return { memberId: member.id, apiKey };
      }
      case 'member import': {
        const csv = readRosterFile(positionals[0]!);
        const group = await deps.store.getGroupBySlug(values.group!.toLowerCase());
        if (!group) throw new UsageError(`no group with slug "${values.group}"`);
        const { counts, welcomes } = await importRoster(deps, group, csv, { dryRun: flags['dry-run'], reactivate: flags.reactivate, welcome: flags.welcome });
        if (welcomes.failed) process.stderr.write(`relay: note: ${welcomes.failed} welcome email(s) could not be sent; run the import with --welcome again later\n`);
        return counts;
      }
      case 'member key rotate': {
        const { member, apiKey } = await rotateApiKey(deps, memberId(values.id!));
        return { memberId: member.id, apiKey };
      }
      case 'member key revoke':
        return { memberId: (await revokeApiKeys(deps, memberId(values.id!))).id, revoked: true };
      case 'member reactivate': {
        const { member, apiKey } = await reactivateMember(deps, memberId(values.id!));
        return { memberId: member.id, status: member.status, ...(apiKey ? { apiKey } : {}) };
      }
      case 'referral show': {
        const id = positionals[0]!;
        if (!/^[a-z0-9]{16}$/.test(id)) throw new UsageError('referral show needs a referral id (16 letters and digits)');
        const referral = await deps.store.getReferral(id);
        if (!referral) throw new NotFoundError('referral');
        const members = new Map((await deps.store.listMembers(referral.groupId)).map((m) => [m.id, m]));
        return referralView(referral, 'admin', members);
      }
      case 'migrate':
        return migrate(deps);
      case 'webhook add':
      case 'webhook list':
      case 'webhook remove': {
        const group = await deps.store.getGroupBySlug(values.group!.toLowerCase());
        if (!group) throw new UsageError(`no group with slug "${values.group}"`);
        if (command === 'webhook list') return { items: (await deps.store.listWebhooks(group.id)).map(webhookView), failing: (await troubledDeliveries(deps, group.id)).map(deliveryView) };
        if (command === 'webhook remove') {
          await removeWebhook(deps, group.id, positionals[0]!);
          return { removed: positionals[0] };
        }
        const input = newWebhookSchema.parse({ url: values.url, ...(values.events ? { events: values.events.split(',').map((e) => e.trim()).filter(Boolean) } : {}) });
        const webhook = await registerWebhook(deps, group.id, input);
        return { id: webhook.id, url: webhook.url, events: webhook.events, secret: webhook.secret };
      }
    }
  } catch (err) {
    if (err instanceof $ZodError) throw new UsageError(zodMessage(err), command);
    if (err instanceof ValidationError || err instanceof RosterFormatError) throw new UsageError(err.message, command);
    if (err instanceof NotFoundError && command === 'webhook remove') throw new UsageError(`no webhook "${positionals[0]}" in this group`, command);
    if (err instanceof UsageError && !err.command) throw new UsageError(err.message, command);
    throw err;
  }
}
