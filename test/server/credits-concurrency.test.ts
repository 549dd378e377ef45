import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../../server/app.ts';
import type { Database } from '../../server/db/connect.ts';
import { purchasePass } from '../../server/domain/purchases.ts';
import { verify } from '../../server/verify.ts';
import { call } from '../support/api.ts';
import { createStudio, DAY, type Studio } from '../support/credit-fixtures.ts';
import { databaseTargets } from '../support/databases.ts';

// Races need a server with many connections; PGlite serves one session, so without a server these run
// on it only to keep the rules covered (and say so).
const targets = await databaseTargets();
const target = targets.find((t) => t.label === 'PostgreSQL server') ?? targets[0]!;
if (target.label !== 'PostgreSQL server') console.log('# credits concurrency: no PostgreSQL server, running on the embedded database (serialised)');

describe(`credits under concurrency on ${target.label}`, () => {
  let db: Database;
  let app: ReturnType<typeof createApp>;
  let studio: Studio;
  let key: string;
  const now = Date.now();

  const buy = async (customerId: string, credits: number) =>
    (await db.sql.begin((sql) => purchasePass(sql, {
      tenantId: studio.tenantId, customerId, productId: productIds.get(credits)!, channel: 'admin', paymentStatus: 'paid',
      actor: studio.staffId,
    }))).pass.id;
  const productIds = new Map<number, string>();

  before(async () => {
    db = await target.open();
    app = createApp({ sql: db.sql, log: (message, error) => console.error(message, error) });
    studio = await createStudio(db.sql);
    key = await studio.key();
    productIds.set(10, await studio.product({ name: '10 Class Pack', credits: 10 }));
    productIds.set(3, await studio.product({ name: '3 Class Pack', credits: 3 }));
  });
  after(async () => {
    const { ok, problems } = await verify(db.sql);
    assert.deepEqual(problems, []);
    assert.ok(ok);
    await db.close();
  });

  test('64 concurrent bookings against a 10-credit pass: exactly 10 succeed, the rest are 422, credits_left 0', async () => {
    const jane = await studio.customer();
    const pass = await buy(jane, 10);
    const classes = await Promise.all(Array.from({ length: 64 }, (_, i) =>
      studio.cls({ starts_at: new Date(now + DAY + i * 3_600_000), name: `Class ${i}` })));
    const replies = await Promise.all(classes.map((classId) =>
      call(app, 'POST', `/api/customer/${jane}/bookings`, { token: key, body: { class_id: classId } })));
    const byStatus = new Map<number, number>();
    for (const r of replies) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries(byStatus), { 201: 10, 422: 54 }, replies.filter((r) => r.status >= 500).map((r) => r.text).join('\n'));
    for (const r of replies.filter((x) => x.status === 422)) {
      assert.deepEqual(r.body.error.details.rules.map((x: { rule: string }) => x.rule), ['credits_left']);
    }
    const [{ credits_left }] = await db.sql`select credits_left from passes where tenant_id = ${studio.tenantId} and id = ${pass}`;
    assert.equal(credits_left, 0);
    const rows = await db.sql`
      select entry_no, balance_after from credit_ledger where tenant_id = ${studio.tenantId} and pass_id = ${pass} order by entry_no`;
    assert.deepEqual(rows.map((r) => r.balance_after), [10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    const [{ n }] = await db.sql`select count(*)::int as n from bookings where tenant_id = ${studio.tenantId} and customer_id = ${jane}`;
    assert.equal(n, 10);
    assert.ok((await verify(db.sql)).ok);
  });

  test('the same booking with the same Idempotency-Key from 8 connections at once makes one booking', async () => {
    const sam = await studio.customer();
    const pass = await buy(sam, 10);
    const classId = await studio.cls({ starts_at: new Date(now + 2 * DAY) });
    const headers = { 'Idempotency-Key': `book-${classId}` };
    const send = () => call(app, 'POST', `/api/customer/${sam}/bookings`, { token: key, body: { class_id: classId }, headers });
    const replies = await Promise.all(Array.from({ length: 8 }, send));
    const created = replies.filter((r) => r.status === 201);
    assert.ok(created.length >= 1, replies.map((r) => `${r.status} ${r.text}`).join('\n'));
    assert.ok(replies.every((r) => r.status === 201 || r.status === 409), replies.map((r) => r.status).join(','));
    assert.equal(new Set(created.map((r) => r.text)).size, 1, 'every 201 is the same stored answer');
    // A retry after the first finished gets that answer back.
    const retry = await send();
    assert.equal(retry.status, 201);
    assert.equal(retry.text, created[0]!.text);
    const [{ n }] = await db.sql`select count(*)::int as n from bookings where tenant_id = ${studio.tenantId} and customer_id = ${sam}`;
    assert.equal(n, 1);
    const [{ credits_left }] = await db.sql`select credits_left from passes where tenant_id = ${studio.tenantId} and id = ${pass}`;
    assert.equal(credits_left, 9);
  });

  test('a class with 5 places and 24 customers booking at once: exactly 5 get in', async () => {
    const classId = await studio.cls({ starts_at: new Date(now + 3 * DAY), capacity: 5 });
    const customers = await Promise.all(Array.from({ length: 24 }, () => studio.customer()));
    for (const c of customers) await buy(c, 3);
    const replies = await Promise.all(customers.map((c) =>
      call(app, 'POST', `/api/customer/${c}/bookings`, { token: key, body: { class_id: classId } })));
    assert.equal(replies.filter((r) => r.status === 201).length, 5);
    const full = replies.filter((r) => r.status === 422);
    assert.equal(full.length, 19);
    assert.ok(full.every((r) => r.body.error.details.rules.some((x: { rule: string }) => x.rule === 'class_not_full')));
  });

  test('adjustments, bookings and cancellations racing on one pass keep the chain whole', async () => {
    const kim = await studio.customer();
    const pass = await buy(kim, 10);
    const classes = await Promise.all(Array.from({ length: 8 }, (_, i) => studio.cls({ starts_at: new Date(now + 4 * DAY + i * 3_600_000) })));
    const first = await Promise.all(classes.slice(0, 4).map((classId) =>
      call(app, 'POST', `/api/customer/${kim}/bookings`, { token: key, body: { class_id: classId } })));
    assert.ok(first.every((r) => r.status === 201));
    const work = [
      ...first.map((r) => call(app, 'POST', `/api/customer/${kim}/bookings/${r.body.data.id}/cancel`, { token: key, body: {} })),
      ...classes.slice(4).map((classId) => call(app, 'POST', `/api/customer/${kim}/bookings`, { token: key, body: { class_id: classId } })),
      ...Array.from({ length: 6 }, (_, i) => call(app, 'POST', `/api/customer/${kim}/passes/${pass}/adjustments`, {
        token: key, body: { delta: i % 2 ? 2 : -1, reason: `Race adjustment ${i}` },
      })),
    ];
    const replies = await Promise.all(work);
    assert.ok(replies.every((r) => r.status < 500), replies.map((r) => r.text).join('\n'));
    const [{ credits_left }] = await db.sql`select credits_left from passes where tenant_id = ${studio.tenantId} and id = ${pass}`;
    // 10 − 4 booked + 4 returned − 4 booked + 3 × 2 − 3 × 1 = 9
    assert.equal(credits_left, 9);
  });

  test('the credit job locks passes in the order a booking does: a booking holding a customer’s expiring pack never deadlocks the renewal of their membership', async () => {
    const { bookClass } = await import('../../server/domain/booking.ts');
    const { runCreditJobs } = await import('../../server/domain/expiry.ts');
    const pack = await studio.product({ credits: 10, validity_days: 30 });
    const membership = await studio.product({ kind: 'membership', credits: 8, billing_cycle_days: 30, rollover_cap: 4 });
    const bought = new Date(now - 31 * DAY);
    const purchase = (customerId: string, productId: string) => db.sql.begin((sql) => purchasePass(sql, {
      tenantId: studio.tenantId, customerId, productId, channel: 'admin', paymentStatus: 'paid', at: bought, actor: null,
    })).then((r) => r.pass.id);
    // A customer whose pack, due to expire, sorts before their membership, due to renew.
    let customer: string, expiring: string, renewing: string;
    do {
      customer = await studio.customer();
      expiring = await purchase(customer, pack);
      renewing = await purchase(customer, membership);
    } while (expiring > renewing);
    const cls = await studio.cls({ starts_at: new Date(now + 2 * DAY) });
    // The booking has locked the pack (its lock statement is part way through the customer's passes) when the job starts.
    let held!: () => void;
    const locked = new Promise<void>((resolve) => { held = resolve; });
    const booking = db.sql.begin(async (sql) => {
      await sql`select 1 from passes where tenant_id = ${studio.tenantId} and id = ${expiring} for update`;
      held();
      await new Promise((resolve) => setTimeout(resolve, 300));
      return bookClass(sql, { tenantId: studio.tenantId, customerId: customer, classId: cls, actor: null, now: new Date() });
    });
    await locked;
    const job = runCreditJobs(db.sql, { now: new Date() });
    const [booked, ran] = await Promise.allSettled([booking, job]);
    assert.equal(booked.status, 'fulfilled', String((booked as PromiseRejectedResult).reason));
    assert.equal(ran.status, 'fulfilled', String((ran as PromiseRejectedResult).reason));
    const [{ cycle }] = await db.sql`select current_cycle as cycle from passes where tenant_id = ${studio.tenantId} and id = ${renewing}`;
    assert.equal(cycle, 2, 'the membership renewed');
  });

  test('a booking racing the customer’s deletion: never both, so no deleted customer holds a place', async () => {
    for (let round = 0; round < 6; round++) {
      const lee = await studio.customer();
      await buy(lee, 3);
      const classId = await studio.cls({ starts_at: new Date(now + 5 * DAY + round * 3_600_000) });
      const [booked, deleted] = await Promise.all([
        call(app, 'POST', `/api/customer/${lee}/bookings`, { token: key, body: { class_id: classId } }),
        call(app, 'DELETE', `/api/customer/${lee}`, { token: key, body: { reason: 'Racing a booking' } }),
      ]);
      assert.ok(booked.status < 500 && deleted.status < 500, `${booked.text}\n${deleted.text}`);
      // One of the two wins: the booking (the deletion is refused for it) or the deletion (the booking finds no customer).
      assert.deepEqual([booked.status, deleted.status].sort(), booked.status === 201 ? [201, 422] : [200, 404]);
      const [row] = await db.sql`
        select count(*)::int as live from bookings b join customers c on c.tenant_id = b.tenant_id and c.id = b.customer_id
        where b.tenant_id = ${studio.tenantId} and b.customer_id = ${lee} and b.status = 'booked' and c.deleted_at is not null`;
      assert.equal(row!.live, 0);
    }
  });
});
