/** A minimal browser stand-in for the page tests: a cookie jar, same-origin form posts, no redirects followed. */
import { baseUrl, emailsTo, eventually } from '../harness.js';

export interface PageResult {
  status: number;
  text: string;
  location: string | null;
  headers: Headers;
}

type FormValue = string | string[] | undefined;

export class WebClient {
  private readonly cookies = new Map<string, string>();

  /** Cookies the server set (name → value), e.g. to check the session cookie's flags elsewhere. */
  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  private remember(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private cookieHeader(): Record<string, string> {
    return this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {};
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<PageResult> {
    const res = await fetch(path.startsWith('http') ? path : `${baseUrl}${path}`, { redirect: 'manual', headers: { ...this.cookieHeader(), ...headers } });
    this.remember(res);
    return { status: res.status, text: await res.text(), location: res.headers.get('location'), headers: res.headers };
  }

  /** A urlencoded form post from our own origin (override `origin` to play a cross-site page). */
  async post(path: string, fields: Record<string, FormValue>, opts: { origin?: string | null; rawBody?: string } = {}): Promise<PageResult> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) {
      if (v === undefined) continue;
      for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
    }
    const origin = opts.origin === undefined ? baseUrl : opts.origin;
    const res = await fetch(path.startsWith('http') ? path : `${baseUrl}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(origin ? { origin } : {}), ...this.cookieHeader() },
      body: opts.rawBody ?? body.toString(),
    });
    this.remember(res);
    return { status: res.status, text: await res.text(), location: res.headers.get('location'), headers: res.headers };
  }

  /** A multipart form post (file uploads) from our own origin, or from `origin`. */
  async postMultipart(path: string, form: FormData, opts: { origin?: string | null } = {}): Promise<PageResult> {
    const origin = opts.origin === undefined ? baseUrl : opts.origin;
    const res = await fetch(`${baseUrl}${path}`, { method: 'POST', redirect: 'manual', headers: { ...(origin ? { origin } : {}), ...this.cookieHeader() }, body: form });
    this.remember(res);
    return { status: res.status, text: await res.text(), location: res.headers.get('location'), headers: res.headers };
  }

  /** Asks for a magic link and returns it (read from the local SES store). */
  async requestSignInLink(email: string): Promise<string> {
    const before = new Set((await emailsTo(email)).map((e) => e.messageId));
    const res = await this.post('/signin', { email });
    if (res.status !== 200) throw new Error(`POST /signin answered ${res.status}`);
    const mail = await eventually(async () => (await emailsTo(email)).find((e) => !before.has(e.messageId) && /sign-in link/i.test(e.subject)), `a sign-in email to ${email}`);
    return signInLinkIn(mail.body.text ?? '');
  }

  /** Signs in like a person would: ask for a link, open it, keep the session cookie. */
  async signIn(email: string): Promise<this> {
    const link = await this.requestSignInLink(email);
    const page = await this.get(link);
    if (page.status !== 200 || !page.text.includes('Sign in')) throw new Error(`sign-in link page answered ${page.status}`);
    const res = await this.post(link, {});
    if (res.status !== 303 || res.location !== '/referrals') throw new Error(`sign-in link answered ${res.status} → ${res.location}`);
    return this;
  }
}

export function signInLinkIn(text: string): string {
  const match = /https?:\/\/\S+?\/signin\/[A-Za-z0-9_-]{20,}/.exec(text);
  if (!match) throw new Error(`no sign-in link in: ${text.slice(0, 500)}`);
  return match[0];
}

export function linkIn(text: string, path: string): string {
  const match = new RegExp(`https?://\\S+?${path}[A-Za-z0-9_.-]{10,}`).exec(text);
  if (!match) throw new Error(`no ${path} link in: ${text.slice(0, 500)}`);
  return match[0];
}

/** The referral id a successful refer-form post redirects to. */
export function referralIdFrom(location: string | null): string {
  const match = /^\/referrals\/([a-z0-9]{16})\?done=logged$/.exec(location ?? '');
  if (!match) throw new Error(`not a referral redirect: ${location}`);
  return match[1]!;
}

/** Fields of a valid refer form; override what a test is about. */
export function referForm(providerId: string, overrides: Record<string, FormValue> = {}): Record<string, FormValue> {
  return {
    provider: providerId,
    name: 'Nadia Prospect',
    email: `nadia-${Math.random().toString(36).slice(2, 10)}@prospect.example`,
    phone: '+44 20 7946 0000',
    company: 'Nadia Bakes Ltd',
    need: 'Needs a bookkeeper for her new bakery before January.',
    temperature: '3',
    consent: 'on',
    note: 'Best reached after 3pm.',
    ...overrides,
  };
}
