/** The shared page shell and small building blocks. Every user string goes through JSX escaping. */
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import type { Status } from '../../domain/types.js';
import type { Session } from '../context.js';
import { STATUS_LABEL } from './format.js';

// A constant, so `raw` is safe here (JSX would escape the quotes and `>` of the CSS otherwise).
const CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1d232a;background:#f5f6f8}
a{color:#0b5cad}
header.top{background:#12324f;color:#fff}
header.top .bar{max-width:720px;margin:0 auto;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.25rem .75rem;align-items:center}
header.top .brand{font-weight:700;color:#fff;text-decoration:none;margin-right:auto}
header.top .who{font-size:.85rem;opacity:.85}
nav.main{max-width:720px;margin:0 auto;padding:0 .5rem .4rem;display:flex;flex-wrap:wrap;gap:.25rem}
nav.main a{color:#fff;text-decoration:none;padding:.55rem .7rem;border-radius:6px;min-height:44px;display:inline-flex;align-items:center}
nav.main a[aria-current=page]{background:rgba(255,255,255,.18)}
nav.main form{margin:0}
nav.main button{background:none;border:0;color:#fff;text-decoration:underline;min-height:44px;padding:.55rem .7rem;font:inherit;cursor:pointer}
main{max-width:720px;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0 1rem}
h2{font-size:1.15rem;margin:1.75rem 0 .6rem}
h3{font-size:1rem;margin:0 0 .25rem}
.card{background:#fff;border:1px solid #dde1e6;border-radius:10px;padding:1rem;margin:0 0 .75rem}
ul.card{padding-left:2.25rem}
ul.card li{margin:.2rem 0}
.muted{color:#5b6570;font-size:.9rem}
.flash{border-radius:8px;padding:.75rem 1rem;margin:0 0 1rem;border:1px solid}
.flash.ok{background:#e7f6ec;border-color:#9fd3b0}
.flash.error{background:#fdecec;border-color:#efa8a8}
label{display:block;font-weight:600;margin:.9rem 0 .3rem}
.hint{display:block;font-weight:400;color:#5b6570;font-size:.9rem}
input[type=text],input[type=email],input[type=tel],input[type=number],input[type=time],select,textarea{width:100%;font:inherit;padding:.6rem .7rem;min-height:44px;border:1px solid #aab2bb;border-radius:8px;background:#fff}
textarea{min-height:6rem}
input:focus,select:focus,textarea:focus,button:focus{outline:3px solid #8cc0f5;outline-offset:1px}
.invalid input,.invalid select,.invalid textarea,.invalid fieldset{border-color:#c62828}
.field-error{color:#b3261e;font-size:.9rem;margin:.25rem 0 0;font-weight:600}
fieldset{border:1px solid #dde1e6;border-radius:8px;margin:.9rem 0 0;padding:.5rem .9rem .8rem}
legend{font-weight:600;padding:0 .3rem}
.choice{display:flex;gap:.6rem;align-items:flex-start;padding:.5rem 0;font-weight:400;margin:0}
.choice input{width:1.3rem;height:1.3rem;margin:.15rem 0 0;flex:none}
.days{display:flex;flex-wrap:wrap;gap:.25rem 1rem}
button,.button{display:inline-flex;align-items:center;justify-content:center;min-height:44px;padding:.55rem 1.1rem;font:inherit;font-weight:600;border-radius:8px;border:1px solid #0b5cad;background:#0b5cad;color:#fff;cursor:pointer;text-decoration:none}
button.secondary{background:#fff;color:#0b5cad}
form.inline{display:inline-block;margin:0 .25rem .25rem 0}
button.danger{background:#fff;color:#b3261e;border-color:#b3261e}
.actions{margin-top:1rem;display:flex;flex-wrap:wrap;gap:.5rem}
details{background:#fff;border:1px solid #dde1e6;border-radius:10px;margin:0 0 .5rem}
details>summary{cursor:pointer;padding:.75rem 1rem;min-height:44px;font-weight:600}
details>div{padding:0 1rem 1rem}
.badge{display:inline-block;font-size:.8rem;font-weight:700;padding:.1rem .55rem;border-radius:999px;background:#e4e8ee;color:#2b3440;white-space:nowrap}
.badge.logged,.badge.needs_info{background:#fff3cd;color:#6b4e00}
.badge.contacted,.badge.met,.badge.proposal{background:#dbeafe;color:#0b3f7a}
.badge.won{background:#d9f2e1;color:#125c2c}
.badge.lost,.badge.withdrawn{background:#fbe0e0;color:#8a1c1c}
.badge.dormant,.badge.passed{background:#ececec;color:#444}
.tabs{display:flex;gap:.25rem;flex-wrap:wrap;margin:0 0 .75rem;padding:0;list-style:none}
.tabs a{display:inline-flex;align-items:center;min-height:44px;padding:.5rem .9rem;border-radius:8px;text-decoration:none;background:#fff;border:1px solid #dde1e6}
.tabs a[aria-current=page]{background:#12324f;color:#fff;border-color:#12324f}
ul.rows{list-style:none;padding:0;margin:0}
ul.rows li a{display:block;text-decoration:none;color:inherit;background:#fff;border:1px solid #dde1e6;border-radius:10px;padding:.75rem 1rem;margin:0 0 .5rem}
.row-top{display:flex;justify-content:space-between;gap:.5rem;align-items:baseline}
.row-top strong{color:#0b5cad}
ol.timeline{list-style:none;padding:0;margin:0;border-left:3px solid #dde1e6}
ol.timeline li{padding:.1rem 0 .9rem 1rem;position:relative}
ol.timeline li::before{content:"";position:absolute;left:-8px;top:.45rem;width:13px;height:13px;border-radius:50%;background:#9aa5b1}
.private{background:#fff8e1;border-left:3px solid #e0b000;padding:.25rem .5rem;margin:.25rem 0 0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.35rem 1rem;margin:0}
dl.facts dt{font-weight:600;color:#5b6570}
dl.facts dd{margin:0;overflow-wrap:anywhere}
.filter{display:flex;gap:.5rem;align-items:end;flex-wrap:wrap;margin:0 0 1rem}
.filter label{margin:0}
.filter select{width:auto}
.key{font-family:ui-monospace,Menlo,Consolas,monospace;overflow-wrap:anywhere;background:#f0f2f5;padding:.5rem;border-radius:6px;display:block}
table{width:100%;border-collapse:collapse;background:#fff}
.scroll{overflow-x:auto;max-width:100%}
.scroll:focus-visible{outline:3px solid #8cc0f5;outline-offset:1px}
th,td{text-align:left;padding:.5rem;border-bottom:1px solid #e6e9ed;vertical-align:top}
.grid2{display:grid;gap:0 1rem}
@media (min-width:600px){.grid2{grid-template-columns:1fr 1fr}h1{font-size:1.75rem}}
`;

/** The favicon: an inline SVG (the CSP allows `data:` images), so no extra request and no file to serve. */
const FAVICON_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#12324f"/><path d="M8 11h11l-3-3M24 21H13l3 3" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/></svg>';
export const FAVICON_HREF = `data:image/svg+xml,${encodeURIComponent(FAVICON_SVG)}`;

export interface Flash {
  kind: 'ok' | 'error';
  text: string;
  /** Optional link after the text (e.g. the existing referral of a duplicate). */
  link?: { href: string; label: string };
}

type NavKey = 'refer' | 'referrals' | 'members' | 'reports' | 'profile' | 'admin';

export function Layout(props: { title: string; session?: Session; nav?: NavKey; flash?: Flash; children?: Child }) {
  const { session, nav } = props;
  const cur = (key: NavKey) => (nav === key ? 'page' : undefined);
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Referral Relay`}</title>
        <link rel="icon" type="image/svg+xml" href={FAVICON_HREF} />
        <style>{raw(CSS)}</style>
      </head>
      <body>
        <header class="top">
          <div class="bar">
            <a class="brand" href="/">
              Referral Relay
            </a>
            {session ? (
              <span class="who">
                {session.member.name} · {session.group.name}
              </span>
            ) : null}
          </div>
          {session ? (
            <nav class="main" aria-label="Main">
              <a href="/refer" aria-current={cur('refer')}>Refer</a>
              <a href="/referrals" aria-current={cur('referrals')}>My referrals</a>
              <a href="/members" aria-current={cur('members')}>Members</a>
              <a href="/reports" aria-current={cur('reports')}>Reports</a>
              <a href="/profile" aria-current={cur('profile')}>Profile</a>
              {session.isAdmin ? <a href="/admin" aria-current={cur('admin')}>Admin</a> : null}
              <form method="post" action="/signout">
                <button type="submit">Sign out</button>
              </form>
            </nav>
          ) : null}
        </header>
        <main>
          {props.flash ? <FlashBox flash={props.flash} /> : null}
          {props.children}
        </main>
      </body>
    </html>
  );
}

export function FlashBox({ flash }: { flash: Flash }) {
  return (
    <div class={`flash ${flash.kind}`} role={flash.kind === 'error' ? 'alert' : 'status'}>
      {flash.text}
      {flash.link ? (
        <>
          {' '}
          <a href={flash.link.href}>{flash.link.label}</a>
        </>
      ) : null}
    </div>
  );
}

export function StatusBadge({ status }: { status: Status }) {
  return <span class={`badge ${status}`}>{STATUS_LABEL[status] ?? status}</span>;
}

/**
 * A wide table or picture that scrolls sideways on a phone: a labelled region that takes the keyboard
 * focus, so keyboard users can scroll it too (WCAG 2.1.1, axe `scrollable-region-focusable`).
 */
export function ScrollRegion(props: { label: string; children?: Child }) {
  return (
    <div class="scroll" role="region" tabindex={0} aria-label={props.label}>
      {props.children}
    </div>
  );
}

/** Field errors keyed by form field name. */
export type FieldErrors = Record<string, string>;

export function FieldError({ errors, name }: { errors?: FieldErrors; name: string }) {
  const message = errors?.[name];
  return message ? (
    <p class="field-error" id={`${name}-error`}>
      {message}
    </p>
  ) : null;
}

/** The label, hint and error around one form control, with the ARIA wiring they share. */
function FieldShell(props: { name: string; label: string; hint?: string; errors?: FieldErrors; control: (aria: Record<string, string | undefined>) => Child }) {
  const invalid = !!props.errors?.[props.name];
  return (
    <div class={invalid ? 'invalid' : undefined}>
      <label for={props.name}>
        {props.label}
        {props.hint ? <span class="hint">{props.hint}</span> : null}
      </label>
      {props.control({ 'aria-invalid': invalid ? 'true' : undefined, 'aria-describedby': invalid ? `${props.name}-error` : undefined })}
      <FieldError errors={props.errors} name={props.name} />
    </div>
  );
}

/** A labelled text-like input with its hint and error. */
export function Input(props: {
  name: string;
  label: string;
  value?: string;
  type?: 'text' | 'email' | 'tel' | 'number' | 'time';
  hint?: string;
  errors?: FieldErrors;
  required?: boolean;
  maxlength?: number;
  min?: number;
  max?: number;
  autocomplete?: string;
}) {
  return (
    <FieldShell
      {...props}
      control={(aria) => (
        <input
          id={props.name}
          name={props.name}
          type={props.type ?? 'text'}
          value={props.value ?? ''}
          required={props.required}
          maxlength={props.maxlength}
          min={props.min}
          max={props.max}
          autocomplete={props.autocomplete}
          {...aria}
        />
      )}
    />
  );
}

export function TextArea(props: { name: string; label: string; value?: string; hint?: string; errors?: FieldErrors; required?: boolean; maxlength?: number; rows?: number }) {
  return (
    <FieldShell
      {...props}
      control={(aria) => (
        <textarea id={props.name} name={props.name} required={props.required} maxlength={props.maxlength} rows={props.rows ?? 4} {...aria}>
          {props.value ?? ''}
        </textarea>
      )}
    />
  );
}

/** A message page (errors, confirmations) with an optional way on. */
export function MessagePage(props: { title: string; session?: Session; text: string; link?: { href: string; label: string }; children?: Child }) {
  return (
    <Layout title={props.title} session={props.session}>
      <h1>{props.title}</h1>
      <div class="card">
        <p>{props.text}</p>
        {props.children}
        {props.link ? (
          <p>
            <a class="button" href={props.link.href}>
              {props.link.label}
            </a>
          </p>
        ) : null}
      </div>
    </Layout>
  );
}
