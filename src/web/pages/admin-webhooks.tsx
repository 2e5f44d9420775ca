/**
 * The Webhooks section of /admin: the group's endpoints (add, remove; the secret shown once), and
 * the deliveries that need the admin (failing and retrying, or parked after 24 h) with "Resend".
 */
import type { WebhookDelivery, WebhookEndpoint } from '../../store/referral-store.js';
import { WEBHOOK_EVENTS } from '../../webhooks/url-check.js';
import { FieldError, Input, type FieldErrors } from './layout.js';

export interface WebhooksSectionProps {
  webhooks: WebhookEndpoint[];
  troubled: WebhookDelivery[];
  /** Just registered: its secret, shown this once. */
  created?: { url: string; secret: string };
  values?: { url?: string; events?: string[] };
  errors?: FieldErrors;
}

const when = (iso: string | undefined) => (iso ? iso.slice(0, 16).replace('T', ' ') + ' UTC' : '');

export function WebhooksSection(props: WebhooksSectionProps) {
  const chosen = props.values?.events;
  return (
    <>
      <h2 id="webhooks">Webhooks</h2>
      <p class="muted">
        Connect a CRM or Zapier: each event is POSTed to your URL, signed per the Standard Webhooks specification, and retried for 24 hours while your
        receiver fails. Referral data is what the referrer may see (no private notes, no amount unless shared).
      </p>
      {props.created ? (
        <div class="card" id="webhook-secret">
          <h3>Signing secret for {props.created.url}</h3>
          <p>Shown once: copy it into your receiver now. It verifies that deliveries come from us.</p>
          <code class="key">{props.created.secret}</code>
        </div>
      ) : null}
      {props.webhooks.length ? (
        <table>
          <thead>
            <tr>
              <th>URL</th>
              <th>Events</th>
              <th>Action</th>
            </tr>
          </thead>
          <tbody>
            {props.webhooks.map((w) => (
              <tr>
                <td>{w.url}</td>
                <td>{w.events.join(', ')}</td>
                <td>
                  <form method="post" action={`/admin/webhooks/${w.id}/remove`} class="inline">
                    <button type="submit" class="secondary">
                      Remove
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No webhooks yet.</p>
      )}
      {props.troubled.length ? (
        <div class="card" id="webhook-failures">
          <h3>Deliveries that failed</h3>
          <table>
            <thead>
              <tr>
                <th>Event</th>
                <th>URL</th>
                <th>What happened</th>
                <th>Action</th>
              </tr>
            </thead>
            <tbody>
              {props.troubled.map((d) => (
                <tr>
                  <td>
                    {d.event}
                    <div class="muted">{when(d.createdAt)}</div>
                  </td>
                  <td>{d.url}</td>
                  <td>
                    {d.lastError} after {d.attempts} {d.attempts === 1 ? 'attempt' : 'attempts'};{' '}
                    {d.status === 'parked' ? 'given up (parked)' : `retrying ${when(d.nextAttemptAt)}`}
                  </td>
                  <td>
                    <form method="post" action={`/admin/webhooks/deliveries/${d.id}/resend`} class="inline">
                      <button type="submit">Resend</button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <div class="card">
        <h3>Add a webhook</h3>
        <form method="post" action="/admin/webhooks" novalidate>
          <Input name="url" label="URL (https)" type="text" value={props.values?.url} errors={props.errors} required maxlength={2000} />
          <fieldset>
            <legend>Events (none ticked: all of them)</legend>
            {WEBHOOK_EVENTS.map((e) => (
              <label class="choice">
                <input type="checkbox" name="events" value={e} checked={chosen?.includes(e) ?? false} />
                <span>{e}</span>
              </label>
            ))}
          </fieldset>
          <FieldError errors={props.errors} name="events" />
          <div class="actions">
            <button type="submit">Add webhook</button>
          </div>
        </form>
      </div>
    </>
  );
}
