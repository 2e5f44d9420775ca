/**
 * Roster import through its three doors (CLI, API, /admin) on the real local stack: the shared
 * rosters give what expected.json says, a second import changes nothing, removed members stay
 * removed unless asked, welcome emails go out once, and bad files are refused with the reason.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { removeMember } from '../../../src/members/removal.js';
import { api, baseUrl, deps, emailsTo, env, eventually, freshGroup } from '../harness.js';
import { WebClient } from '../web/web-client.js';

const run = promisify(execFile);
const bin = join(import.meta.dirname, '../../../bin/relay.js');
const rosters = join(import.meta.dirname, '../../fixtures/rosters');
const roster = (name: string) => readFileSync(join(rosters, name), 'utf8');
const expected = JSON.parse(roster('expected.json')).cases as Record<string, { created: string[]; updated_or_unchanged: string[]; errors: { row: number }[]; check: Record<string, Record<string, unknown>> }>;
const harbourMembers = (JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/members.json'), 'utf8')) as { members: { name: string; email: string; business?: string; category?: string; profile?: Record<string, string> }[] }).members;

async function relay(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A group loaded with members.json (the Harbour Chapter), as expected.json assumes. */
const harbour = () => freshGroup(harbourMembers.filter((m) => m.email !== 'alice@morganlaw.example'));

const postCsv = (key: string, csv: string | Uint8Array, query = '', contentType = 'text/csv; charset=utf-8') =>
  api('POST', `/api/members/import${query}`, { key, headers: { 'content-type': contentType }, raw: csv as string });

type ListedMember = { email: string; name: string; business: string | null; category: string | null; goalPerMonth: number | null; phone?: string; profile: Record<string, string>; status: string };

/** Every member of the key's group, page by page (GET /api/members is paginated). */
async function membersOf(key: string) {
  const all: ListedMember[] = [];
  let cursor: string | undefined;
  do {
    const page = await api('GET', `/api/members?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { key });
    all.push(...(page.body.items as ListedMember[]));
    cursor = page.body.next as string | undefined;
  } while (cursor);
  return all;
}

describe('roster import: CLI', () => {
  it.each(Object.keys(expected))('imports %s as expected.json says, and a second run changes nothing', async (file) => {
    // Prepare
    const g = await harbour();
    const want = expected[file]!;

    // Act
    const first = await relay('member', 'import', join(rosters, file), '--group', g.group.slug);
    const second = await relay('member', 'import', join(rosters, file), '--group', g.group.slug);

    // Assess
    expect(first.code, first.stderr).toBe(0);
    const out = JSON.parse(first.stdout);
    expect(Object.keys(out)).toEqual(['created', 'updated', 'unchanged', 'errors']);
    expect(out.created).toBe(want.created.length);
    expect(out.updated + out.unchanged).toBe(want.updated_or_unchanged.length);
    expect(out.errors.map((e: { row: number }) => e.row)).toEqual(want.errors.map((e) => e.row));
    const members = await membersOf(g.admin.apiKey);
    for (const email of want.created) expect(members.filter((m) => m.email === email), email).toHaveLength(1);
    for (const [email, fields] of Object.entries(want.check)) expect(members.find((m) => m.email === email), email).toMatchObject(fields);
    expect(JSON.parse(second.stdout)).toMatchObject({ created: 0, updated: 0, unchanged: want.created.length + want.updated_or_unchanged.length });
    expect(members).toHaveLength(harbourMembers.length + want.created.length);
  });

  it('--dry-run reports the same counts and writes nothing', async () => {
    const g = await harbour();

    const res = await relay('member', 'import', join(rosters, 'harbour-excel-semicolon.csv'), '--group', g.group.slug, '--dry-run');

    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ created: 3, updated: 1, unchanged: 0, errors: [{ row: 5 }] });
    expect(await membersOf(g.admin.apiKey)).toHaveLength(harbourMembers.length);
  });

  it('bad input: a one-line message, then the usage on stderr, exit code 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'roster-'));
    writeFileSync(join(dir, 'latin1.csv'), Buffer.from('Name;E-Mail\nJ\xfcrgen;j@x.example\n', 'latin1'));
    const cases: [string[], RegExp][] = [
      [['member', 'import', '--group', 'demo'], /missing FILE\.csv/],
      [['member', 'import', join(rosters, 'harbour-google-sheets.csv')], /missing --group/],
      [['member', 'import', join(rosters, 'harbour-google-sheets.csv'), '--group', 'no-such-group'], /no group with slug/],
      [['member', 'import', join(dir, 'missing.csv'), '--group', 'demo'], /cannot read .*ENOENT/],
      [['member', 'import', join(rosters, 'no-email-column.csv'), '--group', 'demo'], /No e-mail column/],
      [['member', 'import', join(dir, 'latin1.csv'), '--group', 'demo'], /not UTF-8/],
      [['member', 'import', join(rosters, 'tabs.tsv.csv'), '--group', 'demo', '--bogus'], /Unknown option '--bogus'/],
    ];
    for (const [args, message] of cases) {
      const res = await relay(...args);
      expect(res.code, args.join(' ')).toBe(2);
      const [first, ...usage] = res.stderr.trim().split('\n');
      expect(first, args.join(' ')).toMatch(message);
      expect(usage.join('\n'), args.join(' ')).toContain('Usage: relay member import FILE.csv --group SLUG');
      expect(res.stdout).toBe('');
    }
  });

  it('--help answers with the command usage', async () => {
    const res = await relay('member', 'import', '--help');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('relay member import FILE.csv --group SLUG [--dry-run] [--reactivate] [--welcome]');
  });
});

describe('roster import: API', () => {
  it('dryRun=true plans, then the import writes; names, phones and goals arrive', async () => {
    const g = await harbour();
    const csv = roster('harbour-excel-semicolon.csv');

    const dry = await postCsv(g.admin.apiKey, csv, '?dryRun=true');
    const before = await membersOf(g.admin.apiKey);
    const real = await postCsv(g.admin.apiKey, csv);

    expect(dry.status).toBe(200);
    expect(dry.body).toEqual({ created: 3, updated: 1, unchanged: 0, errors: [{ row: 5, message: 'no e-mail address (column "E-Mail" is empty)' }] });
    expect(before).toHaveLength(harbourMembers.length);
    expect(real.status).toBe(200);
    expect(real.body).toEqual(dry.body);
    const members = await membersOf(g.admin.apiKey);
    expect(members.find((m) => m.email === 'jonas@weberdach.example')).toMatchObject({ name: 'Jonas Weber', business: 'Weber Dach; GmbH', category: 'Dachdecker', phone: '+49 30 1234567', goalPerMonth: 2, status: 'active' });
    expect(members.find((m) => m.email === 'priya@ledgerlane.example')).toMatchObject({ goalPerMonth: 3, business: 'Ledger Lane', profile: { setsApart: 'Monthly fixed price, no surprises.' } });
  });

  it('imported members can sign in and be chosen as providers', async () => {
    const g = await freshGroup();
    const tag = g.tag;
    await postCsv(g.admin.apiKey, `Name,Email,Company,Category\nIvy Imported,ivy-${tag}@example.com,Ivy Gardens,Gardener\n`);

    const referral = await api('POST', '/api/referrals', { key: g.admin.apiKey, body: { provider: `ivy-${tag}@example.com`, prospect: { name: 'Gil Green' }, need: 'a new lawn', consent: false } });
    const browser = await new WebClient().signIn(`ivy-${tag}@example.com`);

    expect(referral.status).toBe(201);
    expect(referral.body.provider.name).toBe('Ivy Imported');
    expect((await browser.get('/referrals')).status).toBe(200);
  });

  it('does not bring back a removed member unless reactivate=true', async () => {
    const g = await freshGroup([{ name: 'Rex Removed', business: 'Rex Roofs' }]);
    const rex = g.members['Rex Removed']!;
    await removeMember(deps(), rex.id, { adminId: g.admin.id });
    const csv = `Name,Email,Company\nRex Removed,${rex.email},Rex Roofing Ltd\n`;

    const refused = await postCsv(g.admin.apiKey, csv);
    const stillRemoved = (await membersOf(g.admin.apiKey)).find((m) => m.email === rex.email);
    const back = await postCsv(g.admin.apiKey, csv, '?reactivate=true');

    expect(refused.body).toEqual({ created: 0, updated: 0, unchanged: 0, errors: [{ row: 2, message: `${rex.email} was removed from this group; import with "reactivate" to bring them back` }] });
    expect(stillRemoved?.status).toBe('removed');
    expect(back.body).toMatchObject({ updated: 1, errors: [] });
    expect((await membersOf(g.admin.apiKey)).find((m) => m.email === rex.email)).toMatchObject({ status: 'active', business: 'Rex Roofing Ltd' });
  });

  it('welcome=true welcomes each imported member once, however often the roster is imported', async () => {
    const g = await freshGroup();
    const emails = [`wendy-${g.tag}@example.com`, `walt-${g.tag}@example.com`];
    const csv = `Name,Email\nWendy Welcome,${emails[0]}\nWalt Welcome,${emails[1]}\n`;

    await postCsv(g.admin.apiKey, csv, '?welcome=true');
    await postCsv(g.admin.apiKey, csv, '?welcome=true');
    await postCsv(g.admin.apiKey, `${csv}Wes Later,wes-${g.tag}@example.com\n`, '?welcome=true');

    for (const email of emails) {
      const mails = await eventually(async () => {
        const found = await emailsTo(email);
        return found.length ? found : undefined;
      }, `a welcome email to ${email}`);
      expect(mails, email).toHaveLength(1);
      expect(mails[0]!.subject).toBe(`Welcome to ${g.group.name} on Referral Relay`);
      expect(mails[0]!.body.text).toContain(g.logAddress);
      expect(mails[0]!.body.text).toContain(`${baseUrl}/refer`);
    }
    expect(await emailsTo(`wes-${g.tag}@example.com`)).toHaveLength(1);
  });

  it('without welcome=true no email goes out', async () => {
    const g = await freshGroup();
    await postCsv(g.admin.apiKey, `Name,Email\nQuiet Quinn,quiet-${g.tag}@example.com\n`);
    expect(await emailsTo(`quiet-${g.tag}@example.com`)).toEqual([]);
  });

  it('refuses what is not a roster, and callers who are not admins', async () => {
    const g = await freshGroup([{ name: 'Mo Member' }]);
    const ok = 'Name,Email\nA,a@example.com\n';

    const cases = [
      { res: await postCsv(g.members['Mo Member']!.apiKey, ok), status: 403 },
      { res: await api('POST', '/api/members/import', { headers: { 'content-type': 'text/csv' }, raw: ok }), status: 401 },
      { res: await postCsv(g.admin.apiKey, JSON.stringify({ csv: ok }), '', 'application/json'), status: 415 },
      { res: await postCsv(g.admin.apiKey, ''), status: 422, message: /empty/ },
      { res: await postCsv(g.admin.apiKey, roster('no-email-column.csv')), status: 422, message: /No e-mail column/ },
      { res: await postCsv(g.admin.apiKey, Buffer.from('Name;E-Mail\nJ\xfcrgen;j@x.example\n', 'latin1') as unknown as string), status: 422, message: /not UTF-8/ },
      { res: await postCsv(g.admin.apiKey, ok, '?dryRun=maybe'), status: 422, message: /dryRun/ },
    ];
    for (const { res, status, message } of cases) {
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body.error.code).toBeTypeOf('string');
      if (message) expect(res.body.error.message).toMatch(message);
    }
    expect((await membersOf(g.admin.apiKey)).map((m) => m.email)).not.toContain('a@example.com');
  });

  it('takes 500 rows in one request (bigger than the usual 256 KB body limit allows for long answers)', async () => {
    const g = await freshGroup();
    const long = 'x'.repeat(600);
    const rows = Array.from({ length: 500 }, (_, i) => `Member ${i},m${i}-${g.tag}@example.com,Biz ${i},Trade ${i % 20},"${long}"`);
    const csv = `Name,Email,Company,Category,What sets you apart?\n${rows.join('\n')}\n`;
    expect(Buffer.byteLength(csv)).toBeGreaterThan(256 * 1024);

    const res = await postCsv(g.admin.apiKey, csv);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ created: 500, updated: 0, unchanged: 0, errors: [] });
    expect(await membersOf(g.admin.apiKey)).toHaveLength(501);
  });

  it('is in the OpenAPI document with its CSV body and query flags', async () => {
    const doc = (await api('GET', '/api/openapi.json')).body;
    const op = doc.paths['/members/import']?.post ?? doc.paths['/api/members/import']?.post;
    expect(op).toBeDefined();
    expect(Object.keys(op.requestBody.content)).toContain('text/csv');
    expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(['dryRun', 'reactivate', 'welcome']);
    expect(op.responses['200']).toBeDefined();
  });
});

describe('roster import: /admin page', () => {
  it('upload → preview with per-row errors (nothing written) → confirm', async () => {
    // Prepare
    const g = await harbour();
    const admin = await new WebClient().signIn(g.admin.email);
    const form = new FormData();
    form.set('roster', new Blob([readFileSync(join(rosters, 'harbour-google-sheets.csv'))], { type: 'text/csv' }), 'roster.csv');
    form.set('step', 'preview');

    // Act
    const preview = await admin.postMultipart('/admin/import', form);
    const membersAfterPreview = await membersOf(g.admin.apiKey);
    const csv = /name="csv" value="([^"]*)"/.exec(preview.text)?.[1];
    const confirmed = await admin.post('/admin/import', { step: 'confirm', csv: csv!.replaceAll('&quot;', '"').replaceAll('&amp;', '&').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>') });

    // Assess
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('Preview: nothing has been saved yet');
    expect(preview.text).toContain('1 to create, 0 to update, 1 unchanged, 1 row with problems');
    expect(preview.text).toContain('&quot;raj@patelit&quot; is not an e-mail address');
    expect(membersAfterPreview.map((m) => m.email)).not.toContain('nora@quinnflorist.example');
    expect(confirmed.status).toBe(200);
    expect(confirmed.text).toContain('1 created, 0 updated, 1 unchanged, 1 row with problems');
    expect((await membersOf(g.admin.apiKey)).find((m) => m.email === 'nora@quinnflorist.example')).toMatchObject({ name: 'Nora Quinn', profile: { setsApart: 'Same-day delivery, "no-fuss" pricing.' } });
  });

  it('pasted text works too; an unreadable file is explained; other origins are refused', async () => {
    const g = await freshGroup();
    const admin = await new WebClient().signIn(g.admin.email);

    const pasted = await admin.post('/admin/import', { step: 'preview', csv: `Nom;Courriel\nPia Paste;pia-${g.tag}@example.com\n` });
    const bad = await admin.post('/admin/import', { step: 'preview', csv: 'Name,Company\nX,Y\n' });
    const empty = await admin.post('/admin/import', { step: 'preview', csv: '' });
    const crossSite = await admin.post('/admin/import', { step: 'confirm', csv: `Name,Email\nEve,eve-${g.tag}@example.com\n` }, { origin: 'https://evil.example' });

    expect(pasted.status).toBe(200);
    expect(pasted.text).toContain('Pia Paste');
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('No e-mail column');
    expect(empty.status).toBe(422);
    expect(crossSite.status).toBe(403);
    expect((await membersOf(g.admin.apiKey)).map((m) => m.email)).not.toContain(`eve-${g.tag}@example.com`);
  });

  it('is for admins only', async () => {
    const g = await freshGroup([{ name: 'Nia Normal' }]);
    const member = await new WebClient().signIn(g.members['Nia Normal']!.email);
    const res = await member.post('/admin/import', { step: 'confirm', csv: `Name,Email\nZed,zed-${g.tag}@example.com\n` });
    expect(res.status).toBe(403);
  });
});
