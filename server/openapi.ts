import type { Hono } from 'hono';
import { z } from 'zod';
import { authenticate } from './auth/authenticate.ts';
import { routeDoc, type ResponseDoc, type RouteDoc } from './http/validate.ts';

const errorBody = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object' } },
    },
  },
};

/** The kit's usual success body; `next_cursor` only on lists. */
const dataBody = {
  type: 'object',
  required: ['data'],
  properties: { data: {}, next_cursor: { type: ['string', 'null'] } },
};

const bearerAuth = {
  type: 'http',
  scheme: 'bearer',
  description: 'An API key (`ck_key_…`, holding its scopes) or an embed session token (`ck_ses_…`, holding its '
    + "capabilities within its staff member's role), as `Authorization: Bearer …`. Without a valid one, 401; an "
    + "operation's security requirement names the scope it needs (also its `x-scope`), without which 403.",
};

const inputSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
  properties?: Record<string, object>;
  required?: string[];
};

const outputSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' });

/** The middleware that demands the bearer credential: a route registered after it, on a path it covers, needs one. */
const authenticateName = authenticate().name;

const covers = (pattern: string, path: string) =>
  pattern.endsWith('/*') ? path === pattern.slice(0, -2) || path.startsWith(pattern.slice(0, -1)) : pattern === path;

/** How this document answers (app.ts serves it at `${base}/openapi.json`, outside the described routes). */
const thisDocument: ResponseDoc = {
  status: 200,
  description: 'This OpenAPI 3.1 document.',
  content: { 'application/json': z.looseObject({ openapi: z.string(), paths: z.record(z.string(), z.unknown()) }) },
};

/**
 * Whether a request without a JSON body passes the validator: Hono's validator reads a missing body
 * (or one sent without a JSON content type) as `{}`. An asynchronous schema counts as requiring one.
 */
function acceptsNoBody(schema: z.ZodType): boolean {
  try {
    return schema.safeParse({}).success;
  } catch {
    return false;
  }
}

function successResponses(response: ResponseDoc | undefined): Record<string, object> {
  if (!response) {
    return { '2XX': { description: 'Success: `{ "data": … }`; a list adds `next_cursor`.', content: { 'application/json': { schema: dataBody } } } };
  }
  const { status, description, content } = response;
  if (status === 204) return { 204: { description: description ?? 'Done; no body.' } };
  const media = content
    ? Object.fromEntries(Object.entries(content).map(([type, schema]) => [type, { schema: outputSchema(schema) }]))
    : { 'application/json': { schema: dataBody } };
  return { [status]: { description: description ?? (status === 201 ? 'Created: `{ "data": … }`.' : 'Success: `{ "data": … }`.'), content: media } };
}

/**
 * OpenAPI 3.1 from the route table itself: every route's scope, zod schemas and success answer are
 * attached to its middleware (`describe`, `responds`), and whether it needs a credential is read off
 * the order of registration (after `authenticate()`, or not), so the document cannot drift from what
 * the server validates and answers.
 */
export function openApiDocument(app: Hono<any>, base = '/api') {
  const operations = new Map<string, { method: string; path: string; docs: RouteDoc[]; authenticated: boolean }>();
  const guards: { method: string; path: string }[] = [];
  for (const route of app.routes) {
    if (route.handler.name === authenticateName) guards.push({ method: route.method, path: route.path });
    if (!route.path.startsWith(`${base}/`) || route.method === 'ALL') continue;
    const key = `${route.method} ${route.path}`;
    const op = operations.get(key) ?? { method: route.method.toLowerCase(), path: route.path, docs: [], authenticated: false };
    op.authenticated ||= guards.some((g) => (g.method === 'ALL' || g.method === route.method) && covers(g.path, route.path));
    const doc = (route.handler as { [routeDoc]?: RouteDoc })[routeDoc];
    if (doc) op.docs.push(doc);
    operations.set(key, op);
  }
  const paths: Record<string, Record<string, object>> = {};
  for (const { method, path, docs, authenticated } of operations.values()) {
    const scope = docs.find((d) => d.scope)?.scope;
    const parameters: object[] = [];
    let requestBody: object | undefined;
    for (const { header } of docs) {
      if (header) parameters.push({ name: header.name, in: 'header', required: false, description: header.description, schema: { type: 'string' } });
    }
    for (const { target, schema } of docs) {
      if (!target || !schema) continue;
      const json = inputSchema(schema);
      if (target === 'json') {
        requestBody = { required: !acceptsNoBody(schema), content: { 'application/json': { schema: json } } };
      } else if (target === 'param' || target === 'query') {
        for (const [name, s] of Object.entries(json.properties ?? {})) {
          parameters.push({ name, in: target === 'param' ? 'path' : 'query', required: target === 'param' || json.required?.includes(name), schema: s });
        }
      }
    }
    const openApiPath = path.slice(base.length).replace(/:(\w+)/g, '{$1}');
    paths[openApiPath] ??= {};
    paths[openApiPath][method] = {
      operationId: `${method}${openApiPath.replace(/[{}]/g, '').replace(/[/_-](\w)/g, (_, ch: string) => ch.toUpperCase())}`,
      ...(scope ? { 'x-scope': scope } : {}),
      security: authenticated ? [{ bearerAuth: scope ? [scope] : [] }] : [],
      ...(parameters.length ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
      responses: {
        ...successResponses(docs.find((d) => d.response)?.response ?? (path === `${base}/openapi.json` ? thisDocument : undefined)),
        default: { description: 'The kit error body', content: { 'application/json': { schema: errorBody } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'customer-kit BFF', version: '0.1.0' },
    servers: [{ url: base }],
    security: [{ bearerAuth: [] }],
    components: { securitySchemes: { bearerAuth } },
    paths,
  };
}
