/**
 * The roster import on /admin: upload (or paste) a CSV, see what it would do row by row, then confirm.
 * No JavaScript: the preview carries the file's text in a hidden field, and the confirmation plans
 * it again against the members as they are then, so nothing changed in between is overwritten blindly.
 */
import type { ImportCounts, ImportPlan, PlannedRow } from '../../members/roster/import-plan.js';

export interface ImportPreview {
  csv: string;
  reactivate: boolean;
  welcome: boolean;
  plan: ImportPlan;
  counts: ImportCounts;
}

export interface ImportDone {
  counts: ImportCounts;
  welcomed: number;
}

const ACTION_LABEL: Record<PlannedRow['action'], string> = { create: 'new member', update: 'update', reactivate: 'bring back', unchanged: 'no change' };

const CHANGE_LABEL: Record<string, string> = {
  name: 'name',
  business: 'business',
  category: 'category',
  phone: 'phone',
  goalPerMonth: 'goal',
  tellPeople: 'what to tell people',
  goodReferral: 'good referral',
  setsApart: 'sets apart',
  status: 'status',
};

function Errors(props: { errors: ImportCounts['errors'] }) {
  if (!props.errors.length) return null;
  return (
    <div id="import-errors">
      <h4>Rows that will not be imported</h4>
      <table>
        <thead>
          <tr>
            <th>Row</th>
            <th>Problem</th>
          </tr>
        </thead>
        <tbody>
          {props.errors.map((e) => (
            <tr>
              <td>{e.row}</td>
              <td>{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const summary = (c: ImportCounts, future: boolean) =>
  `${c.created} ${future ? 'to create' : 'created'}, ${c.updated} ${future ? 'to update' : 'updated'}, ${c.unchanged} unchanged, ${c.errors.length} ${c.errors.length === 1 ? 'row' : 'rows'} with problems`;

export function ImportSection(props: { preview?: ImportPreview; done?: ImportDone; error?: string }) {
  const { preview, done } = props;
  return (
    <section id="import">
      <h2>Import members from a spreadsheet</h2>
      {done ? (
        <div class="card" id="import-done">
          <p>
            <strong>Imported:</strong> {summary(done.counts, false)}.{done.welcomed ? ` ${done.welcomed} welcome ${done.welcomed === 1 ? 'email' : 'emails'} sent.` : ''}
          </p>
          <Errors errors={done.counts.errors} />
        </div>
      ) : null}
      {preview ? (
        <div class="card" id="import-preview">
          <h3>Preview: nothing has been saved yet</h3>
          <p>{summary(preview.counts, true)}.</p>
          {preview.plan.ignored.length ? <p class="muted">Columns not imported: {preview.plan.ignored.join(', ')}.</p> : null}
          {preview.plan.rows.length ? (
            <table>
              <thead>
                <tr>
                  <th>Row</th>
                  <th>Member</th>
                  <th>What happens</th>
                </tr>
              </thead>
              <tbody>
                {preview.plan.rows.map((r) => (
                  <tr>
                    <td>{r.row}</td>
                    <td>
                      {r.member.name}
                      <div class="muted">{r.email}</div>
                    </td>
                    <td>
                      {ACTION_LABEL[r.action]}
                      {r.changes.length ? <div class="muted">{r.changes.map((f) => CHANGE_LABEL[f] ?? f).join(', ')}</div> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <Errors errors={preview.counts.errors} />
          <form method="post" action="/admin/import#import">
            <input type="hidden" name="step" value="confirm" />
            <input type="hidden" name="csv" value={preview.csv} />
            {preview.reactivate ? <input type="hidden" name="reactivate" value="on" /> : null}
            {preview.welcome ? <input type="hidden" name="welcome" value="on" /> : null}
            <div class="actions">
              <button type="submit" disabled={preview.plan.rows.every((r) => r.action === 'unchanged')}>
                Import {String(preview.counts.created + preview.counts.updated)} {preview.counts.created + preview.counts.updated === 1 ? 'member' : 'members'}
              </button>
              <a href="/admin#import">Cancel</a>
            </div>
          </form>
        </div>
      ) : null}
      <form method="post" action="/admin/import#import" enctype="multipart/form-data" class="card" novalidate>
        {props.error ? (
          <p class="field-error" id="import-error" role="alert">
            {props.error}
          </p>
        ) : null}
        <p class="muted">
          A CSV file with a header row: Name (or First name and Last name), Email, Company, Category, Phone, Goal per month, and optionally the three profile questions. Comma or semicolon separated, as Excel
          and Google Sheets save it. Members are matched by email, so importing again updates them. You see a preview before anything is saved.
        </p>
        <div>
          <label for="roster">CSV file</label>
          <input type="file" id="roster" name="roster" accept=".csv,text/csv" />
        </div>
        <div>
          <label for="csv-paste">…or paste it</label>
          <textarea id="csv-paste" name="csv" rows={4}></textarea>
        </div>
        <label class="choice">
          <input type="checkbox" name="reactivate" /> <span>Bring back removed members who are in the file</span>
        </label>
        <label class="choice">
          <input type="checkbox" name="welcome" /> <span>Send each imported member a welcome email (once per member)</span>
        </label>
        <input type="hidden" name="step" value="preview" />
        <div class="actions">
          <button type="submit">Preview import</button>
        </div>
      </form>
    </section>
  );
}
