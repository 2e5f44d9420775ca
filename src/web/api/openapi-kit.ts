import { OpenAPIHono, z } from '@hono/zod-openapi';
import { ValidationError } from '../../domain/errors.js';
import type { AppEnv } from '../context.js';
import { errorSchema } from './schemas.js';

/** A JSON body or response in an OpenAPI route description. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });

/** The error answers every authenticated route may give (CONTRACT.md's error body). */
export const errors = {
  400: json(errorSchema, 'Malformed request'),
  401: json(errorSchema, 'No or bad credentials'),
  403: json(errorSchema, 'Not allowed for this caller'),
  404: json(errorSchema, 'Not found'),
  409: json(errorSchema, 'Conflicts with the current state'),
  422: json(errorSchema, 'Invalid input'),
};

export const security = [{ bearer: [] }];

export type Issue = { path: string; message: string };
export const issuesOf = (error: z.ZodError): Issue[] => error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));

/** One ValidationError (422) naming every problem with its field path. */
export const invalid = (issues: Issue[]) => new ValidationError(issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '), issues);

/** A sub-app of the JSON API whose request validation fails as a 422 in the contract's error body. */
export function apiApp() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw invalid(issuesOf(result.error as z.ZodError));
    },
  });
}
