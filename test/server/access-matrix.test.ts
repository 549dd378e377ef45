import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../../server/app.ts';
import { createApiKey } from '../../server/auth/api-keys.ts';
import { roleCapabilities } from '../../server/auth/roles.ts';
import { scopes, type Scope } from '../../server/auth/scopes.ts';
import type { Database } from '../../server/db/connect.ts';
import { routeDoc, type RouteDoc } from '../../server/http/validate.ts';
import { DEMO_STAFF_ID, DEMO_TENANT, OTHER_TENANT, seed } from '../../server/seed/index.ts';
import { call, OWN_ORIGIN, type Reply } from '../support/api.ts';
import { databaseTargets } from '../support/databases.ts';

/**
 * Every /api route × every way a caller can be wrong, generated from the app's own route table.
 * A route this file knows nothing about (a path parameter without a fixture, a body without a
 * sample) fails the test, so no new route escapes the matrix.
 */

type Ids = Record<string, string>;

/** A valid request for each route that needs a body or a query to reach its access checks. */
const samples: Record<string, { query?: (ids: Ids) => string; body?: (ids: Ids) => unknown }> = {
  'POST /api/embed/sessions': { body: () => ({ staff_id: DEMO_STAFF_ID, capabilities: ['customers:read'], origin: OWN_ORIGIN }) },
  'DELETE /api/embed/sessions/:sessionId': { body: () => ({}) },
  'POST /api/customers': { body: () => ({ firstname: 'Matrix', lastname: 'Check', email: 'matrix.check@example.test' }) },
  'PUT /api/customer/:id/profile': { body: () => ({ firstname: 'Matrix', lastname: 'Check', email: 'matrix.profile@example.test' }) },
  'POST /api/customer/:id/passes/:passId/adjustments': { body: () => ({ delta: 1, reason: 'access matrix' }) },
  'PATCH /api/customer/:id/passes/:passId': { body: () => ({ expires_at: '2099-01-01', reason: 'access matrix' }) },
  'GET /api/customer/:id/can-book': { query: (ids) => `class_id=${ids.classId}` },
  'POST /api/customer/:id/bookings': { body: (ids) => ({ class_id: ids.classId }) },
  'POST /api/customer/:id/bookings/:bookingId/cancel': { body: () => ({}) },
  'PATCH /api/customer/:id': { body: () => ({ archived: true, reason: 'access matrix' }) },
  'DELETE /api/customer/:id': { body: () => ({ reason: 'access matrix' }) },
  'POST /api/customer/:id/notes': { body: () => ({ body: 'access matrix' }) },
  'POST /api/customer/:id/coupons': { body: (ids) => ({ coupon_id: ids.couponId, reason: 'access matrix' }) },
  'PATCH /api/customer/:id/coupons/:customerCouponId': { body: () => ({ expires_at: '2099-01-01', reason: 'access matrix' }) },
  'POST /api/customer/:id/waivers/:policyId/acceptances': { body: (ids) => ({ version: Number(ids.n), method: 'paper' }) },
};

/**
 * The scope each route requires, written out rather than read off the route (a route guarded by the
 * wrong scope would pass a matrix that trusts it); `null`: any credential may call it. A route missing
 * here fails the matrix.
 */
const routeScopes: Record<string, Scope | null> = {
  'GET /api/session': null,
  'POST /api/embed/sessions': 'embed:create',
  'DELETE /api/embed/sessions/:sessionId': 'embed:create',
  'GET /api/customers': 'customers:read',
  'POST /api/customers': 'customers:write',
  'GET /api/customer/:id/profile': 'profile:read',
  'PUT /api/customer/:id/profile': 'profile:write',
  'GET /api/customer/:id/passes': 'passes:read',
  'GET /api/customer/:id/passes/:passId': 'passes:read',
  'GET /api/customer/:id/passes/:passId/credit-usage': 'passes:read',
  'GET /api/customer/:id/passes/:passId/credit-usage.csv': 'passes:read',
  'POST /api/customer/:id/passes/:passId/adjustments': 'credits:write',
  'PATCH /api/customer/:id/passes/:passId': 'credits:write',
  'GET /api/customer/:id/bookings': 'bookings:read',
  'GET /api/customer/:id/can-book': 'bookings:read',
  'POST /api/customer/:id/bookings': 'bookings:write',
  'POST /api/customer/:id/bookings/:bookingId/cancel': 'bookings:write',
  'GET /api/customer/:id/detail': 'profile:read',
  'PATCH /api/customer/:id': 'customers:write',
  'DELETE /api/customer/:id': 'customers:write',
  'GET /api/customer/:id/subscriptions': 'passes:read',
  'GET /api/customer/:id/appointments': 'bookings:read',
  'GET /api/customer/:id/videos': 'passes:read',
  'GET /api/customer/:id/notes': 'notes:read',
  'POST /api/customer/:id/notes': 'notes:write',
  'GET /api/customer/:id/emails': 'emails:read',
  'GET /api/customer/:id/activity': 'activity:read',
  'GET /api/coupons': 'coupons:read',
  'GET /api/customer/:id/coupons': 'coupons:read',
  'POST /api/customer/:id/coupons': 'coupons:write',
  'GET /api/customer/:id/coupons/:customerCouponId': 'coupons:read',
  'PATCH /api/customer/:id/coupons/:customerCouponId': 'coupons:write',
  'GET /api/customer/:id/waivers': 'waivers:read',
  'GET /api/policies/:policyId/versions/:n': 'waivers:read',
  'POST /api/customer/:id/waivers/:policyId/acceptances': 'waivers:write',
  'GET /api/customer/:id/audit': 'audit:read',
};
/** Routes outside authentication. */
const isPublic = (key: string) => key === 'GET /api/openapi.json';

interface Route {
  key: string;
  method: string;
  path: string;
  scope?: Scope;
  hasBody: boolean;
  hasQuery: boolean;
  /** Whether its query takes `limit` (a page size). */
  paged: boolean;
}

function routeTable(app: ReturnType<typeof createApp>): Route[] {
  const routes = new Map<string, Route>();
  for (const r of app.routes) {
    if (!r.path.startsWith('/api/')) continue;
    // Middleware is registered for every method on a wildcard path; a route for every method on a path of
    // its own would answer methods the matrix never sends: it must name its methods.
    if (r.method === 'ALL') {
      assert.ok(r.path.endsWith('*'), `${r.path} is routed for every method: give it its methods, so the access matrix covers it`);
      continue;
    }
    const key = `${r.method} ${r.path}`;
    const route = routes.get(key) ?? { key, method: r.method, path: r.path, hasBody: false, hasQuery: false, paged: false };
    const doc = (r.handler as { [routeDoc]?: RouteDoc })[routeDoc];
    if (doc?.scope) route.scope = doc.scope as Scope;
    if (doc?.target === 'json') route.hasBody = true;
    if (doc?.target === 'query') {
      route.hasQuery = true;
      route.paged = 'limit' in ((doc.schema as { shape?: object } | undefined)?.shape ?? {});
    }
    routes.set(key, route);
  }
  return [...routes.values()];
}

for (const target of await databaseTargets()) {
  describe(`access matrix on ${target.label}`, () => {
    let db: Database;
    let app: ReturnType<typeof createApp>;
    let routes: Route[];
    let ids: Ids;
    let full: string;
    let other: string;
    let expired: string;
    let revoked: string;
    let orphaned: string;
    let revokedSession: string;
    let restricted: string;
    const lacking = new Map<Scope, string>();

    const url = (route: Route) => {
      const path = route.path.replace(/:(\w+)/g, (_, name: string) => {
        assert.ok(ids[name], `${route.key}: the matrix has no fixture for :${name} — add one`);
        return ids[name]!;
      });
      const query = samples[route.key]?.query?.(ids);
      return query ? `${path}?${query}` : path;
    };
    const send = (route: Route, token: string | null): Promise<Reply> => {
      const body = samples[route.key]?.body?.(ids);
      return call(app, route.method, url(route), { token, body });
    };

    before(async () => {
      db = await target.open();
      await seed(db.sql, { customers: 30, seed: 5 });
      app = createApp({ sql: db.sql, log: () => {}, rateLimitPerMinute: 100_000 });
      routes = routeTable(app);
      const t = DEMO_TENANT;
      const [pass] = await db.sql`select p.id, p.customer_id from passes p join customers c on c.tenant_id = p.tenant_id and c.id = p.customer_id
        where p.tenant_id = ${t} and p.credits_left > 0 and c.deleted_at is null and not c.archived
          and exists (select 1 from bookings b where b.tenant_id = p.tenant_id and b.customer_id = p.customer_id)
          and exists (select 1 from customer_coupons cc where cc.tenant_id = p.tenant_id and cc.customer_id = p.customer_id)
        limit 1`;
      assert.ok(pass, 'the seed has a customer with a pass, bookings and coupons');
      const [booking] = await db.sql`select id from bookings where tenant_id = ${t} and customer_id = ${pass.customer_id} limit 1`;
      const [ccpn] = await db.sql`select id from customer_coupons where tenant_id = ${t} and customer_id = ${pass.customer_id} limit 1`;
      const [coupon] = await db.sql`select id from coupons where tenant_id = ${t} limit 1`;
      const [cls] = await db.sql`select id from classes where tenant_id = ${t} and starts_at > now() limit 1`;
      const [policy] = await db.sql`select id, current_version from policies where tenant_id = ${t} limit 1`;
      const [another] = await db.sql`select id from customers where tenant_id = ${t} and id <> ${pass.customer_id} and deleted_at is null limit 1`;

      full = (await createApiKey(db.sql, { tenantId: t, name: 'full', scopes })).secret;
      other = (await createApiKey(db.sql, { tenantId: OTHER_TENANT, name: 'other', scopes })).secret;
      const revokedKey = await createApiKey(db.sql, { tenantId: t, name: 'revoked', scopes });
      await db.sql`update api_keys set revoked_at = now() where id = ${revokedKey.id}`;
      revoked = revokedKey.secret;
      for (const scope of scopes) {
        lacking.set(scope, (await createApiKey(db.sql, { tenantId: t, name: `no ${scope}`, scopes: scopes.filter((s) => s !== scope) })).secret);
      }
      const mint = async (body: Record<string, unknown>) => {
        const reply = await call(app, 'POST', '/api/embed/sessions', { token: full, body: { origin: OWN_ORIGIN, ...body } });
        assert.equal(reply.status, 201, reply.text);
        return reply.body.data as { id: string; token: string };
      };
      const old = await mint({ staff_id: DEMO_STAFF_ID, capabilities: [...roleCapabilities.owner] });
      await db.sql`update embed_sessions set created_at = now() - interval '1 hour', expires_at = now() - interval '1 second' where id = ${old.id}`;
      expired = old.token;
      restricted = (await mint({ staff_id: DEMO_STAFF_ID, capabilities: [...roleCapabilities.owner], customer_id: another!.id })).token;
      const spare = await mint({ staff_id: DEMO_STAFF_ID, capabilities: ['customers:read'] });
      // A session outlives no revocation of the key that minted it.
      const minter = await createApiKey(db.sql, { tenantId: t, name: 'minter, revoked later', scopes });
      const orphan = await call(app, 'POST', '/api/embed/sessions', {
        token: minter.secret, body: { staff_id: DEMO_STAFF_ID, capabilities: [...roleCapabilities.owner], origin: OWN_ORIGIN },
      });
      assert.equal(orphan.status, 201, orphan.text);
      orphaned = orphan.body.data.token;
      await db.sql`update api_keys set revoked_at = now() where id = ${minter.id}`;
      const ended = await mint({ staff_id: DEMO_STAFF_ID, capabilities: [...roleCapabilities.owner] });
      assert.equal((await call(app, 'DELETE', `/api/embed/sessions/${ended.id}`, { token: full })).status, 204);
      revokedSession = ended.token;

      ids = {
        id: pass.customer_id, passId: pass.id, bookingId: booking!.id, customerCouponId: ccpn!.id, couponId: coupon!.id,
        classId: cls!.id, policyId: policy!.id, n: String(policy!.current_version), sessionId: spare.id,
      };
    });
    after(() => db.close());

    test('every route is known to the matrix', () => {
      assert.deepEqual(routes.filter((r) => !isPublic(r.key)).map((r) => r.key).sort(), Object.keys(routeScopes).sort(),
        'the matrix states the scope of every route, and of no route that is gone');
      for (const route of routes) {
        if (isPublic(route.key)) continue;
        assert.equal(route.scope ?? null, routeScopes[route.key], `${route.key} checks the scope it should`);
        assert.ok(route.hasQuery, `${route.key} validates its query string (validate('query', noQuery) when it takes none)`);
        // A change reads its body through the validator (validate('json', noBody) when it takes none), never by hand.
        if (route.method !== 'GET') assert.ok(route.hasBody, `${route.key} validates its body`);
        if (route.hasBody || route.path.includes('can-book')) assert.ok(samples[route.key], `${route.key} has a sample request in the matrix`);
        url(route);
      }
    });

    test('no credential, garbage, an expired or revoked session, a revoked key or a session of a revoked key → 401', async () => {
      for (const route of routes.filter((r) => !isPublic(r.key))) {
        for (const [token, code] of [[null, 'unauthenticated'], ['ck_key_garbagegarbagegarbagegarbage', 'unauthenticated'],
          [expired, 'session_expired'], [revokedSession, 'unauthenticated'], [revoked, 'unauthenticated'], [orphaned, 'unauthenticated']] as const) {
          const reply = await send(route, token);
          assert.equal(reply.status, 401, `${route.key} with ${token?.slice(0, 10)}: ${reply.text}`);
          assert.equal(reply.body.error.code, code, route.key);
        }
      }
    });

    test('a credential lacking the scope → 403 naming it', async () => {
      for (const route of routes.filter((r) => r.scope)) {
        const reply = await send(route, lacking.get(route.scope!)!);
        assert.equal(reply.status, 403, `${route.key}: ${reply.text}`);
        assert.equal(reply.body.error.details.scope, route.scope, route.key);
      }
    });

    test("another studio's credential on this studio's ids → 404, and changes nothing", async () => {
      const before = await db.sql`select count(*)::int as n from audit_log where tenant_id = ${DEMO_TENANT}`;
      for (const route of routes.filter((r) => r.path.includes('/:'))) {
        const reply = await send(route, other);
        assert.equal(reply.status, 404, `${route.key}: ${reply.text}`);
        assert.equal(reply.body.error.code, 'not_found');
      }
      const after = await db.sql`select count(*)::int as n from audit_log where tenant_id = ${DEMO_TENANT}`;
      assert.equal(after[0]!.n, before[0]!.n);
      const theirs = await call(app, 'GET', '/api/customers?limit=100', { token: other });
      assert.ok(!theirs.body.data.some((c: { id: string }) => c.id === ids.id));
      assert.equal((await call(app, 'GET', `/api/coupons?customer_id=${ids.id}`, { token: other })).status, 404);
    });

    test('a session restricted to another customer → 404 on this customer', async () => {
      for (const route of routes.filter((r) => r.path.startsWith('/api/customer/:id'))) {
        const reply = await send(route, restricted);
        assert.equal(reply.status, 404, `${route.key}: ${reply.text}`);
      }
      // Named in the query rather than the path: the coupons this customer could be given.
      assert.equal((await call(app, 'GET', `/api/coupons?customer_id=${ids.id}`, { token: restricted })).status, 404);
    });

    test('every list pages by at most 100', async () => {
      const lists = routes.filter((r) => r.paged);
      assert.ok(lists.length >= 10, `${lists.length} lists`);
      for (const route of lists) {
        const plain = url(route);
        const at = (limit: number) => call(app, 'GET', `${plain}${plain.includes('?') ? '&' : '?'}limit=${limit}`, { token: full });
        assert.equal((await at(100)).status, 200, route.key);
        const over = await at(101);
        assert.equal(over.status, 400, `${route.key}: ${over.text}`);
        assert.deepEqual(over.body.error.details.fields.map((f: { path: string }) => f.path), ['limit'], route.key);
      }
    });

    test('unknown query parameters are refused on every route, and nothing is written', async () => {
      const before = await db.sql`select count(*)::int as n from audit_log where tenant_id = ${DEMO_TENANT}`;
      for (const route of routes.filter((r) => !isPublic(r.key))) {
        const plain = url(route);
        const reply = await call(app, route.method, `${plain}${plain.includes('?') ? '&' : '?'}tenant_id=${OTHER_TENANT}`, {
          token: full, body: samples[route.key]?.body?.(ids),
        });
        assert.equal(reply.status, 400, `${route.key}: ${reply.text}`);
        assert.ok(reply.body.error.details.fields.some((f: { path: string }) => f.path === 'tenant_id'), route.key);
      }
      const after = await db.sql`select count(*)::int as n from audit_log where tenant_id = ${DEMO_TENANT}`;
      assert.equal(after[0]!.n, before[0]!.n);
    });

    test('a body sent as anything but JSON is refused on every route that takes one, and nothing is written', async () => {
      const before = await db.sql`select count(*)::int as n from audit_log where tenant_id = ${DEMO_TENANT}`;
      const bookings = await db.sql`select id, status from bookings where tenant_id = ${DEMO_TENANT} order by id`;
      for (const route of routes.filter((r) => r.hasBody)) {
        const raw = JSON.stringify(samples[route.key]!.body!(ids));
        for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonx', undefined]) {
          const reply = await call(app, route.method, url(route), { token: full, raw, headers: type ? { 'content-type': type } : {} });
          assert.equal(reply.status, 415, `${route.key} as ${type}: ${reply.text}`);
          assert.equal(reply.body.error.code, 'invalid_request');
          assert.deepEqual(reply.body.error.details.fields.map((f: { path: string }) => f.path), ['(body)']);
        }
      }
      const after = await db.sql`select count(*)::int as n from audit_log where tenant_id = ${DEMO_TENANT}`;
      assert.equal(after[0]!.n, before[0]!.n);
      assert.deepEqual(await db.sql`select id, status from bookings where tenant_id = ${DEMO_TENANT} order by id`, bookings);
    });

    test('unknown body fields are refused on every route that takes a body', async () => {
      for (const route of routes.filter((r) => r.hasBody)) {
        const body = { ...(samples[route.key]!.body!(ids) as object), tenant_id: OTHER_TENANT };
        const reply = await call(app, route.method, url(route), { token: full, body });
        assert.equal(reply.status, 400, `${route.key}: ${reply.text}`);
        assert.ok(reply.body.error.details.fields.some((f: { path: string }) => f.path === 'tenant_id'), route.key);
      }
    });
  });
}
