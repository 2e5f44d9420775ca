/**
 * Shared test support for the inbound mail cases: the Harbour Chapter roster, loading .eml fixtures with the
 * log address filled in, and checking one case of an expected.json against parse + resolve.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { parseMail, type ParsedMail } from '../../../src/inbound/parse-mail.js';
import { resolveReferralFromMail, type MailResolution, type RosterMember } from '../../../src/inbound/resolve-parties.js';

export const LOG_ADDRESS = 'harbour@relay.localhost';
export const INBOUND_DOMAIN = 'relay.localhost';

const fixtures = fileURLToPath(new URL('../../fixtures/', import.meta.url));

interface MemberFixture {
  name: string;
  email: string;
  business?: string;
  category?: string;
  profile?: { tellPeople?: string; goodReferral?: string; setsApart?: string };
  extraAddresses?: string[];
  status?: 'active' | 'removed';
}

/** The Harbour Chapter from members.json (plus any extra members), ids derived from the primary address. */
export function harbourRoster(extra: MemberFixture[] = []): RosterMember[] {
  const { members } = JSON.parse(readFileSync(`${fixtures}members.json`, 'utf8')) as { members: MemberFixture[] };
  return [...members, ...extra].map((member) => ({
    id: `mem_${member.email.split('@')[0].replace(/\W/g, '')}`,
    name: member.name,
    email: member.email,
    extraAddresses: member.extraAddresses ?? [],
    status: member.status ?? 'active',
    business: member.business,
    category: member.category,
    profile: member.profile,
  }));
}

/** Raw bytes of a fixture with {{LOG}} replaced, without decoding (bodies may be in any charset). */
export function loadEml(dir: string, file: string): Uint8Array {
  const latin1 = readFileSync(`${fixtures}${dir}/${file}`).toString('latin1');
  return new Uint8Array(Buffer.from(latin1.replaceAll('{{LOG}}', LOG_ADDRESS), 'latin1'));
}

export function emlFiles(dir: string): string[] {
  return readdirSync(`${fixtures}${dir}`).filter((file) => file.endsWith('.eml')).sort();
}

type ProspectExpectation = Record<string, string | null>;

/** One case of an expected.json (both the shared fixtures and the own corpus use this form). */
export interface MailCase {
  envelopeTo?: string;
  referral: null | {
    status: 'logged' | 'needs_info';
    referrer: string;
    provider?: string;
    prospect?: ProspectExpectation;
    needIncludes?: string[];
    needExcludes?: string[];
    consent?: boolean;
    introducedByReferrer?: boolean;
    missing?: string[];
    providerCandidates?: string[];
    questionIncludes?: string[];
  };
  outcome?: string;
  senderEmail?: string;
  emails?: string[];
  parse?: {
    forwardedFrom?: string[];
    via?: string[];
    subject?: string;
    autoReply?: boolean;
    noteIncludes?: string[];
    noteExcludes?: string[];
    textIncludes?: string[];
    htmlIncludes?: string[];
    forwardedBodyIncludes?: string[];
  };
}

export interface CaseFile {
  extraMembers?: MemberFixture[];
  cases: Record<string, MailCase>;
}

export function loadCases(dir: string): CaseFile {
  return JSON.parse(readFileSync(`${fixtures}${dir}/expected.json`, 'utf8')) as CaseFile;
}

/** Parses and resolves one fixture the way the inbound handler will. */
export async function readCase(
  dir: string,
  file: string,
  testCase: MailCase,
  roster: RosterMember[],
): Promise<{ mail: ParsedMail; result: MailResolution }> {
  const mail = await parseMail(loadEml(dir, file));
  const envelopeTo = [(testCase.envelopeTo ?? '{{LOG}}').replace('{{LOG}}', LOG_ADDRESS)];
  const result = resolveReferralFromMail({ mail, envelopeTo, logAddress: LOG_ADDRESS, inboundDomain: INBOUND_DOMAIN, roster });
  return { mail, result };
}

/** Asserts every expectation the case states; nothing it does not state. */
export function assertCase(testCase: MailCase, mail: ParsedMail, result: MailResolution, roster: RosterMember[]): void {
  const emailOf = (id: string | undefined): string | undefined => roster.find((m) => m.id === id)?.email;
  assertParse(testCase.parse, mail);

  const expected = testCase.referral;
  if (expected === null) {
    const [kind, reason] = (testCase.outcome ?? 'not_member').split(':');
    expect(result.kind).toBe(kind);
    if (reason && result.kind === 'ignore') expect(result.reason).toBe(reason);
    if (testCase.senderEmail && result.kind === 'not_member') expect(result.senderEmail).toBe(testCase.senderEmail);
    return;
  }

  expect(result.kind).toBe(expected.status === 'logged' ? 'referral' : 'needs_info');
  if (result.kind !== 'referral' && result.kind !== 'needs_info') return;
  expect(emailOf(result.referrerId)).toBe(expected.referrer);
  if (expected.provider) expect(emailOf(result.providerId)).toBe(expected.provider);
  else if (expected.status === 'needs_info' && expected.missing?.includes('provider')) expect(result.providerId).toBeUndefined();

  for (const [field, value] of Object.entries(expected.prospect ?? {})) {
    expect(result.prospect?.[field as keyof typeof result.prospect], `prospect.${field}`).toBe(value ?? undefined);
  }
  for (const text of expected.needIncludes ?? []) expect(result.need).toContain(text);
  for (const text of expected.needExcludes ?? []) expect(result.need).not.toContain(text);
  if (expected.consent !== undefined) expect(result.consent).toBe(expected.consent);
  if (expected.introducedByReferrer !== undefined) expect(result.introducedByReferrer).toBe(expected.introducedByReferrer);

  if (result.kind === 'needs_info') {
    if (expected.missing) expect(result.missing).toEqual(expected.missing);
    if (expected.providerCandidates) expect(result.providerCandidates.map((c) => c.email)).toEqual(expected.providerCandidates);
    for (const text of expected.questionIncludes ?? []) expect(result.question).toContain(text);
  }
}

function assertParse(expected: MailCase['parse'], mail: ParsedMail): void {
  if (!expected) return;
  if (expected.forwardedFrom) expect(mail.forwarded.map((m) => m.from?.email ?? '')).toEqual(expected.forwardedFrom);
  if (expected.via) expect(mail.forwarded.map((m) => m.via)).toEqual(expected.via);
  if (expected.subject !== undefined) expect(mail.subject).toBe(expected.subject);
  if (expected.autoReply !== undefined) expect(mail.autoReply).toBe(expected.autoReply);
  for (const text of expected.noteIncludes ?? []) expect(mail.note).toContain(text);
  for (const text of expected.noteExcludes ?? []) expect(mail.note).not.toContain(text);
  for (const text of expected.textIncludes ?? []) expect(mail.text).toContain(text);
  for (const text of expected.htmlIncludes ?? []) expect(mail.html ?? '').toContain(text);
  const bodies = mail.forwarded.map((m) => m.body).join('\n');
  for (const text of expected.forwardedBodyIncludes ?? []) expect(bodies).toContain(text);
}
