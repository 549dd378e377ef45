import type { Hono } from 'hono';
import { z } from 'zod';
import { routeDoc, type RouteDoc } from './http/validate.ts';

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

const inputSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
  properties?: Record<string, object>;
  required?: string[];
};

/**
 * OpenAPI 3.1 from the route table itself: every route's scope and zod schemas are attached to its
 * middleware (`describe`), so the document cannot drift from what the server validates.
 */
export function openApiDocument(app: Hono<any>, base = '/api') {
  const operations = new Map<string, { method: string; path: string; docs: RouteDoc[] }>();
  for (const route of app.routes) {
    if (!route.path.startsWith(`${base}/`) || route.method === 'ALL') continue;
    const key = `${route.method} ${route.path}`;
    const op = operations.get(key) ?? { method: route.method.toLowerCase(), path: route.path, docs: [] };
    const doc = (route.handler as { [routeDoc]?: RouteDoc })[routeDoc];
    if (doc) op.docs.push(doc);
    operations.set(key, op);
  }
  const paths: Record<string, Record<string, object>> = {};
  for (const { method, path, docs } of operations.values()) {
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
        requestBody = { required: true, content: { 'application/json': { schema: json } } };
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
      ...(scope ? { 'x-scope': scope, security: [{ bearer: [] }] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
      responses: {
        '2XX': { description: 'Success: `{ "data": … }`' },
        default: { description: 'The kit error body', content: { 'application/json': { schema: errorBody } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'customer-kit BFF', version: '0.1.0' },
    servers: [{ url: base }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
