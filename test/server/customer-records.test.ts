import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../../server/app.ts';
import { createApiKey } from '../../server/auth/api-keys.ts';
import { scopes, type Scope } from '../../server/auth/scopes.ts';
import type { Database } from '../../server/db/connect.ts';
import { DEMO_TENANT, OTHER_TENANT, seed } from '../../server/seed/index.ts';
import { verify } from '../../server/verify.ts';
import { call } from '../support/api.ts';
import { databaseTargets } from '../support/databases.ts';
import { addLongHistory } from '../support/detail-fixtures.ts';

const without = (...dropped: Scope[]) => scopes.filter((s) => !dropped.includes(s));

for (const target of await databaseTargets()) {
  describe(`customer records and lifecycle on ${target.label}`, () => {
    let db: Database;
    let app: ReturnType<typeof createApp>;
    let full: string;
    let other: string;
    let long: string;
    let otherCustomer: string;

    const key = async (granted: readonly Scope[], tenantId = DEMO_TENANT) =>
      (await createApiKey(db.sql, { tenantId, name: `records ${granted.length}`, scopes: granted })).secret;
    const get = (path: string, token: string | null = full) => call(app, 'GET', path, { token });
    const send = (method: string, path: string, body?: unknown, options: { token?: string | null; headers?: Record<string, string> } = {}) =>
      call(app, method, path, { token: options.token === undefined ? full : options.token, body, headers: options.headers });
    const fields = (body: any) => body.error.details.fields.map((f: { path: string }) => f.path).sort();
    const newCustomer = async (firstname = 'Lena') => {
      const reply = await send('POST', '/api/customers', { firstname, lastname: 'Lifecycle', email: `${firstname}.${Date.now()}.${Math.random()}@x.test` });
      assert.equal(reply.status, 201, reply.text);
      return reply.body.data.id as string;
    };

    /** Walks a list to its end, `limit` at a time; returns every item and how many pages it took. */
    async function walk(path: string, limit: number) {
      const items: any[] = [];
      let cursor: string | null = null;
      let pages = 0;
      const join = path.includes('?') ? '&' : '?';
      do {
        const reply = await get(`${path}${join}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(reply.status, 200, reply.text);
        assert.deepEqual(Object.keys(reply.body).sort(), ['data', 'next_cursor']);
        assert.ok(reply.body.data.length <= limit);
        if (reply.body.next_cursor) assert.equal(reply.body.data.length, limit, 'only the last page is short');
        items.push(...reply.body.data);
        cursor = reply.body.next_cursor;
        pages++;
      } while (cursor);
      return { items, pages };
    }

    before(async () => {
      db = await target.open();
      await seed(db.sql, { customers: 40, seed: 5 });
      app = createApp({ sql: db.sql, log: () => {} });
      full = await key(scopes);
      other = await key(scopes, OTHER_TENANT);
      [{ id: otherCustomer }] = await db.sql`select id from customers where tenant_id = ${OTHER_TENANT} and deleted_at is null limit 1`;
      long = await addLongHistory(db.sql, { tenantId: DEMO_TENANT, bookings: 1200 });
    });
    after(async () => {
      assert.deepEqual((await verify(db.sql)).problems, [], 'verify is clean after the suite');
      await db.close();
    });

    const ids = (rows: readonly { id?: string }[]) => rows.map((r) => r.id as string);

    test('every sub-resource pages by cursor without skipping or repeating, in its documented order', async () => {
      const sql = db.sql;
      const lists = {
        subscriptions: [5, sql`
          select p.id from passes p join products pr on pr.tenant_id = p.tenant_id and pr.id = p.product_id
          where p.tenant_id = ${DEMO_TENANT} and p.customer_id = ${long} and pr.kind = 'membership'
          order by p.purchased_at desc, p.id desc`],
        videos: [5, sql`
          select p.id from passes p join products pr on pr.tenant_id = p.tenant_id and pr.id = p.product_id
          where p.tenant_id = ${DEMO_TENANT} and p.customer_id = ${long} and pr.kind = 'video'
          order by p.purchased_at desc, p.id desc`],
        appointments: [13, sql`
          select b.id from bookings b join classes c on c.tenant_id = b.tenant_id and c.id = b.class_id
          where b.tenant_id = ${DEMO_TENANT} and b.customer_id = ${long} and c.kind = 'appointment'
          order by c.starts_at desc, b.id desc`],
        notes: [7, sql`select id from notes where tenant_id = ${DEMO_TENANT} and customer_id = ${long} order by created_at desc, id desc`],
        emails: [41, sql`select id from emails where tenant_id = ${DEMO_TENANT} and customer_id = ${long} order by sent_at desc, id desc`],
        activity: [97, sql`select id from activity where tenant_id = ${DEMO_TENANT} and customer_id = ${long} order by occurred_at desc, seq desc`],
      } as const;
      for (const [name, [limit, query]] of Object.entries(lists)) {
        const expected = ids(await query);
        assert.ok(expected.length > limit, `${name}: more than one page`);
        const { items, pages } = await walk(`/api/customer/${long}/${name}`, limit);
        assert.deepEqual(ids(items), expected, `${name}: every item once, in order`);
        assert.equal(pages, Math.ceil(expected.length / limit));
      }
      // The default page is 25; the limit is 1–100.
      assert.equal((await get(`/api/customer/${long}/activity`)).body.data.length, 25);
      assert.equal((await get(`/api/customer/${long}/activity?limit=100`)).body.data.length, 100);
      for (const bad of ['limit=0', 'limit=101', 'cursor=nonsense', `cursor=${Buffer.from('["2026-01-01",1]').toString('base64url')}`, 'colour=red']) {
        const reply = await get(`/api/customer/${long}/emails?${bad}`);
        assert.equal(reply.status, 400, bad);
        assert.equal(reply.body.error.code, 'invalid_request');
      }
    });

    test('a page boundary between rows of the same microsecond neither repeats nor skips one', async () => {
      // Rows written in one transaction share now() to the microsecond, which a JS Date cannot hold.
      const customer = await newCustomer('Micro');
      const at = '2026-03-01T10:00:00.123456Z';
      // Ids against the order they are written in: the feed follows the writing, not the ids.
      const written = ['act_micro_5', 'act_micro_2', 'act_micro_4', 'act_micro_1', 'act_micro_3'];
      for (const id of written) {
        await db.sql`insert into activity (tenant_id, id, customer_id, type, summary, occurred_at)
          values (${DEMO_TENANT}, ${id}, ${customer}, 'note_added', 'Same instant', ${at}::text::timestamptz)`;
      }
      const { items } = await walk(`/api/customer/${customer}/activity?type=note_added`, 2);
      assert.deepEqual(ids(items), [...written].reverse(), 'each once, newest first, then last written first');
    });

    test('subscriptions: plan, status, cycle, next billing date and credits per cycle, against the rows', async () => {
      const sql = db.sql;
      // A seeded member (credits per cycle) and the long history's renewing unlimited membership.
      const [{ customer_id: member }] = await sql`
        select p.customer_id from passes p join products pr on pr.tenant_id = p.tenant_id and pr.id = p.product_id
        where p.tenant_id = ${DEMO_TENANT} and pr.kind = 'membership' and pr.credits is not null
        order by p.next_billing_at nulls last, p.id limit 1`;
      for (const id of [member, long]) {
        const reply = await get(`/api/customer/${id}/subscriptions?limit=100`);
        const rows = await sql`
          select p.*, pr.name, pr.price, pr.billing_cycle_days, pr.credits, pr.rollover_cap
          from passes p join products pr on pr.tenant_id = p.tenant_id and pr.id = p.product_id
          where p.tenant_id = ${DEMO_TENANT} and p.customer_id = ${id} and pr.kind = 'membership'
          order by p.purchased_at desc, p.id desc`;
        assert.equal(reply.body.data.length, rows.length);
        const iso = (d: Date | null) => d?.toISOString() ?? null;
        reply.body.data.forEach((s: any, i: number) => {
          const r = rows[i]!;
          assert.deepEqual(s, {
            id: r.id, type: 'subscription',
            plan: { id: r.product_id, name: r.name, price: r.price, billing_cycle_days: r.billing_cycle_days, credits_per_cycle: r.credits, rollover_cap: r.rollover_cap },
            status: r.status === 'active' && r.expires_at && r.expires_at <= new Date() ? 'expired' : r.status,
            current_cycle: r.current_cycle, cycle_started_at: iso(r.cycle_started_at), next_billing_at: iso(r.next_billing_at),
            ends_at: iso(r.expires_at), credits_per_cycle: r.credits, credits_left: r.credits_left, unlimited: r.credits === null,
            started_at: iso(r.purchased_at), channel: r.channel, payment_status: r.payment_status, amount: r.amount, currency: 'GBP',
          });
        });
      }
      const renewing = (await get(`/api/customer/${long}/subscriptions?limit=1`)).body.data[0];
      assert.equal(renewing.status, 'active');
      assert.ok(new Date(renewing.next_billing_at) > new Date());
      assert.equal(renewing.unlimited, true);
    });

    test('appointments carry service, facilitator, time and status; videos their access window', async () => {
      const [appointment] = (await get(`/api/customer/${long}/appointments?limit=1`)).body.data;
      const [row] = await db.sql`
        select b.id, b.status, c.id as class_id, c.name, c.class_type, c.facilitator, c.location, c.starts_at, c.duration_minutes, c.kind
        from bookings b join classes c on c.tenant_id = b.tenant_id and c.id = b.class_id
        where b.tenant_id = ${DEMO_TENANT} and b.id = ${appointment.id}`;
      assert.equal(row!.kind, 'appointment');
      assert.deepEqual(appointment.service, { class_id: row!.class_id, name: row!.name, class_type: row!.class_type });
      assert.equal(appointment.facilitator, row!.facilitator);
      assert.equal(appointment.location, row!.location);
      assert.equal(appointment.starts_at, row!.starts_at.toISOString());
      assert.equal(appointment.duration_minutes, row!.duration_minutes);
      assert.equal(appointment.status, row!.status);
      assert.equal(appointment.type, 'appointment');

      const videos = (await get(`/api/customer/${long}/videos?limit=100`)).body.data;
      assert.equal(videos.length, 12);
      for (const v of videos) {
        const [p] = await db.sql`select * from passes where tenant_id = ${DEMO_TENANT} and id = ${v.id}`;
        assert.equal(v.access_expires_at, p!.expires_at?.toISOString() ?? null);
        assert.equal(v.access_starts_at, p!.starts_at.toISOString());
        assert.equal(v.payment_status, p!.payment_status);
        assert.equal(v.has_access, p!.status === 'active' && p!.payment_status === 'paid' && (!p!.expires_at || p!.expires_at > new Date()));
        if (p!.payment_status === 'refunded') assert.equal(v.has_access, false);
      }
    });

    test("an activity cursor names its last row by time and id, not by the write order that counts every studio's rows", async () => {
      const first = await get(`/api/customer/${long}/activity?limit=2`);
      const [time, id, ...rest] = JSON.parse(Buffer.from(first.body.next_cursor, 'base64url').toString());
      assert.equal(id, first.body.data[1].id);
      assert.match(time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
      assert.deepEqual(rest, []);
      // A cursor naming no activity of this customer (another's, none at all, a number past bigint) goes on
      // from the rows older than its time.
      const feed = ids(await db.sql`select id from activity where tenant_id = ${DEMO_TENANT} and customer_id = ${long} order by occurred_at desc, seq desc`);
      const [elsewhere] = await db.sql`select id from activity where tenant_id = ${DEMO_TENANT} and customer_id <> ${long} limit 1`;
      for (const name of [elsewhere!.id, 'act_none', '99999999999999999999']) {
        const reply = await get(`/api/customer/${long}/activity?limit=2&cursor=${Buffer.from(JSON.stringify([time, name])).toString('base64url')}`);
        assert.equal(reply.status, 200, reply.text);
        const start = feed.indexOf(reply.body.data[0].id);
        assert.ok(start > feed.indexOf(id), `${name}: after the cursor's time`);
        assert.deepEqual(ids(reply.body.data), feed.slice(start, start + 2), name);
      }
    });

    test('activity filters by one type or several (comma list or repeated), and pages within the filter', async () => {
      const expected = async (types: string[]) => ids(await db.sql`
        select id from activity where tenant_id = ${DEMO_TENANT} and customer_id = ${long} and type in ${db.sql(types)}
        order by occurred_at desc, seq desc`);
      const one = await walk(`/api/customer/${long}/activity?type=booked`, 33);
      assert.deepEqual(ids(one.items), await expected(['booked']));
      assert.ok(one.items.every((a: { type: string }) => a.type === 'booked'));
      const several = await walk(`/api/customer/${long}/activity?type=email,coupon_added`, 50);
      assert.deepEqual(ids(several.items), await expected(['email', 'coupon_added']));
      const repeated = await walk(`/api/customer/${long}/activity?type=email&type=coupon_added`, 50);
      assert.deepEqual(ids(repeated.items), ids(several.items));
      const item = several.items[0];
      assert.deepEqual(Object.keys(item).sort(), ['actor', 'data', 'id', 'occurred_at', 'summary', 'type']);
      for (const bad of ['type=nonsense', 'type=booked,nonsense', 'type=']) {
        const reply = await get(`/api/customer/${long}/activity?${bad}`);
        assert.equal(reply.status, 400, bad);
        assert.ok(fields(reply.body).every((f: string) => f.startsWith('type')), reply.text);
      }
    });

    test("activity filters by pass: the rows naming it and its bookings' cancellations, with the type filter too", async () => {
      // A seeded customer whose pass had a booking cancelled, and who holds other passes with activity.
      const [{ customer_id: customer, pass_id: pass }] = await db.sql`
        select b.customer_id, b.pass_id from bookings b
        where b.tenant_id = ${DEMO_TENANT} and b.status like 'cancelled%' and b.pass_id is not null
          and (select count(*) from passes p where p.tenant_id = b.tenant_id and p.customer_id = b.customer_id) > 1
        order by b.id limit 1`;
      const expected = ids(await db.sql`
        select a.id from activity a
        where a.tenant_id = ${DEMO_TENANT} and a.customer_id = ${customer} and (a.data->>'pass_id' = ${pass}
          or a.type = 'cancelled' and a.data->>'booking_id' in (select id from bookings where tenant_id = ${DEMO_TENANT} and pass_id = ${pass}))
        order by a.occurred_at desc, a.seq desc`);
      const { items } = await walk(`/api/customer/${customer}/activity?pass_id=${pass}`, 4);
      assert.deepEqual(ids(items), expected);
      const types = new Set(items.map((a: { type: string }) => a.type));
      for (const type of ['purchased', 'booked', 'cancelled']) assert.ok(types.has(type), `${type} is the pass's`);
      const all = (await walk(`/api/customer/${customer}/activity`, 100)).items;
      assert.ok(all.some((a: any) => a.data.pass_id && a.data.pass_id !== pass), 'the customer has other passes’ activity, left out');
      const cancelled = await walk(`/api/customer/${customer}/activity?pass_id=${pass}&type=cancelled,purchased`, 100);
      assert.deepEqual(ids(cancelled.items), ids(items.filter((a: { type: string }) => a.type === 'cancelled' || a.type === 'purchased')));
      // Another customer's pass, or one that does not exist, has none of this customer's activity.
      assert.deepEqual((await get(`/api/customer/${long}/activity?pass_id=${pass}`)).body.data, []);
      for (const bad of ['pass_id=', `pass_id=${'p'.repeat(101)}`]) {
        const reply = await get(`/api/customer/${customer}/activity?${bad}`);
        assert.equal(reply.status, 400, bad);
        assert.deepEqual(fields(reply.body), ['pass_id'], reply.text);
      }
    });

    test('POST notes adds a note by the actor, with its activity; replays with an Idempotency-Key', async () => {
      const customer = await newCustomer('Nora');
      const reply = await send('POST', `/api/customer/${customer}/notes`, { body: '  Knee injury: offer modifications.  ' },
        { headers: { 'Idempotency-Key': `note-${customer}` } });
      assert.equal(reply.status, 201, reply.text);
      const note = reply.body.data;
      assert.deepEqual(Object.keys(note).sort(), ['author', 'body', 'created_at', 'id']);
      assert.equal(note.body, 'Knee injury: offer modifications.');
      assert.match(note.id, /^note_/);
      assert.equal(note.author.name, `records ${scopes.length}`);
      const again = await send('POST', `/api/customer/${customer}/notes`, { body: '  Knee injury: offer modifications.  ' },
        { headers: { 'Idempotency-Key': `note-${customer}` } });
      assert.equal(again.status, 201);
      assert.equal(again.text, reply.text);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      const listed = (await get(`/api/customer/${customer}/notes`)).body;
      assert.deepEqual(listed, { data: [note], next_cursor: null });
      const [activity] = (await get(`/api/customer/${customer}/activity?type=note_added`)).body.data;
      assert.deepEqual(activity.data, { note_id: note.id });
      assert.equal(activity.actor.name, `records ${scopes.length}`);

      assert.deepEqual(fields((await send('POST', `/api/customer/${customer}/notes`, { body: '   ' })).body), ['body']);
      assert.deepEqual(fields((await send('POST', `/api/customer/${customer}/notes`, { body: 'x'.repeat(5001) })).body), ['body']);
      assert.deepEqual(fields((await send('POST', `/api/customer/${customer}/notes`, { body: 'ok', author_id: 'staff_x' })).body), ['author_id']);
      const readOnly = await key(['notes:read']);
      const refused = await send('POST', `/api/customer/${customer}/notes`, { body: 'Not allowed' }, { token: readOnly });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.details.scope, 'notes:write');
    });

    test('PATCH archives and unarchives with a reason: audit, activity, ETag, If-Match', async () => {
      const customer = await newCustomer('Ada');
      const path = `/api/customer/${customer}`;
      for (const body of [{ archived: true }, { archived: true, reason: 'no' }, { reason: 'Moved away to Leeds' }, undefined]) {
        const reply = await send('PATCH', path, body);
        assert.equal(reply.status, 400, JSON.stringify(body));
        assert.equal(reply.body.error.code, 'invalid_request');
      }
      assert.deepEqual(fields((await send('PATCH', path, { archived: true, reason: 'Moved away', email: 'x@y.z' })).body), ['email']);

      const stale = await send('PATCH', path, { archived: true, reason: 'Moved away to Leeds' }, { headers: { 'If-Match': '"7"' } });
      assert.equal(stale.status, 412);
      assert.equal(stale.body.error.details.current_etag, '"1"');
      const archived = await send('PATCH', path, { archived: true, reason: 'Moved away to Leeds' }, { headers: { 'If-Match': '"1"' } });
      assert.equal(archived.status, 200, archived.text);
      assert.equal(archived.headers.get('etag'), '"2"');
      assert.deepEqual(Object.keys(archived.body.data).sort(), ['archived', 'email', 'firstname', 'id', 'lastname', 'mobile', 'type']);
      assert.equal(archived.body.data.archived, true);
      const listed = (await get('/api/customers?archived=true&q=ada&limit=100')).body.data;
      assert.ok(listed.some((c: { id: string }) => c.id === customer));
      assert.equal((await get(`${path}/detail`)).body.data.profile.archived, true);

      // Asking for the state it is in changes nothing and records nothing.
      const same = await send('PATCH', path, { archived: true, reason: 'Moved away to Leeds' });
      assert.equal(same.status, 200);
      assert.equal(same.headers.get('etag'), '"2"');
      const unarchived = await send('PATCH', path, { archived: false, reason: 'Came back for the summer' });
      assert.equal(unarchived.body.data.archived, false);

      const activity = (await get(`${path}/activity?type=archived,unarchived`)).body.data;
      assert.deepEqual(activity.map((a: any) => [a.type, a.data.reason]), [
        ['unarchived', 'Came back for the summer'], ['archived', 'Moved away to Leeds'],
      ]);
      const audit = await db.sql`
        select action, reason, before, after from audit_log where tenant_id = ${DEMO_TENANT} and customer_id = ${customer}
        order by at, action`;
      assert.deepEqual(audit.map((a) => [a.action, a.reason, a.before, a.after]), [
        ['customer.archive', 'Moved away to Leeds', { archived: false }, { archived: true }],
        ['customer.unarchive', 'Came back for the summer', { archived: true }, { archived: false }],
      ]);
    });

    test('DELETE soft-deletes with a reason (400 without), refuses while classes or a membership remain, replays', async () => {
      const customer = await newCustomer('Dora');
      const path = `/api/customer/${customer}`;
      const noBody = await call(app, 'DELETE', path, { token: full });
      assert.equal(noBody.status, 400);
      assert.deepEqual(fields((await send('DELETE', path, {})).body), ['reason']);
      assert.deepEqual(fields((await send('DELETE', path, { reason: 'bye' })).body), ['reason']);

      const blocked = await send('DELETE', `/api/customer/${long}`, { reason: 'Asked to be forgotten' });
      assert.equal(blocked.status, 422);
      assert.deepEqual(blocked.body.error.details.rules.map((r: { rule: string }) => r.rule), ['no_upcoming_bookings', 'no_renewing_membership']);

      const headers = { 'Idempotency-Key': `delete-${customer}` };
      const deleted = await send('DELETE', path, { reason: 'Asked to be forgotten (GDPR)' }, { headers });
      assert.equal(deleted.status, 200, deleted.text);
      assert.deepEqual(Object.keys(deleted.body.data).sort(), ['deleted', 'deleted_at', 'id', 'type']);
      assert.equal(deleted.body.data.deleted, true);
      const replay = await send('DELETE', path, { reason: 'Asked to be forgotten (GDPR)' }, { headers });
      assert.equal(replay.status, 200);
      assert.equal(replay.text, deleted.text);

      for (const sub of ['detail', 'profile', 'notes', 'activity']) assert.equal((await get(`${path}/${sub}`)).status, 404, sub);
      assert.equal((await send('DELETE', path, { reason: 'Asked to be forgotten (GDPR)' })).status, 404);
      assert.equal((await send('PATCH', path, { archived: true, reason: 'Too late for that' })).status, 404);
      const [row] = await db.sql`select deleted_at, version from customers where tenant_id = ${DEMO_TENANT} and id = ${customer}`;
      assert.equal(row!.deleted_at.toISOString(), deleted.body.data.deleted_at);
      const [audit] = await db.sql`
        select action, reason, before from audit_log where tenant_id = ${DEMO_TENANT} and customer_id = ${customer}`;
      assert.equal(audit!.action, 'customer.delete');
      assert.equal(audit!.reason, 'Asked to be forgotten (GDPR)');
      assert.equal(audit!.before.firstname, 'Dora');
      const [activity] = await db.sql`select type, summary from activity where tenant_id = ${DEMO_TENANT} and customer_id = ${customer} and type = 'deleted'`;
      assert.equal(activity!.summary, 'Customer deleted: Asked to be forgotten (GDPR)');
      // The email is free again for a new profile.
      const [{ email }] = await db.sql`select email from customers where tenant_id = ${DEMO_TENANT} and id = ${customer}`;
      assert.equal((await send('POST', '/api/customers', { firstname: 'Dora', lastname: 'Again', email })).status, 201);
    });

    test('DELETE and PATCH honour If-Match: malformed is 400, stale is 412 with the current ETag and deletes nothing, * matches', async () => {
      const customer = await newCustomer('Ines');
      const path = `/api/customer/${customer}`;
      const body = { reason: 'Asked to be forgotten (GDPR)' };
      const deletedAt = async () => (await db.sql`select deleted_at from customers where tenant_id = ${DEMO_TENANT} and id = ${customer}`)[0]!.deleted_at;
      // An unquoted version is a client's mistake that no reload cures: 400, not 412.
      for (const [method, sent] of [['PATCH', { archived: true, reason: 'Moved away to Leeds' }], ['DELETE', body]] as const) {
        const malformed = await send(method, path, sent, { headers: { 'If-Match': '1' } });
        assert.equal(malformed.status, 400, `${method} ${malformed.text}`);
        assert.deepEqual(fields(malformed.body), ['If-Match']);
      }
      // Someone edited the profile after this client read it: deleting what they did not see is refused.
      const edited = await send('PUT', `${path}/profile`, { firstname: 'Ines', lastname: 'Edited', email: `${customer}@example.test` });
      assert.equal(edited.status, 200, edited.text);
      const stale = await send('DELETE', path, body, { headers: { 'If-Match': '"1"' } });
      assert.equal(stale.status, 412, stale.text);
      assert.equal(stale.body.error.details.current_etag, '"2"');
      assert.equal(await deletedAt(), null);
      const any = await send('DELETE', path, body, { headers: { 'If-Match': '*' } });
      assert.equal(any.status, 200, any.text);
      assert.notEqual(await deletedAt(), null);
    });

    test('every endpoint: 401 without a credential, 403 without its scope, 404 for another tenant', async () => {
      const customer = await newCustomer('Iris');
      const endpoints: [string, string, Scope, unknown?][] = [
        ['GET', 'detail', 'profile:read'],
        ['GET', 'subscriptions', 'passes:read'],
        ['GET', 'videos', 'passes:read'],
        ['GET', 'appointments', 'bookings:read'],
        ['GET', 'notes', 'notes:read'],
        ['POST', 'notes', 'notes:write', { body: 'A note' }],
        ['GET', 'emails', 'emails:read'],
        ['GET', 'activity', 'activity:read'],
        ['PATCH', '', 'customers:write', { archived: true, reason: 'Testing the scopes' }],
        ['DELETE', '', 'customers:write', { reason: 'Testing the scopes' }],
      ];
      for (const [method, sub, scope, body] of endpoints) {
        const path = (id: string) => `/api/customer/${id}${sub ? `/${sub}` : ''}`;
        const label = `${method} …/${sub}`;
        assert.equal((await send(method, path(customer), body, { token: null })).status, 401, label);
        const lacking = await send(method, path(customer), body, { token: await key(without(scope)) });
        assert.equal(lacking.status, 403, label);
        assert.equal(lacking.body.error.details.scope, scope, label);
        const foreign = await send(method, path(customer), body, { token: other });
        assert.equal(foreign.status, 404, label);
        assert.deepEqual(foreign.body, { error: { code: 'not_found', message: 'No such customer.' } }, label);
        assert.equal((await send(method, path(otherCustomer), body)).status, 404, label);
      }
      // Nothing was changed by any refused request.
      const [row] = await db.sql`select archived, deleted_at, version from customers where tenant_id = ${DEMO_TENANT} and id = ${customer}`;
      assert.deepEqual(row, { archived: false, deleted_at: null, version: 1 });
      const [otherRow] = await db.sql`select archived, deleted_at from customers where tenant_id = ${OTHER_TENANT} and id = ${otherCustomer}`;
      assert.deepEqual(otherRow, { archived: false, deleted_at: null });
    });
  });
}
