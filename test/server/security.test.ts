import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../../server/app.ts';
import { createApiKey } from '../../server/auth/api-keys.ts';
import { scopes } from '../../server/auth/scopes.ts';
import type { Database } from '../../server/db/connect.ts';
import { newId } from '../../server/ids.ts';
import { DEMO_STAFF_ID, DEMO_TENANT, OTHER_TENANT, seed } from '../../server/seed/index.ts';
import { call, OWN_ORIGIN } from '../support/api.ts';
import { databaseTargets } from '../support/databases.ts';

const portal = 'https://portal.example';
const otherPortal = 'https://other-studio.example';

for (const target of await databaseTargets()) {
  describe(`CORS, origins, rate limit and audit on ${target.label}`, () => {
    let db: Database;
    let app: ReturnType<typeof createApp>;
    let key: string;
    let customerId: string;

    before(async () => {
      db = await target.open();
      await seed(db.sql, { customers: 20, seed: 11 });
      await db.sql`update tenants set embed_origins = ${[portal]} where id = ${DEMO_TENANT}`;
      await db.sql`update tenants set embed_origins = ${[otherPortal]} where id = ${OTHER_TENANT}`;
      app = createApp({ sql: db.sql, log: () => {}, rateLimitPerMinute: 30 });
      key = (await createApiKey(db.sql, { tenantId: DEMO_TENANT, name: 'all', scopes })).secret;
      [{ id: customerId }] = await db.sql`select id from customers where tenant_id = ${DEMO_TENANT} and deleted_at is null limit 1`;
    });
    after(() => db.close());

    const mint = async (origin: string) => {
      const reply = await call(app, 'POST', '/api/embed/sessions', {
        token: key, body: { staff_id: DEMO_STAFF_ID, capabilities: ['customers:read', 'profile:read'], origin },
      });
      assert.equal(reply.status, 201, reply.text);
      return reply.body.data.token as string;
    };

    test('a preflight from an allowed origin is answered; from an unknown origin it is refused', async () => {
      const ok = await call(app, 'OPTIONS', '/api/customers', {
        headers: { origin: portal, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
      });
      assert.equal(ok.status, 204);
      assert.equal(ok.headers.get('access-control-allow-origin'), portal);
      assert.match(ok.headers.get('access-control-allow-headers')!, /Authorization/);
      // An origin matches whole: not a longer host, another port or another scheme that begins like it.
      for (const origin of ['https://evil.example', `${portal}.evil.example`, `${portal}:8443`, portal.replace('https:', 'http:')]) {
        const refused = await call(app, 'OPTIONS', '/api/customers', {
          headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
        });
        assert.equal(refused.status, 403, origin);
        assert.equal(refused.headers.get('access-control-allow-origin'), null, origin);
      }
    });

    test("a request is held to its own studio's origins, and CORS headers let the page read its errors", async () => {
      const token = await mint(portal);
      const ours = await call(app, 'GET', '/api/customers', { token, headers: { origin: portal } });
      assert.equal(ours.status, 200);
      assert.equal(ours.headers.get('access-control-allow-origin'), portal);
      assert.match(ours.headers.get('access-control-expose-headers')!, /ETag/);

      // An API key is bound to no origin, only to its studio's list.
      const theirs = await call(app, 'GET', '/api/customers', { token: key, headers: { origin: otherPortal } });
      assert.equal(theirs.status, 403);
      assert.match(theirs.body.error.message, /not on this studio's list/);

      const expired = await call(app, 'GET', '/api/customers', { token: 'garbage', headers: { origin: portal } });
      assert.equal(expired.status, 401);
      assert.equal(expired.headers.get('access-control-allow-origin'), portal, 'the widget can read a 401');
    });

    test('a session minted for one origin is refused from another', async () => {
      const token = await mint(`${portal}/some/page`);
      assert.equal((await call(app, 'GET', '/api/session', { token, headers: { origin: portal } })).status, 200);
      const elsewhere = await call(app, 'GET', '/api/session', { token, headers: { origin: otherPortal } });
      assert.equal(elsewhere.status, 403);
      assert.match(elsewhere.body.error.message, /issued for https:\/\/portal\.example/);
      // Another port of the same host is another origin, though the studio lists it too.
      await db.sql`update tenants set embed_origins = ${[portal, `${portal}:8443`]} where id = ${DEMO_TENANT}`;
      try {
        const otherPort = await call(app, 'GET', '/api/session', { token, headers: { origin: `${portal}:8443` } });
        assert.equal(otherPort.status, 403, otherPort.text);
        assert.match(otherPort.body.error.message, /issued for https:\/\/portal\.example, not/);
      } finally {
        await db.sql`update tenants set embed_origins = ${[portal]} where id = ${DEMO_TENANT}`;
      }
    });

    test('the rate limit counts per credential in PostgreSQL and answers 429 with Retry-After', async () => {
      const limited = (await createApiKey(db.sql, { tenantId: DEMO_TENANT, name: 'busy', scopes: ['customers:read'] })).secret;
      const fresh = (await createApiKey(db.sql, { tenantId: DEMO_TENANT, name: 'calm', scopes: ['customers:read'] })).secret;
      // Two app instances over one database share the count.
      const second = createApp({ sql: db.sql, log: () => {}, rateLimitPerMinute: 30 });
      const statuses: number[] = [];
      for (let i = 0; i < 32; i++) {
        statuses.push((await call(i % 2 ? app : second, 'GET', '/api/customers?limit=1', { token: limited })).status);
      }
      // A window boundary may fall inside the loop; at least the last two of 32 requests exceed 30.
      const refused = statuses.filter((s) => s === 429).length;
      assert.ok(refused >= 1 && statuses.every((s) => s === 200 || s === 429), statuses.join(','));
      const reply = await call(app, 'GET', '/api/customers?limit=1', { token: limited });
      if (reply.status === 429) {
        const retry = Number(reply.headers.get('retry-after'));
        assert.ok(retry >= 1 && retry <= 60, `Retry-After ${retry}`);
        assert.equal(reply.body.error.code, 'rate_limited');
      }
      assert.equal((await call(app, 'GET', '/api/customers?limit=1', { token: fresh })).status, 200, 'another credential is not limited');
    });

    test("renewing a session does not renew its allowance: one staff member's sessions from one key share it", async () => {
      const limited = createApp({ sql: db.sql, log: () => {}, rateLimitPerMinute: 5 });
      const minter = (await createApiKey(db.sql, { tenantId: DEMO_TENANT, name: 'host', scopes: ['embed:create', 'customers:read'] })).secret;
      const session = async (staff: string) => {
        const reply = await call(limited, 'POST', '/api/embed/sessions', { token: minter, body: { staff_id: staff, capabilities: ['customers:read'], origin: OWN_ORIGIN } });
        assert.equal(reply.status, 201, reply.text);
        return reply.body.data.token as string;
      };
      const list = async (token: string) => (await call(limited, 'GET', '/api/customers?limit=1', { token })).status;
      // Six requests in one window: wait out the end of a minute rather than straddle two.
      const second = new Date().getSeconds();
      if (second > 50) await new Promise((resolve) => setTimeout(resolve, (61 - second) * 1000));
      const first = await session('staff_demodesk00000001');
      const statuses = [await list(first), await list(first), await list(first)];
      const renewed = await session('staff_demodesk00000001');
      statuses.push(await list(renewed), await list(renewed), await list(renewed));
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429], 'the renewed token goes on counting where the first stopped');
      // Nor does a session held to one customer: it is the same staff member's.
      const held = await call(limited, 'POST', '/api/embed/sessions', {
        token: minter, body: { staff_id: 'staff_demodesk00000001', capabilities: ['customers:read'], customer_id: customerId, origin: OWN_ORIGIN },
      });
      assert.equal(held.status, 201, held.text);
      assert.equal(await list(held.body.data.token), 429);
      assert.equal(await list(await session('staff_demodesk00000002')), 200, 'another staff member has an allowance of their own');
    });

    test('a write retried after its customer was deleted replays its first answer, not a 404', async () => {
      const created = await call(app, 'POST', '/api/customers', { token: key, body: { firstname: 'Retry', lastname: 'Later', email: `retry.${Date.now()}@example.test` } });
      assert.equal(created.status, 201, created.text);
      const id = created.body.data.id;
      const writes = [
        ['PUT', `/api/customer/${id}/profile`, { firstname: 'Retried', lastname: 'Later', email: created.body.data.email }],
        ['POST', `/api/customer/${id}/notes`, { body: 'Called about her pass' }],
      ] as const;
      const first = [];
      for (const [method, path, body] of writes) first.push(await call(app, method, path, { token: key, body, headers: { 'Idempotency-Key': `retry-${path}` } }));
      assert.deepEqual(first.map((r) => r.status), [200, 201]);
      assert.equal((await call(app, 'DELETE', `/api/customer/${id}`, { token: key, body: { reason: 'Asked to be removed' } })).status, 200);
      for (const [i, [method, path, body]] of writes.entries()) {
        const retry = await call(app, method, path, { token: key, body, headers: { 'Idempotency-Key': `retry-${path}` } });
        assert.deepEqual([retry.status, retry.text, retry.headers.get('idempotent-replayed')], [first[i]!.status, first[i]!.text, 'true'], path);
        // Without the key it is a new request, for a customer who is gone.
        assert.equal((await call(app, method, path, { token: key, body })).status, 404);
      }
    });

    test('row-level security: without the studio set a query sees no row; with it, only that studio', async () => {
      // Every studio-owned table, read from the catalogue so that a table added later is held to it too
      // (ck_app reads neither rate_limits nor schema_migrations, and neither has a tenant_id).
      const tables = await db.sql<{ name: string; rls: boolean; owner_column: string }[]>`
        select c.relname as name, c.relrowsecurity as rls, case when c.relname = 'tenants' then 'id' else 'tenant_id' end as owner_column
        from pg_class c
        where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
          and (c.relname = 'tenants' or exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped))
        order by c.relname`;
      const names = tables.map((t) => t.name);
      for (const expected of ['customer_coupons', 'emails', 'idempotency_keys', 'tenants']) assert.ok(names.includes(expected), names.join(', '));
      assert.deepEqual(tables.filter((t) => !t.rls).map((t) => t.name), [], 'tables without row-level security');
      await db.sql.begin(async (tx) => {
        await tx`select set_config('role', 'ck_app', true)`;
        for (const { name } of tables) {
          const [{ n }] = await tx`select count(*)::int as n from ${tx(name)}`;
          assert.equal(n, 0, `${name} without app.tenant`);
        }
      });
      await db.sql.begin(async (tx) => {
        await tx`select set_config('app.tenant', ${DEMO_TENANT}, true), set_config('role', 'ck_app', true)`;
        for (const { name, owner_column } of tables) {
          const [{ others }] = await tx`select count(*)::int as others from ${tx(name)} where ${tx(owner_column)} <> ${DEMO_TENANT}`;
          assert.equal(others, 0, `${name}: another studio's rows`);
        }
        const owners = await tx`select distinct tenant_id from customers`;
        assert.deepEqual(owners.map((r) => r.tenant_id), [DEMO_TENANT], 'a query that forgets its tenant filter still sees one studio');
        await assert.rejects(
          tx.savepoint((sp) => sp`insert into notes (tenant_id, id, customer_id, body, author_name)
            select tenant_id, 'note_rlsprobe', id, 'x', 'x' from customers limit 1`.then(() =>
            sp`update notes set tenant_id = ${OTHER_TENANT} where id = 'note_rlsprobe'`)),
          /row-level security/,
        );
        // The ledger's running totals move only with the ledger: the app role reads them, never writes them.
        assert.ok((await tx`select count(*)::int as n from credit_totals`)[0]!.n > 0);
        await assert.rejects(tx.savepoint((sp) => sp`update credit_totals set credit = credit + 100`), /permission denied/);
        await assert.rejects(tx.savepoint((sp) => sp`delete from credit_totals`), /permission denied/);
      });
    });

    test('the app role writes only what requests write; the audit log and the activity are append-only for everyone', async () => {
      const [customer] = await db.sql`select id, email from customers where tenant_id = ${DEMO_TENANT} and deleted_at is null and email is not null limit 1`;
      await mint(portal);
      const [session] = await db.sql`select id from embed_sessions where tenant_id = ${DEMO_TENANT} limit 1`;
      await db.sql.begin(async (tx) => {
        await tx`select set_config('app.tenant', ${DEMO_TENANT}, true), set_config('role', 'ck_app', true)`;
        const refused = async (statement: (sp: typeof tx) => Promise<unknown>, pattern: RegExp, what: string) =>
          assert.rejects(tx.savepoint(statement), pattern, what);
        for (const table of ['audit_log', 'activity']) {
          await refused((sp) => sp`update ${sp(table)} set id = id`, /append-only/, `update ${table}`);
          await refused((sp) => sp`delete from ${sp(table)}`, /append-only/, `delete from ${table}`);
        }
        await refused((sp) => sp`update tenants set embed_origins = array['https://evil.example']`, /permission denied/, 'embed origins');
        await refused((sp) => sp`update api_keys set scopes = array['embed:create']`, /permission denied/, 'key scopes');
        await refused((sp) => sp`insert into staff (tenant_id, id, name, role) values (${DEMO_TENANT}, 'stf_probe', 'x', 'owner')`, /permission denied/, 'new staff');
        await refused((sp) => sp`delete from embed_sessions`, /permission denied/, 'sessions deleted');
        await refused((sp) => sp`update embed_sessions set expires_at = now() + interval '1 year'`, /permission denied/, 'a session prolonged');
        // What requests do: revoke a session, read the same-email records of their own studio only.
        assert.equal((await tx.savepoint((sp) => sp`update embed_sessions set revoked_at = revoked_at where id = ${session!.id}`)).count, 1);
        assert.ok((await tx`select id from customers_sharing_email(${DEMO_TENANT}, ${customer!.email})`).length >= 1);
      });
      // The owner may not rewrite history either.
      await assert.rejects(db.sql`delete from audit_log where tenant_id = ${DEMO_TENANT}`, /append-only/);
      // No studio set (a connection that serves no request): the lookup answers nothing, as every policy does.
      await db.sql.begin(async (tx) => {
        await tx`select set_config('role', 'ck_app', true)`;
        assert.equal((await tx`select id from customers_sharing_email(${DEMO_TENANT}, ${customer!.email})`).length, 0);
      });
      const [{ open }] = await db.sql`select exists (select 1 from pg_proc p, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
        where p.proname = 'customers_sharing_email' and a.grantee = 0 and a.privilege_type = 'EXECUTE') as open`;
      assert.equal(open, false, 'PUBLIC may not call the lookup');
    });

    test('GET /api/customer/{id}/audit lists manual changes with actor, reason, before and after', async () => {
      const put = await call(app, 'PUT', `/api/customer/${customerId}/profile`, {
        token: key, body: { firstname: 'Audited', lastname: 'Person', email: `audited.${customerId}@example.test` },
      });
      assert.equal(put.status, 200, put.text);
      const reply = await call(app, 'GET', `/api/customer/${customerId}/audit?limit=100`, { token: key });
      assert.equal(reply.status, 200);
      const entry = reply.body.data.find((e: { action: string }) => e.action === 'profile.update');
      assert.equal(entry.actor.name, 'all');
      assert.equal(entry.after.firstname, 'Audited');
      assert.ok(entry.before.firstname);
      const reader = (await createApiKey(db.sql, { tenantId: DEMO_TENANT, name: 'r', scopes: ['customers:read'] })).secret;
      const refused = await call(app, 'GET', `/api/customer/${customerId}/audit`, { token: reader });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.details.scope, 'audit:read');

      // The trail outlives the record: after a delete it still answers, the deletion last, while the customer is gone.
      const removed = await call(app, 'DELETE', `/api/customer/${customerId}`, { token: key, body: { reason: 'Duplicate of another record' } });
      assert.equal(removed.status, 200, removed.text);
      assert.equal((await call(app, 'GET', `/api/customer/${customerId}`, { token: key })).status, 404);
      const trail = await call(app, 'GET', `/api/customer/${customerId}/audit?limit=100`, { token: key });
      assert.equal(trail.status, 200);
      assert.deepEqual(trail.body.data.slice(0, 2).map((e: { action: string; reason: string }) => [e.action, e.reason]),
        [['customer.delete', 'Duplicate of another record'], ['profile.update', null]]);
    });

    test('GET /api/customer/{id}/audit shows every kind of manual change, each with its actor, reason, before and after', async () => {
      const desk = (await createApiKey(db.sql, { tenantId: DEMO_TENANT, name: 'front desk', scopes })).secret;
      const [pass] = await db.sql`select p.id, p.customer_id, p.credits_left, p.expires_at from passes p
        join customers c on c.tenant_id = p.tenant_id and c.id = p.customer_id
        where p.tenant_id = ${DEMO_TENANT} and p.status = 'active' and p.credits_left > 0 and p.expires_at > now()
          and c.id <> ${customerId} and c.deleted_at is null and not c.archived
        order by p.id limit 1`;
      assert.ok(pass, 'the seed has an active pass with credits');
      const customer = pass.customer_id as string;
      // A coupon and a policy of the test's own, so that the customer holds neither yet.
      const couponId = newId('cpn');
      await db.sql`insert into coupons (tenant_id, id, code, name, percent_off, duration)
        values (${DEMO_TENANT}, ${couponId}, ${`AUDIT${couponId.slice(-4)}`}, 'Audit probe', 10, 'once')`;
      const policyId = newId('pol');
      await db.sql.begin(async (tx) => {
        await tx`insert into policies (tenant_id, id, name, kind, required, current_version)
          values (${DEMO_TENANT}, ${policyId}, 'Audit probe waiver', 'waiver', false, 1)`;
        await tx`insert into policy_versions (tenant_id, policy_id, version, title, body, published_at)
          values (${DEMO_TENANT}, ${policyId}, 1, 'Audit probe waiver v1', 'Text', now())`;
      });
      const send = async (method: string, path: string, body: unknown, status: number) => {
        const reply = await call(app, method, `/api/customer/${customer}${path}`, { token: desk, body });
        assert.equal(reply.status, status, `${method} ${path}: ${reply.text}`);
        return reply.body.data;
      };
      const newExpiry = new Date(Date.parse(pass.expires_at) + 30 * 86_400_000).toISOString();
      await send('POST', `/passes/${pass.id}/adjustments`, { delta: 2, reason: 'Goodwill for a cancelled class' }, 201);
      await send('PATCH', `/passes/${pass.id}`, { expires_at: newExpiry, reason: 'Away for a month' }, 200);
      const added = await send('POST', '/coupons', { coupon_id: couponId, reason: 'Welcome back offer' }, 201);
      await send('PATCH', `/coupons/${added.id}`, { status: 'removed', reason: 'Added to the wrong customer' }, 200);
      await send('POST', `/waivers/${policyId}/acceptances`, { version: 1, method: 'paper' }, 201);
      await send('PATCH', '', { archived: true, reason: 'Moved away' }, 200);

      const reply = await call(app, 'GET', `/api/customer/${customer}/audit?limit=100`, { token: desk });
      assert.equal(reply.status, 200, reply.text);
      const entry = (action: string) => {
        const found = reply.body.data.find((e: { action: string }) => e.action === action);
        assert.ok(found, `${action} is listed`);
        assert.equal(found.actor.name, 'front desk', action);
        return found as { reason: string | null; before: any; after: any };
      };
      const credits = entry('credits.adjusted');
      assert.equal(credits.reason, 'Goodwill for a cancelled class');
      assert.deepEqual(credits.before, { credits_left: pass.credits_left });
      assert.deepEqual([credits.after.credits_left, credits.after.delta], [pass.credits_left + 2, 2]);
      const expiry = entry('pass.expiry_changed');
      assert.equal(expiry.reason, 'Away for a month');
      assert.deepEqual(expiry.before, { expires_at: new Date(pass.expires_at).toISOString(), status: 'active' });
      assert.deepEqual(expiry.after, { expires_at: newExpiry, status: 'active', credits_expired: 0 });
      const couponAdded = entry('coupon.added');
      assert.equal(couponAdded.reason, 'Welcome back offer');
      assert.equal(couponAdded.before, null, 'a new coupon had no state before');
      assert.deepEqual([couponAdded.after.coupon_id, couponAdded.after.status], [couponId, 'active']);
      const couponRemoved = entry('coupon.removed');
      assert.equal(couponRemoved.reason, 'Added to the wrong customer');
      assert.deepEqual(couponRemoved.before, { status: 'active', expires_at: null });
      assert.deepEqual(couponRemoved.after, { status: 'removed', expires_at: null });
      const waiver = entry('waiver.accepted');
      assert.deepEqual(waiver.before, { policy_id: policyId, status: 'missing', accepted_version: null });
      assert.deepEqual(waiver.after, { policy_id: policyId, status: 'accepted', accepted_version: 1, method: 'paper' });
      const archived = entry('customer.archive');
      assert.equal(archived.reason, 'Moved away');
      assert.deepEqual([archived.before, archived.after], [{ archived: false }, { archived: true }]);
    });
  });
}
