import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../../server/app.ts';
import { createApiKey } from '../../server/auth/api-keys.ts';
import { roleCapabilities } from '../../server/auth/roles.ts';
import { scopes } from '../../server/auth/scopes.ts';
import type { Database } from '../../server/db/connect.ts';
import { migrate } from '../../server/db/migrate.ts';
import { DEMO_STAFF_ID, DEMO_TENANT, OTHER_TENANT, seed } from '../../server/seed/index.ts';
import { newId } from '../../server/ids.ts';
import { call, OWN_ORIGIN } from '../support/api.ts';
import { databaseTargets } from '../support/databases.ts';

const profileKeys = ['email', 'firstname', 'id', 'lastname', 'mobile', 'type'];
const listKeys = ['archived', ...profileKeys].sort();

for (const target of await databaseTargets()) {
  describe(`customers API on ${target.label}`, () => {
    let db: Database;
    let app: ReturnType<typeof createApp>;
    let full: string;
    let readOnly: string;
    let other: string;
    let otherCustomerId: string;

    const get = (path: string, token: string | null = full) => call(app, 'GET', path, { token });
    const fieldPaths = (body: any) => body.error.details.fields.map((f: { path: string }) => f.path).sort();

    async function mint(body: Record<string, unknown>) {
      const reply = await call(app, 'POST', '/api/embed/sessions', { token: full, body: { origin: OWN_ORIGIN, ...body } });
      assert.equal(reply.status, 201, reply.text);
      return reply.body.data as { id: string; token: string; expires_at: string };
    }

    before(async () => {
      db = await target.open();
      await seed(db.sql, { customers: 60, seed: 3 });
      app = createApp({ sql: db.sql, log: () => {} });
      full = (await createApiKey(db.sql, { tenantId: DEMO_TENANT, name: 'all', scopes })).secret;
      readOnly = (await createApiKey(db.sql, { tenantId: DEMO_TENANT, name: 'read', scopes: ['customers:read'] })).secret;
      other = (await createApiKey(db.sql, { tenantId: OTHER_TENANT, name: 'other', scopes })).secret;
      [{ id: otherCustomerId }] = await db.sql`select id from customers where tenant_id = ${OTHER_TENANT} limit 1`;
    });
    after(() => db.close());

    test('migrations applied twice change nothing', async () => {
      assert.deepEqual(await migrate(db.sql), []);
    });

    test('GET /healthz answers ok', async () => {
      const reply = await get('/healthz', null);
      assert.equal(reply.status, 200);
      assert.deepEqual(reply.body, { status: 'ok' });
    });

    test('GET /api/customers holds the seed 002 contract field for field', async () => {
      const reply = await get('/api/customers');
      assert.equal(reply.status, 200);
      assert.deepEqual(Object.keys(reply.body).sort(), ['data', 'next_cursor']);
      assert.equal(reply.body.data.length, 25, 'default page size');
      for (const customer of reply.body.data) {
        assert.deepEqual(Object.keys(customer).sort(), listKeys);
        assert.match(customer.id, /^cust_/);
        assert.equal(customer.type, 'customer');
        assert.equal(typeof customer.firstname, 'string');
        assert.equal(typeof customer.lastname, 'string');
        assert.match(customer.email, /@/);
        assert.ok(customer.mobile === null || typeof customer.mobile === 'string');
        assert.equal(typeof customer.archived, 'boolean');
      }
      const [row] = await db.sql`select * from customers where tenant_id = ${DEMO_TENANT} and id = ${reply.body.data[0].id}`;
      const first = reply.body.data[0];
      assert.deepEqual(first, {
        id: row!.id, type: 'customer', firstname: row!.firstname, lastname: row!.lastname, email: row!.email,
        mobile: row!.mobile, archived: row!.archived,
      });
    });

    test('pages by cursor without skipping or repeating a customer, deleted ones never listed', async () => {
      const [victim] = await db.sql`select id from customers where tenant_id = ${DEMO_TENANT} and deleted_at is null order by id limit 1`;
      await db.sql`update customers set deleted_at = now() where tenant_id = ${DEMO_TENANT} and id = ${victim!.id}`;
      const seen: string[] = [];
      let cursor: string | null = '';
      while (cursor !== null) {
        const reply = await get(`/api/customers?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(reply.status, 200);
        assert.ok(reply.body.data.length <= 7);
        seen.push(...reply.body.data.map((c: { id: string }) => c.id));
        cursor = reply.body.next_cursor;
      }
      const expected = await db.sql`select id from customers where tenant_id = ${DEMO_TENANT} and deleted_at is null
        order by lower(lastname), lower(firstname), id`;
      assert.deepEqual(seen, expected.map((r) => r.id));
      assert.ok(!seen.includes(victim!.id));
      assert.equal((await get(`/api/customer/${victim!.id}/profile`)).status, 404);
    });

    test('q matches name, email and mobile case-insensitively; wildcards are literal', async () => {
      const [c] = await db.sql`select * from customers where tenant_id = ${DEMO_TENANT} and mobile is not null
        and deleted_at is null and not archived limit 1`;
      for (const q of [c!.lastname.toUpperCase(), c!.email.slice(0, 6), c!.mobile.slice(-5), `${c!.firstname} ${c!.lastname}`]) {
        const reply = await get(`/api/customers?q=${encodeURIComponent(q)}&limit=100`);
        assert.equal(reply.status, 200);
        assert.ok(reply.body.data.some((r: { id: string }) => r.id === c!.id), `q=${q} finds the customer`);
        for (const r of reply.body.data) {
          const hay = `${r.firstname} ${r.lastname} ${r.email} ${r.mobile ?? ''}`.toLowerCase();
          const digits = (text: string) => text.replace(/\D/g, '').replace(/^0+/, '');
          assert.ok(hay.includes(q.toLowerCase()) || digits(r.mobile ?? '').includes(digits(q)), `${hay} matches ${q}`);
        }
      }
      assert.deepEqual((await get('/api/customers?q=%25%25')).body.data, []);
      assert.deepEqual((await get('/api/customers?q=zzqx-nobody')).body.data, []);
    });

    test('q finds a mobile however it is typed: without spaces, with a national 0 for a +44 number, with dashes', async () => {
      const find = async (mobile: string) => {
        const [c] = await db.sql`select id, mobile from customers where tenant_id = ${DEMO_TENANT} and mobile like ${mobile}
          and deleted_at is null order by id limit 1`;
        assert.ok(c, `the seed has a mobile like ${mobile}`);
        return c as { id: string; mobile: string };
      };
      const national = await find('07% %');
      const international = await find('+44 7% %');
      const typed = [
        [national, national.mobile.replace(/\s/g, '')],
        [national, national.mobile.replace(/\s/g, '-')],
        [international, `0${international.mobile.slice(4)}`],
        [international, `0${international.mobile.slice(4).replace(/\s/g, '')}`],
        [international, international.mobile.replace(/\s/g, '')],
      ] as const;
      for (const [c, q] of typed) {
        const reply = await get(`/api/customers?q=${encodeURIComponent(q)}&limit=100`);
        assert.equal(reply.status, 200, reply.text);
        assert.ok(reply.body.data.some((r: { id: string }) => r.id === c.id), `q=${q} finds ${c.mobile}`);
      }
      // Too few digits to be a number: searched as typed.
      assert.ok((await get('/api/customers?q=%2B44&limit=5')).body.data.every((r: { mobile: string | null }) => r.mobile?.includes('+44')));
    });

    test('archived filter, and customer_since on request', async () => {
      const archived = await get('/api/customers?archived=true&limit=100');
      assert.ok(archived.body.data.length > 0, 'the seed archives some customers');
      assert.ok(archived.body.data.every((c: { archived: boolean }) => c.archived));
      const active = await get('/api/customers?archived=false&limit=100');
      assert.ok(active.body.data.every((c: { archived: boolean }) => !c.archived));
      const withSince = await get('/api/customers?include=customer_since&limit=3');
      for (const c of withSince.body.data) assert.ok(!Number.isNaN(Date.parse(c.customer_since)));
      assert.ok(withSince.body.data.every((c: object) => !('guest' in c)));
      // Guest records, which read like their full profile in a list, say so when asked.
      const [full] = await db.sql<{ firstname: string; lastname: string; email: string }[]>`select firstname, lastname, email
        from customers where tenant_id = ${DEMO_TENANT} and deleted_at is null and not is_guest order by id limit 1`;
      const guest = { id: newId('cust'), email: full!.email };
      await db.sql`insert into customers (tenant_id, id, firstname, lastname, email, is_guest)
        values (${DEMO_TENANT}, ${guest.id}, ${full!.firstname}, ${full!.lastname}, ${full!.email}, true)`;
      const both = await get(`/api/customers?include=guest,customer_since&q=${encodeURIComponent(guest.email)}&limit=100`);
      assert.equal(both.status, 200, both.text);
      const rows = await db.sql<{ id: string; is_guest: boolean }[]>`select id, is_guest from customers
        where tenant_id = ${DEMO_TENANT} and id in ${db.sql(both.body.data.map((c: { id: string }) => c.id))}`;
      const isGuest = new Map(rows.map((r) => [r.id, r.is_guest]));
      assert.ok(both.body.data.some((c: { id: string; guest: boolean }) => c.id === guest.id && c.guest));
      for (const c of both.body.data) {
        assert.equal(c.guest, isGuest.get(c.id), c.id);
        assert.ok(!Number.isNaN(Date.parse(c.customer_since)));
      }
      assert.equal((await get('/api/customers?include=guest,password')).status, 400);
    });

    test('bad query parameters are 400 with their field paths', async () => {
      for (const [query, path] of [['limit=0', 'limit'], ['limit=101', 'limit'], ['limit=ten', 'limit'],
        ['cursor=not-a-cursor', 'cursor'], ['archived=maybe', 'archived'], ['sort=email', 'sort']]) {
        const reply = await get(`/api/customers?${query}`);
        assert.equal(reply.status, 400, query);
        assert.equal(reply.body.error.code, 'invalid_request');
        assert.deepEqual(fieldPaths(reply.body), [path], query);
      }
    });

    test('401 without a credential, with garbage, a revoked key or an expired session', async () => {
      for (const token of [null, 'garbage', 'ck_key_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']) {
        const reply = await get('/api/customers', token);
        assert.equal(reply.status, 401);
        assert.equal(reply.body.error.code, 'unauthenticated');
      }
      const revoked = await createApiKey(db.sql, { tenantId: DEMO_TENANT, name: 'gone', scopes: ['customers:read'] });
      await db.sql`update api_keys set revoked_at = now() where id = ${revoked.id}`;
      assert.equal((await get('/api/customers', revoked.secret)).status, 401);

      const session = await mint({ staff_id: DEMO_STAFF_ID, capabilities: ['customers:read'] });
      await db.sql`update embed_sessions set created_at = now() - interval '1 hour', expires_at = now() - interval '1 minute'
        where id = ${session.id}`;
      const expired = await get('/api/customers', session.token);
      assert.equal(expired.status, 401);
      assert.equal(expired.body.error.code, 'session_expired');
    });

    test('403 names the missing scope', async () => {
      const reply = await call(app, 'POST', '/api/customers', {
        token: readOnly, body: { firstname: 'A', lastname: 'B', email: 'a@b.example' },
      });
      assert.equal(reply.status, 403);
      assert.equal(reply.body.error.code, 'forbidden');
      assert.equal(reply.body.error.details.scope, 'customers:write');
      assert.match(reply.body.error.message, /customers:write/);
      assert.equal((await get(`/api/customer/${otherCustomerId}/profile`, readOnly)).body.error.details.scope, 'profile:read');
    });

    test("another tenant's customer is 404 for read and write, and never listed", async () => {
      assert.equal((await get(`/api/customer/${otherCustomerId}/profile`)).status, 404);
      const put = await call(app, 'PUT', `/api/customer/${otherCustomerId}/profile`, {
        token: full, body: { firstname: 'X', lastname: 'Y', email: 'x@y.example' },
      });
      assert.equal(put.status, 404);
      assert.equal(put.body.error.code, 'not_found');
      const [row] = await db.sql`select firstname from customers where id = ${otherCustomerId}`;
      assert.notEqual(row!.firstname, 'X');
      const theirs = await get('/api/customers?limit=100', other);
      assert.ok(theirs.body.data.length > 0);
      const ours = await db.sql`select id from customers where tenant_id = ${DEMO_TENANT}`;
      const ourIds = new Set(ours.map((r) => r.id));
      assert.ok(theirs.body.data.every((c: { id: string }) => !ourIds.has(c.id)));
    });

    test('POST /api/customers creates, refuses a duplicate email (409) and bad fields (400)', async () => {
      const created = await call(app, 'POST', '/api/customers', {
        token: full, body: { firstname: 'Ada', lastname: 'Lovelace', email: 'ada.lovelace@example.test', mobile: '07700 900123' },
      });
      assert.equal(created.status, 201, created.text);
      assert.deepEqual(Object.keys(created.body.data).sort(), profileKeys);
      assert.match(created.body.data.id, /^cust_/);
      const [activity] = await db.sql`select type from activity where customer_id = ${created.body.data.id}`;
      assert.equal(activity!.type, 'customer_created');

      const duplicate = await call(app, 'POST', '/api/customers', {
        token: full, body: { firstname: 'Other', lastname: 'Person', email: 'ADA.Lovelace@example.test' },
      });
      assert.equal(duplicate.status, 409);
      assert.deepEqual(fieldPaths(duplicate.body), ['email']);

      const missing = await call(app, 'POST', '/api/customers', { token: full, body: { mobile: '123' } });
      assert.equal(missing.status, 400);
      assert.deepEqual(fieldPaths(missing.body), ['email', 'firstname', 'lastname', 'mobile']);

      const extra = await call(app, 'POST', '/api/customers', {
        token: full, body: { firstname: 'A', lastname: 'B', email: 'ab@example.test', archived: true },
      });
      assert.equal(extra.status, 400);
      assert.deepEqual(fieldPaths(extra.body), ['archived']);

      const malformed = await call(app, 'POST', '/api/customers', {
        token: full, raw: '{"firstname":', headers: { 'content-type': 'application/json' },
      });
      assert.equal(malformed.status, 400);
      assert.equal(malformed.body.error.code, 'invalid_request');
    });

    test('Idempotency-Key: a replay returns the first answer and creates nothing more', async () => {
      const body = { firstname: 'Grace', lastname: 'Hopper', email: 'grace@example.test' };
      const headers = { 'idempotency-key': 'create-grace-1' };
      const first = await call(app, 'POST', '/api/customers', { token: full, body, headers });
      const replay = await call(app, 'POST', '/api/customers', { token: full, body, headers });
      assert.equal(first.status, 201);
      assert.equal(replay.status, 201);
      assert.equal(replay.text, first.text);
      assert.equal(replay.headers.get('idempotent-replayed'), 'true');
      const rows = await db.sql`select id from customers where email = 'grace@example.test'`;
      assert.equal(rows.length, 1);
      const reused = await call(app, 'POST', '/api/customers', { token: full, body: { ...body, firstname: 'G' }, headers });
      assert.equal(reused.status, 422);
    });

    test('GET and PUT /api/customer/{id}/profile as seed 002, with ETag and If-Match', async () => {
      const [c] = await db.sql`select * from customers where tenant_id = ${DEMO_TENANT} and mobile is not null and deleted_at is null limit 1`;
      const path = `/api/customer/${c!.id}/profile`;
      const read = await get(path);
      assert.equal(read.status, 200);
      assert.deepEqual(read.body, {
        data: { id: c!.id, type: 'customer', firstname: c!.firstname, lastname: c!.lastname, email: c!.email, mobile: c!.mobile },
      });
      const etag = read.headers.get('etag')!;
      assert.match(etag, /^"\d+"$/);

      const update = { firstname: 'Janet', lastname: 'Smythe', email: `janet.${c!.id}@example.test` };
      const put = await call(app, 'PUT', path, { token: full, body: update, headers: { 'if-match': etag } });
      assert.equal(put.status, 200, put.text);
      assert.deepEqual(put.body, { message: 'Profile updated successfully' });
      assert.notEqual(put.headers.get('etag'), etag);
      const after = await get(path);
      assert.deepEqual(after.body.data, { id: c!.id, type: 'customer', ...update, mobile: c!.mobile }, 'mobile unchanged when omitted');

      const stale = await call(app, 'PUT', path, { token: full, body: { ...update, firstname: 'Lost' }, headers: { 'if-match': etag } });
      assert.equal(stale.status, 412);
      assert.equal(stale.body.error.code, 'precondition_failed');
      assert.equal((await get(path)).body.data.firstname, 'Janet');

      const [audit] = await db.sql`select before, after, actor from audit_log where target_id = ${c!.id} and action = 'profile.update'
        order by at desc limit 1`;
      assert.equal(audit!.before.firstname, c!.firstname);
      assert.equal(audit!.after.firstname, 'Janet');
      const [activity] = await db.sql`select summary from activity where customer_id = ${c!.id} and type = 'profile_edited'
        order by occurred_at desc limit 1`;
      assert.match(activity!.summary, /firstname/);
    });

    test('PUT refuses password, avatar and unknown fields, and a taken email', async () => {
      const [a, b] = await db.sql`select id, email from customers where tenant_id = ${DEMO_TENANT} and not is_guest and deleted_at is null limit 2`;
      const base = { firstname: 'Jo', lastname: 'March', email: a!.email };
      for (const field of ['password', 'avatar', 'archived']) {
        const reply = await call(app, 'PUT', `/api/customer/${a!.id}/profile`, { token: full, body: { ...base, [field]: 'x' } });
        assert.equal(reply.status, 400, field);
        assert.deepEqual(fieldPaths(reply.body), [field]);
      }
      const taken = await call(app, 'PUT', `/api/customer/${a!.id}/profile`, { token: full, body: { ...base, email: b!.email } });
      assert.equal(taken.status, 409);
      const invalid = await call(app, 'PUT', `/api/customer/${a!.id}/profile`, { token: full, body: { ...base, email: 'nope' } });
      assert.deepEqual(fieldPaths(invalid.body), ['email']);
      const dashes = await call(app, 'PUT', `/api/customer/${a!.id}/profile`, { token: full, body: { ...base, mobile: '------' } });
      assert.deepEqual(fieldPaths(dashes.body), ['mobile'], 'a phone number has digits');

      // A guest record may share a full profile's email, as the unique index allows.
      const guest = newId('cust');
      await db.sql`insert into customers (tenant_id, id, firstname, lastname, email, is_guest)
        values (${DEMO_TENANT}, ${guest}, 'Guest', 'Of Jo', 'guest.of.jo@example.test', true)`;
      const shared = await call(app, 'PUT', `/api/customer/${guest}/profile`, {
        token: full, body: { firstname: 'Guest', lastname: 'Of Jo', email: a!.email },
      });
      assert.equal(shared.status, 200, shared.text);
    });

    test('embed sessions: capabilities within the role, what GET /api/session says, customer restriction, revocation', async () => {
      const [instructor] = await db.sql`select id from staff where tenant_id = ${DEMO_TENANT} and role = 'instructor' limit 1`;
      const tooMuch = await call(app, 'POST', '/api/embed/sessions', {
        token: full, body: { staff_id: instructor!.id, capabilities: ['customers:read', 'credits:write'], origin: OWN_ORIGIN },
      });
      assert.equal(tooMuch.status, 422);
      assert.equal(tooMuch.body.error.code, 'rule_violation');
      assert.deepEqual(tooMuch.body.error.details.rules[0].capabilities, ['credits:write']);

      const [customer] = await db.sql`select id from customers where tenant_id = ${DEMO_TENANT} and deleted_at is null limit 1`;
      const session = await mint({
        staff_id: DEMO_STAFF_ID, capabilities: ['customers:read', 'profile:read'], customer_id: customer!.id, ttl_seconds: 120,
      });
      const ttl = Date.parse(session.expires_at) - Date.now();
      assert.ok(ttl > 100_000 && ttl <= 120_000, `ttl ${ttl}`);
      const who = await get('/api/session', session.token);
      assert.equal(who.status, 200);
      assert.equal(who.body.data.tenant.id, DEMO_TENANT);
      assert.equal(who.body.data.actor.id, DEMO_STAFF_ID);
      assert.deepEqual(who.body.data.capabilities.sort(), ['customers:read', 'profile:read']);
      assert.equal(who.body.data.customer_id, customer!.id);

      const listed = await get('/api/customers', session.token);
      assert.deepEqual(listed.body.data.map((c: { id: string }) => c.id), [customer!.id]);
      assert.equal((await get(`/api/customer/${customer!.id}/profile`, session.token)).status, 200);
      const [another] = await db.sql`select id from customers where tenant_id = ${DEMO_TENANT} and id <> ${customer!.id} limit 1`;
      assert.equal((await get(`/api/customer/${another!.id}/profile`, session.token)).status, 404);
      // Nothing beyond that customer: no new customers (nor learning whose email is taken)…
      const held = await mint({ staff_id: DEMO_STAFF_ID, capabilities: ['customers:write', 'profile:read'], customer_id: customer!.id });
      const [taken] = await db.sql`select email from customers where tenant_id = ${DEMO_TENANT} and id <> ${customer!.id} and not is_guest limit 1`;
      for (const email of [taken!.email, 'held.session@example.com']) {
        const created = await call(app, 'POST', '/api/customers', { token: held.token, body: { firstname: 'Held', lastname: 'Session', email } });
        assert.equal(created.status, 403, created.text);
      }
      // …and no other records in the customer's detail, though the customer has them.
      await db.sql`insert into customers (tenant_id, id, firstname, lastname, email, is_guest, linked_profile_id)
        select tenant_id, ${newId('cust')}, firstname, lastname, email, true, id from customers where tenant_id = ${DEMO_TENANT} and id = ${customer!.id}`;
      const relatives = (data: { profile: { linked_guests: unknown[]; possible_duplicates: unknown[] } }) =>
        data.profile.linked_guests.length + data.profile.possible_duplicates.length;
      assert.ok(relatives((await get(`/api/customer/${customer!.id}/detail`)).body.data) > 0, 'a full key sees the linked guest');
      assert.equal(relatives((await get(`/api/customer/${customer!.id}/detail`, held.token)).body.data), 0);

      const sessionCannotMint = await call(app, 'POST', '/api/embed/sessions', {
        token: session.token, body: { staff_id: DEMO_STAFF_ID, capabilities: ['customers:read'], origin: OWN_ORIGIN },
      });
      assert.equal(sessionCannotMint.status, 403);

      assert.equal((await call(app, 'DELETE', `/api/embed/sessions/${session.id}`, { token: full })).status, 204);
      assert.equal((await get('/api/session', session.token)).status, 401);
      assert.equal((await call(app, 'DELETE', `/api/embed/sessions/${session.id}`, { token: other })).status, 404);
    });

    test('the owner role allows what a demo session is given', async () => {
      const session = await mint({ staff_id: DEMO_STAFF_ID, capabilities: [...roleCapabilities.owner] });
      const expiresIn = Date.parse(session.expires_at) - Date.now();
      assert.ok(expiresIn > 9 * 60_000 && expiresIn <= 10 * 60_000, 'ten minutes by default');
    });

    test('ttl_seconds runs from 30 to 3600: an hour at most, a longer or shorter one is a 400 on ttl_seconds', async () => {
      const body = { staff_id: DEMO_STAFF_ID, capabilities: ['customers:read'], origin: OWN_ORIGIN };
      for (const ttl of [3601, 86_400, 29]) {
        const refused = await call(app, 'POST', '/api/embed/sessions', { token: full, body: { ...body, ttl_seconds: ttl } });
        assert.equal(refused.status, 400, `ttl_seconds ${ttl}: ${refused.text}`);
        assert.deepEqual(fieldPaths(refused.body), ['ttl_seconds']);
      }
      const hour = await mint({ ...body, ttl_seconds: 3600 });
      const expiresIn = Date.parse(hour.expires_at) - Date.now();
      assert.ok(expiresIn > 59 * 60_000 && expiresIn <= 60 * 60_000, `expires in ${expiresIn} ms`);
    });

    test('GET /api/openapi.json documents every API route with its scope and schemas', async () => {
      const reply = await get('/api/openapi.json', null);
      assert.equal(reply.status, 200);
      assert.equal(reply.body.openapi, '3.1.0');
      const list = reply.body.paths['/customers'].get;
      assert.equal(list['x-scope'], 'customers:read');
      assert.deepEqual(list.parameters.map((p: { name: string }) => p.name).sort(), ['archived', 'cursor', 'include', 'limit', 'q']);
      const put = reply.body.paths['/customer/{id}/profile'].put;
      assert.equal(put['x-scope'], 'profile:write');
      assert.deepEqual(put.requestBody.content['application/json'].schema.required.sort(), ['email', 'firstname', 'lastname']);
      assert.equal(put.requestBody.content['application/json'].schema.additionalProperties, false);
      assert.ok(reply.body.paths['/embed/sessions'].post);
    });

    test('GET /api/openapi.json asks a bearer credential of every route the server guards, and of no other', async () => {
      const doc = (await get('/api/openapi.json', null)).body;
      assert.deepEqual(doc.security, [{ bearerAuth: [] }]);
      const scheme = doc.components.securitySchemes.bearerAuth;
      assert.deepEqual([scheme.type, scheme.scheme], ['http', 'bearer']);
      assert.match(scheme.description, /ck_key_/);
      assert.match(scheme.description, /ck_ses_/);
      const open: string[] = [];
      for (const [path, operations] of Object.entries<any>(doc.paths)) {
        for (const [method, op] of Object.entries<any>(operations)) {
          const key = `${method.toUpperCase()} ${path}`;
          if (op.security.length === 0) open.push(key);
          if (op['x-scope']) assert.deepEqual(op.security, [{ bearerAuth: [op['x-scope']] }], key);
          const anonymous = await call(app, method.toUpperCase(), `/api${path.replace(/\{\w+\}/g, 'x')}`, { token: null });
          assert.equal(anonymous.status === 401, op.security.length > 0, `${key}: documented ${JSON.stringify(op.security)}, answered ${anonymous.status}`);
        }
      }
      assert.deepEqual(open, ['GET /openapi.json']);
      assert.deepEqual(doc.paths['/session'].get.security, [{ bearerAuth: [] }]);
    });

    test('GET /api/openapi.json says what a route answers on success: its status, media type and body', async () => {
      const doc = (await get('/api/openapi.json', null)).body;
      const success = (method: string, path: string) => {
        const { default: _error, ...responses } = doc.paths[path][method].responses;
        return responses;
      };

      assert.deepEqual(Object.keys(success('get', '/openapi.json')), ['200']);
      assert.deepEqual(Object.keys(success('get', '/customers')), ['2XX']);
      assert.deepEqual(success('get', '/customers')['2XX'].content['application/json'].schema.required, ['data']);

      const minted = await call(app, 'POST', '/api/embed/sessions', { token: full, body: { staff_id: DEMO_STAFF_ID, capabilities: ['customers:read'], origin: OWN_ORIGIN } });
      assert.equal(minted.status, 201);
      assert.deepEqual(Object.keys(success('post', '/embed/sessions')), ['201']);
      assert.deepEqual(success('post', '/embed/sessions')['201'].content['application/json'].schema.required, ['data']);

      const revoked = await call(app, 'DELETE', `/api/embed/sessions/${minted.body.data.id}`, { token: full });
      assert.equal(revoked.status, 204);
      assert.equal(revoked.text, '');
      assert.deepEqual(Object.keys(success('delete', '/embed/sessions/{sessionId}')), ['204']);
      assert.equal(success('delete', '/embed/sessions/{sessionId}')['204'].content, undefined);

      const created = await call(app, 'POST', '/api/customers', {
        token: full, body: { firstname: 'Open', lastname: 'Api', email: 'open.api@example.test' },
      });
      assert.equal(created.status, 201, created.text);
      const saved = await call(app, 'PUT', `/api/customer/${created.body.data.id}/profile`, {
        token: full, body: { firstname: 'Open', lastname: 'Api', email: 'open.api@example.test' },
      });
      assert.equal(saved.status, 200, saved.text);
      assert.deepEqual(Object.keys(saved.body), ['message']);
      assert.deepEqual(Object.keys(success('put', '/customer/{id}/profile')), ['200']);
      const message = success('put', '/customer/{id}/profile')['200'].content['application/json'].schema;
      assert.deepEqual([message.required, message.properties.message.type], [['message'], 'string']);

      const [pass] = await db.sql`select id, customer_id from passes where tenant_id = ${DEMO_TENANT} limit 1`;
      const csv = await get(`/api/customer/${pass!.customer_id}/passes/${pass!.id}/credit-usage.csv`);
      assert.equal(csv.status, 200, csv.text);
      assert.match(csv.headers.get('content-type')!, /^text\/csv/);
      const csvPath = '/customer/{id}/passes/{passId}/credit-usage.csv';
      assert.deepEqual(Object.keys(success('get', csvPath)), ['200']);
      assert.deepEqual(Object.keys(success('get', csvPath)['200'].content), ['text/csv']);
    });

    test('GET /api/openapi.json requires a JSON body exactly where a request without one is refused', async () => {
      const doc = (await get('/api/openapi.json', null)).body;
      // Well-formed ids of nothing: a request that passes its validators ends in 404.
      const ids: Record<string, string> = {
        id: newId('cust'), passId: newId('pass'), bookingId: newId('bk'), customerCouponId: newId('ccpn'), policyId: newId('pol'),
        sessionId: newId('ses'),
      };
      for (const [path, operations] of Object.entries<any>(doc.paths)) {
        for (const [method, op] of Object.entries<any>(operations)) {
          if (!op.requestBody) continue;
          const key = `${method.toUpperCase()} ${path}`;
          const url = `/api${path.replace(/\{(\w+)\}/g, (_: string, name: string) => {
            assert.ok(ids[name], `${key}: no well-formed id for {${name}} — add one`);
            return ids[name]!;
          })}`;
          const reply = await call(app, method.toUpperCase(), url, { token: full });
          const refused = reply.status === 400 && reply.body.error.code === 'invalid_request';
          assert.equal(refused, op.requestBody.required, `${key}: documented required: ${op.requestBody.required}, answered ${reply.status}`);
        }
      }
      assert.equal(doc.paths['/customer/{id}/bookings/{bookingId}/cancel'].post.requestBody.required, false);
      assert.equal(doc.paths['/customer/{id}/profile'].put.requestBody.required, true);
    });

    test('unknown routes and oversized bodies answer the kit error body', async () => {
      const missing = await get('/api/nothing-here');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.code, 'not_found');
      const big = await call(app, 'POST', '/api/customers', { token: full, body: { firstname: 'x'.repeat(70_000) } });
      assert.equal(big.status, 413);
      assert.equal(big.body.error.code, 'payload_too_large');
    });
  });
}
