/**
 * The JSON API's routes, each defined once: `api.defineRoute({ method, path, request, responses }, handler)`
 * registers a plain Hono route whose request is validated against the zod schemas of `request`, and
 * keeps the definition for the OpenAPI document (`./openapi-document.ts`, built on the first request
 * of /api/openapi.json). So the schemas are the one source of both the validation and the document.
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { $ZodError, $ZodObject, $ZodType } from 'zod/v4/core';
import * as z from '../../config/zod.js';
import { ValidationError } from '../../domain/errors.js';
import { requireSession } from '../auth.js';
import type { AppEnv } from '../context.js';
import { humanIssues, issuesSentence, type Issue } from '../human-issues.js';
import { openApiDocument, type DocumentBase } from './openapi-document.js';
import { errorSchema } from './schemas.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** What a route reads from the request; every part is validated before the handler runs. */
export interface RouteRequest {
  /** Path parameters, named as in the path's `{id}` segments. */
  params?: $ZodObject;
  /** Query parameters: one value gives a string, a repeated one an array. */
  query?: $ZodObject;
  /** Request headers, keyed in lower case. */
  headers?: $ZodObject;
  /** A required JSON body (`application/json`). */
  body?: $ZodType;
  /**
   * A required non-JSON body (e.g. a CSV file): the content type is checked (415 otherwise) and the
   * handler reads the bytes itself.
   */
  textBody?: { contentTypes: string[]; description: string };
}

/** One documented answer of a route (handlers' answers are not checked against it). */
export interface RouteResponse {
  description: string;
  content?: Record<string, { schema: $ZodType }>;
}

export interface RouteDefinition<R extends RouteRequest = RouteRequest> {
  method: HttpMethod;
  /** OpenAPI style: `/members/{id}`. */
  path: string;
  summary?: string;
  description?: string;
  security?: Record<string, string[]>[];
  /** Runs before the request is validated (e.g. "admins only", so a member learns nothing about valid bodies). */
  middleware?: MiddlewareHandler<AppEnv>[];
  request?: R;
  responses: Record<number, RouteResponse>;
}

/** Hono's names of the validated parts, as read by `c.req.valid(…)`. */
type TargetOf = { params: 'param'; query: 'query'; headers: 'header'; body: 'json' };
type Validated<R extends RouteRequest> = {
  [K in keyof R & keyof TargetOf as TargetOf[K]]: R[K] extends $ZodType ? z.output<R[K]> : never;
};
export type RouteHandler<R extends RouteRequest> = (c: Context<AppEnv, string, { out: Validated<R> }>) => Response | Promise<Response>;

/** A JSON body or response in a route definition. */
export const json = <T extends $ZodType>(schema: T, description: string): RouteResponse => ({ content: { 'application/json': { schema } }, description });

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

export type { Issue };
/** Every problem with its field path, in words a person can act on (src/web/human-issues.ts). */
export const issuesOf = (error: $ZodError): Issue[] => humanIssues(error.issues);

/** One ValidationError (422) naming every problem with its field path. */
export const invalid = (issues: Issue[]) => new ValidationError(issuesSentence(issues), issues);

// ---- request validation -----------------------------------------------------------------------

/** `application/json` or `application/…+json`, with parameters such as `; charset=utf-8`. */
const JSON_CONTENT_TYPE = /^application\/([a-z-.]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;

/** Parses `value` with `schema`, or throws the 422 listing every problem. */
async function validOrThrow(schema: $ZodType, value: unknown): Promise<unknown> {
  const result = await z.safeParseAsync(schema, value);
  if (!result.success) throw invalid(issuesOf(result.error));
  return result.data;
}

/** Validates one part of the request and hands the parsed value to `c.req.valid(target)`. */
function validate(target: 'param' | 'query' | 'header', schema: $ZodType): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const value =
      target === 'param'
        ? c.req.param()
        : target === 'header'
          ? c.req.header()
          : Object.fromEntries(Object.entries(c.req.queries()).map(([key, values]) => [key, values.length === 1 ? values[0] : values]));
    c.req.addValidatedData(target, (await validOrThrow(schema, value)) as object);
    await next();
  };
}

/**
 * A JSON body: another content type is 415, unparseable JSON 400, and a request without any body is
 * validated as `{}` (so it fails as 422 naming the missing fields).
 */
function validateJsonBody(schema: $ZodType): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const contentType = c.req.header('content-type');
    let value: unknown = {};
    if (contentType) {
      if (!JSON_CONTENT_TYPE.test(contentType)) throw new HTTPException(415, { message: 'Unsupported Media Type' });
      try {
        value = await c.req.json();
      } catch {
        throw new HTTPException(400, { message: 'Malformed JSON in request body' });
      }
    } else if (c.req.raw.body !== null && (await c.req.arrayBuffer()).byteLength > 0) {
      throw new HTTPException(415, { message: 'Unsupported Media Type' });
    }
    c.req.addValidatedData('json', (await validOrThrow(schema, value)) as object);
    await next();
  };
}

/** Only the listed media types (parameters such as `; charset=utf-8` allowed); anything else is 415. */
function checkContentType(types: string[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const type = c.req.header('content-type')?.split(';')[0]!.trim().toLowerCase();
    if (!type || !types.includes(type)) throw new HTTPException(415, { message: `Unsupported Media Type: send ${types.join(' or ')}` });
    await next();
  };
}

// ---- the router ---------------------------------------------------------------------------------

/**
 * A part of the JSON API: a Hono app that also keeps the definitions of its routes, for the OpenAPI
 * document. Mount it like any Hono app; mount another part with `include()` so its routes are
 * documented too.
 */
export class ApiRouter extends Hono<AppEnv> {
  readonly definitions: RouteDefinition[] = [];
  readonly securitySchemes: Record<string, Record<string, unknown>> = {};

  /**
   * Registers `handler` for the route, behind the session check (routes with `security`), the
   * route's middleware and the validation of its
   * params, query, headers and body (in that order); a validation failure is a 422 in the
   * contract's error body.
   */
  defineRoute<R extends RouteRequest = Record<never, never>>(route: RouteDefinition<R>, handler: RouteHandler<R>): this {
    const { params, query, headers, body, textBody } = route.request ?? {};
    // A route that declares `security` answers 401 before anything else is looked at (the contract:
    // "401 before any validation"), so a caller without a key learns nothing about valid requests.
    const authenticated: MiddlewareHandler<AppEnv>[] = route.security?.length
      ? [
          (c, next) => {
            requireSession(c);
            return next();
          },
        ]
      : [];
    const handlers: MiddlewareHandler<AppEnv>[] = [...authenticated, ...(route.middleware ?? [])];
    if (textBody) handlers.push(checkContentType(textBody.contentTypes));
    if (query) handlers.push(validate('query', query));
    if (params) handlers.push(validate('param', params));
    if (headers) handlers.push(validate('header', headers));
    if (body) handlers.push(validateJsonBody(body));
    handlers.push(handler as unknown as MiddlewareHandler<AppEnv>);
    this.on([route.method], [route.path.replaceAll(/\/{(.+?)}/g, '/:$1')], ...(handlers as [MiddlewareHandler<AppEnv>]));
    this.definitions.push(route as RouteDefinition);
    return this;
  }

  /** Names an authentication scheme that routes' `security` can refer to. */
  securityScheme(name: string, scheme: Record<string, unknown>): this {
    this.securitySchemes[name] = scheme;
    return this;
  }

  /** Mounts another part of the API at the same root: its routes and their documentation. */
  include(other: ApiRouter): this {
    this.route('/', other);
    this.definitions.push(...other.definitions);
    Object.assign(this.securitySchemes, other.securitySchemes);
    return this;
  }

  /**
   * Serves the OpenAPI document of every route defined so far at `path`: generated on the first
   * request (not at cold start) and kept.
   */
  serveDocument(path: string, base: DocumentBase): this {
    let document: ReturnType<typeof openApiDocument> | undefined;
    this.get(path, (c) => c.json((document ??= this.openApi(base))));
    return this;
  }

  /** The OpenAPI document of every route defined so far (for `/api/docs` and the typed client). */
  openApi(base: DocumentBase): ReturnType<typeof openApiDocument> {
    return openApiDocument(this.definitions, base, this.securitySchemes);
  }
}

export const apiRouter = () => new ApiRouter();
