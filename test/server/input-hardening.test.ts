import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../../server/app.ts';
import type { Database } from '../../server/db/connect.ts';
import { purchasePass } from '../../server/domain/purchases.ts';
import { newId } from '../../server/ids.ts';
import { verify } from '../../server/verify.ts';
import { call, type Reply } from '../support/api.ts';
import { createStudio, DAY, type Studio } from '../support/credit-fixtures.ts';
import { databaseTargets } from '../support/databases.ts';

/**
 * Input PostgreSQL cannot take — a NUL, an unpaired surrogate, a year 0 or 10000, an entry number past
 * int4, a cursor of the wrong shape — is a 400 naming its field on every route, and writes nothing;
 * and the credit-usage summary holds while the pass changes under it.
 */

const cursor = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
const NUL = 'A\u0000b';
const SURROGATES = '\ud800\ud800 lone';

/** A 400 invalid_request whose field list names `field`. */
function assertRefused(reply: Reply, field: string, what: string) {
  assert.equal(reply.status, 400, `${what}: ${reply.status} ${reply.text}`);
  assert.equal(reply.body.error.code, 'invalid_request', what);
  const paths = reply.body.error.details.fields.map((f: { path: string }) => f.path);
  assert.ok(paths.includes(field), `${what}: fields ${JSON.stringify(paths)} should name ${field}`);
}

for (const target of await databaseTargets()) {
  describe(`input hardening on ${target.label}`, () => {
    let db: Database;
    let app: ReturnType<typeof createApp>;
    let studio: Studio;
    let key: string;
    let jane: string;
    let pack: string;
    let couponId: string;
    let janeCoupon: string;
    const failures: string[] = [];
    const now = Date.now();

    const get = (path: string) => call(app, 'GET', path, { token: key });
    const send = (method: string, path: string, body: unknown) => call(app, method, path, { token: key, body });
    const buy = async (productId: string) => (await db.sql.begin((sql) => purchasePass(sql, {
      tenantId: studio.tenantId, customerId: jane, productId, channel: 'admin', paymentStatus: 'paid', at: new Date(now - DAY), actor: null,
    }))).pass.id;
    const addCoupon = async (code: string) => {
      const id = newId('cpn');
      await db.sql`
        insert into coupons (tenant_id, id, code, name, percent_off, duration)
        values (${studio.tenantId}, ${id}, ${code}, ${`${code} coupon`}, 10, 'once')`;
      return id;
    };

    /** Everything the refused requests could have written. */
    const written = async () => {
      const [row] = await db.sql`
        select (select count(*)::int from customers) as customers,
          (select sum(version)::int from customers) as customer_versions,
          (select count(*)::int from customers where archived) as archived,
          (select count(*)::int from notes) as notes,
          (select count(*)::int from credit_ledger) as ledger,
          (select sum(version)::int from passes) as pass_versions,
          (select count(*)::int from customer_coupons) as customer_coupons,
          (select string_agg(coalesce(expires_at::text, '-') || status, ',' order by id) from customer_coupons) as coupon_states,
          (select count(*)::int from activity) as activity,
          (select count(*)::int from audit_log) as audit`;
      return row;
    };

    before(async () => {
      db = await target.open();
      app = createApp({ sql: db.sql, log: (message, error) => failures.push(`${message} ${String(error)}`) });
      studio = await createStudio(db.sql);
      key = await studio.key();
      jane = await studio.customer({ firstname: 'Jane' });
      await studio.customer({ firstname: 'Joan' });
      await studio.customer({ firstname: 'June' });
      const product = await studio.product({ name: '10 Class Pack', credits: 10 });
      pack = await buy(product);
      await buy(product);
      couponId = await addCoupon('WELCOME');
      await addCoupon('SPRING');
      for (const id of [couponId, await addCoupon('SUMMER')]) {
        const added = await send('POST', `/api/customer/${jane}/coupons`, { coupon_id: id, reason: 'A thank-you from the desk' });
        assert.equal(added.status, 201, added.text);
        janeCoupon ??= added.body.data.id;
      }
      for (const body of ['First note', 'Second note']) {
        assert.equal((await send('POST', `/api/customer/${jane}/notes`, { body })).status, 201);
      }
      for (const delta of [-1, -1]) {
        assert.equal((await send('POST', `/api/customer/${jane}/passes/${pack}/adjustments`, { delta, reason: 'Setting up the test' })).status, 201);
      }
    });
    after(async () => {
      assert.deepEqual((await verify(db.sql)).problems, []);
      await db.close();
    });

    /** The writes of the kit, each with one bad string in `field`; `bad` is what goes in. */
    const badWrites = (bad: string) => [
      { what: 'new customer', field: 'firstname', method: 'POST', path: '/api/customers',
        body: { firstname: bad, lastname: 'Doe', email: 'new.customer@example.test' } },
      { what: 'new customer email', field: 'email', method: 'POST', path: '/api/customers',
        body: { firstname: 'New', lastname: 'Doe', email: `new${bad}@example.test` } },
      { what: 'new customer mobile', field: 'mobile', method: 'POST', path: '/api/customers',
        body: { firstname: 'New', lastname: 'Doe', email: 'new.customer@example.test', mobile: `+44 20 ${bad}` } },
      { what: 'profile', field: 'lastname', method: 'PUT', path: `/api/customer/${jane}/profile`,
        body: { firstname: 'Jane', lastname: bad, email: 'jane@example.test' } },
      { what: 'note', field: 'body', method: 'POST', path: `/api/customer/${jane}/notes`, body: { body: bad } },
      { what: 'adjustment', field: 'reason', method: 'POST', path: `/api/customer/${jane}/passes/${pack}/adjustments`,
        body: { delta: 1, reason: `Goodwill ${bad}` } },
      { what: 'expiry change', field: 'reason', method: 'PATCH', path: `/api/customer/${jane}/passes/${pack}`,
        body: { expires_at: '2030-01-01', reason: `Extended ${bad}` } },
      { what: 'archive', field: 'reason', method: 'PATCH', path: `/api/customer/${jane}`, body: { archived: true, reason: `Moved ${bad}` } },
      { what: 'delete', field: 'reason', method: 'DELETE', path: `/api/customer/${jane}`, body: { reason: `Asked ${bad}` } },
      { what: 'coupon', field: 'reason', method: 'POST', path: `/api/customer/${jane}/coupons`,
        body: { coupon_id: couponId, reason: `Courtesy ${bad}` } },
      { what: 'coupon change', field: 'reason', method: 'PATCH', path: `/api/customer/${jane}/coupons/${janeCoupon}`,
        body: { status: 'removed', reason: `Removed ${bad}` } },
      { what: 'booking', field: 'class_id', method: 'POST', path: `/api/customer/${jane}/bookings`, body: { class_id: `cls_${bad}` } },
      { what: 'waived late fee', field: 'reason', method: 'POST', path: `/api/customer/${jane}/bookings/bk_none/cancel`,
        body: { waive_late_fee: true, reason: `Ill ${bad}` } },
    ];

    for (const [name, bad] of [['a NUL', NUL], ['unpaired surrogates', SURROGATES], ['a lone low surrogate', 'x\udc00 y']]) {
      test(`a body string with ${name} is a 400 on its field, on every write, and nothing is written`, async () => {
        const before = await written();
        for (const w of badWrites(bad!)) assertRefused(await send(w.method, w.path, w.body), w.field, w.what);
        assert.deepEqual(await written(), before);
      });
    }

    test('text with characters outside the BMP written as a proper pair is kept as sent', async () => {
      const body = 'Loves 🧘 and 𝄞 — “quoted”';
      const reply = await send('POST', `/api/customer/${jane}/notes`, { body });
      assert.equal(reply.status, 201, reply.text);
      assert.equal(reply.body.data.body, body);
      const [row] = await db.sql`select body from notes where tenant_id = ${studio.tenantId} and id = ${reply.body.data.id}`;
      assert.equal(row!.body, body);
    });

    test('a search finds a name as PostgreSQL lower-cases it: İlkay by İlkay, ilkay and Öztürk', async () => {
      // JavaScript lower-cases İ to i and a combining dot; PostgreSQL's lower(), which the stored search text uses, to i.
      const created = await send('POST', '/api/customers', { firstname: 'İlkay', lastname: 'Öztürk', email: 'ilkay.ozturk@example.test' });
      assert.equal(created.status, 201, created.text);
      for (const q of ['İlkay', 'ilkay', 'ÖZTÜRK', 'İlkay Öz']) {
        const found = (await get(`/api/customers?q=${encodeURIComponent(q)}`)).body.data.map((c: { id: string }) => c.id);
        assert.deepEqual(found, [created.body.data.id], q);
      }
    });

    test('a query string with a NUL is a 400 on its field', async () => {
      assertRefused(await get('/api/customers?q=%00abc'), 'q', 'customer search');
      assertRefused(await get('/api/coupons?q=%00'), 'q', 'coupon search');
      assertRefused(await get(`/api/customer/${jane}/activity?type=%00`), 'type', 'activity type');
      assertRefused(await get(`/api/customer/${jane}/bookings?status=booked%00`), 'status', 'booking status');
      assertRefused(await get(`/api/customer/${jane}/can-book?class_id=cls_a%00`), 'class_id', 'class id');
    });

    const keyedLists = () => [
      { list: '/api/customers', parts: 3 },
      { list: '/api/coupons', parts: 3 },
      { list: `/api/customer/${jane}/passes`, parts: 2 },
      { list: `/api/customer/${jane}/coupons?status=all`, parts: 2 },
    ];
    const timelines = () => ['notes', 'activity', 'emails', 'audit', 'bookings', 'appointments', 'subscriptions', 'videos']
      .map((name) => `/api/customer/${jane}/${name}`);
    const withCursor = (list: string, value: string) => `${list}${list.includes('?') ? '&' : '?'}cursor=${value}`;

    test('a cursor carrying a NUL or an unpaired surrogate is a 400 on cursor, on every list', async () => {
      for (const bad of [NUL, SURROGATES]) {
        for (const { list, parts } of keyedLists()) {
          const key = ['0', 'b', 'c'].slice(0, parts);
          for (let i = 0; i < parts; i++) {
            const forged = key.with(i, bad);
            assertRefused(await get(withCursor(list, cursor(forged))), 'cursor', `${list} ${JSON.stringify(forged)}`);
          }
        }
        for (const list of timelines()) {
          assertRefused(await get(withCursor(list, cursor(['2026-01-01T00:00:00.000000Z', bad]))), 'cursor', list);
        }
      }
      assertRefused(await get(withCursor(`/api/customer/${jane}/bookings`, cursor(['2026-01-01T00:00:00.000000Z', NUL, 'desc']))),
        'cursor', 'booking cursor with its order');
    });

    test('a cursor of the wrong shape is a 400 on cursor, not page 1 again', async () => {
      const shapes = [['a'], [], ['a', 'b', 'c', 'd'], [1, 2, 3], [null, 'b', 'c'], 'a', { a: 1 }];
      for (const { list } of keyedLists()) {
        for (const shape of shapes) assertRefused(await get(withCursor(list, cursor(shape))), 'cursor', `${list} ${JSON.stringify(shape)}`);
        assertRefused(await get(withCursor(list, 'not-base64-json')), 'cursor', `${list} not JSON`);
      }
      assertRefused(await get(withCursor('/api/coupons', cursor(['2', 'welcome', couponId]))), 'cursor', 'catalogue rank is 0 or 1');
      for (const list of timelines()) assertRefused(await get(withCursor(list, cursor(['a']))), 'cursor', list);
    });

    test('every list still pages through its own cursors', async () => {
      const lists = [...keyedLists().map(({ list }) => list), `/api/customer/${jane}/notes`, `/api/customer/${jane}/passes/${pack}/credit-usage`];
      for (const list of lists) {
        const first = await get(`${list}${list.includes('?') ? '&' : '?'}limit=1`);
        assert.equal(first.status, 200, `${list}: ${first.text}`);
        assert.ok(first.body.next_cursor, `${list} has a second page`);
        const second = await get(`${withCursor(list, first.body.next_cursor)}&limit=1`);
        assert.equal(second.status, 200, `${list} page 2: ${second.text}`);
        const ids = (r: Reply) => JSON.stringify(Array.isArray(r.body.data) ? r.body.data.map((x: { id: string }) => x.id)
          : r.body.data.entries.map((x: { id: string }) => x.id));
        assert.notEqual(ids(second), ids(first), `${list}: page 2 is not page 1 again`);
      }
    });

    test('a credit-usage cursor outside int4 or not a positive integer is a 400 on cursor', async () => {
      const usage = `/api/customer/${jane}/passes/${pack}/credit-usage`;
      // 1e300 and 9007199254740993 are written as such: JSON.stringify would spell them otherwise.
      const raw = (json: string) => Buffer.from(json).toString('base64url');
      const forged = [cursor([2147483648]), raw('[1e300]'), raw('[9007199254740993]'), cursor([0]), cursor([-1]), cursor([1.5]),
        cursor(['1']), cursor([1, 2]), cursor([])];
      for (const value of forged) {
        assertRefused(await get(withCursor(usage, value)), 'cursor', Buffer.from(value, 'base64url').toString());
      }
      const last = await get(withCursor(usage, cursor([2147483647])));
      assert.equal(last.status, 200, last.text);
      assert.equal(last.body.data.entries.length, 3, 'the largest entry number reads every entry');
    });

    test('dates before 1900 or after 9000 (after the offset) are a 400 on their field, and nothing is written', async () => {
      const before = await written();
      const outside = ['0000-01-01', '9999-12-31', '1899-12-31', '9001-01-01', '9999-12-31T23:59:59-14:00', '0000-01-01T00:00:00Z',
        '9000-12-31T23:00:00-14:00', '1900-01-01T00:30:00+01:00'];
      for (const date of outside) {
        assertRefused(await send('PATCH', `/api/customer/${jane}/passes/${pack}`, { expires_at: date, reason: 'Far away expiry' }),
          'expires_at', `pass expiry ${date}`);
        assertRefused(await send('POST', `/api/customer/${jane}/coupons`, { coupon_id: couponId, expires_at: date, reason: 'Far away expiry' }),
          'expires_at', `coupon expiry ${date}`);
        assertRefused(await send('PATCH', `/api/customer/${jane}/coupons/${janeCoupon}`, { expires_at: date, reason: 'Far away expiry' }),
          'expires_at', `coupon change ${date}`);
        const q = encodeURIComponent(date);
        assertRefused(await get(`/api/customer/${jane}/bookings?from=${q}`), 'from', `bookings from ${date}`);
        assertRefused(await get(`/api/customer/${jane}/bookings?to=${q}`), 'to', `bookings to ${date}`);
        if (date.length > 10) {
          assertRefused(await get(`/api/customer/${jane}/passes/${pack}/credit-usage?as_of=${q}`), 'as_of', `as_of ${date}`);
          assertRefused(await get(`/api/customer/${jane}/passes/${pack}/credit-usage.csv?as_of=${q}`), 'as_of', `CSV as_of ${date}`);
        }
      }
      assert.deepEqual(await written(), before);
    });

    test('the ends of the span are accepted, and what derives from them reads back', async () => {
      const bookings = await get(`/api/customer/${jane}/bookings?from=1900-01-01&to=${encodeURIComponent('9000-12-31T23:59:59Z')}`);
      assert.equal(bookings.status, 200, bookings.text);
      const usage = await get(`/api/customer/${jane}/passes/${pack}/credit-usage?as_of=1900-01-01T00:00:00Z`);
      assert.equal(usage.status, 200, usage.text);
      assert.equal(usage.body.data.summary.credits_left, 0);
      const csv = await get(`/api/customer/${jane}/passes/${pack}/credit-usage.csv?as_of=1900-01-01T00:00:00Z`);
      assert.equal(csv.status, 200);
      assert.match(csv.text, /\r\nAs of,"[^"]*1900[^"]*"\r\n/);
      assert.match(csv.text, /\r\nCredits left,0\r\n/);
      // The last day of the span in the studio's timezone ends in 9001 (UTC): still a year PostgreSQL reads.
      const latest = await send('PATCH', `/api/customer/${jane}/passes/${pack}`, { expires_at: '9000-12-31', reason: 'Kept for a long time' });
      assert.equal(latest.status, 200, latest.text);
      assert.match(latest.body.data.expires_at, /^(9000-12-31|9001-01-01)T/);
      const coupon = await send('PATCH', `/api/customer/${jane}/coupons/${janeCoupon}`, { expires_at: '9000-12-31', reason: 'Kept for a long time' });
      assert.equal(coupon.status, 200, coupon.text);
      assert.match(coupon.body.data.expires_at, /^(9000-12-31|9001-01-01)T/);
      // The first day of the span gets past the door to the rules, which refuse it (before the pass started).
      const past = await send('PATCH', `/api/customer/${jane}/passes/${pack}`, { expires_at: '1900-01-01', reason: 'Ended long ago' });
      assert.equal(past.status, 422, past.text);
      assert.equal(past.body.error.code, 'rule_violation');
      const read = await get(`/api/customer/${jane}/passes/${pack}/credit-usage`);
      assert.equal(read.status, 200, read.text);
    });

    test('no request above failed on the server side', () => {
      assert.deepEqual(failures, []);
    });
  });
}

// Two statements under READ COMMITTED see two states; the race needs a server with many connections
// (PGlite serves one session, where it runs serialised, to keep the rule covered).
const targets = await databaseTargets();
const server = targets.find((t) => t.label === 'PostgreSQL server') ?? targets[0]!;
if (server.label !== 'PostgreSQL server') console.log('# credit-usage under adjustments: no PostgreSQL server, running serialised on the embedded database');

describe(`credit-usage while the pass is adjusted, on ${server.label}`, () => {
  let db: Database;
  let app: ReturnType<typeof createApp>;
  const failures: string[] = [];

  before(async () => {
    db = await server.open();
    app = createApp({ sql: db.sql, log: (message, error) => failures.push(`${message} ${String(error)}`), rateLimitPerMinute: 1_000_000 });
  });
  after(() => db.close());

  test('4 readers against a loop of ±1 adjustments: every read is 200 and adds up', async () => {
    const studio = await createStudio(db.sql);
    const key = await studio.key();
    const jane = await studio.customer();
    const product = await studio.product({ credits: 10 });
    const pass = (await db.sql.begin((sql) => purchasePass(sql, {
      tenantId: studio.tenantId, customerId: jane, productId: product, channel: 'admin', paymentStatus: 'paid', actor: null,
    }))).pass.id;
    const usage = `/api/customer/${jane}/passes/${pass}/credit-usage?limit=1`;
    let adjusting = true;
    const writer = (async () => {
      try {
        for (let i = 0; i < 150; i++) {
          const reply = await call(app, 'POST', `/api/customer/${jane}/passes/${pass}/adjustments`,
            { token: key, body: { delta: i % 2 ? 1 : -1, reason: 'Back and forth' } });
          assert.equal(reply.status, 201, reply.text);
        }
      } finally {
        adjusting = false;
      }
    })();
    const reads: Reply[] = [];
    const reader = async () => {
      while (adjusting) reads.push(await call(app, 'GET', usage, { token: key }));
    };
    await Promise.all([writer, reader(), reader(), reader(), reader()]);
    assert.ok(reads.length >= 100, `only ${reads.length} reads ran beside the adjustments`);
    const refused = reads.filter((r) => r.status !== 200);
    assert.deepEqual(refused.map((r) => `${r.status} ${r.text}`), [], `${refused.length} of ${reads.length} reads failed`);
    for (const { body: { data } } of reads) {
      assert.equal(data.summary.credits_left, data.pass.credits_left, 'the summary and the pass are one state');
      assert.equal(data.entries[0].balance_after, data.pass.credits_left, 'so is the newest entry');
      assert.ok(data.pass.credits_left === 9 || data.pass.credits_left === 10);
    }
    assert.deepEqual(failures, []);
    assert.deepEqual((await verify(db.sql)).problems, []);
  });
});
