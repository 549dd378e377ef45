import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../../server/app.ts';
import { createApiKey } from '../../server/auth/api-keys.ts';
import { scopes, type Scope } from '../../server/auth/scopes.ts';
import type { Database } from '../../server/db/connect.ts';
import { publicOriginFrom } from '../../server/http/public-origin.ts';
import { DEMO_STAFF_ID, DEMO_TENANT, seed } from '../../server/seed/index.ts';
import { databaseTargets } from '../support/databases.ts';

/**
 * What the BFF trusts of a request's HTTP framing: its own origin comes from configuration, never
 * from the Host header (DNS rebinding); If-Match is read as RFC 9110 writes it; a replay is held to
 * the checks of the request it replays; every /api answer, errors and the 413 included, carries CORS
 * for allowed origins, no-store and nosniff; rule violations have one shape; an idempotency
 * fingerprint is what the JSON says, not how it is spaced.
 */

/** Where the BFF is configured to be reached, and a rebinding attacker's name for the same address. */
const publicOrigin = 'http://127.0.0.1:8911';
const rebound = 'http://rebind.attacker.example:8911';
const portal = 'https://portal.example';

test('PUBLIC_ORIGIN: an origin as configured, else http://HOST:PORT; anything else stops the start', () => {
  assert.equal(publicOriginFrom(undefined, '127.0.0.1', 8787), 'http://127.0.0.1:8787');
  assert.equal(publicOriginFrom('', 'localhost', 80), 'http://localhost');
  assert.equal(publicOriginFrom(undefined, '::1', 8787), 'http://[::1]:8787');
  assert.equal(publicOriginFrom(undefined, '[::1]', 8787), 'http://[::1]:8787');
  assert.throws(() => publicOriginFrom(undefined, 'fe80::1%eth0', 8787), /set PUBLIC_ORIGIN/);
  assert.equal(publicOriginFrom('https://Kit.Example.com/', '0.0.0.0', 8787), 'https://kit.example.com');
  for (const bad of ['kit.example.com', 'ftp://kit.example.com', 'https://kit.example.com/api', 'https://user@kit.example.com', 'https://kit.example.com?x']) {
    assert.throws(() => publicOriginFrom(bad, '127.0.0.1', 8787), /PUBLIC_ORIGIN/, bad);
  }
});

for (const target of await databaseTargets()) {
  describe(`HTTP hardening on ${target.label}`, () => {
    let db: Database;
    let app: ReturnType<typeof createApp>;
    let full: string;
    /** The API key the demo mints its sessions with. */
    let demoKeyId: string;
    let customerId: string;

    /** One request to the app at `base` (its Host), as a client or a rebinding page would send it. */
    const send = async (base: string, method: string, path: string, options: {
      token?: string; body?: unknown; raw?: string; headers?: Record<string, string>;
    } = {}) => {
      const headers = new Headers(options.headers);
      if (options.token) headers.set('authorization', `Bearer ${options.token}`);
      if (options.body !== undefined) headers.set('content-type', 'application/json');
      const body = options.body !== undefined ? JSON.stringify(options.body) : options.raw;
      const response = await app.fetch(new Request(`${base}${path}`, { method, headers, body }));
      const text = await response.text();
      return { status: response.status, headers: response.headers, text, body: text.startsWith('{') ? JSON.parse(text) : undefined };
    };
    const mint = async (capabilities: Scope[], extra: Record<string, unknown> = {}) => {
      const reply = await send(publicOrigin, 'POST', '/api/embed/sessions', {
        token: full, body: { staff_id: DEMO_STAFF_ID, capabilities, origin: publicOrigin, ...extra },
      });
      assert.equal(reply.status, 201, reply.text);
      return reply.body.data.token as string;
    };

    before(async () => {
      db = await target.open();
      await seed(db.sql, { customers: 20, seed: 17 });
      await db.sql`update tenants set embed_origins = ${[portal]} where id = ${DEMO_TENANT}`;
      const key = await createApiKey(db.sql, { tenantId: DEMO_TENANT, name: 'all', scopes });
      full = key.secret;
      demoKeyId = key.id;
      app = createApp({
        sql: db.sql, log: () => {}, rateLimitPerMinute: 100_000, publicOrigin,
        demo: { tenantId: DEMO_TENANT, staffId: DEMO_STAFF_ID, apiKeyId: demoKeyId },
      });
      [{ id: customerId }] = await db.sql`
        select id from customers where tenant_id = ${DEMO_TENANT} and deleted_at is null and not archived order by id limit 1`;
    });
    after(() => db.close());

    test('a request under another host name is not same-origin: CORS refuses its Origin, and it mints nothing for it', async () => {
      const session = await mint(['customers:read']);
      const ours = await send(publicOrigin, 'GET', '/api/customers?limit=1', { token: session, headers: { origin: publicOrigin } });
      assert.equal(ours.status, 200, ours.text);
      const rebinding = await send(rebound, 'GET', '/api/customers?limit=1', { token: session, headers: { origin: rebound } });
      assert.equal(rebinding.status, 403, rebinding.text);
      assert.equal(rebinding.body.error.code, 'forbidden');
      assert.equal(rebinding.headers.get('access-control-allow-origin'), null);

      // A key holder cannot have a session bound to an unlisted origin by naming it in the Host header.
      const minted = await send(rebound, 'POST', '/api/embed/sessions', {
        token: full, body: { staff_id: DEMO_STAFF_ID, capabilities: ['customers:read'], origin: rebound },
      });
      assert.equal(minted.status, 422, minted.text);
      assert.equal(minted.body.error.details.rules[0].rule, 'origin_allowed');
    });

    test('/demo/session answers only under the public host or a listed one, with a session bound to that origin', async () => {
      const refused = await send(rebound, 'GET', '/demo/session');
      assert.equal(refused.status, 421, refused.text);
      assert.equal(refused.body.error.code, 'misdirected_request');
      assert.match(refused.body.error.message, /127\.0\.0\.1:8911/);

      const reply = await send(publicOrigin, 'GET', '/demo/session');
      assert.equal(reply.status, 200, reply.text);
      const [row] = await db.sql`select origin from embed_sessions where tenant_id = ${DEMO_TENANT} order by created_at desc limit 1`;
      assert.equal(row!.origin, publicOrigin);

      // The studio's listed origins serve the demo too (the demo studio lists localhost beside 127.0.0.1).
      const listed = await send(portal, 'GET', '/demo/session');
      assert.equal(listed.status, 200, listed.text);
      const [latest] = await db.sql`select origin from embed_sessions where tenant_id = ${DEMO_TENANT} order by created_at desc limit 1`;
      assert.equal(latest!.origin, portal);
      // Its page's same-origin GETs carry no Origin header: addressed to that origin they pass, to another they do not.
      const token = listed.body.data.token as string;
      assert.equal((await send(portal, 'GET', '/api/customers?limit=1', { token })).status, 200);
      assert.equal((await send(publicOrigin, 'GET', '/api/customers?limit=1', { token })).status, 403);

      // Behind a proxy that ends TLS the request arrives as http: the public host is known by its name.
      const proxied = createApp({
        sql: db.sql, log: () => {}, rateLimitPerMinute: 100_000, publicOrigin: 'https://kit.example',
        demo: { tenantId: DEMO_TENANT, staffId: DEMO_STAFF_ID, apiKeyId: demoKeyId },
      });
      const behind = await proxied.fetch(new Request('http://kit.example/demo/session'));
      assert.equal(behind.status, 200, await behind.clone().text());
      const [bound] = await db.sql`select origin from embed_sessions where tenant_id = ${DEMO_TENANT} order by created_at desc limit 1`;
      assert.equal(bound!.origin, 'https://kit.example');
    });

    test('If-Match: a comma or * inside one entity tag is part of it, never a wildcard', async () => {
      const path = `/api/customer/${customerId}/profile`;
      const [row] = await db.sql`select email, version from customers where tenant_id = ${DEMO_TENANT} and id = ${customerId}`;
      const put = (ifMatch: string, firstname: string) => send(publicOrigin, 'PUT', path, {
        token: full, body: { firstname, lastname: 'Tag', email: row!.email }, headers: { 'if-match': ifMatch },
      });
      const stale = await put('"stale,*,x"', 'Stale');
      assert.equal(stale.status, 412, stale.text);
      assert.equal(stale.body.error.code, 'precondition_failed');
      const [unchanged] = await db.sql`select firstname, version from customers where tenant_id = ${DEMO_TENANT} and id = ${customerId}`;
      assert.equal(unchanged!.version, row!.version, 'nothing written');
      assert.notEqual(unchanged!.firstname, 'Stale');

      assert.equal((await put('*,*', 'Twice')).status, 400, 'a wildcard is the whole field or nothing');
      const listed = await put(`"stale,*", W/"${row!.version}", "${row!.version}"`, 'Listed');
      assert.equal(listed.status, 200, listed.text);
      assert.equal((await put('*', 'Any')).status, 200);
    });

    test("a replay is held to the waiver's credits:write check: another session's answer is not handed out", async () => {
      const [booking] = await db.sql`
        select b.id, b.customer_id from bookings b join classes k on k.tenant_id = b.tenant_id and k.id = b.class_id
        where b.tenant_id = ${DEMO_TENANT} and b.status = 'booked' and k.starts_at > now() order by b.id limit 1`;
      assert.ok(booking, 'the seed has a booking to cancel');
      const withCredits = await mint(['bookings:write', 'credits:write']);
      const without = await mint(['bookings:write']);
      const cancel = (token: string) => send(publicOrigin, 'POST', `/api/customer/${booking.customer_id}/bookings/${booking.id}/cancel`, {
        token, body: { waive_late_fee: true, reason: 'studio fault' }, headers: { 'idempotency-key': 'waive-once' },
      });
      const first = await cancel(withCredits);
      assert.equal(first.status, 200, first.text);
      const replayed = await cancel(without);
      assert.equal(replayed.status, 403, replayed.text);
      assert.equal(replayed.body.error.details.scope, 'credits:write');
      assert.equal(replayed.headers.get('idempotent-replayed'), null);
    });

    test('an over-large body is a 413 an allowed page can read', async () => {
      const reply = await send(publicOrigin, 'POST', `/api/customer/${customerId}/notes`, {
        token: full, raw: JSON.stringify({ body: 'x'.repeat(70 * 1024) }),
        headers: { origin: portal, 'content-type': 'application/json' },
      });
      assert.equal(reply.status, 413, reply.text);
      assert.equal(reply.body.error.code, 'payload_too_large');
      assert.equal(reply.headers.get('access-control-allow-origin'), portal);
      assert.equal(reply.headers.get('cache-control'), 'no-store');
    });

    test('every /api answer is no-store and nosniff, the token included; the kit keeps its caching', async () => {
      const replies = {
        session: await send(publicOrigin, 'GET', '/api/session', { token: full }),
        mint: await send(publicOrigin, 'POST', '/api/embed/sessions', { token: full, body: { staff_id: DEMO_STAFF_ID, capabilities: ['customers:read'], origin: publicOrigin } }),
        unauthenticated: await send(publicOrigin, 'GET', '/api/customers'),
        missing: await send(publicOrigin, 'GET', '/api/no-such-route', { token: full }),
      };
      for (const [name, reply] of Object.entries(replies)) {
        assert.equal(reply.headers.get('cache-control'), 'no-store', name);
        assert.equal(reply.headers.get('x-content-type-options'), 'nosniff', name);
      }
      assert.equal(replies.mint.status, 201);
      const kit = await send(publicOrigin, 'GET', '/kit/customer-kit.js');
      assert.notEqual(kit.headers.get('cache-control'), 'no-store');
    });

    test('a client X-Request-Id is kept only when short and plain', async () => {
      const id = async (sent: string) => (await send(publicOrigin, 'GET', '/api/session', { token: full, headers: { 'x-request-id': sent } }))
        .headers.get('x-request-id');
      assert.equal(await id('trace-42_a=b'), 'trace-42_a=b');
      for (const sent of ['x'.repeat(65), 'two words', 'a\tb', 'semi;colon']) {
        const answered = await id(sent);
        assert.notEqual(answered, sent);
        assert.match(answered!, /^[\w-]{1,64}$/);
      }
    });

    test("refusals to mint report their rule as the domain's do: ok false, with what to change", async () => {
      await db.sql`insert into staff (tenant_id, id, name, email, role, active)
        values (${DEMO_TENANT}, 'staff_hardeninggone001', 'Gone', 'gone@studio.test', 'owner', false)`;
      const [instructor] = await db.sql`select id from staff where tenant_id = ${DEMO_TENANT} and role = 'instructor' and active limit 1`;
      const refusals = {
        staff_active: { staff_id: 'staff_hardeninggone001', capabilities: ['customers:read'], origin: publicOrigin },
        capabilities_within_role: { staff_id: instructor!.id, capabilities: ['credits:write'], origin: publicOrigin },
        origin_allowed: { staff_id: DEMO_STAFF_ID, capabilities: ['customers:read'], origin: 'https://evil.example' },
      };
      for (const [rule, body] of Object.entries(refusals)) {
        const reply = await send(publicOrigin, 'POST', '/api/embed/sessions', { token: full, body });
        assert.equal(reply.status, 422, reply.text);
        assert.equal(reply.body.error.code, 'rule_violation');
        const [first] = reply.body.error.details.rules;
        assert.equal(first.rule, rule);
        assert.equal(first.ok, false, rule);
        assert.equal(typeof first.message, 'string');
      }
    });

    test('an Idempotency-Key fingerprints what the JSON says: another spacing or key order is a replay', async () => {
      const [pass] = await db.sql`select id, customer_id from passes where tenant_id = ${DEMO_TENANT} and status = 'active'
        and credits_left > 0 order by id limit 1`;
      const path = `/api/customer/${pass!.customer_id}/passes/${pass!.id}/adjustments`;
      const adjust = (raw: string) => send(publicOrigin, 'POST', path, {
        token: full, raw, headers: { 'content-type': 'application/json', 'idempotency-key': 'adjust-spaced' },
      });
      const first = await adjust('{"delta":1,"reason":"goodwill credit"}');
      assert.equal(first.status, 201, first.text);
      const respaced = await adjust('{ "reason" : "goodwill credit",\n  "delta" : 1 }');
      assert.equal(respaced.status, 201, respaced.text);
      assert.equal(respaced.headers.get('idempotent-replayed'), 'true');
      assert.equal(respaced.text, first.text);
      const other = await adjust('{"delta":2,"reason":"goodwill credit"}');
      assert.equal(other.status, 422, other.text);
      assert.equal(other.body.error.details.rules[0].rule, 'idempotency_key_reuse');
    });

    test('an Idempotency-Key names one request: the same key and body sent to another pass is 422 and changes neither', async () => {
      const passes = await db.sql`select id, customer_id, credits_left from passes where tenant_id = ${DEMO_TENANT} and status = 'active'
        and credits_left > 0 order by id desc limit 2`;
      assert.equal(passes.length, 2, 'the seed has two passes with credits');
      const adjust = (pass: (typeof passes)[number]) => send(publicOrigin, 'POST', `/api/customer/${pass.customer_id}/passes/${pass.id}/adjustments`, {
        token: full, body: { delta: 1, reason: 'goodwill credit' }, headers: { 'idempotency-key': 'adjust-one-pass' },
      });
      const first = await adjust(passes[0]!);
      assert.equal(first.status, 201, first.text);
      // The body alone matches: replaying the first pass's answer would tell the client the second got its credit.
      const elsewhere = await adjust(passes[1]!);
      assert.equal(elsewhere.status, 422, elsewhere.text);
      assert.equal(elsewhere.body.error.details.rules[0].rule, 'idempotency_key_reuse');
      const after = await db.sql`select id, credits_left from passes where tenant_id = ${DEMO_TENANT} and id in ${db.sql(passes.map((p) => p.id))}`;
      const left = new Map(after.map((p) => [p.id, p.credits_left]));
      assert.equal(left.get(passes[0]!.id), passes[0]!.credits_left + 1);
      assert.equal(left.get(passes[1]!.id), passes[1]!.credits_left);
    });

    test('an Idempotency-Key is 1–255 visible ASCII characters: a longer one or one with a space is a 400 on it, and nothing runs', async () => {
      const [pass] = await db.sql`select id, customer_id from passes where tenant_id = ${DEMO_TENANT} and status = 'active'
        and credits_left > 0 order by id limit 1`;
      const entries = async () => (await db.sql`select count(*)::int as n from credit_ledger
        where tenant_id = ${DEMO_TENANT} and pass_id = ${pass!.id}`)[0]!.n as number;
      const adjust = (key: string) => send(publicOrigin, 'POST', `/api/customer/${pass!.customer_id}/passes/${pass!.id}/adjustments`, {
        token: full, body: { delta: 1, reason: 'goodwill credit' }, headers: { 'idempotency-key': key },
      });
      const before = await entries();
      for (const key of ['k'.repeat(256), 'two words']) {
        const refused = await adjust(key);
        assert.equal(refused.status, 400, `${key.length} characters: ${refused.text}`);
        assert.deepEqual(refused.body.error.details.fields.map((f: { path: string }) => f.path), ['Idempotency-Key']);
      }
      assert.equal(await entries(), before);
      assert.equal((await adjust('k'.repeat(255))).status, 201, 'the longest key allowed');
    });

    test('an Idempotency-Key replays for 7 days: answered 6 days ago it still replays, 8 days ago it runs anew', async () => {
      const [pass] = await db.sql`select id, customer_id from passes where tenant_id = ${DEMO_TENANT} and status = 'active'
        and credits_left > 0 order by id limit 1`;
      const entries = async () => (await db.sql`select count(*)::int as n from credit_ledger
        where tenant_id = ${DEMO_TENANT} and pass_id = ${pass!.id}`)[0]!.n as number;
      const adjust = () => send(publicOrigin, 'POST', `/api/customer/${pass!.customer_id}/passes/${pass!.id}/adjustments`, {
        token: full, body: { delta: 1, reason: 'goodwill credit' }, headers: { 'idempotency-key': 'adjust-last-week' },
      });
      const age = (days: number) => db.sql`update idempotency_keys set created_at = now() - ${`${days} days`}::interval
        where tenant_id = ${DEMO_TENANT} and key = 'adjust-last-week'`;
      const before = await entries();
      const first = await adjust();
      assert.equal(first.status, 201, first.text);
      await age(6);
      const retried = await adjust();
      assert.equal(retried.headers.get('idempotent-replayed'), 'true', 'a retry within the week is the same request');
      assert.equal(retried.text, first.text);
      assert.equal(await entries(), before + 1);
      await age(8);
      const anew = await adjust();
      assert.equal(anew.status, 201, anew.text);
      assert.equal(anew.headers.get('idempotent-replayed'), null);
      assert.equal(await entries(), before + 2);
    });
  });
}
