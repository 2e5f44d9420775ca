/** GET/POST /refer: the referral form, with every provider's profile in view. */
import { randomBytes } from 'node:crypto';
import type { Hono } from 'hono';
import { searchMembers } from '../../inbound/member-words.js';
import { ConflictError, DomainError, RateLimitError } from '../../domain/errors.js';
import type { Member } from '../../domain/types.js';
import type { RelayDeps } from '../../referrals/deps.js';
import { logReferral } from '../../referrals/log-referral.js';
import { resolveMember } from '../api/routes.js';
import type { AppEnv, Session } from '../context.js';
import { TEMPERATURES } from './format.js';
import { parseReferForm } from './forms.js';
import { FieldError, Input, Layout, TextArea, type FieldErrors, type Flash } from './layout.js';
import { html, pageSession, readForm, seeOther } from './page-kit.js';

const NONCE = /^[A-Za-z0-9_-]{8,40}$/;

function ProviderCards({ members }: { members: Member[] }) {
  return (
    <details>
      <summary>What a good referral is for each member</summary>
      <div>
        {members.map((m) => (
          <div class="card" id={`profile-${m.id}`}>
            <h3>{m.name}</h3>
            {m.business || m.category ? <p class="muted">{[m.business, m.category].filter(Boolean).join(' · ')}</p> : null}
            <p>
              <strong>A good referral: </strong>
              {m.profile.goodReferral || 'Not filled in yet.'}
            </p>
            {m.profile.tellPeople ? (
              <p>
                <strong>Tell people: </strong>
                {m.profile.tellPeople}
              </p>
            ) : null}
            {m.profile.setsApart ? (
              <p>
                <strong>What sets them apart: </strong>
                {m.profile.setsApart}
              </p>
            ) : null}
          </div>
        ))}
      </div>
    </details>
  );
}

/**
 * Finding the provider without JavaScript: a GET form that narrows the list below to the members
 * whose name, business, trade or profile match (the same loose matching as email notes use).
 */
function ProviderSearch(props: { query: string; found: number; total: number }) {
  return (
    <form method="get" action="/refer" role="search" class="card" id="provider-search">
      <label for="q">
        Find a member
        <span class="hint">By name, business or trade, e.g. “Priya”, “Ledger Lane” or “bookkeeper”.</span>
      </label>
      <div class="grid2">
        <input type="search" id="q" name="q" value={props.query} maxlength={100} />
        <div class="actions">
          <button type="submit">Search</button>
          {props.query ? <a href="/refer">Show everyone</a> : null}
        </div>
      </div>
      {props.query ? (
        <p class="muted" id="provider-search-result">
          {props.found === 0 ? `No member matches “${props.query}”; showing everyone.` : `${props.found} of ${props.total} members match “${props.query}”.`}
        </p>
      ) : null}
    </form>
  );
}

export function ReferPage(props: { session: Session; providers: Member[]; values: Record<string, string>; errors?: FieldErrors; flash?: Flash; query?: string }) {
  const { values, errors } = props;
  const query = (props.query ?? '').trim();
  const found = query ? searchMembers(query, props.providers) : props.providers;
  // The chosen provider stays in the list even when the search would hide them.
  const providers = found.length === 0 ? props.providers : props.providers.filter((m) => found.includes(m) || m.id === values.provider);
  if (query && found.length === 1 && !values.provider) values.provider = found[0]!.id;
  const invalid = (name: string) => (errors?.[name] ? 'invalid' : undefined);
  return (
    <Layout title="Refer someone" session={props.session} nav="refer" flash={props.flash}>
      <h1>Refer someone</h1>
      <ProviderSearch query={query} found={query ? found.length : props.providers.length} total={props.providers.length} />
      <form method="post" action="/refer" novalidate>
        <input type="hidden" name="nonce" value={values.nonce ?? ''} />
        <div class={invalid('provider')}>
          <label for="provider">
            Who should help them?
            <span class="hint">The member you are passing this referral to.</span>
          </label>
          <select id="provider" name="provider" required aria-invalid={errors?.provider ? 'true' : undefined}>
            <option value="">Choose a member…</option>
            {providers.map((m) => (
              <option value={m.id} selected={values.provider === m.id}>
                {m.category ? `${m.name} — ${m.category}` : m.name}
              </option>
            ))}
          </select>
          <FieldError errors={errors} name="provider" />
        </div>
        <ProviderCards members={providers} />

        <fieldset>
          <legend>The prospect</legend>
          <Input name="name" label="Name" value={values.name} errors={errors} required maxlength={200} />
          <div class="grid2">
            <Input name="email" label="Email" type="email" value={values.email} errors={errors} maxlength={254} hint="Needed for an introduction email." />
            <Input name="phone" label="Phone" type="tel" value={values.phone} errors={errors} maxlength={40} />
          </div>
          <Input name="company" label="Company" value={values.company} errors={errors} maxlength={200} />
        </fieldset>

        <TextArea name="need" label="What do they need?" hint="In a sentence or two, as you would tell the member." value={values.need} errors={errors} required maxlength={5000} />

        <fieldset class={invalid('temperature')}>
          <legend>How warm is it?</legend>
          {TEMPERATURES.map((t) => (
            <label class="choice">
              <input type="radio" name="temperature" value={String(t.value)} checked={values.temperature === String(t.value)} />
              <span>
                <strong>
                  {t.value} · {t.title}
                </strong>
                <span class="hint">{t.explanation}</span>
              </span>
            </label>
          ))}
          <FieldError errors={errors} name="temperature" />
        </fieldset>

        <fieldset class={invalid('consent')}>
          <legend>Consent</legend>
          <label class="choice">
            <input type="checkbox" name="consent" value="on" checked={values.consent === 'on'} />
            <span>
              The prospect agreed to be contacted — required for an introduction email
              <span class="hint">Without it no email goes to the prospect; the member will wait for them to get in touch.</span>
            </span>
          </label>
        </fieldset>

        <TextArea name="note" label="Note for the member (optional)" hint="Anything that helps: best time to call, how you know them." value={values.note} errors={errors} maxlength={5000} rows={3} />
        <Input name="intro" label="A line for the prospect (optional)" hint="Shown in the introduction email, in your words, e.g. “Priya sorted out my VAT in a week — you'll like her.” Your note and the need are never shown to the prospect." value={values.intro} errors={errors} maxlength={300} />

        <div class="actions">
          <button type="submit">Send the referral</button>
        </div>
      </form>
    </Layout>
  );
}

/** Everyone you could refer to: the group's active members except yourself. */
async function providersFor(deps: RelayDeps, session: Session) {
  const members = await deps.store.listMembers(session.group.id);
  return members.filter((m) => m.status === 'active' && m.id !== session.member.id).sort((a, b) => a.name.localeCompare(b.name));
}

export function registerReferPages(pages: Hono<AppEnv>) {
  pages.get('/refer', async (c) => {
    const s = pageSession(c);
    // A fresh key per form: a double-submitted form logs one referral.
    const values: Record<string, string> = { nonce: randomBytes(12).toString('base64url') };
    const provider = c.req.query('provider');
    if (provider) values.provider = provider;
    const query = (c.req.query('q') ?? '').slice(0, 100);
    return html(c, <ReferPage session={s} providers={await providersFor(c.get('deps'), s)} values={values} query={query} />);
  });

  pages.post('/refer', async (c) => {
    const s = pageSession(c);
    const deps = c.get('deps');
    const values = (await readForm(c)).values();
    const again = async (status: 409 | 422 | 400 | 403 | 404 | 429, errors: FieldErrors, flash: Flash) =>
      html(c, <ReferPage session={s} providers={await providersFor(c.get('deps'), s)} values={values} errors={errors} flash={flash} />, status);

    const parsed = parseReferForm(values);
    if (!parsed.ok) return again(422, parsed.errors, { kind: 'error', text: 'Some details need fixing: see the marked fields.' });
    const input = parsed.value;
    const nonce = NONCE.test(values.nonce ?? '') ? values.nonce : undefined;
    try {
      await deps.limits.take('referrals', s.member.id);
      const provider = await resolveMember(deps, s.group.id, input.provider, 'provider');
      const { referral } = await logReferral(
        deps,
        { groupId: s.group.id, referrerId: s.member.id, providerId: provider.id, prospect: input.prospect, need: input.need, temperature: input.temperature, consent: input.consent, note: input.note, introLine: input.intro || undefined, source: 'web' },
        { via: 'web', actorId: s.member.id, idempotency: nonce ? { key: `${s.member.id}:web:${nonce}` } : undefined },
      );
      return seeOther(c, `/referrals/${referral.id}?done=logged`);
    } catch (err) {
      if (err instanceof ConflictError) {
        const existingId = (err.details as { existingId?: string } | undefined)?.existingId;
        return again(409, { email: 'Already referred to this member in the last 30 days' }, { kind: 'error', text: err.message, link: existingId ? { href: `/referrals/${existingId}`, label: 'Open the existing referral' } : undefined });
      }
      if (err instanceof RateLimitError) {
        c.header('Retry-After', String(err.retryAfterSeconds));
        return again(429, {}, { kind: 'error', text: err.message });
      }
      if (err instanceof DomainError && err.status !== 401) {
        const field = (err.details as { field?: string } | undefined)?.field ?? 'provider';
        return again(err.status === 409 ? 409 : err.status === 403 ? 403 : 422, { [field]: err.message }, { kind: 'error', text: err.message });
      }
      throw err;
    }
  });
}
