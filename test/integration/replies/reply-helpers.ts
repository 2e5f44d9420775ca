import { newId } from '../../../src/domain/ids.js';
import { dispatchStep } from '../../../src/referrals/engine.js';
import { addMember, createGroup } from '../../../src/members/members.js';
import { api, deps, eventually, inboundDomain, onFileStart, ownAddress, sendSmtp, sentEmails, type StoredEmail } from '../harness.js';

/** Alice and Priya of this file (see ownAddress): files side by side never see each other's mail to them. */
export let ALICE = ownAddress('alice@morganlaw.example');
export let PRIYA = ownAddress('priya@ledgerlane.example');
onFileStart(() => {
  ALICE = ownAddress('alice@morganlaw.example');
  PRIYA = ownAddress('priya@ledgerlane.example');
});

/** A fresh group like the fixtures' Harbour Chapter and a referral Alice → Priya for Bob Stone. */
export async function referralAlicePriya(opts: { consent?: boolean } = {}) {
  const d = deps();
  const tag = newId(6);
  const { group, admin, apiKey: aliceKey } = await createGroup(d, { name: 'Harbour Chapter', slug: `hb-${tag}`, timezone: 'Europe/London', admin: { name: 'Alice Morgan', email: ALICE } });
  const priya = await addMember(d, group.id, { name: 'Priya Shah', email: PRIYA, business: 'Ledger Lane' });
  const tom = await addMember(d, group.id, { name: 'Tom Becker', email: `tom-${tag}@beckerinteriors.example`, business: 'Becker Interiors' });
  const prospectEmail = `bob-${tag}@stonebakery.example`;
  const res = await api('POST', '/api/referrals', { key: aliceKey, body: { provider: priya.member.id, prospect: { name: 'Bob Stone', email: prospectEmail }, need: 'A bookkeeper before January', consent: opts.consent ?? true } });
  if (res.status !== 201) throw new Error(`referral: ${res.status} ${JSON.stringify(res.body)}`);
  return { d, group, tag, alice: { id: admin.id, key: aliceKey }, priya: { id: priya.member.id, key: priya.apiKey }, tom: { id: tom.member.id, email: tom.member.email }, prospectEmail, id: res.body.id as string };
}

/** The email of `kind` about this referral, from the local SES store (found by its timeline event). */
export async function emailOf(referralId: string, kind: string, to?: string): Promise<StoredEmail> {
  const d = deps();
  const event = await eventually(async () => (await d.store.getReferral(referralId))?.timeline.find((e) => e.type === 'email' && e.kind === kind && (!to || e.to === to)), `${kind} email`);
  return eventually(async () => (await sentEmails()).find((m) => m.messageId === event.messageId), `${kind} in the SES store`);
}

/**
 * Runs a referral's pending step now, through the same dispatch code the scheduler uses, without
 * moving the shared clock (moving it weeks per case would run every other test group's digests too).
 */
export async function fireStep(referralId: string, kind: string) {
  const d = deps();
  const r = (await d.store.getReferral(referralId))!;
  const step = r.pending.find((p) => p.kind === kind);
  if (!step) throw new Error(`no pending ${kind}`);
  const outcome = await dispatchStep(d, { stepId: step.id, referralId, kind: step.kind });
  if (outcome !== 'sent') throw new Error(`${kind} was not sent: ${outcome}`);
}

/** Fills a fixture's placeholders from the real email being answered. */
export function fillReply(template: string, answered: StoredEmail, from: string): string {
  const replyTo = answered.replyTo[0]!;
  const quoted = (answered.body.text ?? '').split('\n').find((l) => l.trim().length > 10) ?? answered.subject;
  const fill = (s: string) =>
    s
      .replaceAll('{{REPLY_TO}}', replyTo)
      .replaceAll('{{FROM}}', from)
      .replaceAll('{{SUBJECT}}', answered.subject)
      .replaceAll('{{IN_REPLY_TO}}', `<${answered.messageId}@email.amazonses.com>`)
      .replaceAll('{{QUOTED_LINE}}', quoted);
  return fill(template).replace(/\{\{BASE64:([\s\S]*?)\}\}/g, (_, inner: string) =>
    Buffer.from(fill(inner), 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n'),
  );
}

/** Sends a plain reply over SMTP to the Reply-To of `answered`. */
export async function reply(answered: StoredEmail, from: string, body: string, headers: Record<string, string> = {}) {
  const to = answered.replyTo[0]!;
  const raw = [
    `From: ${from}`,
    `To: ${to}`,
    `Subject: Re: ${answered.subject}`,
    `Message-ID: <${newId()}@client.example>`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
    '',
  ].join('\r\n');
  await sendSmtp(raw, { from, to: [to] });
}

export { inboundDomain };
