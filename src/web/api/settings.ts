import type { MiddlewareHandler } from 'hono';
import { $ZodError } from 'zod/v4/core';
import * as z from '../../config/zod.js';
import { apiRouter, invalid, issuesOf, json, security } from './openapi-kit.js';
import { NotFoundError, StaleWriteError } from '../../domain/errors.js';
import type { CadenceSettings, Group } from '../../domain/types.js';
import type { RelayDeps } from '../../referrals/deps.js';
import { applyCadencePatch, cadencePatchSchema } from '../../schedule/cadence-schema.js';
import { requireAdmin, requireSession } from '../auth.js';
import type { AppEnv } from '../context.js';
import { errorSchema } from './schemas.js';

const MAX_ATTEMPTS = 5;

/**
 * Applies a cadence patch to a group: validated against the merged result (cross-field rules too),
 * written version-checked, and re-applied to the fresh group when someone else saved in between;
 * a changed digest slot re-plans the group's digest.
 * @throws ValidationError listing every problem with its field path.
 */
export async function saveGroupSettings(deps: RelayDeps, groupId: string, patch: unknown): Promise<Group> {
  for (let attempt = 1; ; attempt++) {
    const group = await deps.store.getGroup(groupId);
    if (!group) throw new NotFoundError('group');
    let settings: CadenceSettings;
    try {
      settings = applyCadencePatch(group.settings, patch);
    } catch (err) {
      // "businessHours.start: Business hours start must be …" for each issue, plus the issues as details.
      if (err instanceof $ZodError) throw invalid(issuesOf(err));
      throw err;
    }
    let saved: Group;
    try {
      saved = await deps.store.updateGroup({ ...group, settings });
    } catch (err) {
      if (err instanceof StaleWriteError && attempt < MAX_ATTEMPTS) continue;
      throw err;
    }
    // The weekly digest is one schedule per group: move it when its day or hour changed.
    if (settings.digestDay !== group.settings.digestDay || settings.digestHour !== group.settings.digestHour) await deps.digests.plan(saved);
    return saved;
  }
}

const weekday = z.int().check(z.minimum(1), z.maximum(7)).register(z.globalRegistry, { description: 'ISO weekday: 1 = Monday … 7 = Sunday' });
export const cadenceSettingsResponseSchema = z
  .object({
    thankYouPromptMinutes: z.int(),
    introMinutes: z.int(),
    contactReminderHours: z.int(),
    escalationHours: z.int(),
    connectionCheckDays: z.int(),
    progressRequestDays: z.int(),
    maxProgressRequests: z.int(),
    dormantAfterDays: z.int(),
    experienceCheckDays: z.int(),
    needsInfoReminderDays: z.int(),
    needsInfoExpiryDays: z.int(),
    businessHours: z.object({ start: z.string().register(z.globalRegistry, { example: '08:00' }), end: z.string().register(z.globalRegistry, { example: '18:00' }), days: z.array(weekday) }),
    digestDay: weekday,
    digestHour: z.int(),
    anniversaryAsks: z.boolean().register(z.globalRegistry, { description: "On a won referral's anniversary, remind its provider to thank the customer (default true)" }),
  })
  .register(z.globalRegistry, { id: 'CadenceSettings' });

/** The settings as the API shows them: a group made before the anniversary switch has it on. */
const shownSettings = (settings: CadenceSettings) => ({ ...settings, anniversaryAsks: settings.anniversaryAsks !== false });

const adminOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  requireAdmin(c, 'change the group settings');
  await next();
};


/**
 * `GET /settings` (any member: when the group's emails go) and `PATCH /settings` (admins): the
 * group's cadence. Mounted under /api.
 */
export function settingsRoutes() {
  const api = apiRouter();

  api.defineRoute(
    {
      method: 'get',
      path: '/settings',
      security,
      responses: { 200: json(cadenceSettingsResponseSchema, 'The cadence settings of your group'), 401: json(errorSchema, 'No or bad credentials') },
    },
    async (c) => {
      const s = requireSession(c);
      const group = await c.get('deps').store.getGroup(s.group.id);
      if (!group) throw new NotFoundError('group');
      return c.json(shownSettings(group.settings), 200);
    },
  );

  api.defineRoute(
    {
      method: 'patch',
      path: '/settings',
      security,
      // Before the body validator, so a member learns "not allowed" rather than what a valid body is.
      middleware: [adminOnly],
      description: 'Change some cadence settings. `businessHours` is replaced as a whole. The merged result must still make sense (start < end, escalation after the reminder, …).',
      request: { body: cadencePatchSchema },
      responses: {
        200: json(cadenceSettingsResponseSchema, 'The settings after the change'),
        400: json(errorSchema, 'Malformed request'),
        401: json(errorSchema, 'No or bad credentials'),
        403: json(errorSchema, 'Not an admin'),
        422: json(errorSchema, 'Invalid settings'),
      },
    },
    async (c) => {
      const s = requireSession(c);
      const group = await saveGroupSettings(c.get('deps'), s.group.id, c.req.valid('json'));
      return c.json(shownSettings(group.settings), 200);
    },
  );

  return api;
}
