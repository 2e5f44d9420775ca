/**
 * `POST /api/members/import` (admins): a roster CSV as the body; `?dryRun=true` only plans. Answers
 * `{created, updated, unchanged, errors: [{row, message}]}` like the CLI; a file that cannot be read
 * as a roster at all is a 422 saying why.
 */
import type { MiddlewareHandler } from 'hono';
import * as z from '../../config/zod.js';
import { ValidationError } from '../../domain/errors.js';
import { importRoster } from '../../members/roster/apply-import.js';
import { RosterFormatError, rosterText } from '../../members/roster/read-roster.js';
import { requireAdmin } from '../auth.js';
import type { AppEnv } from '../context.js';
import { apiRouter, errors, json, security } from './openapi-kit.js';
import { errorSchema } from './schemas.js';

/** The media types spreadsheets and HTTP clients label CSV with. */
export const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel'];

const flag = (description: string) => z.optional(z.enum(['true', 'false', '1', '0']).register(z.globalRegistry, { description }));
const isOn = (value: string | undefined) => value === 'true' || value === '1';

export const importQuerySchema = z.object({
  dryRun: flag('Only report what the import would do; nothing is written'),
  reactivate: flag('Bring back removed members whose rows are in the file'),
  welcome: flag('Send each imported member the welcome email (at most once per member)'),
});

export const importResultSchema = z
  .object({
    created: z.int(),
    updated: z.int(),
    unchanged: z.int(),
    errors: z.array(z.object({ row: z.int().register(z.globalRegistry, { description: 'Spreadsheet row number; the header is row 1' }), message: z.string() })),
  })
  .register(z.globalRegistry, { id: 'MemberImportResult' });

const adminOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  requireAdmin(c, 'import members');
  await next();
};

export function memberImportRoutes() {
  return apiRouter().defineRoute(
    {
      method: 'post',
      path: '/members/import',
      summary: 'Import the roster from a CSV file',
      description:
        'The first row names the columns (Name or First name + Last name, Email, Company, Category, Phone, Goal per month, the three profile questions; also as German or French spreadsheets name them). Comma, semicolon or tab separated, UTF-8 with or without BOM. Members are matched by e-mail: a new address creates a member, a known one is updated (empty cells keep what is stored); a removed member comes back only with `reactivate=true`. Rows with problems are listed and skipped.',
      security,
      middleware: [adminOnly],
      request: { query: importQuerySchema, textBody: { contentTypes: CSV_TYPES, description: 'The roster as CSV (at most 2 MB)' } },
      responses: { 200: json(importResultSchema, 'What the import did (or, with dryRun, would do)'), 413: json(errorSchema, 'The file is over 2 MB'), 415: json(errorSchema, 'Not sent as text/csv'), ...errors },
    },
    async (c) => {
      const s = requireAdmin(c, 'import members');
      const query = c.req.valid('query');
      try {
        const csv = rosterText(new Uint8Array(await c.req.arrayBuffer()));
        const { counts } = await importRoster(c.get('deps'), s.group, csv, { dryRun: isOn(query.dryRun), reactivate: isOn(query.reactivate), welcome: isOn(query.welcome) });
        return c.json(counts, 200);
      } catch (err) {
        if (err instanceof RosterFormatError) throw new ValidationError(err.message);
        throw err;
      }
    },
  );
}
