import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../../server/app.ts';
import { createApiKey } from '../../server/auth/api-keys.ts';
import { scopes } from '../../server/auth/scopes.ts';
import type { Database } from '../../server/db/connect.ts';
import { listBookings, type BookingOrder } from '../../server/data/bookings.ts';
import { DEMO_TENANT, seed } from '../../server/seed/index.ts';
import { verify } from '../../server/verify.ts';
import { call } from '../support/api.ts';
import { databaseTargets } from '../support/databases.ts';
import { addLongHistory } from '../support/detail-fixtures.ts';

const cursorOf = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');
const keyOf = (cursor: string) => JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];

for (const target of await databaseTargets()) {
  describe(`GET /api/customer/{id}/bookings?order= on ${target.label}`, () => {
    let db: Database;
    let app: ReturnType<typeof createApp>;
    let token: string;
    let customer: string;
    /** Every booking of the customer, soonest class first, then by id (as the database sorts). */
    let soonestFirst: string[];
    /** The customer's booked classes still to come, soonest first. */
    let upcoming: string[];

    const get = (path: string) => call(app, 'GET', path, { token });
    const list = (query: string) => get(`/api/customer/${customer}/bookings?${query}`);
    const fields = (body: any) => body.error.details.fields.map((f: { path: string }) => f.path);

    /** Walks a list to its end, `limit` at a time, repeating `query` on every page. */
    async function walk(query: string, limit: number) {
      const ids: string[] = [];
      const starts: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const reply = await list(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(reply.status, 200, reply.text);
        assert.ok(reply.body.data.length <= limit);
        if (reply.body.next_cursor) assert.equal(reply.body.data.length, limit, 'only the last page is short');
        for (const booking of reply.body.data) {
          assert.equal(booking.sort, undefined, 'the sort key stays on the server');
          ids.push(booking.id);
          starts.push(booking.class.starts_at);
        }
        cursor = reply.body.next_cursor;
        pages++;
        assert.ok(pages <= 1000, 'the cursor moves on');
      } while (cursor);
      return { ids, starts, pages };
    }

    before(async () => {
      db = await target.open();
      await seed(db.sql, { customers: 8, seed: 3 });
      // Walking every page one booking at a time takes more requests than a minute's rate limit allows.
      app = createApp({ sql: db.sql, log: () => {}, rateLimitPerMinute: 100_000 });
      token = (await createApiKey(db.sql, { tenantId: DEMO_TENANT, name: 'bookings order', scopes })).secret;
      // 150 classes an hour apart at now()'s microseconds, the last five still to come and booked.
      customer = await addLongHistory(db.sql, { tenantId: DEMO_TENANT, bookings: 150 });
      // Ties the id must break: three more classes starting with one of the history's (past) and with
      // its first upcoming class, and a cancelled booking of that upcoming class beside the live one.
      const t = DEMO_TENANT;
      await db.sql`
        insert into classes (tenant_id, id, name, class_type, kind, starts_at, duration_minutes, capacity)
        select ${t}, c.id || 'tie' || k, 'Tied Flow', 'yoga', 'class', c.starts_at, 55, 20
        from bookings b join classes c on c.tenant_id = b.tenant_id and c.id = b.class_id
        cross join generate_series(1, 3) k
        where b.tenant_id = ${t} and b.customer_id = ${customer} and b.id in (${`bk_lh${customer.slice(5, 15)}100`}, ${`bk_lh${customer.slice(5, 15)}146`})`;
      await db.sql`
        insert into bookings (tenant_id, id, customer_id, class_id, status, credits_used, booked_at, cancelled_at)
        select ${t}, 'bk_tie' || substr(c.id, 4), ${customer}, c.id,
          case when c.starts_at > now() then 'booked' else 'attended' end, 0, now() - interval '3 days', null
        from classes c where c.tenant_id = ${t} and c.id like ${`cls_lh${customer.slice(5, 15)}%tie%`}`;
      await db.sql`
        insert into bookings (tenant_id, id, customer_id, class_id, status, credits_used, booked_at, cancelled_at)
        values (${t}, 'bk_0cancelledtie', ${customer}, ${`cls_lh${customer.slice(5, 15)}146`}, 'cancelled_free', 0,
          now() - interval '4 days', now() - interval '3 days')`;
      const rows = await db.sql<{ id: string; upcoming: boolean }[]>`
        select b.id, b.status = 'booked' and c.starts_at >= now() as upcoming
        from bookings b join classes c on c.tenant_id = b.tenant_id and c.id = b.class_id
        where b.tenant_id = ${t} and b.customer_id = ${customer}
        order by c.starts_at, b.id`;
      soonestFirst = rows.map((r) => r.id);
      upcoming = rows.filter((r) => r.upcoming).map((r) => r.id);
    });
    after(async () => {
      assert.deepEqual((await verify(db.sql)).problems, [], 'verify is clean after the suite');
      await db.close();
    });

    test('order=asc lists the upcoming bookings soonest first; the default stays newest first', async () => {
      assert.equal(upcoming.length, 5 + 3, 'the five upcoming classes and three tied with the first of them');
      const from = encodeURIComponent(new Date().toISOString());
      const asc = await list(`status=booked&from=${from}&order=asc`);
      assert.equal(asc.status, 200, asc.text);
      assert.deepEqual(asc.body.data.map((b: { id: string }) => b.id), upcoming);
      const starts = asc.body.data.map((b: { class: { starts_at: string } }) => b.class.starts_at);
      assert.deepEqual(starts, [...starts].sort(), 'soonest class first');
      assert.ok(Date.parse(starts[0]) > Date.now() - 60_000);
      assert.equal(asc.body.next_cursor, null);

      // Without `order` (and with order=desc) the list is what it always was: newest first.
      const newestFirst = [...soonestFirst].reverse();
      for (const query of ['limit=100', 'limit=100&order=desc']) {
        const reply = await list(query);
        assert.equal(reply.status, 200, reply.text);
        assert.deepEqual(reply.body.data.map((b: { id: string }) => b.id), newestFirst.slice(0, 100), query);
      }
      assert.deepEqual((await list(`status=booked&from=${from}`)).body.data.map((b: { id: string }) => b.id), [...upcoming].reverse());
    });

    test('paging through every page yields each booking exactly once, in order, both ways', async () => {
      assert.equal(soonestFirst.length, 150 + 6 + 1);
      for (const limit of [1, 7, 25, 100]) {
        const asc = await walk('order=asc', limit);
        const desc = await walk('order=desc', limit);
        assert.deepEqual(asc.ids, soonestFirst, `asc by ${limit}`);
        assert.deepEqual(desc.ids, [...soonestFirst].reverse(), `desc by ${limit}`);
        assert.equal(new Set(asc.ids).size, asc.ids.length);
        assert.equal(asc.pages, Math.ceil(soonestFirst.length / limit));
        assert.deepEqual(asc.starts, [...asc.starts].sort());
        assert.deepEqual(desc.starts, [...desc.starts].sort().reverse());
      }
      // Within a filter too, and a page boundary falls inside the tie.
      const from = encodeURIComponent(new Date().toISOString());
      assert.deepEqual((await walk(`status=booked&from=${from}&order=asc`, 2)).ids, upcoming);
      assert.deepEqual((await walk(`status=booked&from=${from}&order=desc`, 3)).ids, [...upcoming].reverse());
      // The default order pages like order=desc, with the same cursors.
      const first = await list('limit=10');
      const explicit = await list('limit=10&order=desc');
      assert.equal(first.body.next_cursor, explicit.body.next_cursor);
      assert.deepEqual((await list(`limit=10&cursor=${first.body.next_cursor}`)).body.data.map((b: { id: string }) => b.id),
        [...soonestFirst].reverse().slice(10, 20));
    });

    test('a bad order is a 400 naming the field', async () => {
      for (const bad of ['order=up', 'order=ASC', 'order=', 'order=asc&order=desc', 'order=newest']) {
        const reply = await list(bad);
        assert.equal(reply.status, 400, bad);
        assert.equal(reply.body.error.code, 'invalid_request', bad);
        assert.deepEqual(fields(reply.body), ['order'], bad);
      }
      assert.match((await list('order=up')).body.error.details.fields[0].message, /asc.*desc/);
    });

    test('a cursor carries its order: with the other order it is refused, never read backwards', async () => {
      const asc = await list('order=asc&limit=5');
      const desc = await list('order=desc&limit=5');
      assert.equal(keyOf(asc.body.next_cursor).at(-1), 'asc');
      assert.equal(keyOf(desc.body.next_cursor).at(-1), 'desc');
      // Each cursor continues its own list …
      assert.deepEqual((await list(`order=asc&limit=5&cursor=${asc.body.next_cursor}`)).body.data.map((b: { id: string }) => b.id),
        soonestFirst.slice(5, 10));
      // … and is refused with the other order, named or by default.
      for (const [query, order] of [
        [`order=desc&cursor=${asc.body.next_cursor}`, 'asc'],
        [`cursor=${asc.body.next_cursor}`, 'asc'],
        [`order=asc&cursor=${desc.body.next_cursor}`, 'desc'],
      ] as const) {
        const reply = await list(query);
        assert.equal(reply.status, 400, query);
        assert.equal(reply.body.error.code, 'invalid_request');
        assert.deepEqual(fields(reply.body), ['cursor'], query);
        assert.match(reply.body.error.details.fields[0].message, new RegExp(`in ${order} order: send order=${order}`));
      }
      // A cursor given out before `order` existed ([start to the millisecond, id]) still pages newest first.
      const third = [...soonestFirst].reverse()[2]!;
      const [row] = await db.sql`
        select to_char(c.starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as start
        from bookings b join classes c on c.tenant_id = b.tenant_id and c.id = b.class_id where b.tenant_id = ${DEMO_TENANT} and b.id = ${third}`;
      const legacy = cursorOf([row!.start, third]);
      const older = await list(`limit=3&cursor=${legacy}`);
      assert.equal(older.status, 200, older.text);
      assert.deepEqual(older.body.data.map((b: { id: string }) => b.id), [...soonestFirst].reverse().slice(3, 6));
      assert.equal((await list(`order=asc&cursor=${legacy}`)).status, 400);
      // Cursors the API never gave out are a 400, never a failed cast.
      const start = keyOf(asc.body.next_cursor)[0] as string;
      for (const forged of [
        cursorOf([start, soonestFirst[0], 'sideways']),
        cursorOf([start, soonestFirst[0], 'asc', 'more']),
        cursorOf([start, 42, 'asc']),
        cursorOf(['2026-02-30T10:00:00.000000Z', soonestFirst[0], 'asc']),
        cursorOf(['2026-01-01T24:00:00.000000Z', soonestFirst[0], 'asc']),
        cursorOf(['0000-01-01T00:00:00.000000Z', soonestFirst[0], 'asc']),
        cursorOf(['2026-01-01', soonestFirst[0], 'asc']),
        cursorOf([start]),
        'nonsense',
      ]) {
        const reply = await list(`order=asc&cursor=${forged}`);
        assert.equal(reply.status, 400, reply.text);
        assert.deepEqual(fields(reply.body), ['cursor']);
      }
    });

    test('the OpenAPI document describes order and the cursor that carries it', async () => {
      const doc = (await call(app, 'GET', '/api/openapi.json')).body;
      const parameters = doc.paths['/customer/{id}/bookings'].get.parameters as { name: string; in: string; required: boolean; schema: any }[];
      const order = parameters.find((p) => p.name === 'order')!;
      assert.equal(order.in, 'query');
      assert.ok(!order.required);
      assert.deepEqual(order.schema.enum, ['asc', 'desc']);
      assert.equal(order.schema.default, 'desc');
      assert.match(order.schema.description, /soonest first/);
      const cursor = parameters.find((p) => p.name === 'cursor')!;
      assert.match(cursor.schema.description, /other order it is refused/);
    });

    test("a page reads the customer's bookings in the list's order from their index, so the LIMIT bounds the work", async () => {
      // What the plan may not need, whatever the statistics say: a sort of every booking of the customer
      // joined to its class. With sorting priced out, a Sort node remains only if no index gives the order.
      type PlanNode = { 'Node Type': string; 'Index Name'?: string; 'Index Cond'?: string; Plans?: PlanNode[] };
      const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];
      const [start, id] = (await db.sql<{ key: [string, string] }[]>`
        select array[to_char(c.starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), b.id] as key
        from bookings b join classes c on c.tenant_id = b.tenant_id and c.id = b.class_id
        where b.tenant_id = ${DEMO_TENANT} and b.id = ${soonestFirst[70]!}`)[0]!.key;
      for (const order of ['asc', 'desc'] as BookingOrder[]) {
        for (const args of [{}, { after: [start, id] as const }, { statuses: ['booked' as const], from: new Date().toISOString() }, { from: '2026-03-10', to: '2026-03-10' }]) {
          const label = `${order} ${JSON.stringify(args)}`;
          const plan = await db.sql.begin(async (tx) => {
            await tx`set local enable_sort = off`;
            const [row] = await tx`explain (format json) ${listBookings(tx, { tenantId: DEMO_TENANT, customerId: customer, timezone: 'Europe/London', limit: 10, order, ...args })}`;
            const json = row!['QUERY PLAN'];
            return (typeof json === 'string' ? JSON.parse(json) : json)[0].Plan as PlanNode;
          });
          const all = nodes(plan);
          assert.deepEqual(all.filter((n) => n['Node Type'].includes('Sort')).map((n) => n['Node Type']), [], label);
          const scan = all.find((n) => n['Index Name'] === 'bookings_by_customer');
          assert.ok(scan, `${label}: ${all.map((n) => n['Node Type']).join(', ')}`);
          if ('after' in args) assert.match(scan['Index Cond'] ?? '', /class_starts_at/, `${label}: the cursor is where the scan starts`);
        }
      }
    });

    test("a booking carries its class's start: set as it is written, following the class when it moves", async () => {
      const t = DEMO_TENANT;
      const differing = async () => (await db.sql`
        select count(*)::int as n from bookings b join classes c on c.tenant_id = b.tenant_id and c.id = b.class_id
        where b.class_starts_at is distinct from c.starts_at`)[0]!.n as number;
      assert.equal(await differing(), 0, 'the seed and the fixtures wrote no start of their own, yet every booking has it');
      // The soonest booking's class moves past every other class: it is listed last, then back first.
      const [moved] = await db.sql<{ class_id: string }[]>`select class_id from bookings where tenant_id = ${t} and id = ${soonestFirst[0]!}`;
      await db.sql`update classes set starts_at = starts_at + interval '10 years' where tenant_id = ${t} and id = ${moved!.class_id}`;
      assert.equal(await differing(), 0);
      assert.deepEqual((await walk('order=asc', 100)).ids, [...soonestFirst.slice(1), soonestFirst[0]]);
      await db.sql`update classes set starts_at = starts_at - interval '10 years' where tenant_id = ${t} and id = ${moved!.class_id}`;
      assert.deepEqual((await walk('order=asc', 100)).ids, soonestFirst);
      // A start sent by the writer is not taken; a booking of a class that does not exist is refused as before.
      await db.sql`
        insert into bookings (tenant_id, id, customer_id, class_id, status, credits_used, booked_at, cancelled_at, class_starts_at)
        values (${t}, 'bk_ownstart', ${customer}, ${moved!.class_id}, 'cancelled_free', 0, now(), now(), now())`;
      assert.equal(await differing(), 0);
      await db.sql`delete from bookings where tenant_id = ${t} and id = 'bk_ownstart'`;
      await assert.rejects(db.sql`
        insert into bookings (tenant_id, id, customer_id, class_id, status, credits_used, booked_at, class_starts_at)
        values (${t}, 'bk_noclass', ${customer}, 'cls_nosuchclass', 'attended', 0, now(), now())`,
      (error: { code?: string }) => error.code === '23503');
    });
  });
}
