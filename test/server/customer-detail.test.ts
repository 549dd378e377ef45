import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Sql } from 'postgres';
import { createApp } from '../../server/app.ts';
import { createApiKey } from '../../server/auth/api-keys.ts';
import { roleCapabilities } from '../../server/auth/roles.ts';
import { scopes, type Scope } from '../../server/auth/scopes.ts';
import type { Database } from '../../server/db/connect.ts';
import { newId } from '../../server/ids.ts';
import { DEMO_STAFF_ID, DEMO_TENANT, OTHER_TENANT, seed } from '../../server/seed/index.ts';
import { verify } from '../../server/verify.ts';
import { call, OWN_ORIGIN } from '../support/api.ts';
import { databaseTargets } from '../support/databases.ts';
import { addLongHistory } from '../support/detail-fixtures.ts';
import { countingClient, type CountingClient, type Trip } from '../support/round-trips.ts';

/** A round trip that ran the aggregate statement (data/customer-detail.ts). */
const isAggregate = (trip: Trip) => trip.sql.some((text) => text.includes('possible_duplicates'));
/** The studio's settings (http/tenant-transaction.ts), which travel with the route's first statement. */
const isSettings = (text: string) => text.includes("set_config('app.tenant'");
const without = (...dropped: Scope[]) => scopes.filter((s) => !dropped.includes(s));

for (const target of await databaseTargets()) {
  describe(`customer detail aggregate on ${target.label}`, () => {
    let db: Database;
    let wire: CountingClient;
    let sql: Sql;
    let app: ReturnType<typeof createApp>;
    let full: string;
    let fullKeyId: string;
    let noExtras: string;
    let other: string;
    let rich: string;
    let long: string;
    let otherCustomer: string;

    const key = async (granted: readonly Scope[], tenantId = DEMO_TENANT) =>
      (await createApiKey(sql, { tenantId, name: `detail ${granted.length}`, scopes: granted })).secret;
    const get = (path: string, token: string | null = full) => call(app, 'GET', path, { token });
    const detail = async (id: string, token = full) => {
      const reply = await get(`/api/customer/${id}/detail`, token);
      assert.equal(reply.status, 200, reply.text);
      return reply.body.data;
    };

    before(async () => {
      db = await target.open();
      // Every byte to the database goes through the round-trip counter (PGlite serves one connection,
      // so the suite's own client gives its place to the counting one).
      await db.sql.end();
      wire = await countingClient(db.sql);
      sql = wire.sql;
      await seed(sql, { customers: 80, seed: 11 });
      app = createApp({ sql, log: () => {} });
      ({ secret: full, id: fullKeyId } = await createApiKey(sql, { tenantId: DEMO_TENANT, name: 'detail all', scopes }));
      noExtras = await key(without('roles:read', 'attribution:read'));
      other = await key(scopes, OTHER_TENANT);
      [{ id: otherCustomer }] = await sql`select id from customers where tenant_id = ${OTHER_TENANT} and deleted_at is null limit 1`;
      // The seeded full profile with the most history, made to carry every section.
      [{ id: rich }] = await sql`
        select c.id from customers c join activity a on a.tenant_id = c.tenant_id and a.customer_id = c.id
        where c.tenant_id = ${DEMO_TENANT} and c.deleted_at is null and not c.is_guest
        group by c.id order by count(*) desc, c.id limit 1`;
      const [{ id: coupon }] = await sql`select id from coupons where tenant_id = ${DEMO_TENANT} order by id limit 1`;
      await sql`
        insert into customer_coupons (tenant_id, id, customer_id, coupon_id, status, added_by, reason, added_at, expires_at, uses_left)
        values (${DEMO_TENANT}, ${newId('ccpn')}, ${rich}, ${coupon}, 'active', ${DEMO_STAFF_ID}, 'Courtesy for a cancelled class',
          now() - interval '2 days', now() + interval '30 days', 1)`;
      await sql`
        update customers set role_links = ${sql.json([{ business: 'Lotus & Iron', role: 'front_desk' }])},
          attribution = ${sql.json({ source: 'instagram', campaign: 'spring', referrer: null, first_touch: '2025-03-01T10:00:00.000Z' })}
        where tenant_id = ${DEMO_TENANT} and id = ${rich}`;
      const note = await call(app, 'POST', `/api/customer/${rich}/notes`, { token: full, body: { body: 'Prefers the front row.' } });
      assert.equal(note.status, 201, note.text);
      long = await addLongHistory(sql, { tenantId: DEMO_TENANT, bookings: 3000 });
    });
    after(async () => {
      assert.deepEqual((await verify(sql)).problems, [], 'verify is clean after the suite');
      await wire.close();
      await db.close();
    });

    test('the profile, field by field, against the customers row', async () => {
      const data = await detail(rich);
      const [row] = await sql`select * from customers where tenant_id = ${DEMO_TENANT} and id = ${rich}`;
      assert.deepEqual(data.profile, {
        id: row!.id, type: 'customer', firstname: row!.firstname, lastname: row!.lastname, email: row!.email,
        mobile: row!.mobile, customer_since: row!.created_at.toISOString(), updated_at: row!.updated_at.toISOString(),
        archived: row!.archived, guest: row!.is_guest, linked_profile: null, linked_guests: [], possible_duplicates: [],
        etag: `"${row!.version}"`,
      });
      const profile = await get(`/api/customer/${rich}/profile`);
      assert.equal(profile.headers.get('etag'), data.profile.etag, 'the etag is the one PUT profile checks');
      assert.deepEqual(data.roles, row!.role_links);
      assert.deepEqual(data.attribution, row!.attribution);
      const [tenant] = await sql`select id, name, currency, timezone, locale from tenants where id = ${DEMO_TENANT}`;
      assert.deepEqual(data.tenant, { ...tenant, currency: tenant!.currency.trim() });
      assert.deepEqual(data.capabilities, [...scopes].sort());
      assert.deepEqual(data.actions, {
        edit_profile: true, add_coupon: true, manage_coupons: true, archive: !row!.archived, unarchive: row!.archived,
        delete: true, add_note: true, adjust_credits: true, record_waiver: true, book: true,
      });
    });

    test('only a pass, bundle or membership without credits is unlimited; a gift card or retail item is not', async () => {
      const owners = await sql<{ customer_id: string }[]>`
        select distinct on (pr.kind, pr.credits is null) p.customer_id from passes p
        join products pr on pr.tenant_id = p.tenant_id and pr.id = p.product_id
        join customers c on c.tenant_id = p.tenant_id and c.id = p.customer_id and c.deleted_at is null
        where p.tenant_id = ${DEMO_TENANT} order by pr.kind, pr.credits is null, p.id`;
      const seen = new Set<string>();
      for (const { customer_id } of owners) {
        const reply = await get(`/api/customer/${customer_id}/passes?status=all&limit=100`);
        assert.equal(reply.status, 200, reply.text);
        const { products } = await detail(customer_id);
        for (const x of [...reply.body.data, ...products.data]) {
          const credits = ['pass', 'bundle', 'membership'].includes(x.product.kind);
          assert.equal(x.unlimited, credits && x.credits_left === null, `${x.product.kind} ${x.id}`);
          seen.add(`${x.product.kind}:${x.unlimited}`);
        }
      }
      for (const kind of ['gift_card:false', 'retail:false', 'membership:true', 'pass:false']) assert.ok(seen.has(kind), `no ${kind} seen`);
    });

    test('lifetime value counts each cycle a membership was charged for', async () => {
      const [member] = await sql<{ customer_id: string; amount: number; cycles: number }[]>`
        select customer_id, amount, current_cycle as cycles from passes
        where tenant_id = ${DEMO_TENANT} and payment_status = 'paid' and current_cycle >= 6
        order by current_cycle desc, id limit 1`;
      assert.ok(member, 'the seed has a membership in its sixth cycle or later');
      const { stats } = await detail(member.customer_id);
      assert.ok(stats.lifetime_value.paid >= member.amount * member.cycles,
        `paid ${stats.lifetime_value.paid} < ${member.cycles} cycles × ${member.amount}`);
    });

    test('stats: lifetime value and class stats, against direct SQL', async () => {
      for (const id of [rich, long]) {
        const { stats } = await detail(id);
        const [money] = await sql`
          select coalesce(sum(amount * coalesce(current_cycle, 1)) filter (where payment_status in ('paid', 'refunded')), 0)::int as paid,
            coalesce(sum(amount) filter (where payment_status = 'refunded'), 0)::int as refunded,
            count(*) filter (where payment_status in ('paid', 'refunded'))::int as purchases
          from passes where tenant_id = ${DEMO_TENANT} and customer_id = ${id}`;
        assert.deepEqual(stats.lifetime_value, {
          amount: money!.paid - money!.refunded, currency: 'GBP', paid: money!.paid, refunded: money!.refunded, purchases: money!.purchases,
        });
        const [counts] = await sql`
          select count(*)::int as total,
            count(*) filter (where b.status = 'booked' and c.starts_at > now())::int as upcoming,
            count(*) filter (where b.status = 'attended')::int as attended,
            count(*) filter (where b.status = 'no_show')::int as no_shows,
            count(*) filter (where b.status = 'cancelled_late')::int as late_cancellations,
            count(*) filter (where b.status = 'cancelled_free')::int as free_cancellations
          from bookings b join classes c on c.tenant_id = b.tenant_id and c.id = b.class_id
          where b.tenant_id = ${DEMO_TENANT} and b.customer_id = ${id}`;
        const visit = async (where: string, order: string) => {
          const [v] = await sql`
            select b.id as booking_id, c.id as class_id, c.name, c.kind, c.starts_at, c.facilitator, c.location
            from bookings b join classes c on c.tenant_id = b.tenant_id and c.id = b.class_id
            where b.tenant_id = ${DEMO_TENANT} and b.customer_id = ${id} and ${sql.unsafe(where)}
            order by ${sql.unsafe(order)} limit 1`;
          return v ? { ...v, starts_at: v.starts_at.toISOString() } : null;
        };
        const committed = counts!.attended + counts!.no_shows + counts!.late_cancellations;
        assert.deepEqual(stats.bookings, {
          ...counts,
          attendance_rate: committed ? Math.round((counts!.attended / committed) * 10_000) / 10_000 : null,
          last_visit: await visit(`b.status = 'attended'`, 'c.starts_at desc, b.id desc'),
          next_booking: await visit(`b.status = 'booked' and c.starts_at > now()`, 'c.starts_at, b.id'),
        });
        assert.ok(stats.bookings.total > 0);
      }
      const { stats } = await detail(long);
      assert.equal(stats.bookings.total, 3000);
      assert.equal(stats.bookings.upcoming, 5);
      assert.ok(stats.lifetime_value.refunded > 0, 'the long history has refunds');
    });

    test('products are every purchase, as GET …/passes lists them, and the cursor continues there', async () => {
      for (const id of [rich, long]) {
        const { products } = await detail(id);
        const passes = await get(`/api/customer/${id}/passes?limit=100`);
        assert.equal(passes.status, 200);
        assert.deepEqual(products, passes.body);
        const [{ n }] = await sql`select count(*)::int as n from passes where tenant_id = ${DEMO_TENANT} and customer_id = ${id}`;
        assert.equal(products.data.length, Math.min(n, 100));
        for (const p of products.data) {
          assert.ok(['pass', 'membership', 'bundle', 'retail', 'gift_card', 'video'].includes(p.product.kind));
          assert.ok(['online', 'offline', 'admin'].includes(p.channel));
          assert.ok(['paid', 'pending', 'failed', 'refunded'].includes(p.payment_status));
        }
      }
      const { products } = await detail(long);
      assert.ok(products.next_cursor, '124 purchases do not fit in the first 100');
      const rest = await get(`/api/customer/${long}/passes?limit=100&cursor=${products.next_cursor}`);
      assert.equal(rest.body.data.length, 24);

      // In use first — the passes, bundles and memberships still active — then the rest; newest first within each.
      const rows = await sql<{ id: string; in_use: boolean; purchased: string }[]>`
        select p.id, p.status = 'active' and (p.expires_at is null or p.expires_at > now())
            and pr.kind in ('pass', 'bundle', 'membership') as in_use,
          to_char(p.purchased_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') as purchased
        from passes p join products pr on pr.tenant_id = p.tenant_id and pr.id = p.product_id
        where p.tenant_id = ${DEMO_TENANT} and p.customer_id = ${long}`;
      const newestFirst = (a: (typeof rows)[number], b: (typeof rows)[number]) =>
        b.purchased.localeCompare(a.purchased) || b.id.localeCompare(a.id);
      const inUse = rows.filter((r) => r.in_use).sort(newestFirst);
      const others = rows.filter((r) => !r.in_use).sort(newestFirst);
      assert.ok(inUse.length > 0 && others.length > 0 && inUse.at(-1)!.purchased < others[0]!.purchased,
        'an older product in use lists above a newer one that is not: the order differs from newest first');
      assert.deepEqual([...products.data, ...rest.body.data].map((p: { id: string }) => p.id), [...inUse, ...others].map((r) => r.id));
      const active = await get(`/api/customer/${long}/passes?limit=100&status=active`);
      assert.deepEqual(active.body.data.slice(0, inUse.length).map((p: { id: string }) => p.id), inUse.map((r) => r.id),
        'the status filter keeps the order');
    });

    test('active coupons and the waiver compliance summary, against direct SQL', async () => {
      const data = await detail(rich);
      const coupons = await sql`
        select id from customer_coupons
        where tenant_id = ${DEMO_TENANT} and customer_id = ${rich} and status = 'active' and (expires_at is null or expires_at > now())
        order by added_at desc, id desc`;
      assert.ok(coupons.length >= 1);
      assert.deepEqual(data.coupons.map((c: { id: string }) => c.id), coupons.map((c) => c.id));
      for (const c of data.coupons) assert.equal(c.status, 'active');

      const policies = await sql`
        select p.id, p.name, p.required, p.current_version,
          (select max(a.version) from policy_acceptances a
            where a.tenant_id = p.tenant_id and a.customer_id = ${rich} and a.policy_id = p.id)::int as newest,
          exists (select 1 from policy_acceptances a where a.tenant_id = p.tenant_id and a.customer_id = ${rich}
            and a.policy_id = p.id and a.version = p.current_version) as current
        from policies p where p.tenant_id = ${DEMO_TENANT}
        order by p.required desc, p.name, p.id`;
      const status = (p: (typeof policies)[number]) => (p.current ? 'accepted' : p.newest ? 'outdated' : 'missing');
      assert.deepEqual(
        data.waivers.items.map((w: any) => [w.policy_id, w.required, w.current_version, w.status]),
        policies.map((p) => [p.id, p.required, p.current_version, status(p)]),
      );
      const required = policies.filter((p) => p.required);
      assert.equal(data.waivers.compliant, required.every((p) => p.current));
      assert.equal(data.waivers.required, required.length);
      assert.equal(data.waivers.required_accepted, required.filter((p) => p.current).length);
      assert.deepEqual(data.waivers.action_needed.map((w: any) => w.policy_id), required.filter((p) => !p.current).map((p) => p.id));
    });

    test('the latest activity, emails and notes are the first pages of their sub-resources', async () => {
      for (const id of [rich, long]) {
        const data = await detail(id);
        // Rows of one moment: the activity in the order written (its seq), the others by id.
        for (const [section, limit, table, time, tie] of [
          ['activity', 20, 'activity', 'occurred_at', 'seq'], ['emails', 10, 'emails', 'sent_at', 'id'], ['notes', 5, 'notes', 'created_at', 'id'],
        ] as const) {
          const page = await get(`/api/customer/${id}/${section}?limit=${limit}`);
          assert.equal(page.status, 200);
          assert.deepEqual(data[section], page.body, `${section} of the aggregate = GET …/${section}?limit=${limit}`);
          const ids = await sql`
            select id from ${sql(table)} where tenant_id = ${DEMO_TENANT} and customer_id = ${id}
            order by ${sql(time)} desc, ${sql(tie)} desc limit ${limit + 1}`;
          assert.deepEqual(data[section].data.map((r: { id: string }) => r.id), ids.slice(0, limit).map((r) => r.id));
          assert.equal(data[section].next_cursor !== null, ids.length > limit);
        }
        assert.ok(data.activity.data.length > 0 && data.emails.data.length > 0 && data.notes.data.length > 0);
      }
      const { notes } = await detail(rich);
      assert.equal(notes.data[0].body, 'Prefers the front row.', 'the newest note first');
      assert.deepEqual(notes.data[0].author, { id: fullKeyId, name: 'detail all' });
    });

    test('guest context: the linked profile, the linked guests and the records under the same email', async () => {
      const ins = async (c: { firstname: string; email: string; guest: boolean; linked?: string | null; deleted?: boolean }) => {
        const id = newId('cust');
        await sql`
          insert into customers (tenant_id, id, firstname, lastname, email, is_guest, linked_profile_id, deleted_at)
          values (${DEMO_TENANT}, ${id}, ${c.firstname}, 'Twin', ${c.email}, ${c.guest}, ${c.linked ?? null},
            ${c.deleted ? new Date() : null})`;
        return id;
      };
      const profile = await ins({ firstname: 'Pia', email: 'pia.twin@example.test', guest: false });
      const linked = await ins({ firstname: 'Pia', email: 'pia@work.example.test', guest: true, linked: profile });
      const duplicate = await ins({ firstname: 'Pia', email: 'PIA.TWIN@example.test', guest: true });
      await ins({ firstname: 'Pia', email: 'pia.twin@example.test', guest: true, deleted: true });

      const p = (await detail(profile)).profile;
      assert.equal(p.guest, false);
      assert.equal(p.linked_profile, null);
      assert.deepEqual(p.linked_guests.map((c: { id: string }) => c.id), [linked]);
      assert.deepEqual(p.possible_duplicates.map((c: { id: string }) => c.id), [duplicate], 'same email in any case, deleted ones not');
      assert.deepEqual(Object.keys(p.linked_guests[0]).sort(), ['archived', 'customer_since', 'email', 'firstname', 'guest', 'id', 'lastname']);

      const g = (await detail(linked)).profile;
      assert.equal(g.guest, true);
      assert.equal(g.linked_profile.id, profile);
      assert.equal(g.linked_profile.email, 'pia.twin@example.test');
      assert.deepEqual(g.possible_duplicates, []);

      const d = (await detail(duplicate)).profile;
      assert.equal(d.linked_profile, null);
      assert.deepEqual(d.possible_duplicates.map((c: { id: string }) => c.id), [profile]);

      // Another studio's record under the same email is never shown, nor can the lookup be asked for it.
      await sql`
        insert into customers (tenant_id, id, firstname, lastname, email)
        values (${OTHER_TENANT}, ${newId('cust')}, 'Pia', 'Elsewhere', 'Pia.Twin@example.test')`;
      assert.deepEqual((await detail(profile)).profile.possible_duplicates.map((c: { id: string }) => c.id), [duplicate]);
      const asApp = (tenant: string) => sql.begin(async (tx) => {
        await tx`select set_config('app.tenant', ${DEMO_TENANT}, true), set_config('role', 'ck_app', true)`;
        return (await tx`select id from customers_sharing_email(${tenant}, 'pia.twin@example.test')`).length;
      });
      assert.equal(await asApp(DEMO_TENANT), 2);
      assert.equal(await asApp(OTHER_TENANT), 0, "a request's transaction sees only its own studio");
    });

    test('roles and attribution are present only with roles:read and attribution:read — absent, not empty', async () => {
      const data = await detail(rich, noExtras);
      assert.equal('roles' in data, false);
      assert.equal('attribution' in data, false);
      const onlyRoles = await detail(rich, await key(without('attribution:read')));
      assert.deepEqual(onlyRoles.roles, [{ business: 'Lotus & Iron', role: 'front_desk' }]);
      assert.equal('attribution' in onlyRoles, false);
      const onlyAttribution = await detail(rich, await key(without('roles:read')));
      assert.equal('roles' in onlyAttribution, false);
      assert.equal(onlyAttribution.attribution.source, 'instagram');
      // With the scope and nothing recorded: the key is there, and says so.
      const plain = await detail(long);
      assert.deepEqual(plain.roles, []);
      assert.equal(plain.attribution, null);
    });

    test('every section follows the scope of its own sub-resource (an instructor session sees less)', async () => {
      const instructor = await key(roleCapabilities.instructor);
      const data = await detail(rich, instructor);
      assert.deepEqual(Object.keys(data).sort(), ['actions', 'capabilities', 'notes', 'profile', 'stats', 'tenant', 'waivers']);
      assert.deepEqual(Object.keys(data.stats), ['bookings']);
      assert.deepEqual(data.capabilities, [...roleCapabilities.instructor].sort());
      assert.equal(data.actions.add_note, true);
      assert.equal(data.actions.adjust_credits, false);
      assert.equal(data.actions.archive, false);
      const everything = await detail(rich);
      assert.deepEqual(Object.keys(everything).sort(), [
        'actions', 'activity', 'attribution', 'capabilities', 'coupons', 'emails', 'notes', 'products', 'profile', 'roles',
        'stats', 'tenant', 'waivers',
      ]);
      assert.deepEqual(Object.keys(everything.stats), ['lifetime_value', 'bookings']);
      const noProfile = await get(`/api/customer/${rich}/detail`, await key(without('profile:read')));
      assert.equal(noProfile.status, 403);
      assert.equal(noProfile.body.error.details.scope, 'profile:read');
    });

    test('at most 3 SQL round trips of its own (after authentication and the middleware), whatever the history size', async (t) => {
      const [{ small }] = await sql`
        select c.id as small from customers c
        where c.tenant_id = ${DEMO_TENANT} and c.deleted_at is null
          and exists (select 1 from bookings b where b.tenant_id = c.tenant_id and b.customer_id = c.id)
        order by (select count(*) from activity a where a.tenant_id = c.tenant_id and a.customer_id = c.id), c.id limit 1`;
      const tripsOf = async (path: string, token: string, status: number) => {
        wire.reset();
        const reply = await get(path, token);
        assert.equal(reply.status, status, reply.text);
        return [...wire.trips];
      };
      // What a request costs before its route runs (authentication and whatever else the API's middleware
      // does) is what GET /api/session costs: it runs no SQL of its own. The rest is the route's.
      const measure = async (id: string, token: string, status = 200) => {
        const middleware = (await tripsOf('/api/session', token, 200)).length;
        const trips = await tripsOf(`/api/customer/${id}/detail`, token, status);
        const route = trips.length - middleware;
        assert.equal(trips.filter(isAggregate).length, route, 'every round trip of the route runs the aggregate statement');
        return { total: trips.length, middleware, aggregate: route, trips: trips.filter(isAggregate) };
      };
      // A scope set no request has used yet: its statement is prepared on this very request (Parse +
      // Describe first, then Bind + Execute) — the costliest case.
      const fresh = await key(['profile:read', 'bookings:read', 'passes:read', 'emails:read', 'coupons:read']);
      const cold = await measure(small, fresh);
      const warmSmall = await measure(small, full);
      const warmLarge = await measure(long, full);
      const [{ n }] = await sql`select count(*)::int as n from activity where tenant_id = ${DEMO_TENANT} and customer_id = ${small}`;
      t.diagnostic(`round trips (whole request / the route's own): cold statement ${cold.total}/${cold.aggregate}, ` +
        `small history (${n} activity rows) ${warmSmall.total}/${warmSmall.aggregate}, ` +
        `long history (3000 bookings, 3000 activity rows) ${warmLarge.total}/${warmLarge.aggregate}`);
      assert.ok(cold.aggregate <= 3, `cold: ${cold.aggregate}`);
      assert.ok(warmSmall.aggregate <= 3 && warmLarge.aggregate <= 3);
      assert.equal(warmSmall.aggregate, warmLarge.aggregate, 'the history size changes nothing');
      assert.equal(warmLarge.aggregate, 1, 'one statement: the access check is folded into the aggregate');
      assert.deepEqual(warmLarge.trips.map((trip) => trip.sql.map(isSettings)), [[true, false]],
        "one statement, with nothing but the studio's settings pipelined in front of it");
      // The whole request: authentication; the rate limit's upsert with the BEGIN behind it (one connection
      // here; on a larger pool they run side by side); the settings and the aggregate; COMMIT. It was 6.
      assert.equal(warmLarge.middleware, 3, 'the middleware: authentication, rate limit + BEGIN, settings + COMMIT');
      assert.equal(warmLarge.total, 4, 'the whole request');
      // A customer who is not there (or is another tenant's) costs that same statement, and answers 404.
      assert.equal((await measure(`cust_${'0'.repeat(16)}`, full, 404)).aggregate, 1);
    });

    test('404 for another tenant, a deleted or unknown customer, and outside a restricted session; 401 without a credential', async () => {
      assert.equal((await get(`/api/customer/${otherCustomer}/detail`)).status, 404);
      const reply = await get(`/api/customer/${rich}/detail`, other);
      assert.equal(reply.status, 404);
      assert.deepEqual(reply.body, { error: { code: 'not_found', message: 'No such customer.' } });
      assert.equal((await get(`/api/customer/cust_${'0'.repeat(16)}/detail`)).status, 404);
      assert.equal((await get('/api/customer/not-an-id/detail')).status, 400);
      const [{ id: deleted }] = await sql`
        update customers set deleted_at = now() where tenant_id = ${DEMO_TENANT} and id = (
          select id from customers where tenant_id = ${DEMO_TENANT} and deleted_at is null and id not in (${rich}, ${long})
          order by id limit 1) returning id`;
      assert.equal((await get(`/api/customer/${deleted}/detail`)).status, 404);
      assert.equal((await get(`/api/customer/${rich}/detail`, null)).status, 401);

      const minted = await call(app, 'POST', '/api/embed/sessions', {
        token: full, body: { staff_id: DEMO_STAFF_ID, capabilities: ['profile:read', 'notes:read'], customer_id: rich, origin: OWN_ORIGIN },
      });
      assert.equal(minted.status, 201, minted.text);
      const session = minted.body.data.token;
      assert.equal((await get(`/api/customer/${long}/detail`, session)).status, 404);
      const own = await detail(rich, session);
      assert.deepEqual(own.capabilities, ['notes:read', 'profile:read']);
      assert.deepEqual(Object.keys(own).sort(), ['actions', 'capabilities', 'notes', 'profile', 'stats', 'tenant']);
      assert.deepEqual(own.stats, {});
    });
  });
}
