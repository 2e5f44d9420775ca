import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { DomainError } from '../../../src/domain/errors.js';
import { openApiDocument } from '../../../src/web/api/openapi-document.js';
import { apiRouter, errors, json, security } from '../../../src/web/api/openapi-kit.js';
import type { Session } from '../../../src/web/context.js';

const thingSchema = z.strictObject({ name: z.string().trim().min(1), size: z.number().int().min(1).max(9).optional() }).meta({ id: 'Thing' });

function thingsApi(signedIn = true) {
  const api = apiRouter().securityScheme('bearer', { type: 'http', scheme: 'bearer' });
  // What identify() sets for a good Bearer key; the kit only needs a session to be there.
  if (signedIn) api.use('*', (c, next) => (c.set('session', { via: 'api', isAdmin: false } as unknown as Session), next()));
  api.defineRoute(
    {
      method: 'post',
      path: '/things/{id}',
      security,
      request: { params: z.object({ id: z.string().regex(/^[a-z]{3}$/) }), query: z.object({ tag: z.array(z.string()).or(z.string()).optional() }), body: thingSchema },
      responses: { 201: json(z.object({ thing: thingSchema, id: z.string() }), 'Made'), ...errors },
    },
    (c) => c.json({ id: c.req.valid('param').id, tag: c.req.valid('query').tag, thing: c.req.valid('json') }, 201),
  );
  // The kit's errors, as app.ts answers them.
  api.onError((err, c) => {
    if (err instanceof DomainError) return c.json({ code: err.code, message: err.message, details: err.details }, err.status);
    if (err instanceof HTTPException) return c.json({ message: err.message }, err.status);
    throw err;
  });
  return api;
}

const post = (path: string, body?: string, contentType: string | null = 'application/json') =>
  thingsApi().request(path, { method: 'POST', body, headers: contentType ? { 'content-type': contentType } : {} });

describe('defineRoute', () => {
  it('answers 401 before any validation on a route with security, whatever the body', async () => {
    const res = await thingsApi(false).request('/things/NOT-VALID?tag=1', { method: 'POST', body: '{"bad":', headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(401);
  });

  it('hands the parsed params, query and body to the handler', async () => {
    const res = await post('/things/abc?tag=x&tag=y', JSON.stringify({ name: '  Box ', size: 3 }), 'application/json; charset=utf-8');
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ id: 'abc', tag: ['x', 'y'], thing: { name: 'Box', size: 3 } });
  });

  it('answers 422 naming every problem with its field path', async () => {
    const res = await post('/things/abc', JSON.stringify({ name: '', size: 12, colour: 'red' }));
    expect(res.status).toBe(422);
    const body = (await res.json()) as { code: string; message: string; details: { path: string }[] };
    expect(body.code).toBe('invalid');
    expect(body.details.map((d) => d.path).sort()).toEqual(['', 'name', 'size']);
    expect(body.message).toMatch(/^name: .+; size: .+; .*colour/);
  });

  it('validates the path parameters before the body', async () => {
    const res = await post('/things/ABCD', JSON.stringify({ name: 'Box' }));
    expect(res.status).toBe(422);
    expect(((await res.json()) as { details: { path: string }[] }).details.map((d) => d.path)).toEqual(['id']);
  });

  it('refuses a body that is not JSON (415) or not well-formed JSON (400)', async () => {
    expect((await post('/things/abc', 'name=Box', 'application/x-www-form-urlencoded')).status).toBe(415);
    expect((await post('/things/abc', '{"name":', 'application/json')).status).toBe(400);
    expect((await post('/things/abc', '{"name":"Box"}', null)).status).toBe(415);
  });

  it('validates a request without a body as {}', async () => {
    const res = await post('/things/abc', undefined, null);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { details: { path: string }[] }).details.map((d) => d.path)).toEqual(['name']);
  });
});

describe('openApiDocument', () => {
  it('documents each defined route from its schemas, named schemas as components', () => {
    const api = thingsApi();
    const doc = openApiDocument(api.definitions, { openapi: '3.1.0', info: { title: 't', version: '1' } }, api.securitySchemes);
    const op = doc.paths['/things/{id}']!.post! as Record<string, any>;
    expect(op.security).toEqual([{ bearer: [] }]);
    expect(op.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z]{3}$' } },
      expect.objectContaining({ name: 'tag', in: 'query', required: false }),
    ]);
    expect(op.requestBody).toEqual({ required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } });
    expect(op.responses['201'].content['application/json'].schema.properties.thing).toEqual({ $ref: '#/components/schemas/Thing' });
    expect(op.responses['422']).toEqual({ description: 'Invalid input', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
    expect(doc.components.schemas.Thing).toEqual({
      type: 'object',
      properties: { name: { type: 'string', minLength: 1 }, size: { type: 'integer', minimum: 1, maximum: 9 } },
      required: ['name'],
      additionalProperties: false,
    });
    expect(doc.components.securitySchemes).toEqual({ bearer: { type: 'http', scheme: 'bearer' } });
  });

  it('refuses two different schemas under one name', () => {
    const api = apiRouter();
    for (const [path, schema] of [['/a', z.object({ a: z.string() })], ['/b', z.object({ b: z.string() })]] as const) {
      api.defineRoute({ method: 'get', path, responses: { 200: json(schema.meta({ id: 'Same' }), 'x') } }, (c) => c.body(null, 204));
    }
    expect(() => openApiDocument(api.definitions, { openapi: '3.1.0', info: { title: 't', version: '1' } })).toThrow(/"Same"/);
  });
});
