/** The member directory, one member's page, and my own profile. */
import type { Child } from 'hono/jsx';
import { GoalProgress } from '../reports/goal-progress.js';
import { ReciprocityPanel } from '../reports/reciprocity-panel.js';
import type { Hono } from 'hono';
import { ConflictError, DomainError, NotFoundError, RateLimitError } from '../../domain/errors.js';
import type { Member } from '../../domain/types.js';
import { formatInZone, startOfLocalMonth } from '../../domain/zoned-time.js';
import { newAddresses, updateMember } from '../../members/members.js';
import type { AppEnv, Session } from '../context.js';
import { sendAddressConfirmations } from '../mail-links.js';
import { parseProfileForm } from './forms.js';
import { FieldError, Input, Layout, TextArea, type FieldErrors, type Flash } from './layout.js';
import { doneFlash, html, pageSession, readForm, seeOther } from './page-kit.js';

/** The three profile questions: asked of the member, shown to everyone choosing a provider. */
export const PROFILE_QUESTIONS = [
  { field: 'tellPeople', ask: 'What do you want me to tell people about you?', heading: 'Tell people' },
  { field: 'goodReferral', ask: 'What is a good referral for you?', heading: 'A good referral' },
  { field: 'setsApart', ask: 'What sets you apart?', heading: 'What sets them apart' },
] as const;

const ID = /^[a-z0-9]{16}$/;

function ProfileAnswers({ member }: { member: Member }) {
  const answered = PROFILE_QUESTIONS.filter((q) => member.profile[q.field]);
  if (answered.length === 0) return <p class="muted">No profile yet.</p>;
  return (
    <dl class="facts">
      {answered.map((q) => (
        <>
          <dt>{q.heading}</dt>
          <dd>{member.profile[q.field]}</dd>
        </>
      ))}
    </dl>
  );
}

const businessLine = (m: Member) => [m.business, m.category].filter(Boolean).join(' · ');

function DirectoryPage({ session, members }: { session: Session; members: Member[] }) {
  return (
    <Layout title="Members" session={session} nav="members">
      <h1>Members</h1>
      <p class="muted">{members.length} active members in {session.group.name}.</p>
      {members.map((m) => (
        <div class="card">
          <h3>
            <a href={`/members/${m.id}`}>{m.name}</a>
          </h3>
          {businessLine(m) ? <p class="muted">{businessLine(m)}</p> : null}
          <ProfileAnswers member={m} />
          {m.id !== session.member.id ? (
            <p>
              <a href={`/refer?provider=${m.id}`}>Refer someone to {m.name}</a>
            </p>
          ) : null}
        </div>
      ))}
    </Layout>
  );
}

function MemberPage(props: { session: Session; member: Member; given: number; received: number; month: string; children?: Child }) {
  const { session, member } = props;
  return (
    <Layout title={member.name} session={session} nav="members">
      <p>
        <a href="/members">← Members</a>
      </p>
      <h1>{member.name}</h1>
      {member.status !== 'active' ? <div class="flash error">This member has been removed from the group.</div> : null}
      <div class="card">
        {businessLine(member) ? <p class="muted">{businessLine(member)}</p> : null}
        <ProfileAnswers member={member} />
      </div>
      <h2>{props.month}</h2>
      <div class="card">
        <dl class="facts">
          <dt>Referrals given</dt>
          <dd>
            <span id="given-count">{props.given}</span>
            {member.goalPerMonth !== undefined ? ` (goal: ${member.goalPerMonth} a month)` : ''}
          </dd>
          <dt>Referrals received</dt>
          <dd id="received-count">{props.received}</dd>
        </dl>
      </div>
      {props.children}
      {member.id !== session.member.id && member.status === 'active' ? (
        <p>
          <a class="button" href={`/refer?provider=${member.id}`}>
            Refer someone to {member.name}
          </a>
        </p>
      ) : null}
    </Layout>
  );
}

function ProfilePage(props: { session: Session; member: Member; values?: Record<string, string>; errors?: FieldErrors; flash?: Flash }) {
  const { session, member, errors } = props;
  const values = props.values ?? {
    name: member.name,
    business: member.business ?? '',
    category: member.category ?? '',
    tellPeople: member.profile.tellPeople ?? '',
    goodReferral: member.profile.goodReferral ?? '',
    setsApart: member.profile.setsApart ?? '',
    goalPerMonth: member.goalPerMonth !== undefined ? String(member.goalPerMonth) : '',
    extraAddresses: [...member.extraAddresses, ...member.pendingExtraAddresses].join('\n'),
  };
  return (
    <Layout title="My profile" session={session} nav="profile" flash={props.flash}>
      <h1>My profile</h1>
      <form method="post" action="/profile" novalidate>
        <Input name="name" label="Name" value={values.name} errors={errors} required maxlength={120} autocomplete="name" />
        <div class="grid2">
          <Input name="business" label="Business" value={values.business} errors={errors} maxlength={200} autocomplete="organization" />
          <Input name="category" label="Category" hint="e.g. Bookkeeper, Plumber" value={values.category} errors={errors} maxlength={120} />
        </div>
        {PROFILE_QUESTIONS.map((q) => (
          <TextArea name={q.field} label={q.ask} value={values[q.field]} errors={errors} maxlength={1000} rows={3} />
        ))}
        <Input name="goalPerMonth" label="Monthly giving goal" hint="How many referrals you aim to give each month." type="number" min={0} max={1000} value={values.goalPerMonth} errors={errors} />
        <TextArea
          name="extraAddresses"
          label="Extra sender addresses"
          hint="Other addresses you send email from, one per line. Each new one gets a confirmation link and counts once you click it."
          value={values.extraAddresses}
          errors={errors}
          rows={3}
        />
        <div class="actions">
          <button type="submit">Save my profile</button>
        </div>
      </form>
      <h2>Your addresses</h2>
      <ul class="card">
        <li>
          {member.email} <span class="muted">(main address)</span>
        </li>
        {member.extraAddresses.map((a) => (
          <li>
            {a} <span class="muted">(confirmed)</span>
          </li>
        ))}
        {member.pendingExtraAddresses.map((a) => (
          <li>
            {a} <span class="badge logged">awaiting confirmation</span>
            <form method="post" action="/profile/resend-confirmation">
              <input type="hidden" name="address" value={a} />
              <button type="submit" class="secondary">
                Send the link again
              </button>
            </form>
          </li>
        ))}
      </ul>
      <FieldError errors={errors} name="form" />
    </Layout>
  );
}

export function registerMemberPages(pages: Hono<AppEnv>) {
  pages.get('/members', async (c) => {
    const s = pageSession(c);
    const members = (await c.get('deps').store.listMembers(s.group.id)).filter((m) => m.status === 'active').sort((a, b) => a.name.localeCompare(b.name));
    return html(c, <DirectoryPage session={s} members={members} />);
  });

  pages.get('/members/:id', async (c) => {
    const s = pageSession(c);
    const deps = c.get('deps');
    const id = c.req.param('id');
    const member = ID.test(id) ? await deps.store.getMember(id) : undefined;
    if (!member || member.groupId !== s.group.id || (member.status !== 'active' && !s.isAdmin)) throw new NotFoundError('member');
    const monthStart = startOfLocalMonth(deps.clock.now(), s.group.timezone);
    const since = new Date(monthStart).toISOString();
    const inMonth = (r: { createdAt: string }) => r.createdAt >= since;
    const [given, received, members] = await Promise.all([deps.store.listReferrals({ givenBy: member.id }), deps.store.listReferrals({ receivedBy: member.id }), deps.store.listMembers(s.group.id)]);
    // The reciprocity ledger: whole for yourself and admins; otherwise only what passed between you two.
    const mayseeAll = member.id === s.member.id || s.isAdmin;
    const between = [...given, ...received].filter((r) => mayseeAll || r.referrerId === s.member.id || r.providerId === s.member.id);
    return html(
      c,
      <MemberPage session={s} member={member} given={given.filter(inMonth).length} received={received.filter(inMonth).length} month={`This month (${formatInZone(monthStart, s.group.timezone, 'LLLL yyyy')})`}>
        {mayseeAll ? <GoalProgress member={member} referrals={given} timezone={s.group.timezone} now={deps.clock.now()} self={member.id === s.member.id} /> : null}
        <ReciprocityPanel memberId={member.id} members={members} referrals={between} self={member.id === s.member.id} />
      </MemberPage>,
    );
  });

  pages.get('/profile', async (c) => {
    const s = pageSession(c);
    const member = (await c.get('deps').store.getMember(s.member.id)) ?? s.member;
    return html(c, <ProfilePage session={s} member={member} flash={doneFlash(c)} />);
  });

  pages.post('/profile', async (c) => {
    const s = pageSession(c);
    const deps = c.get('deps');
    const values = (await readForm(c)).values();
    const before = (await deps.store.getMember(s.member.id)) ?? s.member;
    const parsed = parseProfileForm(values);
    if (!parsed.ok) return html(c, <ProfilePage session={s} member={before} values={values} errors={parsed.errors} flash={{ kind: 'error', text: 'Some details need fixing: see the marked fields.' }} />, 422);
    try {
      // Links go to newly added addresses only (one still waiting can be re-sent from its row), each
      // taking one of the member's allowance before anything is stored.
      const fresh = newAddresses(before, parsed.value.extraAddresses);
      if (fresh.length > 0) await deps.limits.take('addressConfirmations', s.member.id, fresh.length);
      // Always as a member, even for admins: an address you add for yourself is confirmed by a click,
      // so a typo can never let a stranger's mail act in your name.
      const { member } = await updateMember(deps, s.member.id, parsed.value, { isAdmin: false });
      await sendAddressConfirmations(deps, member, fresh);
      return seeOther(c, `/profile?done=${fresh.length > 0 ? 'profile_confirm' : 'profile'}`);
    } catch (err) {
      if (err instanceof RateLimitError) c.header('Retry-After', String(err.retryAfterSeconds));
      if (err instanceof ConflictError || err instanceof RateLimitError || (err instanceof DomainError && err.status === 422)) {
        return html(c, <ProfilePage session={s} member={before} values={values} errors={{ extraAddresses: err.message }} flash={{ kind: 'error', text: err.message }} />, err.status);
      }
      throw err;
    }
  });

  pages.post('/profile/resend-confirmation', async (c) => {
    const s = pageSession(c);
    const deps = c.get('deps');
    const address = (await readForm(c)).get('address').trim().toLowerCase();
    const member = await deps.store.getMember(s.member.id);
    if (!member || !member.pendingExtraAddresses.includes(address)) return seeOther(c, '/profile');
    // One resend per address per hour: the button cannot be used to flood someone's mailbox.
    const hour = Math.floor(deps.clock.now().getTime() / 3_600_000);
    if (await deps.store.claimOnce(`confirm-resend:${member.id}:${address}:${hour}`, new Date((hour + 1) * 3_600_000), deps.clock.now())) {
      await deps.limits.take('addressConfirmations', member.id);
      await sendAddressConfirmations(deps, member, [address]);
    }
    return seeOther(c, '/profile?done=resent');
  });
}
