/**
 * The OpenAPI 3.1 document of the JSON API, generated from the route definitions and their zod
 * schemas with zod's own JSON Schema conversion. Schemas registered in `z.globalRegistry` with an `id`
 * (`.register(z.globalRegistry, { id })`, or classic zod's `.meta({ id })`) become
 * `components.schemas` and are referred to by `$ref`; everything else is inlined.
 *
 * Every schema is converted as the JSON a client writes or reads (`io: 'input'`): request schemas
 * describe what is accepted before any trimming or defaults, and response schemas (never used to
 * parse) stay open objects, as the answers may carry more fields than they name.
 */
import type { $ZodObject, $ZodType } from 'zod/v4/core';
import * as z from '../../config/zod.js';
import type { RouteDefinition } from './openapi-kit.js';

type JsonSchema = Record<string, unknown>;

export interface DocumentBase {
  openapi: string;
  info: { title: string; version: string; description?: string };
  servers?: { url: string; description?: string }[];
}

const COMPONENT_REF = '#/components/schemas/';

/** `#/$defs/X` (zod's single-schema form) → `#/components/schemas/X`, throughout. */
function toComponentRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toComponentRefs);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [key, key === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/') ? COMPONENT_REF + v.slice('#/$defs/'.length) : toComponentRefs(v)]),
  );
}

/** An integer (`z.int()`) is a safe integer; saying so on every integer is noise (JSON readers cope). */
function dropSafeIntegerBounds({ jsonSchema }: { jsonSchema: JsonSchema }) {
  if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
  if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
}

export function openApiDocument(routes: readonly RouteDefinition[], base: DocumentBase, securitySchemes: Record<string, unknown> = {}) {
  const schemas: Record<string, JsonSchema> = {};
  const serialized = new Map<string, string>();

  /** The JSON Schema of `schema`, its named parts collected as components. */
  const schemaOf = (schema: $ZodType): JsonSchema => {
    const { $schema: _, $defs = {}, ...root } = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12', override: dropSafeIntegerBounds }) as JsonSchema & { $defs?: Record<string, JsonSchema> };
    for (const [id, def] of Object.entries($defs)) {
      const text = JSON.stringify(def);
      if (serialized.has(id) && serialized.get(id) !== text) throw new Error(`Two different schemas are both named "${id}"`);
      serialized.set(id, text);
      schemas[id] = toComponentRefs(def) as JsonSchema;
    }
    return toComponentRefs(root) as JsonSchema;
  };

  /** Each property of an object schema as an OpenAPI parameter. */
  const parametersOf = (where: 'path' | 'query' | 'header', schema: $ZodObject) => {
    const { properties = {}, required = [] } = schemaOf(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
    return Object.entries(properties).map(([name, property]) => {
      const { description } = property;
      return { name, in: where, required: where === 'path' || required.includes(name), ...(typeof description === 'string' ? { description } : {}), schema: property };
    });
  };

  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const { params, query, headers, body, textBody } = route.request ?? {};
    const parameters = [...(params ? parametersOf('path', params) : []), ...(query ? parametersOf('query', query) : []), ...(headers ? parametersOf('header', headers) : [])];
    const responses = Object.fromEntries(
      Object.entries(route.responses).map(([status, { description, content }]) => [
        status,
        { description, ...(content ? { content: Object.fromEntries(Object.entries(content).map(([type, { schema }]) => [type, { schema: schemaOf(schema) }])) } : {}) },
      ]),
    );
    (paths[route.path] ??= {})[route.method] = {
      ...(route.summary ? { summary: route.summary } : {}),
      ...(route.description ? { description: route.description } : {}),
      ...(route.security ? { security: route.security } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(body) } } } } : {}),
      ...(textBody ? { requestBody: { required: true, description: textBody.description, content: Object.fromEntries(textBody.contentTypes.map((type) => [type, { schema: { type: 'string' } }])) } } : {}),
      responses,
    };
  }

  return { ...base, components: { securitySchemes, schemas }, paths };
}
