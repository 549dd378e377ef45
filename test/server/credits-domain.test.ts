import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../server/db/connect.ts';
import type { TransactionSql } from 'postgres';
import { adjustCredits, changeExpiry } from '../../server/domain/adjustments.ts';
import { bookClass } from '../../server/domain/booking.ts';
import { cancelBooking, freeCancelDeadline } from '../../server/domain/cancellation.ts';
import { checkEligibility } from '../../server/domain/eligibility.ts';
import { CREDIT_JOBS_LOCK, runCreditJobs } from '../../server/domain/expiry.ts';
import { verify } from '../../server/verify.ts';
import { activityPage } from '../../server/data/activity.ts';
import { creditsTotal } from '../../server/data/passes.ts';
import { confirmPayment, purchasePass, refundPass } from '../../server/domain/purchases.ts';
import { renewCycle } from '../../server/domain/subscriptions.ts';
import { identityLeft, usageSummary } from '../../server/domain/summary.ts';
import { ApiError } from '../../server/http/errors.ts';
import { createStudio, DAY, HOUR, type Studio } from '../support/credit-fixtures.ts';
import { databaseTargets } from '../support/databases.ts';

/** A 422 whose rules are exactly these. */
async function refused(promise: Promise<unknown>, rules: string[]) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ApiError, String(error));
    assert.equal(error.status, 422);
    assert.equal(error.code, 'rule_violation');
    const got = (error.details!.rules as { rule: string; ok: boolean }[]);
    assert.deepEqual(got.map((r) => r.rule).sort(), [...rules].sort());
    assert.ok(got.every((r) => r.ok === false && typeof (r as { message?: string }).message === 'string'));
    return true;
  });
}

for (const target of await databaseTargets()) {
  describe(`credits domain on ${target.label}`, () => {
    let db: Database;
    let studio: Studio;
    let t: string;
    const tx = <T>(fn: (sql: TransactionSql) => Promise<T>) => db.sql.begin(fn) as Promise<T>;
    const credits = async (passId: string) =>
      (await db.sql`select credits_left from passes where tenant_id = ${t} and id = ${passId}`)[0]!.credits_left as number | null;
    const entries = async (passId: string) => [...await db.sql<{ type: string; delta: number; balance_after: number; cycle: number | null; entry_no: number }[]>`
      select type, delta, balance_after, cycle, entry_no from credit_ledger where tenant_id = ${t} and pass_id = ${passId} order by entry_no`];
    const buy = (customerId: string, productId: string, at: Date, paymentStatus: 'paid' | 'pending' | 'failed' = 'paid') =>
      tx((sql) => purchasePass(sql, { tenantId: t, customerId, productId, channel: 'admin', paymentStatus, at, actor: studio.staffId }))
        .then((r) => r.pass.id);
    const book = (customerId: string, classId: string, now: Date, passId?: string) =>
      tx((sql) => bookClass(sql, { tenantId: t, customerId, classId, passId, actor: studio.staffId, now }));
    const summaryOf = async (passId: string, asOf?: Date) => {
      const [pass] = await db.sql<{ id: string; starts_at: Date; expires_at: Date | null; credits_left: number | null; current_cycle: number | null; billing_cycle_days: number | null }[]>`
        select p.id, p.starts_at, p.expires_at, p.credits_left, p.current_cycle, pr.billing_cycle_days
        from passes p join products pr on pr.tenant_id = p.tenant_id and pr.id = p.product_id
        where p.tenant_id = ${t} and p.id = ${passId}`;
      const [tenant] = await db.sql<{ id: string; timezone: string }[]>`select id, timezone from tenants where id = ${t}`;
      return usageSummary(db.sql, tenant!, pass!, asOf);
    };

    before(async () => {
      db = await target.open();
      studio = await createStudio(db.sql, { timezone: 'Europe/London', freeCancelHours: 12 });
      t = studio.tenantId;
    });
    after(async () => {
      assert.deepEqual((await verify(db.sql)).problems, [], 'every ledger invariant holds after the suite');
      await db.close();
    });

    test('a paid purchase grants its credits; pending and failed grant nothing until paid; unlimited keeps no ledger', async () => {
      const jane = await studio.customer();
      const pack = await studio.product({ credits: 5 });
      const unlimited = await studio.product({ kind: 'membership', credits: null });
      const at = new Date('2026-01-05T10:00:00Z');
      const paid = await buy(jane, pack, at);
      assert.equal(await credits(paid), 5);
      assert.deepEqual((await entries(paid)).map((e) => [e.type, e.delta, e.balance_after]), [['grant', 5, 5]]);

      const pending = await buy(jane, pack, at, 'pending');
      const failed = await buy(jane, pack, at, 'failed');
      assert.equal(await credits(pending), 0);
      assert.equal(await credits(failed), 0);
      assert.deepEqual(await entries(pending), []);
      await tx((sql) => confirmPayment(sql, { tenantId: t, passId: pending, actor: studio.staffId }));
      await tx((sql) => confirmPayment(sql, { tenantId: t, passId: pending, actor: studio.staffId }));
      assert.equal(await credits(pending), 5, 'granted once, however often the payment is confirmed');

      const open = await buy(jane, unlimited, at);
      assert.equal(await credits(open), null);
      assert.deepEqual(await entries(open), []);
    });

    test('a booking uses the eligible pass that expires soonest; an unlimited pass records it with no debit', async () => {
      const jane = await studio.customer();
      const now = new Date('2026-02-01T10:00:00Z');
      const long = await buy(jane, await studio.product({ credits: 10, validity_days: 120 }), now);
      const short = await buy(jane, await studio.product({ credits: 10, validity_days: 30 }), now);
      const pilatesOnly = await buy(jane, await studio.product({ credits: 10, validity_days: 10, class_types: ['pilates'] }), now);
      const yoga = await studio.cls({ starts_at: '2026-02-03T18:00:00Z', credit_cost: 2 });
      const check = await checkEligibility(db.sql, { tenantId: t, customerId: jane, classId: yoga, now });
      assert.deepEqual(check.eligible.map((p) => p.id), [short, long], 'soonest expiry first; the pilates pass does not cover yoga');
      const result = await book(jane, yoga, now);
      assert.equal(result.booking.pass_id, short);
      assert.equal(result.booking.credits_used, 2);
      assert.equal(await credits(short), 8);
      assert.equal(await credits(long), 10);
      assert.equal(await credits(pilatesOnly), 10);
      const [debit] = (await entries(short)).slice(-1);
      assert.deepEqual([debit!.type, debit!.delta, debit!.balance_after], ['booking', -2, 8]);

      const chosen = await book(jane, await studio.cls({ starts_at: '2026-02-04T18:00:00Z' }), now, long);
      assert.equal(chosen.booking.pass_id, long, 'a pass the caller names is used');
      assert.equal(await credits(long), 9);

      const sam = await studio.customer();
      const unlimited = await buy(sam, await studio.product({ kind: 'membership', credits: null }), now);
      const free = await book(sam, yoga, now);
      assert.equal(free.booking.pass_id, unlimited);
      assert.equal(free.booking.credits_used, 0);
      assert.equal(free.entry, null);
      assert.deepEqual(await entries(unlimited), []);

      // On the same expiry an unlimited pass goes first (it costs nothing), then the one with fewer credits left.
      const lee = await studio.customer();
      const five = await buy(lee, await studio.product({ credits: 5, validity_days: 30 }), now);
      const three = await buy(lee, await studio.product({ credits: 3, validity_days: 30 }), now);
      const anyClass = await buy(lee, await studio.product({ credits: null, validity_days: 30 }), now);
      const sameExpiry = await checkEligibility(db.sql, { tenantId: t, customerId: lee, classId: yoga, now });
      assert.deepEqual(sameExpiry.eligible.map((p) => p.id), [anyClass, three, five]);
    });

    test('can-book reports every rule, and a booking breaking one is 422 naming it', async () => {
      // Its own studio: the required waiver must not block the other tests.
      const main = studio;
      studio = await createStudio(db.sql);
      t = studio.tenantId;
      try {
        await canBookRules();
      } finally {
        studio = main;
        t = main.tenantId;
      }
    });

    async function canBookRules() {
      const now = new Date('2026-02-10T10:00:00Z');
      const waiver = await studio.policy({ name: 'Liability Waiver', required: true, versions: 2 });
      await studio.policy({ name: 'Photo Consent', required: false, versions: 1 });
      const jane = await studio.customer();
      await studio.accept(jane, waiver, 2);
      const yoga = await studio.cls({ starts_at: '2026-02-12T18:00:00Z', capacity: 1 });
      const all = ['class_open', 'product_covers_class', 'payment_ok', 'valid_at_class_time', 'credits_left', 'customer_active',
        'guest_profile', 'waivers_accepted', 'class_not_full', 'not_already_booked'];

      let check = await checkEligibility(db.sql, { tenantId: t, customerId: jane, classId: yoga, now });
      assert.deepEqual(check.checks.map((c) => c.rule), all);
      assert.equal(check.canBook, false);
      assert.deepEqual(check.checks.filter((c) => !c.ok && !c.skipped).map((c) => c.rule), ['product_covers_class']);
      await refused(book(jane, yoga, now), ['product_covers_class']);

      const pending = await buy(jane, await studio.product({ credits: 1 }), now, 'pending');
      await refused(book(jane, yoga, now), ['payment_ok']);
      await tx((sql) => confirmPayment(sql, { tenantId: t, passId: pending, actor: null }));
      // A pass ending the moment the class starts does not cover it: valid means it expires after the start.
      await tx((sql) => changeExpiry(sql, {
        tenantId: t, customerId: jane, passId: pending, expiresAt: new Date('2026-02-12T18:00:00Z'), reason: 'testing expiry', actor: studio.staffId, now,
      }));
      await refused(book(jane, yoga, now), ['valid_at_class_time']);
      await tx((sql) => changeExpiry(sql, {
        tenantId: t, customerId: jane, passId: pending, expiresAt: new Date('2026-03-12T17:00:00Z'), reason: 'testing expiry', actor: studio.staffId, now,
      }));
      await tx((sql) => adjustCredits(sql, { tenantId: t, customerId: jane, passId: pending, delta: -1, reason: 'testing credits', actor: studio.staffId, now }));
      await refused(book(jane, yoga, now), ['credits_left']);
      await tx((sql) => adjustCredits(sql, { tenantId: t, customerId: jane, passId: pending, delta: 2, reason: 'testing credits', actor: studio.staffId, now }));

      // An outdated waiver blocks (the current version is 3 now).
      await db.sql`insert into policy_versions (tenant_id, policy_id, version, title, body, published_at) values (${t}, ${waiver}, 3, 'v3', 'Text', now())`;
      await db.sql`update policies set current_version = 3 where tenant_id = ${t} and id = ${waiver}`;
      check = await checkEligibility(db.sql, { tenantId: t, customerId: jane, classId: yoga, now });
      const waiverCheck = check.checks.find((c) => c.rule === 'waivers_accepted')!;
      assert.equal(waiverCheck.ok, false);
      assert.match(waiverCheck.message, /Liability Waiver v3 not accepted \(v2 accepted\)/);
      await refused(book(jane, yoga, now), ['waivers_accepted']);
      await studio.accept(jane, waiver, 3);

      const booked = await book(jane, yoga, now);
      assert.equal(booked.booking.credits_used, 1);
      await refused(book(jane, yoga, now), ['not_already_booked', 'class_not_full']);

      const guest = await studio.customer({ is_guest: true });
      await studio.accept(guest, waiver, 3);
      await buy(guest, await studio.product({ credits: 3 }), now);
      const other = await studio.cls({ starts_at: '2026-02-13T18:00:00Z' });
      await refused(book(guest, other, now), ['guest_profile']);
      await db.sql`update customers set linked_profile_id = ${jane} where tenant_id = ${t} and id = ${guest}`;
      assert.equal((await book(guest, other, now)).booking.credits_used, 1);
      // A link to a profile since deleted is no link.
      const sam = await studio.customer();
      const samsGuest = await studio.customer({ is_guest: true, linked_profile_id: sam });
      await studio.accept(samsGuest, waiver, 3);
      await buy(samsGuest, await studio.product({ credits: 3 }), now);
      await db.sql`update customers set deleted_at = now() where tenant_id = ${t} and id = ${sam}`;
      await refused(book(samsGuest, other, now), ['guest_profile']);

      // An archived customer is unarchived before booking.
      await db.sql`update customers set archived = true where tenant_id = ${t} and id = ${jane}`;
      await refused(book(jane, other, now), ['customer_active']);
      await db.sql`update customers set archived = false where tenant_id = ${t} and id = ${jane}`;

      const started = await studio.cls({ starts_at: '2026-02-10T09:00:00Z' });
      await refused(book(jane, started, now), ['class_open', 'valid_at_class_time']); // the pass also starts after it
    }

    test('cancelling exactly at the free-cancellation deadline is free; a millisecond later is late unless waived with a reason', async () => {
      const now = new Date('2026-05-01T08:00:00Z');
      const jane = await studio.customer();
      const pass = await buy(jane, await studio.product({ credits: 10 }), now);
      const starts = new Date('2026-05-10T17:00:00Z'); // 18:00 in London (BST)
      const deadline = new Date(starts.getTime() - 12 * HOUR);
      const a = (await book(jane, await studio.cls({ starts_at: starts }), now)).booking.id;
      const b = (await book(jane, await studio.cls({ starts_at: starts, name: 'Yin' }), now)).booking.id;
      const c = (await book(jane, await studio.cls({ starts_at: starts, name: 'Hatha' }), now)).booking.id;
      assert.equal(await credits(pass), 7);

      // In time there is no fee to waive: a waiver asked for anyway needs no reason and is not recorded.
      const atDeadline = await tx((sql) => cancelBooking(sql, { tenantId: t, customerId: jane, bookingId: a, actor: studio.staffId, now: deadline, waiveLateFee: true }));
      assert.equal(atDeadline.deadline.getTime(), deadline.getTime());
      assert.equal(atDeadline.booking.status, 'cancelled_free');
      assert.equal(atDeadline.booking.late_fee_waived, false);
      assert.equal(atDeadline.credits_returned, 1);
      assert.equal(await credits(pass), 8);

      const late = new Date(deadline.getTime() + 1);
      // Told it was free, the person cancelling is refused once it is not, and nothing changes.
      await refused(tx((sql) => cancelBooking(sql, { tenantId: t, customerId: jane, bookingId: b, actor: studio.staffId, now: late, onlyIfFree: true })),
        ['free_window_open']);
      // Once the class has started, it is attended or a no-show: not cancelled, not even waived.
      await refused(tx((sql) => cancelBooking(sql, {
        tenantId: t, customerId: jane, bookingId: c, actor: studio.staffId, now: starts, waiveLateFee: true, reason: 'Studio heating failed',
      })), ['class_not_started']);
      assert.equal(await credits(pass), 8);
      const lateResult = await tx((sql) => cancelBooking(sql, { tenantId: t, customerId: jane, bookingId: b, actor: studio.staffId, now: late }));
      assert.equal(lateResult.booking.status, 'cancelled_late');
      assert.equal(lateResult.credits_returned, 0);
      assert.equal(await credits(pass), 8);

      await refused(tx((sql) => cancelBooking(sql, { tenantId: t, customerId: jane, bookingId: c, actor: studio.staffId, now: late, waiveLateFee: true, reason: 'no' })), ['reason_required']);
      const waived = await tx((sql) => cancelBooking(sql, {
        tenantId: t, customerId: jane, bookingId: c, actor: studio.staffId, now: late, waiveLateFee: true, reason: 'Studio heating failed',
      }));
      assert.equal(waived.booking.status, 'cancelled_late');
      assert.equal(waived.booking.late_fee_waived, true);
      assert.equal(waived.credits_returned, 1);
      assert.equal(await credits(pass), 9);
      const [audit] = await db.sql`select action, reason from audit_log where tenant_id = ${t} and target_id = ${c}`;
      assert.deepEqual({ ...audit }, { action: 'booking.waive_late_fee', reason: 'Studio heating failed' });
      await refused(tx((sql) => cancelBooking(sql, { tenantId: t, customerId: jane, bookingId: a, actor: studio.staffId, now: late })), ['booking_cancellable']);
    });

    test('credits given back to a pass whose expiry has passed expire at once: an expired pass holds none', async () => {
      const now = new Date('2026-07-01T08:00:00Z');
      const jane = await studio.customer();
      const pass = await buy(jane, await studio.product({ credits: 5 }), now);
      const id = (await book(jane, await studio.cls({ starts_at: new Date('2026-07-20T17:00:00Z') }), now)).booking.id;
      // Staff move the expiry before the class: the 4 credits left expire.
      await tx((sql) => changeExpiry(sql, {
        tenantId: t, customerId: jane, passId: pass, expiresAt: new Date('2026-07-05T00:00:00Z'), reason: 'Ended early', actor: studio.staffId,
        now: new Date('2026-07-06T08:00:00Z'),
      }));
      assert.equal(await credits(pass), 0);
      const result = await tx((sql) => cancelBooking(sql, { tenantId: t, customerId: jane, bookingId: id, actor: studio.staffId, now: new Date('2026-07-06T09:00:00Z') }));
      assert.equal(result.booking.status, 'cancelled_free');
      assert.equal(result.credits_returned, 1);
      assert.equal(result.credits_left, 0, 'given back, then expired with the pass');
      assert.deepEqual((await entries(pass)).slice(-2).map((e) => [e.type, e.delta, e.balance_after]), [['free_cancellation', 1, 1], ['expiry', -1, 0]]);
      assert.equal(await credits(pass), 0);
    });

    test('the window is counted on the tenant wall clock across a daylight-saving change', async () => {
      // London springs forward at 01:00 UTC on 29 March 2026. A 09:00 BST class (08:00 UTC) with a 12-hour window:
      // the deadline is 21:00 the evening before on the studio's clock (21:00 GMT = 21:00 UTC), 11 elapsed hours.
      const starts = new Date('2026-03-29T08:00:00Z');
      assert.equal((await freeCancelDeadline(db.sql, starts, 12, 'Europe/London')).toISOString(), '2026-03-28T21:00:00.000Z');
      assert.equal((await freeCancelDeadline(db.sql, starts, 12, 'UTC')).toISOString(), '2026-03-28T20:00:00.000Z');
      // Autumn back on 25 October 2026: 09:00 GMT class (09:00 UTC) → 21:00 BST the evening before (20:00 UTC), 13 hours.
      assert.equal((await freeCancelDeadline(db.sql, new Date('2026-10-25T09:00:00Z'), 12, 'Europe/London')).toISOString(), '2026-10-24T20:00:00.000Z');

      const jane = await studio.customer();
      const now = new Date('2026-03-20T10:00:00Z');
      await buy(jane, await studio.product({ credits: 5 }), now);
      const id = (await book(jane, await studio.cls({ starts_at: starts }), now)).booking.id;
      const result = await tx((sql) => cancelBooking(sql, {
        tenantId: t, customerId: jane, bookingId: id, actor: studio.staffId, now: new Date('2026-03-28T20:30:00Z'),
      }));
      assert.equal(result.booking.status, 'cancelled_free', '20:30 UTC is 20:30 GMT, before the 21:00 deadline');
    });

    test('an expiry date means the end of that day in the tenant timezone, not UTC', async () => {
      const now = new Date('2026-06-01T10:00:00Z');
      const jane = await studio.customer();
      const pass = await buy(jane, await studio.product({ credits: 5 }), now);
      const { pass: changed } = await tx((sql) => changeExpiry(sql, {
        tenantId: t, customerId: jane, passId: pass, expiresAt: { date: '2026-06-30' }, reason: 'Valid through June', actor: studio.staffId, now,
      }));
      assert.equal(changed.expires_at!.toISOString(), '2026-06-30T23:00:00.000Z', 'midnight in London (BST) is 23:00 UTC');
      const lateOnThe30th = await studio.cls({ starts_at: '2026-06-30T22:30:00Z' }); // 23:30 London, 30 June
      const earlyOnThe1st = await studio.cls({ starts_at: '2026-06-30T23:30:00Z' }); // 00:30 London, 1 July — still 30 June in UTC
      assert.equal((await checkEligibility(db.sql, { tenantId: t, customerId: jane, classId: lateOnThe30th, now })).canBook, true);
      const no = await checkEligibility(db.sql, { tenantId: t, customerId: jane, classId: earlyOnThe1st, now });
      assert.equal(no.checks.find((c) => c.rule === 'valid_at_class_time')!.ok, false);

      // The job expires the credits at that moment, and only then.
      const [{ n: before }] = await db.sql`select count(*)::int as n from credit_ledger where tenant_id = ${t} and pass_id = ${pass} and type = 'expiry'`;
      assert.equal(before, 0);
      await runCreditJobs(db.sql, { now: new Date('2026-06-30T22:59:59Z') });
      assert.equal(await credits(pass), 5);
      await runCreditJobs(db.sql, { now: new Date('2026-06-30T23:00:00Z') });
      assert.equal(await credits(pass), 0);
      const [expiry] = (await db.sql`select delta, occurred_at from credit_ledger where tenant_id = ${t} and pass_id = ${pass} and type = 'expiry'`);
      assert.equal(expiry!.delta, -5);
      assert.equal((expiry!.occurred_at as Date).toISOString(), '2026-06-30T23:00:00.000Z');
    });

    test('a membership renewal rolls over up to the cap, expires the rest, and numbers every entry by cycle', async () => {
      const start = new Date('2026-01-01T00:00:00Z');
      const jane = await studio.customer();
      const product = await studio.product({ kind: 'membership', credits: 8, billing_cycle_days: 30, rollover_cap: 4 });
      const pass = await buy(jane, product, start);
      await book(jane, await studio.cls({ starts_at: '2026-01-10T18:00:00Z' }), new Date('2026-01-05T10:00:00Z'));
      await book(jane, await studio.cls({ starts_at: '2026-01-11T18:00:00Z' }), new Date('2026-01-05T10:00:00Z'));
      assert.equal(await credits(pass), 6);

      assert.equal(await tx((sql) => renewCycle(sql, { tenantId: t, passId: pass, now: new Date('2026-01-30T23:59:59Z') })), null, 'not due yet');
      const renewal = await tx((sql) => renewCycle(sql, { tenantId: t, passId: pass, now: new Date('2026-01-31T00:00:00Z') }));
      assert.equal(renewal!.toCycle, 2);
      assert.equal(await tx((sql) => renewCycle(sql, { tenantId: t, passId: pass, now: new Date('2026-01-31T00:00:00Z') })), null, 'renews once');
      assert.deepEqual((await entries(pass)).map((e) => [e.type, e.delta, e.balance_after, e.cycle]), [
        ['grant', 8, 8, 1], ['booking', -1, 7, 1], ['booking', -1, 6, 1],
        ['expiry', -6, 0, 1], ['rollover', 4, 4, 2], ['grant', 8, 12, 2],
      ]);
      assert.equal(await credits(pass), 12);

      const { summary, cycles } = await summaryOf(pass);
      assert.deepEqual(summary, {
        starting_credits: 16, total_booked: 2, free_cancellations: 0, rollover_credits: 4, manual_changes: 0, expired: 6, voided: 0, credits_left: 12,
      });
      assert.deepEqual(cycles.map((c) => [c.number, c.current, c.summary.starting_credits, c.summary.rollover_credits, c.summary.expired, c.summary.credits_left]),
        [[2, true, 8, 4, 0, 12], [1, false, 8, 0, 6, 0]]);
      for (const c of cycles) assert.equal(identityLeft(c.summary), c.summary.credits_left);
      assert.equal(cycles[1]!.start.toISOString(), '2026-01-01T00:00:00.000Z');
      assert.equal(cycles[1]!.end.toISOString(), '2026-01-31T00:00:00.000Z');

      // Under the cap everything rolls over; the job catches up two overdue cycles, once.
      const job = await runCreditJobs(db.sql, { now: new Date('2026-04-01T00:00:00Z') });
      assert.ok(job.renewed >= 2);
      const rows = await entries(pass);
      assert.deepEqual(rows.slice(6).map((e) => [e.type, e.delta, e.cycle]), [
        ['expiry', -12, 2], ['rollover', 4, 3], ['grant', 8, 3], ['expiry', -12, 3], ['rollover', 4, 4], ['grant', 8, 4],
      ]);
      await runCreditJobs(db.sql, { now: new Date('2026-04-01T00:00:00Z') });
      assert.equal((await entries(pass)).length, rows.length, 'running the job again changes nothing');
      // Caught up late, cycle 4 still began when it was due: midnight on 1 April in London (BST), not when the job ran.
      const [row] = await db.sql<{ cycle_started_at: Date; next_billing_at: Date }[]>`
        select cycle_started_at, next_billing_at from passes where tenant_id = ${t} and id = ${pass}`;
      assert.deepEqual([row!.cycle_started_at.toISOString(), row!.next_billing_at.toISOString()],
        ['2026-03-31T23:00:00.000Z', '2026-04-30T23:00:00.000Z']);
      // Each renewal writes two activity rows in one transaction: newest first, they read as they happened,
      // each with its own count: of the 6 left in cycle 1, 4 rolled over and 2 expired.
      const activity = await activityPage(db.sql, { tenantId: t, customerId: jane, types: ['credits_expired', 'credits_rolled_over'], limit: 10 });
      assert.deepEqual(activity.map((a) => [a.type, a.data.cycle, a.data.expired ?? a.data.rolled_over]), [
        ['credits_rolled_over', 4, 4], ['credits_expired', 3, 8], ['credits_rolled_over', 3, 4], ['credits_expired', 2, 8],
        ['credits_rolled_over', 2, 4], ['credits_expired', 1, 2],
      ]);
      assert.match(activity.at(-1)!.summary, /^2 unused credits of .+ expired/);

      const asOf = await summaryOf(pass, new Date('2026-01-20T00:00:00Z'));
      assert.equal(asOf.summary.credits_left, 6, 'as_of gives the balance as it stood');
      assert.deepEqual(asOf.cycles.map((c) => [c.number, c.current]), [[1, true]], 'cycle 1 was the current one then');
      // As of the renewal itself, the cycle it began is there, with the credits it began with.
      const atRenewal = await summaryOf(pass, new Date('2026-01-31T00:00:00Z'));
      assert.deepEqual(atRenewal.cycles.map((c) => [c.number, c.summary.credits_left, c.current]), [[2, 12, true], [1, 0, false]]);
    });

    test('credits spent booking ahead into the next cycle and given back after the renewal are settled as the renewal would have: the cap holds', async () => {
      const start = new Date('2026-01-01T00:00:00Z');
      const jane = await studio.customer();
      const product = await studio.product({ kind: 'membership', credits: 8, billing_cycle_days: 30, rollover_cap: 4 });
      const pass = await buy(jane, product, start);
      // Day 28 of cycle 1: five classes in cycle 2 (days 35-39) booked with cycle 1's credits; 3 left unused.
      const day28 = new Date(start.getTime() + 28 * DAY);
      const ahead = [];
      for (let i = 0; i < 5; i++) ahead.push((await book(jane, await studio.cls({ starts_at: new Date(start.getTime() + (35 + i) * DAY) }), day28)).booking.id);
      const day31 = new Date(start.getTime() + 31 * DAY);
      await runCreditJobs(db.sql, { now: day31 });
      assert.equal(await credits(pass), 3 + 8, 'the renewal rolled the 3 unused over, under the cap of 4');
      const cancel = (bookingId: string) => tx((sql) => cancelBooking(sql, { tenantId: t, customerId: jane, bookingId, actor: studio.staffId, now: day31 }));

      // The first credit back fills the cap (3 rolled + 1); the others expire at once in cycle 1.
      assert.equal((await cancel(ahead[0]!)).credits_returned, 1);
      assert.equal((await cancel(ahead[1]!)).credits_returned, 0);
      assert.equal(await credits(pass), 12);
      assert.deepEqual((await entries(pass)).slice(-5).map((e) => [e.type, e.delta, e.cycle]), [
        ['free_cancellation', 1, 1], ['expiry', -1, 1], ['rollover', 1, 2],
        ['free_cancellation', 1, 1], ['expiry', -1, 1],
      ]);
      const { summary, cycles } = await summaryOf(pass);
      assert.equal(summary.credits_left, 12);
      const [cycle2, cycle1] = cycles.map((c) => c.summary);
      assert.deepEqual(cycle1, {
        starting_credits: 8, total_booked: 5, free_cancellations: 2, rollover_credits: 0, manual_changes: 0, expired: 5, voided: 0, credits_left: 0,
      }, 'a finished cycle still ends at 0');
      assert.deepEqual([cycle2!.rollover_credits, cycle2!.credits_left], [4, 12]);
      const [row] = await db.sql`select p.credits_left, ${creditsTotal(db.sql)} as credits_total from passes p where p.tenant_id = ${t} and p.id = ${pass}`;
      assert.deepEqual([row!.credits_left, row!.credits_total], [12, 12], '12 of 12 credits left, not 16 of 8');

      // A class booked in the current cycle still gives its credit back in full.
      const now = (await book(jane, await studio.cls({ starts_at: new Date(start.getTime() + 45 * DAY) }), day31)).booking.id;
      assert.equal((await cancel(now)).credits_returned, 1);
      assert.equal(await credits(pass), 12);
    });

    test('a refund voids the credits left; bookings made stay, and cancelling one later gives nothing back', async () => {
      const now = new Date('2026-07-01T10:00:00Z');
      const jane = await studio.customer();
      const pass = await buy(jane, await studio.product({ credits: 10 }), now);
      const ids: string[] = [];
      for (const day of [3, 4, 5]) ids.push((await book(jane, await studio.cls({ starts_at: new Date(now.getTime() + day * DAY) }), now)).booking.id);
      assert.equal(await credits(pass), 7);
      await tx((sql) => refundPass(sql, { tenantId: t, passId: pass, actor: studio.staffId, reason: 'Moved away' }));
      await tx((sql) => refundPass(sql, { tenantId: t, passId: pass, actor: studio.staffId, reason: 'Moved away' }));
      assert.equal(await credits(pass), 0);
      assert.deepEqual((await entries(pass)).slice(-1).map((e) => [e.type, e.delta, e.balance_after]), [['void', -7, 0]]);
      const { summary } = await summaryOf(pass);
      assert.deepEqual(summary, {
        starting_credits: 10, total_booked: 3, free_cancellations: 0, rollover_credits: 0, manual_changes: 0, expired: 0, voided: 7, credits_left: 0,
      });
      const [{ live }] = await db.sql`select count(*)::int as live from bookings where tenant_id = ${t} and pass_id = ${pass} and status = 'booked'`;
      assert.equal(live, 3);
      const cancel = await tx((sql) => cancelBooking(sql, { tenantId: t, customerId: jane, bookingId: ids[0]!, actor: studio.staffId, now }));
      assert.equal(cancel.booking.status, 'cancelled_free');
      assert.equal(cancel.credits_returned, 0);
      assert.equal(await credits(pass), 0);
      await refused(tx((sql) => adjustCredits(sql, { tenantId: t, customerId: jane, passId: pass, delta: 1, reason: 'goodwill credit', actor: studio.staffId })), ['pass_adjustable']);
      // Nor those of a pass the studio cancelled (a membership ended by the billing system).
      const ended = await buy(jane, await studio.product({ credits: 5 }), now);
      await db.sql`update passes set status = 'cancelled' where tenant_id = ${t} and id = ${ended}`;
      await refused(tx((sql) => adjustCredits(sql, { tenantId: t, customerId: jane, passId: ended, delta: 1, reason: 'goodwill credit', actor: studio.staffId })), ['pass_adjustable']);
      assert.equal(await credits(ended), 5);
    });

    test('an adjustment may take the balance to exactly zero, never below; it needs a reason and writes audit and activity', async () => {
      const now = new Date('2026-08-01T10:00:00Z');
      const jane = await studio.customer();
      const pass = await buy(jane, await studio.product({ credits: 3 }), now);
      // At least 5 characters once trimmed: 4, or 3 padded with spaces, say nothing.
      for (const reason of ['abc', 'abcd', '   abc   ']) {
        await refused(tx((sql) => adjustCredits(sql, { tenantId: t, customerId: jane, passId: pass, delta: -1, reason, actor: studio.staffId, now })), ['reason_required']);
      }
      await refused(tx((sql) => adjustCredits(sql, { tenantId: t, customerId: jane, passId: pass, delta: -4, reason: 'Duplicate purchase', actor: studio.staffId, now })), ['balance_not_negative']);
      assert.equal(await credits(pass), 3);
      const { entry } = await tx((sql) => adjustCredits(sql, { tenantId: t, customerId: jane, passId: pass, delta: -3, reason: 'Duplicate purchase', actor: studio.staffId, now }));
      assert.deepEqual([entry.type, entry.delta, entry.balance_after, entry.reason, entry.actor], ['manual', -3, 0, 'Duplicate purchase', studio.staffId]);
      assert.equal(await credits(pass), 0);
      await refused(tx((sql) => adjustCredits(sql, { tenantId: t, customerId: jane, passId: pass, delta: -1, reason: 'Duplicate purchase', actor: studio.staffId, now })), ['balance_not_negative']);
      const [audit] = await db.sql`select action, before, after, reason from audit_log where tenant_id = ${t} and target_id = ${pass} and action = 'credits.adjusted'`;
      assert.deepEqual(audit!.before, { credits_left: 3 });
      assert.equal(audit!.after.credits_left, 0);
      assert.equal(audit!.reason, 'Duplicate purchase');
      const [activity] = await db.sql`select type, actor from activity where tenant_id = ${t} and customer_id = ${jane} and type = 'credits_removed'`;
      assert.equal(activity!.actor, studio.staffId);

      const unlimited = await buy(jane, await studio.product({ kind: 'membership', credits: null }), now);
      await refused(tx((sql) => adjustCredits(sql, { tenantId: t, customerId: jane, passId: unlimited, delta: 1, reason: 'goodwill credit', actor: studio.staffId })), ['limited_pass']);
      // A product that carries no credits is not called unlimited.
      const video = await buy(jane, await studio.product({ kind: 'video', name: 'Yin video', credits: null }), now);
      await assert.rejects(tx((sql) => adjustCredits(sql, { tenantId: t, customerId: jane, passId: video, delta: 1, reason: 'goodwill credit', actor: studio.staffId })),
        { message: 'Yin video carries no credits: there are no credits to adjust.' });
    });

    test('a pass valid N days lasts to the end of the Nth day on the studio calendar, that evening included', async () => {
      const jane = await studio.customer();
      // Bought at 15:00 in London on 10 March: 30 days reach 9 April, which ends at midnight BST (23:00 UTC).
      const pass = await buy(jane, await studio.product({ credits: 5, validity_days: 30 }), new Date('2026-03-10T15:00:00Z'));
      const [row] = await db.sql<{ expires_at: Date }[]>`select expires_at from passes where tenant_id = ${t} and id = ${pass}`;
      assert.equal(row!.expires_at.toISOString(), '2026-04-09T23:00:00.000Z');
      // The evening class of that last day is still covered; the next morning's is not.
      const evening = await studio.cls({ starts_at: '2026-04-09T18:30:00Z' });
      const morning = await studio.cls({ starts_at: '2026-04-10T08:00:00Z' });
      const at = new Date('2026-04-09T16:00:00Z');
      assert.deepEqual((await checkEligibility(db.sql, { tenantId: t, customerId: jane, classId: evening, now: at })).eligible.map((p) => p.id), [pass]);
      assert.deepEqual((await checkEligibility(db.sql, { tenantId: t, customerId: jane, classId: morning, now: at })).eligible, []);
      // Bought at 00:30 on 1 June in London, still 31 May in UTC: the days count from the studio's date, 1 June.
      const afterMidnight = await buy(jane, await studio.product({ credits: 5, validity_days: 30 }), new Date('2026-05-31T23:30:00Z'));
      const [{ expires_at }] = await db.sql<{ expires_at: Date }[]>`select expires_at from passes where tenant_id = ${t} and id = ${afterMidnight}`;
      assert.equal(expires_at!.toISOString(), '2026-07-01T23:00:00.000Z');
    });

    test('a membership cycle is N days of the studio calendar at the time it began, across changes of the clocks', async () => {
      const jane = await studio.customer();
      const plan = await studio.product({ kind: 'membership', credits: 8, billing_cycle_days: 30 });
      const nextBilling = async (passId: string) => ((await db.sql<{ next_billing_at: Date }[]>`
        select next_billing_at from passes where tenant_id = ${t} and id = ${passId}`)[0]!.next_billing_at).toISOString();
      const renew = (passId: string, now: string) => tx((sql) => renewCycle(sql, { tenantId: t, passId, now: new Date(now) }));

      // Bought 1 March 2027 at 23:30 in London (GMT); the clocks go forward on 28 March. 30 days on is
      // 31 March at 23:30 BST (22:30 UTC), not 30×24 h later (1 April 00:30 BST), in the row and the cycles alike.
      const spring = await buy(jane, plan, new Date('2027-03-01T23:30:00Z'));
      assert.equal(await nextBilling(spring), '2027-03-31T22:30:00.000Z');
      const [first] = (await summaryOf(spring)).cycles;
      assert.deepEqual([first!.start.toISOString(), first!.end.toISOString()], ['2027-03-01T23:30:00.000Z', '2027-03-31T22:30:00.000Z']);
      assert.equal((await renew(spring, '2027-03-31T22:30:00Z'))!.toCycle, 2);
      assert.equal(await nextBilling(spring), '2027-04-30T22:30:00.000Z');
      assert.deepEqual((await summaryOf(spring)).cycles.map((c) => [c.number, c.start.toISOString(), c.end.toISOString()]), [
        [2, '2027-03-31T22:30:00.000Z', '2027-04-30T22:30:00.000Z'], [1, '2027-03-01T23:30:00.000Z', '2027-03-31T22:30:00.000Z'],
      ]);

      // And back: 10:00 BST on 1 October 2027 renews at 10:00 GMT on 31 October.
      assert.equal(await nextBilling(await buy(jane, plan, new Date('2027-10-01T09:00:00Z'))), '2027-10-31T10:00:00.000Z');

      // Bought at 01:30 on 26 February, the first renewal falls in the hour skipped on 28 March and comes at
      // 02:30 BST, as PostgreSQL reads that time; the next is counted from the start, at 01:30 again.
      const skipped = await buy(jane, plan, new Date('2027-02-26T01:30:00Z'));
      assert.equal(await nextBilling(skipped), '2027-03-28T01:30:00.000Z');
      await renew(skipped, '2027-03-28T01:30:00Z');
      assert.equal(await nextBilling(skipped), '2027-04-27T00:30:00.000Z');

      // Santiago changes its clocks at midnight. Bought at 00:30 on 7 August 2026 (-04): 6 September 00:30 is
      // skipped and read as 01:30 (-03); the next cycle ends at 00:30 on 6 October. Bought at 23:30 on 5 March
      // (-03): 4 April 23:30 happens twice, and the cycle ends at the second (-04).
      const chile = await createStudio(db.sql, { timezone: 'America/Santiago' });
      const ana = await chile.customer();
      const chilePlan = await chile.product({ kind: 'membership', credits: 8, billing_cycle_days: 30 });
      const buyInChile = (at: string) => db.sql.begin((sql) => purchasePass(sql, {
        tenantId: chile.tenantId, customerId: ana, productId: chilePlan, channel: 'admin', paymentStatus: 'paid', at: new Date(at), actor: chile.staffId,
      })).then((r) => r.pass);
      const august = await buyInChile('2026-08-07T04:30:00Z');
      assert.equal(august.next_billing_at!.toISOString(), '2026-09-06T04:30:00.000Z');
      const renewed = await db.sql.begin((sql) => renewCycle(sql, { tenantId: chile.tenantId, passId: august.id, now: new Date('2026-09-06T04:30:00Z') }));
      assert.equal(renewed!.toCycle, 2);
      const [{ next_billing_at: october }] = await db.sql<{ next_billing_at: Date }[]>`
        select next_billing_at from passes where tenant_id = ${chile.tenantId} and id = ${august.id}`;
      assert.equal(october!.toISOString(), '2026-10-06T03:30:00.000Z');
      assert.equal((await buyInChile('2026-03-06T02:30:00Z')).next_billing_at!.toISOString(), '2026-04-05T03:30:00.000Z');
    });

    test('credits of a pass past its expiry do not change until the expiry moves into the future', async () => {
      const now = new Date('2026-08-01T10:00:00Z');
      const jane = await studio.customer();
      const pass = await buy(jane, await studio.product({ credits: 5, validity_days: 10 }), now);
      const later = new Date(now.getTime() + 11 * DAY);
      const adjust = (delta: number, at: Date) =>
        tx((sql) => adjustCredits(sql, { tenantId: t, customerId: jane, passId: pass, delta, reason: 'goodwill credits', actor: studio.staffId, now: at }));
      // Past its expiry, before the job has expired it, and after.
      await refused(adjust(2, later), ['pass_not_expired']);
      await runCreditJobs(db.sql, { now: later });
      await refused(adjust(2, later), ['pass_not_expired']);
      await refused(adjust(-1, later), ['pass_not_expired']);
      assert.deepEqual((await entries(pass)).map((e) => [e.type, e.delta]), [['grant', 5], ['expiry', -5]]);
      const extend = (reason: string) => tx((sql) => changeExpiry(sql, {
        tenantId: t, customerId: jane, passId: pass, expiresAt: new Date(later.getTime() + 30 * DAY), reason, actor: studio.staffId, now: later,
      }));
      await refused(extend('abcd'), ['reason_required']);
      await extend('Injury break');
      // Valid again, it books again: the pass is active, not only later-dated.
      const [{ status }] = await db.sql`select status from passes where tenant_id = ${t} and id = ${pass}`;
      assert.equal(status, 'active');
      const { entry } = await adjust(2, later);
      assert.deepEqual([entry.type, entry.delta, entry.balance_after], ['manual', 2, 2]);
    });

    test("the expiry job skips while another instance holds its lock, dates the expiry at the pass's end, and is idempotent", async () => {
      const jane = await studio.customer();
      const pass = await buy(jane, await studio.product({ credits: 4, validity_days: 10 }), new Date('2026-09-01T00:00:00Z'));
      const now = new Date('2026-09-20T00:00:00Z');
      let inside: (() => void) | undefined;
      const held = new Promise<void>((resolve) => { inside = resolve; });
      let release: () => void = () => {};
      const holder = db.kind === 'server'
        ? db.sql.begin(async (sql) => {
          await sql`select pg_advisory_xact_lock(hashtext(${CREDIT_JOBS_LOCK}))`;
          inside!();
          await new Promise<void>((resolve) => { release = resolve; });
        })
        : (inside!(), Promise.resolve());
      await held;
      if (db.kind === 'server') {
        const skipped = await runCreditJobs(db.sql, { now });
        assert.equal(skipped.ran, false);
        assert.equal(await credits(pass), 4);
      }
      release();
      await holder;
      const first = await runCreditJobs(db.sql, { now });
      assert.ok(first.expiredCredits >= 4);
      // Nothing is due the second time: a pass expired, or emptied, is not taken up again.
      assert.deepEqual(await runCreditJobs(db.sql, { now }), { ran: true, renewed: 0, expiredPasses: 0, expiredCredits: 0 });
      assert.equal(await credits(pass), 0);
      const [{ status }] = await db.sql`select status from passes where tenant_id = ${t} and id = ${pass}`;
      assert.equal(status, 'expired');
      // Valid 10 days from 1 September, it ended with 11 September in London (23:00 UTC): the credits went then, not when the job ran.
      const [expiry] = await db.sql`select occurred_at from credit_ledger where tenant_id = ${t} and pass_id = ${pass} and type = 'expiry'`;
      assert.equal((expiry!.occurred_at as Date).toISOString(), '2026-09-11T23:00:00.000Z');
      const [activity] = await activityPage(db.sql, { tenantId: t, customerId: jane, types: ['credits_expired'], limit: 10 });
      assert.deepEqual([activity!.data.expired, activity!.actor], [4, null]);
      assert.match(activity!.summary, /^4 unused credits of .+ expired/);
    });

    test('the expiry job works through every due pass however small its batch, and leaves the credits of a cancelled pass alone', async () => {
      const jane = await studio.customer();
      const pack = await studio.product({ credits: 3, validity_days: 10 });
      // Bought years before the other tests' passes: the first the job takes.
      const bought = new Date('2020-01-01T12:00:00Z');
      const due = [await buy(jane, pack, bought), await buy(jane, pack, bought), await buy(jane, pack, bought)];
      const cancelled = await buy(jane, pack, bought);
      await db.sql`update passes set status = 'cancelled' where tenant_id = ${t} and id = ${cancelled}`;
      await runCreditJobs(db.sql, { now: new Date('2020-02-01T00:00:00Z'), batch: 2 });
      for (const pass of due) assert.equal(await credits(pass), 0, 'expired in the second batch of the same run');
      assert.equal(await credits(cancelled), 3);
      assert.deepEqual((await entries(cancelled)).map((e) => e.type), ['grant']);
      const [{ status }] = await db.sql`select status from passes where tenant_id = ${t} and id = ${cancelled}`;
      assert.equal(status, 'cancelled');
    });

    test('only an active, paid membership renews: a pending, failed or cancelled one keeps its cycle and is granted nothing', async () => {
      const jane = await studio.customer();
      const plan = await studio.product({ kind: 'membership', credits: 8, billing_cycle_days: 30, rollover_cap: 4 });
      const bought = new Date('2025-01-01T10:00:00Z');
      const pending = await buy(jane, plan, bought, 'pending');
      const failed = await buy(jane, plan, bought, 'failed');
      const cancelled = await buy(jane, plan, bought);
      await db.sql`update passes set status = 'cancelled' where tenant_id = ${t} and id = ${cancelled}`;
      await runCreditJobs(db.sql, { now: new Date('2025-03-01T00:00:00Z') });
      const rows = await db.sql<{ id: string; current_cycle: number; credits_left: number }[]>`
        select id, current_cycle, credits_left from passes where tenant_id = ${t} and id in ${db.sql([pending, failed, cancelled])}`;
      const byId = new Map(rows.map((r) => [r.id, [r.current_cycle, r.credits_left]]));
      assert.deepEqual([byId.get(pending), byId.get(failed), byId.get(cancelled)], [[1, 0], [1, 0], [1, 8]]);
      assert.deepEqual(await entries(pending), []);
    });

    test('a membership ends with its pass: no cycle begins at its end, a cycle it cuts short ends there, and without a cap nothing rolls over', async () => {
      const jane = await studio.customer();
      // Bought at midnight in London on 1 January 2025 (GMT): 30-day cycles end on 31 January and 2 March.
      const bought = new Date('2025-01-01T00:00:00Z');
      const plan = (validity_days: number) => studio.product({ kind: 'membership', credits: 8, billing_cycle_days: 30, validity_days, rollover_cap: null });
      // Valid 59 days, through 1 March: the pass ends as its second cycle does.
      const full = await buy(jane, await plan(59), bought);
      // Valid 44 days, through 14 February: the pass ends half way through its second cycle.
      const cut = await buy(jane, await plan(44), bought);
      await runCreditJobs(db.sql, { now: new Date('2025-03-10T00:00:00Z') });
      const [{ current_cycle, status }] = await db.sql`select current_cycle, status from passes where tenant_id = ${t} and id = ${full}`;
      assert.deepEqual([current_cycle, status], [2, 'expired']);
      assert.deepEqual((await entries(full)).map((e) => [e.type, e.delta, e.cycle]), [
        ['grant', 8, 1], ['expiry', -8, 1], ['grant', 8, 2], ['expiry', -8, 2],
      ]);
      assert.deepEqual((await summaryOf(cut)).cycles.map((c) => [c.number, c.start.toISOString(), c.end.toISOString()]), [
        [2, '2025-01-31T00:00:00.000Z', '2025-02-15T00:00:00.000Z'], [1, '2025-01-01T00:00:00.000Z', '2025-01-31T00:00:00.000Z'],
      ]);
    });

    test('the ledger refuses updates and deletes', async () => {
      const [row] = await db.sql`select id from credit_ledger where tenant_id = ${t} limit 1`;
      await assert.rejects(db.sql`update credit_ledger set delta = 99 where tenant_id = ${t} and id = ${row!.id}`, /append-only/);
      await assert.rejects(db.sql`delete from credit_ledger where tenant_id = ${t} and id = ${row!.id}`, /append-only/);
    });
  });
}
