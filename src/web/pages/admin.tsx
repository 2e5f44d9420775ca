/** GET /admin (admins only): the members, adding one, importing a roster, the group's cadence settings and its webhooks. */
import type { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.js';
import type { CadenceSettings, Group, Member } from '../../domain/types.js';
import { reactivateMember, revokeApiKeys, rotateApiKey } from '../../members/credentials.js';
import { addMember } from '../../members/members.js';
import { importRoster, planRosterImport } from '../../members/roster/apply-import.js';
import { importCounts } from '../../members/roster/import-plan.js';
import { RosterFormatError, rosterText } from '../../members/roster/read-roster.js';
import { ImportSection, type ImportDone, type ImportPreview } from './admin-import.js';
import { WebhooksSection, type WebhooksSectionProps } from './admin-webhooks.js';
import { registerWebhook, removeWebhook, troubledDeliveries } from '../../webhooks/registry.js';
import { resendWebhookDelivery } from '../../webhooks/resend.js';
import { newWebhookSchema } from '../../webhooks/schema.js';
import { CADENCE_NUMBER_RANGES, DEFAULT_SETTINGS } from '../../schedule/cadence.js';
import { saveGroupSettings } from '../api/settings.js';
import type { AppEnv, Session } from '../context.js';
import { WEEKDAYS } from './format.js';
import { CADENCE_NUMBER_FIELDS, parseNewMemberForm, parseSettingsForm, settingsFieldOf, settingsPatchFromForm } from './forms.js';
import { FieldError, Input, Layout, type FieldErrors, type Flash } from './layout.js';
import { adminSession, doneFlash, html, readForm, seeOther, type FormFields, type PageContext } from './page-kit.js';

type NumberField = (typeof CADENCE_NUMBER_FIELDS)[number];

/** Form labels; the allowed ranges come from the cadence schema itself. */
const SETTING_LABELS: Record<NumberField, string> = {
  thankYouPromptMinutes: 'Thank-you prompt: minutes after logging',
  introMinutes: 'Introduction email: minutes after logging',
  contactReminderHours: 'Contact reminder: hours after the introduction',
  escalationHours: 'Escalation: hours after the introduction',
  connectionCheckDays: 'Connection check: days after the introduction',
  progressRequestDays: 'Progress requests: every so many days',
  maxProgressRequests: 'Unanswered progress requests before dormant',
  dormantAfterDays: 'Dormant: days after the last unanswered request',
  experienceCheckDays: 'Experience check: days after won or lost',
  needsInfoReminderDays: 'Needs-info reminder: days after logging',
  needsInfoExpiryDays: 'Needs-info draft withdrawn after (days)',
  digestHour: 'Weekly digest: hour of the day (0–23)',
};

interface SettingsValues {
  fields: Record<string, string>;
  days: string[];
}

const settingsValues = (s: CadenceSettings): SettingsValues => ({
  fields: {
    ...Object.fromEntries(CADENCE_NUMBER_FIELDS.map((f) => [f, String(s[f])])),
    start: s.businessHours.start,
    end: s.businessHours.end,
    digestDay: String(s.digestDay),
    anniversaryAsks: s.anniversaryAsks === false ? '' : 'on',
  },
  days: s.businessHours.days.map(String),
});

const postedSettings = (form: FormFields): SettingsValues => ({ fields: form.values(), days: form.all('days') });

interface AdminProps {
  session: Session;
  group: Group;
  members: Member[];
  flash?: Flash;
  newMember?: { name: string; apiKey: string };
  memberValues?: Record<string, string>;
  memberErrors?: FieldErrors;
  settings?: SettingsValues;
  settingsErrors?: FieldErrors;
  importPreview?: ImportPreview;
  importDone?: ImportDone;
  importError?: string;
  webhooks?: Omit<WebhooksSectionProps, 'webhooks' | 'troubled'>;
  /** Loaded by renderAdmin. */
  webhookData?: Pick<WebhooksSectionProps, 'webhooks' | 'troubled'>;
}

function AdminPage(props: AdminProps) {
  const { session, group, members, memberErrors, settingsErrors } = props;
  const mv = props.memberValues ?? {};
  const sv = props.settings ?? settingsValues(group.settings);
  const dayName = (d: number) => WEEKDAYS.find((w) => w.value === d)?.name ?? String(d);
  return (
    <Layout title="Admin" session={session} nav="admin" flash={props.flash}>
      <h1>Admin · {group.name}</h1>

      <h2 id="members">Members</h2>
      <table>
        <thead>
          <tr>
            <th>Member</th>
            <th>Role</th>
            <th>Status</th>
            <th>Access</th>
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr>
              <td>
                <a href={`/members/${m.id}`}>{m.name}</a>
                <div class="muted">{m.email}</div>
                {m.category ? <div class="muted">{m.category}</div> : null}
              </td>
              <td>{m.role}</td>
              <td>{m.status}</td>
              <td>
                {m.status === 'active' ? (
                  <>
                    <form method="post" action={`/admin/members/${m.id}/api-key`} class="inline">
                      <button type="submit">New API key</button>
                    </form>
                    <form method="post" action={`/admin/members/${m.id}/api-key/revoke`} class="inline">
                      <button type="submit" class="secondary">Revoke API key</button>
                    </form>
                  </>
                ) : (
                  <form method="post" action={`/admin/members/${m.id}/reactivate`} class="inline">
                    <button type="submit">Reactivate</button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      {props.newMember ? (
        <div class="card" id="new-key">
          <h3>API key for {props.newMember.name}</h3>
          <p>Shown once: copy it now. It lets scripts act as this member.</p>
          <code class="key">{props.newMember.apiKey}</code>
        </div>
      ) : null}

      <div class="card">
        <h3>Add a member</h3>
        <form method="post" action="/admin/members" novalidate>
          <Input name="name" label="Name" value={mv.name} errors={memberErrors} required maxlength={120} />
          <Input name="email" label="Email" type="email" value={mv.email} errors={memberErrors} required maxlength={254} />
          <div class="grid2">
            <Input name="business" label="Business" value={mv.business} errors={memberErrors} maxlength={200} />
            <Input name="category" label="Category" value={mv.category} errors={memberErrors} maxlength={120} />
          </div>
          <div class="actions">
            <button type="submit">Add member</button>
          </div>
        </form>
      </div>

      <ImportSection preview={props.importPreview} done={props.importDone} error={props.importError} />

      <h2 id="settings">When emails go out</h2>
      <p class="muted">
        Times are in the group’s timezone, {group.timezone}. Chases and introductions wait for business hours.
      </p>
      <form method="post" action="/admin/settings" class="card" novalidate>
        <FieldError errors={settingsErrors} name="form" />
        <fieldset class={settingsErrors?.start || settingsErrors?.end || settingsErrors?.days ? 'invalid' : undefined}>
          <legend>Business hours</legend>
          <div class="grid2">
            <Input name="start" label="Start" type="time" value={sv.fields.start} errors={settingsErrors} hint={`Default: ${DEFAULT_SETTINGS.businessHours.start}`} />
            <Input name="end" label="End" type="time" value={sv.fields.end} errors={settingsErrors} hint={`Default: ${DEFAULT_SETTINGS.businessHours.end}`} />
          </div>
          <p class="hint">Business days (default: Monday to Friday)</p>
          <div class="days">
            {WEEKDAYS.map((d) => (
              <label class="choice">
                <input type="checkbox" name="days" value={String(d.value)} checked={sv.days.includes(String(d.value))} />
                <span>{d.name}</span>
              </label>
            ))}
          </div>
          <FieldError errors={settingsErrors} name="days" />
        </fieldset>
        <div class="grid2">
          {CADENCE_NUMBER_FIELDS.map((f) => (
            <Input name={f} label={SETTING_LABELS[f]} type="number" min={CADENCE_NUMBER_RANGES[f].min} max={CADENCE_NUMBER_RANGES[f].max} value={sv.fields[f]} errors={settingsErrors} hint={`Default: ${DEFAULT_SETTINGS[f]}`} />
          ))}
        </div>
        <div class={settingsErrors?.digestDay ? 'invalid' : undefined}>
          <label for="digestDay">
            Weekly digest day <span class="hint">Default: {dayName(DEFAULT_SETTINGS.digestDay)}</span>
          </label>
          <select id="digestDay" name="digestDay">
            {WEEKDAYS.map((d) => (
              <option value={String(d.value)} selected={sv.fields.digestDay === String(d.value)}>
                {d.name}
              </option>
            ))}
          </select>
          <FieldError errors={settingsErrors} name="digestDay" />
        </div>
        <input type="hidden" name="anniversaryAsksShown" value="1" />
        <label class="choice">
          <input type="checkbox" name="anniversaryAsks" value="on" checked={sv.fields.anniversaryAsks === 'on'} />
          <span>
            Anniversary asks: on the anniversary of a won referral, remind the provider to thank the customer (a suggested note they send themselves; we never write to the customer)
          </span>
        </label>
        <div class="actions">
          <button type="submit">Save settings</button>
        </div>
      </form>

      <WebhooksSection webhooks={props.webhookData?.webhooks ?? []} troubled={props.webhookData?.troubled ?? []} {...props.webhooks} />
    </Layout>
  );
}

async function renderAdmin(c: PageContext, s: Session, props: Omit<AdminProps, 'session' | 'group' | 'members'> = {}, status: ContentfulStatusCode = 200) {
  const deps = c.get('deps');
  const group = (await deps.store.getGroup(s.group.id)) ?? s.group;
  const members = (await deps.store.listMembers(group.id)).sort((a, b) => Number(a.status !== 'active') - Number(b.status !== 'active') || a.name.localeCompare(b.name));
  const webhookData = { webhooks: await deps.store.listWebhooks(group.id), troubled: await troubledDeliveries(deps, group.id) };
  return html(c, <AdminPage session={s} group={group} members={members} webhookData={webhookData} {...props} />, status);
}

const fixThem: Flash = { kind: 'error', text: 'Some details need fixing: see the marked fields.' };

export function registerAdminPages(pages: Hono<AppEnv>) {
  pages.get('/admin', (c) => renderAdmin(c, adminSession(c), { flash: doneFlash(c) }));

  pages.post('/admin/members', async (c) => {
    const s = adminSession(c);
    const values = (await readForm(c)).values();
    const parsed = parseNewMemberForm(values);
    if (!parsed.ok) return renderAdmin(c, s, { memberValues: values, memberErrors: parsed.errors, flash: fixThem }, 422);
    try {
      const { member, apiKey } = await addMember(c.get('deps'), s.group.id, parsed.value);
      // Rendered, not redirected: the key is shown this once and must never sit in a URL.
      return renderAdmin(c, s, { newMember: { name: member.name, apiKey }, flash: { kind: 'ok', text: `${member.name} has been added.` } });
    } catch (err) {
      if (err instanceof ConflictError) return renderAdmin(c, s, { memberValues: values, memberErrors: { email: err.message }, flash: { kind: 'error', text: err.message } }, 409);
      throw err;
    }
  });

  // Key and membership actions; each new key is rendered (shown once), never redirected with it.
  const target = async (c: PageContext, s: Session) => {
    const member = await c.get('deps').store.getMember(c.req.param('id') ?? '');
    if (!member || member.groupId !== s.group.id) throw new NotFoundError('member');
    return member;
  };
  pages.post('/admin/members/:id/api-key', async (c) => {
    const s = adminSession(c);
    const { member, apiKey } = await rotateApiKey(c.get('deps'), (await target(c, s)).id);
    return renderAdmin(c, s, { newMember: { name: member.name, apiKey }, flash: { kind: 'ok', text: `${member.name} has a new API key; the old one no longer works.` } });
  });
  pages.post('/admin/members/:id/api-key/revoke', async (c) => {
    const s = adminSession(c);
    const member = await revokeApiKeys(c.get('deps'), (await target(c, s)).id);
    return renderAdmin(c, s, { flash: { kind: 'ok', text: `Every API key of ${member.name} has been revoked.` } });
  });
  pages.post('/admin/members/:id/reactivate', async (c) => {
    const s = adminSession(c);
    const { member, apiKey } = await reactivateMember(c.get('deps'), (await target(c, s)).id);
    return renderAdmin(c, s, { ...(apiKey ? { newMember: { name: member.name, apiKey } } : {}), flash: { kind: 'ok', text: `${member.name} is active again and can sign in.` } });
  });

  pages.post('/admin/import', async (c) => {
    const s = adminSession(c);
    const deps = c.get('deps');
    const body = await c.req.parseBody();
    const on = (name: string) => typeof body[name] === 'string' && body[name] !== '';
    const options = { reactivate: on('reactivate'), welcome: on('welcome') };
    try {
      const file = body.roster;
      const uploaded = typeof file === 'object' && file.size > 0 ? rosterText(new Uint8Array(await file.arrayBuffer())) : undefined;
      const csv = uploaded ?? (typeof body.csv === 'string' ? body.csv : '');
      if (!csv.trim()) return renderAdmin(c, s, { importError: 'Choose a CSV file (or paste its contents) to import.', flash: fixThem }, 422);
      if (body.step === 'confirm') {
        const { counts, welcomes } = await importRoster(deps, s.group, csv, options);
        return renderAdmin(c, s, { importDone: { counts, welcomed: welcomes.sent }, flash: { kind: 'ok', text: `Roster imported: ${counts.created} created, ${counts.updated} updated.` } });
      }
      const plan = await planRosterImport(deps, s.group, csv, options);
      return renderAdmin(c, s, { importPreview: { csv, ...options, plan, counts: importCounts(plan) } });
    } catch (err) {
      if (err instanceof RosterFormatError) return renderAdmin(c, s, { importError: err.message, flash: { kind: 'error', text: err.message } }, 422);
      throw err;
    }
  });

  pages.post('/admin/settings', async (c) => {
    const s = adminSession(c);
    const deps = c.get('deps');
    const form = await readForm(c);
    const group = (await deps.store.getGroup(s.group.id)) ?? s.group;
    const parsed = parseSettingsForm(group.settings, form);
    if (!parsed.ok) return renderAdmin(c, s, { settings: postedSettings(form), settingsErrors: parsed.errors, flash: fixThem }, 422);
    try {
      await saveGroupSettings(deps, group.id, settingsPatchFromForm(form));
    } catch (err) {
      // Someone else saved in between and the merge no longer makes sense.
      if (!(err instanceof ValidationError)) throw err;
      const issues = (err.details as { path: string; message: string }[] | undefined) ?? [];
      const errors: FieldErrors = {};
      for (const i of issues) errors[settingsFieldOf(i.path.split('.'))] ??= i.message;
      return renderAdmin(c, s, { settings: postedSettings(form), settingsErrors: errors, flash: { kind: 'error', text: err.message } }, 422);
    }
    return seeOther(c, '/admin?done=settings#settings');
  });

  pages.post('/admin/webhooks', async (c) => {
    const s = adminSession(c);
    const form = await readForm(c);
    const values = { url: form.get('url').trim(), events: form.all('events') };
    const parsed = newWebhookSchema.safeParse({ url: values.url, ...(values.events.length ? { events: values.events } : {}) });
    const refuse = (errors: FieldErrors) => renderAdmin(c, s, { webhooks: { values, errors }, flash: fixThem }, 422);
    if (!parsed.success) return refuse({ [String(parsed.error.issues[0]?.path[0] ?? 'url')]: parsed.error.issues[0]?.message ?? 'Check the URL' });
    try {
      const webhook = await registerWebhook(c.get('deps'), s.group.id, parsed.data);
      // Rendered, not redirected: the secret is shown this once and must never sit in a URL.
      return renderAdmin(c, s, { webhooks: { created: { url: webhook.url, secret: webhook.secret } }, flash: { kind: 'ok', text: `Webhook added for ${webhook.url}.` } });
    } catch (err) {
      if (err instanceof ValidationError) return refuse({ url: err.message.replace(/^url: /, '') });
      throw err;
    }
  });
  pages.post('/admin/webhooks/:id/remove', async (c) => {
    const s = adminSession(c);
    await removeWebhook(c.get('deps'), s.group.id, c.req.param('id') ?? '');
    return seeOther(c, '/admin?done=webhook_removed#webhooks');
  });
  pages.post('/admin/webhooks/deliveries/:id/resend', async (c) => {
    const s = adminSession(c);
    const resent = await resendWebhookDelivery(c.get('deps'), s.group.id, c.req.param('id') ?? '');
    if (!resent) throw new NotFoundError('webhook delivery');
    return renderAdmin(c, s, { flash: { kind: 'ok', text: `The ${resent.event} delivery to ${resent.url} is being sent again.` } });
  });
}
