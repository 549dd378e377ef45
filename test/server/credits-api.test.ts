import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../../server/app.ts';
import { creditsTotal } from '../../server/data/passes.ts';
import type { Database } from '../../server/db/connect.ts';
import { purchasePass } from '../../server/domain/purchases.ts';
import { verify } from '../../server/verify.ts';
import { call } from '../support/api.ts';
import { freeCancelDeadline } from '../../server/domain/cancellation.ts';
import { createStudio, DAY, HOUR, type Studio } from '../support/credit-fixtures.ts';
import { databaseTargets } from '../support/databases.ts';

for (const target of await databaseTargets()) {
  describe(`credits API on ${target.label}`, () => {
    let db: Database;
    let app: ReturnType<typeof createApp>;
    let studio: Studio;
    let other: Studio;
    let full: string;
    let readOnly: string;
    let bookOnly: string;
    let otherKey: string;
    let jane: string;
    let pack: string;
    let membership: string;
    let otherCustomer: string;
    let otherPass: string;
    const now = Date.now();

    const get = (path: string, token: string | null = full) => call(app, 'GET', path, { token });
    const send = (method: string, path: string, body: unknown, token: string | null = full, headers?: Record<string, string>) =>
      call(app, method, path, { token, body, headers });
    const buy = async (s: Studio, customerId: string, productId: string, at = new Date(now - DAY)) =>
      (await db.sql.begin((sql) => purchasePass(sql, {
        tenantId: s.tenantId, customerId, productId, channel: 'online', paymentStatus: 'paid', at, actor: null,
      }))).pass.id;
    const rules = (body: any) => body.error.details.rules.map((r: { rule: string }) => r.rule).sort();

    before(async () => {
      db = await target.open();
      app = createApp({ sql: db.sql, log: () => {} });
      studio = await createStudio(db.sql, { timezone: 'Europe/London' });
      other = await createStudio(db.sql, { timezone: 'Europe/Berlin', name: 'Other Studio' });
      full = await studio.key();
      readOnly = await studio.key(['passes:read', 'bookings:read']);
      bookOnly = await studio.key(['bookings:read', 'bookings:write']);
      otherKey = await other.key();
      jane = await studio.customer({ firstname: 'Jane' });
      pack = await buy(studio, jane, await studio.product({ name: '10 Class Pack', credits: 10, validity_days: 90 }));
      membership = await buy(studio, jane, await studio.product({
        name: '8 Classes a Month', kind: 'membership', credits: 8, billing_cycle_days: 30, rollover_cap: 4,
      }), new Date(now - 40 * DAY));
      otherCustomer = await other.customer();
      otherPass = await buy(other, otherCustomer, await other.product({ credits: 5 }));
    });
    after(async () => {
      const result = await verify(db.sql);
      assert.deepEqual(result.problems, [], 'verify is clean after the suite');
      await db.close();
    });

    test('GET passes lists the purchases with product, status, credits, channel, payment and amount', async () => {
      const reply = await get(`/api/customer/${jane}/passes`);
      assert.equal(reply.status, 200, reply.text);
      assert.equal(reply.body.data.length, 2);
      assert.equal(reply.body.next_cursor, null);
      const packRow = reply.body.data.find((p: any) => p.id === pack);
      assert.deepEqual(
        Object.keys(packRow).sort(),
        ['amount', 'channel', 'credits_left', 'credits_total', 'currency', 'current_cycle', 'cycle_started_at', 'etag', 'expires_at', 'id',
          'next_billing_at', 'payment_status', 'product', 'purchased_at', 'starts_at', 'status', 'type', 'unlimited'].sort(),
      );
      assert.equal(packRow.type, 'pass');
      assert.deepEqual([packRow.product.name, packRow.product.kind], ['10 Class Pack', 'pass']);
      assert.deepEqual([packRow.status, packRow.credits_total, packRow.credits_left, packRow.channel, packRow.payment_status, packRow.amount],
        ['active', 10, 10, 'online', 'paid', 10000]);

      const page1 = await get(`/api/customer/${jane}/passes?limit=1`);
      assert.equal(page1.body.data.length, 1);
      const page2 = await get(`/api/customer/${jane}/passes?limit=1&cursor=${page1.body.next_cursor}`);
      assert.equal(page2.body.data.length, 1);
      assert.notEqual(page2.body.data[0].id, page1.body.data[0].id);
      assert.equal((await get(`/api/customer/${jane}/passes?status=expired`)).body.data.length, 0);
      assert.equal((await get(`/api/customer/${jane}/passes?status=soon`)).status, 400);

      const one = await get(`/api/customer/${jane}/passes/${pack}`);
      assert.equal(one.status, 200);
      assert.deepEqual(one.body.data, packRow);
    });

    test('401 without a credential, 403 naming the scope, 404 for another tenant or customer', async () => {
      assert.equal((await get(`/api/customer/${jane}/passes`, null)).status, 401);
      const forbidden = await get(`/api/customer/${jane}/passes`, bookOnly);
      assert.equal(forbidden.status, 403);
      assert.equal(forbidden.body.error.details.scope, 'passes:read');
      const write = await send('POST', `/api/customer/${jane}/passes/${pack}/adjustments`, { delta: 1, reason: 'Goodwill credit' }, readOnly);
      assert.equal(write.status, 403);
      assert.equal(write.body.error.details.scope, 'credits:write');
      assert.equal((await send('POST', `/api/customer/${jane}/bookings`, { class_id: 'cls_x' }, readOnly)).body.error.details.scope, 'bookings:write');
      for (const path of [`/api/customer/${otherCustomer}/passes`, `/api/customer/${otherCustomer}/passes/${otherPass}/credit-usage`,
        `/api/customer/${jane}/passes/${otherPass}`, `/api/customer/${jane}/passes/${otherPass}/credit-usage`,
        `/api/customer/${jane}/bookings`]) {
        const reply = await get(path, path.includes(jane) && path.endsWith('bookings') ? otherKey : full);
        assert.equal(reply.status, 404, path);
        assert.equal(reply.body.error.code, 'not_found');
      }
      const adjustOther = await send('POST', `/api/customer/${jane}/passes/${otherPass}/adjustments`, { delta: 1, reason: 'Goodwill credit' });
      assert.equal(adjustOther.status, 404);
    });

    test('adjustments: reason required, never below zero (422 with the rule), audit and activity, Idempotency-Key replays', async () => {
      const path = `/api/customer/${jane}/passes/${pack}/adjustments`;
      const missing = await send('POST', path, { delta: 2 });
      assert.equal(missing.status, 400);
      assert.deepEqual(missing.body.error.details.fields.map((f: any) => f.path), ['reason']);
      assert.equal((await send('POST', path, { delta: 2, reason: '  abc  ' })).status, 400);
      assert.equal((await send('POST', path, { delta: 0, reason: 'Nothing at all' })).status, 400);
      assert.equal((await send('POST', path, { delta: 2, reason: 'Goodwill credit', balance_after: 99 })).status, 400);

      const below = await send('POST', path, { delta: -11, reason: 'Duplicate purchase' });
      assert.equal(below.status, 422);
      assert.equal(below.body.error.code, 'rule_violation');
      assert.deepEqual(below.body.error.details.rules[0].ok, false);
      assert.deepEqual(rules(below.body), ['balance_not_negative']);

      const headers = { 'Idempotency-Key': `adjust-${now}` };
      const first = await send('POST', path, { delta: 2, reason: 'Promised courtesy credit' }, full, headers);
      assert.equal(first.status, 201, first.text);
      assert.equal(first.body.data.entry.delta, 2);
      assert.equal(first.body.data.entry.balance_after, 12);
      assert.equal(first.body.data.entry.reason, 'Promised courtesy credit');
      assert.equal(first.body.data.pass.credits_left, 12);
      assert.equal(first.body.data.pass.credits_total, 12, 'a courtesy credit is given: 12 of 12 left, not 12 of 10');
      // Read for every pass shown, the total comes from the ledger's running totals, not the pass's whole ledger.
      const plan = JSON.stringify(await db.sql`explain (format json) select ${creditsTotal(db.sql)} from passes p
        where p.tenant_id = ${studio.tenantId} and p.id = ${pack}`);
      assert.match(plan, /credit_totals/);
      assert.doesNotMatch(plan, /credit_ledger/);
      assert.equal(first.body.data.summary.manual_changes, 2);
      assert.equal(first.body.data.summary.credits_left, 12);
      const replay = await send('POST', path, { delta: 2, reason: 'Promised courtesy credit' }, full, headers);
      assert.equal(replay.status, 201);
      assert.equal(replay.text, first.text, 'the stored answer, byte for byte');
      assert.equal(replay.headers.get('idempotent-replayed'), 'true');
      const reused = await send('POST', path, { delta: 3, reason: 'Promised courtesy credit' }, full, headers);
      assert.equal(reused.status, 422);
      const [{ n }] = await db.sql`select count(*)::int as n from credit_ledger where tenant_id = ${studio.tenantId} and pass_id = ${pack} and type = 'manual'`;
      assert.equal(n, 1, 'one entry however often it is replayed');

      const [audit] = await db.sql`select actor, action, before, after, reason from audit_log where tenant_id = ${studio.tenantId} and target_id = ${pack}`;
      assert.equal(audit!.action, 'credits.adjusted');
      assert.deepEqual(audit!.before, { credits_left: 10 });
      assert.equal(audit!.after.credits_left, 12);
      assert.equal(audit!.reason, 'Promised courtesy credit');
      const [activity] = await db.sql`select type, summary from activity where tenant_id = ${studio.tenantId} and customer_id = ${jane} and type = 'credits_added'`;
      assert.match(activity!.summary, /2 credits added to 10 Class Pack \(10 → 12\): Promised courtesy credit/);
    });

    test('credit-usage: the summary adds up, entries newest first, filters, cursor paging and as_of', async () => {
      // 30 more entries on the pack: 15 removals and 15 additions, one by one.
      for (let i = 0; i < 15; i++) {
        assert.equal((await send('POST', `/api/customer/${jane}/passes/${pack}/adjustments`, { delta: -1, reason: `Correction ${i}` })).status, 201);
        assert.equal((await send('POST', `/api/customer/${jane}/passes/${pack}/adjustments`, { delta: 1, reason: `Goodwill ${i}` })).status, 201);
      }
      const base = `/api/customer/${jane}/passes/${pack}/credit-usage`;
      const reply = await get(base);
      assert.equal(reply.status, 200, reply.text);
      const { summary, entries, cycles, filter } = reply.body.data;
      assert.deepEqual(filter, { type: 'all', cycle: null });
      assert.deepEqual(cycles, []);
      assert.deepEqual(summary, {
        starting_credits: 10, total_booked: 0, free_cancellations: 0, rollover_credits: 0, manual_changes: 2, expired: 0, voided: 0, credits_left: 12,
      });
      assert.equal(summary.starting_credits - summary.total_booked + summary.free_cancellations + summary.rollover_credits +
        summary.manual_changes - summary.expired - summary.voided, summary.credits_left);
      assert.equal(entries.length, 25);
      assert.deepEqual(Object.keys(entries[0]).sort(), ['actor', 'balance_after', 'booking', 'cycle', 'delta', 'id', 'occurred_at', 'reason', 'type']);
      assert.equal(entries[0].reason, 'Goodwill 14');
      assert.equal(entries[0].actor.name, 'test 20');
      assert.ok(entries.every((e: any, i: number) => i === 0 || e.occurred_at <= entries[i - 1].occurred_at));

      // Every entry exactly once across the pages; the balance chains from the oldest up.
      const seen: any[] = [...entries];
      let cursor = reply.body.next_cursor;
      while (cursor) {
        const next = await get(`${base}?cursor=${cursor}`);
        assert.equal(next.status, 200);
        seen.push(...next.body.data.entries);
        cursor = next.body.next_cursor;
      }
      assert.equal(seen.length, 32);
      assert.equal(new Set(seen.map((e) => e.id)).size, 32);
      const chain = [...seen].reverse();
      chain.reduce((balance, e) => (assert.equal(e.balance_after, balance + e.delta), e.balance_after), 0);

      const manual = await get(`${base}?type=manual&limit=100`);
      assert.equal(manual.body.data.entries.length, 31);
      assert.ok(manual.body.data.entries.every((e: any) => e.type === 'manual' && e.reason && e.actor));
      assert.deepEqual(manual.body.data.summary, summary, 'the type filter narrows the list, not the summary');
      assert.equal((await get(`${base}?type=booking`)).body.data.entries.length, 0);

      const grantAt = seen.at(-1).occurred_at;
      const past = await get(`${base}?as_of=${encodeURIComponent(grantAt)}`);
      assert.equal(past.body.data.summary.credits_left, 10);
      assert.equal(past.body.data.entries.length, 1);

      for (const bad of ['type=bogus', 'cycle=0', 'as_of=yesterday', 'limit=101', 'cursor=xyz', 'extra=1']) {
        const refused = await get(`${base}?${bad}`);
        assert.equal(refused.status, 400, bad);
        assert.equal(refused.body.error.code, 'invalid_request');
      }
    });

    test('credit-usage of a membership has cycles with their own summaries and a cycle filter, on screen and in the CSV report', async () => {
      const { runCreditJobs } = await import('../../server/domain/expiry.ts');
      await runCreditJobs(db.sql);
      const reply = await get(`/api/customer/${jane}/passes/${membership}/credit-usage`);
      assert.equal(reply.status, 200, reply.text);
      const { cycles, summary } = reply.body.data;
      assert.deepEqual(cycles.map((c: any) => c.number), [2, 1]);
      assert.deepEqual(cycles[1].summary, {
        starting_credits: 8, total_booked: 0, free_cancellations: 0, rollover_credits: 0, manual_changes: 0, expired: 8, voided: 0, credits_left: 0,
      });
      assert.deepEqual(cycles[0].summary, {
        starting_credits: 8, total_booked: 0, free_cancellations: 0, rollover_credits: 4, manual_changes: 0, expired: 0, voided: 0, credits_left: 12,
      });
      assert.equal(summary.credits_left, 12);
      const cycle1 = await get(`/api/customer/${jane}/passes/${membership}/credit-usage?cycle=1`);
      assert.deepEqual(cycle1.body.data.summary, cycles[1].summary);
      assert.deepEqual(cycle1.body.data.entries.map((e: any) => [e.type, e.delta, e.cycle]), [['expiry', -8, 1], ['grant', 8, 1]]);
      // The report of cycle 1 names it, sums that cycle as the screen does, and lists its entries only.
      const csv = await call(app, 'GET', `/api/customer/${jane}/passes/${membership}/credit-usage.csv?cycle=1`, { token: full });
      assert.match(csv.headers.get('content-disposition')!, new RegExp(`filename="credit-usage_${membership}_all_cycle-1\\.csv"$`));
      const lines = csv.text.trimEnd().split('\r\n');
      assert.equal(lines[4], 'Filter,All usage; Cycle 1');
      assert.deepEqual(lines.slice(6, 14), ['Starting credits,8', 'Total booked,0', 'Free cancellations,0', 'Rollover credits,0',
        'Manual changes,0', 'Expired,8', 'Voided (refund),0', 'Credits left,0']);
      const rows = lines.slice(lines.indexOf('') + 2).map((line) => line.split(',').slice(3, 7));
      assert.deepEqual(rows, [['Expired', '-8', '0', '1'], ['Granted', '8', '8', '1']], 'type, change, balance and cycle');
      // A cycle not reached, or of a pass without cycles, has nothing: its summary is not the pass's.
      const zero = { starting_credits: 0, total_booked: 0, free_cancellations: 0, rollover_credits: 0, manual_changes: 0, expired: 0, voided: 0, credits_left: 0 };
      for (const path of [`${membership}/credit-usage?cycle=9`, `${pack}/credit-usage?cycle=3`]) {
        const none = await get(`/api/customer/${jane}/passes/${path}`);
        assert.deepEqual([none.body.data.summary, none.body.data.entries], [zero, []], path);
      }
    });

    test('the CSV export is a report: studio, customer, pass, filter and time, the summary on screen, then the filtered rows', async () => {
      const reply = await call(app, 'GET', `/api/customer/${jane}/passes/${pack}/credit-usage.csv?type=manual`, { token: full });
      assert.equal(reply.status, 200);
      assert.match(reply.headers.get('content-type')!, /^text\/csv/);
      assert.match(reply.headers.get('content-disposition')!, new RegExp(`^attachment; filename="credit-usage_${pack}_manual\\.csv"$`));
      const lines = reply.text.trimEnd().split('\r\n');
      const start = lines.indexOf('Entry,Date (UTC),Date (studio time),Type,Change,Balance,Cycle,Class,Class starts (studio time),Booking,Reason,By,Entry ID');
      assert.ok(start > 0, reply.text.slice(0, 600));
      assert.equal(lines[0], 'Credit usage report');
      assert.equal(lines[1], 'Studio,Test Studio');
      assert.match(lines[2]!, /^Customer,Jane Doe\d+ \(cust_\w+\)$/);
      assert.match(lines[3]!, /^Pass,10 Class Pack \(pass_\w+\)$/);
      assert.equal(lines[4], 'Filter,Added or removed manually; All cycles');
      assert.match(lines[5]!, /^As of,".+ \(Europe\/London\)"$/);
      // The summary is the JSON's, line for line, and its identity holds.
      const { summary } = (await get(`/api/customer/${jane}/passes/${pack}/credit-usage`)).body.data;
      const labels = ['Starting credits', 'Total booked', 'Free cancellations', 'Rollover credits', 'Manual changes', 'Expired',
        'Voided (refund)', 'Credits left'];
      assert.deepEqual(lines.slice(6, 14), labels.map((label, i) => `${label},${Object.values(summary)[i]}`));
      assert.equal(lines[14], '');
      const rows = lines.slice(start + 1).map((line) => line.split(','));
      assert.equal(rows.length, 31);
      assert.ok(rows.every((row) => row[3] === 'Manual change'));
      const all = await call(app, 'GET', `/api/customer/${jane}/passes/${pack}/credit-usage.csv`, { token: full });
      assert.equal(all.text.trimEnd().split('\r\n').length - start - 1, 32);
      assert.equal((await get(`/api/customer/${jane}/passes/${pack}/credit-usage.csv?limit=5`)).status, 400);
    });

    test('a German studio gets its credit-usage report in German; an unlimited pass has no summary to report', async () => {
      const berlin = await createStudio(db.sql, { timezone: 'Europe/Berlin', locale: 'de-DE', name: 'Studio Mitte' });
      const anna = await berlin.customer({ firstname: 'Anna' });
      const card = await buy(berlin, anna, await berlin.product({ name: '10er-Karte', credits: 10, validity_days: 90 }));
      const reply = await call(app, 'GET', `/api/customer/${anna}/passes/${card}/credit-usage.csv`, { token: await berlin.key() });
      const lines = reply.text.trimEnd().split('\r\n');
      assert.deepEqual(lines.slice(0, 2), ['Bericht zum Credit-Verbrauch', 'Studio,Studio Mitte']);
      assert.equal(lines[4], 'Filter,Gesamter Verbrauch; Alle Zyklen');
      assert.match(lines[5]!, /^Stand,".+ \(Europe\/Berlin\)"$/);
      assert.ok(lines.includes('Verbleibende Credits,10'));
      assert.match(lines.at(-1)!, /^1,[^,]+,[^,]+,Gutgeschrieben,10,10,/);

      const unlimited = await buy(berlin, anna, await berlin.product({ name: 'Flat', credits: null, validity_days: 30 }));
      const flat = await call(app, 'GET', `/api/customer/${anna}/passes/${unlimited}/credit-usage.csv`, { token: await berlin.key() });
      assert.equal(flat.status, 200);
      assert.ok(!flat.text.includes('Verbleibende Credits'), flat.text);
    });

    test('PATCH a pass changes its expiry with a reason; a date means the end of that day in the studio timezone', async () => {
      const path = `/api/customer/${jane}/passes/${pack}`;
      assert.deepEqual((await send('PATCH', path, { expires_at: '2099-06-30' })).body.error.details.fields.map((f: any) => f.path), ['reason']);
      const reply = await send('PATCH', path, { expires_at: '2099-06-30', reason: 'Injury: extended' });
      assert.equal(reply.status, 200, reply.text);
      assert.equal(reply.body.data.expires_at, '2099-06-30T23:00:00.000Z');
      const exact = await send('PATCH', path, { expires_at: '2099-01-15T12:00:00+01:00', reason: 'Injury: extended' });
      assert.equal(exact.body.data.expires_at, '2099-01-15T11:00:00.000Z');
      const [audit] = await db.sql`select reason from audit_log where tenant_id = ${studio.tenantId} and action = 'pass.expiry_changed'`;
      assert.equal(audit!.reason, 'Injury: extended');
      assert.equal((await send('PATCH', path, { expires_at: '1999-01-01', reason: 'Before it started' })).status, 422);
    });

    test("moving an expiry into the past expires the credits as the staff member's change: their name, their reason, dated now", async () => {
      const zoe = await studio.customer({ firstname: 'Zoe' });
      const pass = await buy(studio, zoe, await studio.product({ name: 'Six Pack', credits: 6, validity_days: 60 }), new Date(now - 10 * DAY));
      const before = new Date();
      const reply = await send('PATCH', `/api/customer/${zoe}/passes/${pass}`, {
        expires_at: new Date(now - 5 * DAY).toISOString(), reason: 'Sold in error, refunded at the desk',
      });
      assert.equal(reply.status, 200, reply.text);
      assert.equal(reply.body.data.credits_left, 0);
      const [expiry] = (await get(`/api/customer/${zoe}/passes/${pass}/credit-usage?type=expiry`)).body.data.entries;
      // The same actor as the change's audit entry: the credential that made it.
      const [audit] = await db.sql`select actor from audit_log where tenant_id = ${studio.tenantId} and target_id = ${pass}`;
      assert.deepEqual([expiry.delta, expiry.reason, expiry.actor?.id], [-6, 'Sold in error, refunded at the desk', audit!.actor]);
      assert.ok(Date.parse(expiry.occurred_at) >= before.getTime() - 1000, `dated when it happened, not at the expiry: ${expiry.occurred_at}`);
      const [expired] = (await get(`/api/customer/${zoe}/activity?type=credits_expired`)).body.data;
      assert.equal(expired.actor?.id, audit!.actor);
    });

    test('PATCH a pass honours If-Match: its ETag moves with every write (credits too); a stale one is 412 and writes nothing', async () => {
      const ivy = await studio.customer({ firstname: 'Ivy' });
      const pass = await buy(studio, ivy, await studio.product({ name: '5 Class Pack', credits: 5, validity_days: 60 }));
      const path = `/api/customer/${ivy}/passes/${pass}`;
      const read = await get(path);
      const loaded = read.headers.get('etag')!;
      assert.match(loaded, /^"\d+"$/);
      assert.equal(read.body.data.etag, loaded, 'the representation carries the ETag the header sends');
      assert.equal((await get(`${path}/credit-usage`)).body.data.pass.etag, loaded);
      assert.equal((await get(`/api/customer/${ivy}/passes`)).body.data[0].etag, loaded);

      // Someone else adds a credit: the pass is another version now.
      const adjusted = await send('POST', `${path}/adjustments`, { delta: 1, reason: 'Goodwill credit' });
      assert.equal(adjusted.status, 201, adjusted.text);
      const current = adjusted.body.data.pass.etag;
      assert.notEqual(current, loaded, 'a credit change moves the ETag');
      assert.equal((await get(path)).headers.get('etag'), current);

      const written = async () => {
        const [row] = await db.sql`select p.expires_at, p.version,
            (select count(*)::int from audit_log a where a.tenant_id = p.tenant_id and a.target_id = p.id and a.action = 'pass.expiry_changed') as audits,
            (select count(*)::int from activity a where a.tenant_id = p.tenant_id and a.customer_id = ${ivy} and a.type = 'expiry_changed') as activities
          from passes p where p.tenant_id = ${studio.tenantId} and p.id = ${pass}`;
        return row;
      };
      const before = await written();
      const stale = await send('PATCH', path, { expires_at: '2099-06-30', reason: 'Injury: extended' }, full, { 'If-Match': loaded });
      assert.equal(stale.status, 412, stale.text);
      assert.equal(stale.body.error.code, 'precondition_failed');
      assert.equal(stale.body.error.details.current_etag, current);
      assert.match(stale.body.error.message, /this pass/);
      assert.deepEqual(await written(), before, 'nothing written: expiry, version, audit and activity as they were');

      const matching = await send('PATCH', path, { expires_at: '2099-06-30', reason: 'Injury: extended' }, full, { 'If-Match': current });
      assert.equal(matching.status, 200, matching.text);
      assert.equal(matching.body.data.expires_at, '2099-06-30T23:00:00.000Z');
      const next = matching.headers.get('etag')!;
      assert.match(next, /^"\d+"$/);
      assert.notEqual(next, current);
      assert.equal(matching.body.data.etag, next);
      assert.equal((await get(path)).headers.get('etag'), next);
      // The answer before is stale now: the second of two staff saving from the same read is refused.
      assert.equal((await send('PATCH', path, { expires_at: '2099-07-31', reason: 'Injury: extended more' }, full, { 'If-Match': current })).status, 412);

      const weak = await send('PATCH', path, { expires_at: '2099-07-31', reason: 'Injury: extended more' }, full, { 'If-Match': `W/${next}` });
      assert.equal(weak.status, 412, 'If-Match compares strongly: a weak tag never matches');
      const unquoted = await send('PATCH', path, { expires_at: '2099-07-31', reason: 'Injury: extended more' }, full, { 'If-Match': next.replaceAll('"', '') });
      assert.equal(unquoted.status, 400, 'a malformed If-Match is a bad request, not a conflict a reload could cure');
      assert.deepEqual(unquoted.body.error.details.fields.map((f: any) => f.path), ['If-Match']);
      const listed = await send('PATCH', path, { expires_at: '2099-07-31', reason: 'Injury: extended more' }, full, { 'If-Match': `"0", ${next}` });
      assert.equal(listed.status, 200, 'any of a list');
      const any = await send('PATCH', path, { expires_at: '2099-08-31', reason: 'Injury: extended again' }, full, { 'If-Match': '*' });
      assert.equal(any.status, 200, any.text);
      assert.notEqual(any.headers.get('etag'), listed.headers.get('etag'));
      const without = await send('PATCH', path, { expires_at: '2099-09-30', reason: 'Machine client, no If-Match' });
      assert.equal(without.status, 200, without.text);
      assert.equal(without.body.data.expires_at, '2099-09-30T23:00:00.000Z');
      assert.equal(without.headers.get('etag'), without.body.data.etag);
      assert.equal((await written())!.audits, 4);
    });

    test('bookings: can-book, book, refuse twice with the rules, list, cancel in time, waive needs credits:write', async () => {
      const yoga = await studio.cls({ starts_at: new Date(now + 3 * DAY), name: 'Vinyasa Flow', credit_cost: 1 });
      const check = await get(`/api/customer/${jane}/can-book?class_id=${yoga}`);
      assert.equal(check.status, 200, check.text);
      assert.equal(check.body.data.can_book, true);
      assert.equal(check.body.data.pass_id, pack, 'the pack expires (2099-01-15) … before the membership, which never does');
      assert.deepEqual(check.body.data.checks.map((c: any) => c.rule), ['class_open', 'product_covers_class', 'payment_ok',
        'valid_at_class_time', 'credits_left', 'customer_active', 'guest_profile', 'waivers_accepted', 'class_not_full', 'not_already_booked']);
      assert.ok(check.body.data.checks.every((c: any) => c.ok === true && typeof c.message === 'string'));
      assert.deepEqual(check.body.data.eligible_passes.map((p: any) => p.pass_id), [pack, membership]);

      const booked = await send('POST', `/api/customer/${jane}/bookings`, { class_id: yoga }, bookOnly);
      assert.equal(booked.status, 201, booked.text);
      assert.equal(booked.body.data.type, 'booking');
      assert.equal(booked.body.data.status, 'booked');
      assert.equal(booked.body.data.class.name, 'Vinyasa Flow');
      assert.equal(booked.body.data.pass.id, pack);
      assert.equal(booked.body.data.pass.status, 'active', 'whether a cancellation can give credits back');
      assert.equal(booked.body.data.credits_used, 1);
      assert.equal(booked.body.data.credits_left, 11);
      // What a cancellation would cost is on the booking: the studio's 12 hours before the class, London time.
      assert.equal(booked.body.data.free_cancel_until, (await freeCancelDeadline(db.sql, new Date(now + 3 * DAY), 12, 'Europe/London')).toISOString());

      const again = await send('POST', `/api/customer/${jane}/bookings`, { class_id: yoga }, bookOnly);
      assert.equal(again.status, 422);
      assert.deepEqual(rules(again.body), ['not_already_booked']);
      assert.equal((await send('POST', `/api/customer/${jane}/bookings`, { class_id: 'cls_nosuchclass' })).status, 404);
      assert.equal((await send('POST', `/api/customer/${jane}/bookings`, { class_id: yoga, pass_id: otherPass })).status, 404);

      const list = await get(`/api/customer/${jane}/bookings?status=booked`, bookOnly);
      assert.equal(list.status, 200);
      assert.deepEqual(list.body.data.map((b: any) => b.id), [booked.body.data.id]);
      assert.equal((await get(`/api/customer/${jane}/bookings?status=cancelled_free`)).body.data.length, 0);
      assert.equal((await get(`/api/customer/${jane}/bookings?from=${new Date(now + 4 * DAY).toISOString()}`)).body.data.length, 0);
      assert.equal((await get(`/api/customer/${jane}/bookings?status=gone`)).status, 400);

      const usage = await get(`/api/customer/${jane}/passes/${pack}/credit-usage?type=booking`);
      assert.equal(usage.body.data.entries[0].booking.class_name, 'Vinyasa Flow');
      assert.equal(usage.body.data.summary.total_booked, 1);

      const cancelPath = `/api/customer/${jane}/bookings/${booked.body.data.id}/cancel`;
      const waive = await send('POST', cancelPath, { waive_late_fee: true, reason: 'Heating broke' }, bookOnly);
      assert.equal(waive.status, 403);
      assert.equal(waive.body.error.details.scope, 'credits:write');
      assert.equal((await send('POST', cancelPath, { waive_late_fee: true }, full)).status, 400);
      const cancelled = await send('POST', cancelPath, {}, bookOnly, { 'Idempotency-Key': `cancel-${now}` });
      assert.equal(cancelled.status, 200, cancelled.text);
      assert.equal(cancelled.body.data.status, 'cancelled_free');
      assert.equal(cancelled.body.data.credits_returned, 1);
      assert.equal(cancelled.body.data.credits_left, 12);
      assert.equal(cancelled.body.data.free_cancel_until, booked.body.data.free_cancel_until, 'the answer names the deadline it met');
      assert.equal((await get(`/api/customer/${jane}/bookings?status=cancelled_free`)).body.data[0].free_cancel_until, null,
        'only a booked booking has a deadline ahead');
      const replayed = await send('POST', cancelPath, {}, bookOnly, { 'Idempotency-Key': `cancel-${now}` });
      assert.equal(replayed.text, cancelled.text);
      const twice = await send('POST', cancelPath, {}, bookOnly);
      assert.equal(twice.status, 422);
      assert.deepEqual(rules(twice.body), ['booking_cancellable']);
    });

    test('a class the studio called off cancels free at any time, credits back; a waived late fee names its reason in the activity', async () => {
      const sam = await studio.customer({ firstname: 'Sam' });
      const pass = await buy(studio, sam, await studio.product({ name: 'Five Pack', credits: 5, validity_days: 90 }));
      // Three hours ahead: inside the 12-hour window, so a cancellation would be late.
      const classAt = (name: string) => studio.cls({ starts_at: new Date(now + 3 * HOUR), name });
      const book = async (cls: string) => (await send('POST', `/api/customer/${sam}/bookings`, { class_id: cls })).body.data.id as string;
      const cancel = (booking: string, body: object = {}) => send('POST', `/api/customer/${sam}/bookings/${booking}/cancel`, body);
      const [soon, past, kept] = [await classAt('Called Off'), await classAt('Called Off Too'), await classAt('Held')];
      const [a, b, c] = [await book(soon), await book(past), await book(kept)];
      await db.sql`update classes set cancelled = true where id in ${db.sql([soon, past])}`;
      await db.sql`update classes set starts_at = now() - interval '1 hour' where id = ${past}`;

      for (const booking of [a, b]) {
        const reply = await cancel(booking, { only_if_free: true });
        assert.equal(reply.status, 200, reply.text);
        assert.deepEqual([reply.body.data.status, reply.body.data.credits_returned], ['cancelled_free', 1]);
      }
      const waived = await cancel(c, { waive_late_fee: true, reason: 'Instructor was ill' });
      assert.equal(waived.status, 200, waived.text);
      assert.deepEqual([waived.body.data.status, waived.body.data.credits_returned], ['cancelled_late', 1]);
      assert.equal((await get(`/api/customer/${sam}/passes/${pass}`)).body.data.credits_left, 5, 'every credit back');

      const activity = (await get(`/api/customer/${sam}/activity?type=cancelled`)).body.data;
      assert.equal(activity.filter((x: any) => /\(the studio cancelled the class\): 1 credit back to Five Pack$/.test(x.summary)).length, 2);
      const fee = activity.find((x: any) => x.data.booking_id === c);
      assert.match(fee.summary, /^Cancelled Held on .+ late \(fee waived: Instructor was ill\): 1 credit back to Five Pack$/);
      assert.equal(fee.data.reason, 'Instructor was ill');
    });

    test("bookings' from and to dates are the studio's days, whole: from and to one date list that day's classes", async () => {
      const la = await createStudio(db.sql, { timezone: 'America/Los_Angeles', name: 'LA Studio' });
      const token = await la.key();
      const kim = await la.customer();
      const pass = await buy(la, kim, await la.product({ credits: 10, validity_days: 400 }));
      const day = (offset: number) => new Date(now + offset * DAY).toISOString().slice(0, 10);
      // 09:00 and 18:00 on the day (17:00 and 02:00 the next day in UTC), 20:00 the evening before (04:00 on the day in UTC).
      const names = ['Morning', 'Evening', 'Evening Before'];
      const starts = [`${day(20)}T09:00:00-08:00`, `${day(20)}T18:00:00-08:00`, `${day(19)}T20:00:00-08:00`];
      for (const [i, at] of starts.entries()) {
        const booked = await call(app, 'POST', `/api/customer/${kim}/bookings`, { token, body: { class_id: await la.cls({ starts_at: at, name: names[i] }), pass_id: pass } });
        assert.equal(booked.status, 201, booked.text);
      }
      const list = async (query: string) =>
        (await call(app, 'GET', `/api/customer/${kim}/bookings?order=asc&${query}`, { token })).body.data.map((b: any) => b.class.name);
      assert.deepEqual(await list(`from=${day(20)}&to=${day(20)}`), ['Morning', 'Evening']);
      assert.deepEqual(await list(`to=${day(19)}`), ['Evening Before']);
      assert.deepEqual(await list(`from=${encodeURIComponent(starts[1]!)}`), ['Evening'], 'an instant is that instant');
    });

    test('a booking that breaks rules is 422 listing each failed rule', async () => {
      const sam = await studio.customer();
      const dance = await studio.cls({ starts_at: new Date(now + 2 * DAY), class_type: 'dance' });
      await buy(studio, sam, await studio.product({ credits: 5, class_types: ['pilates'] }));
      const check = await get(`/api/customer/${sam}/can-book?class_id=${dance}`);
      assert.equal(check.body.data.can_book, false);
      assert.equal(check.body.data.pass_id, null);
      const reply = await send('POST', `/api/customer/${sam}/bookings`, { class_id: dance });
      assert.equal(reply.status, 422);
      assert.deepEqual(rules(reply.body), ['product_covers_class']);
      assert.match(reply.body.error.details.rules[0].message, /covers dance classes/);
    });

    test('the OpenAPI document lists the credits routes with their scopes', async () => {
      const doc = (await get('/api/openapi.json', null)).body;
      assert.equal(doc.paths['/customer/{id}/passes/{passId}/credit-usage'].get['x-scope'], 'passes:read');
      assert.equal(doc.paths['/customer/{id}/passes/{passId}/adjustments'].post['x-scope'], 'credits:write');
      assert.equal(doc.paths['/customer/{id}/bookings'].post['x-scope'], 'bookings:write');
      assert.equal(doc.paths['/customer/{id}/can-book'].get['x-scope'], 'bookings:read');
      const headers = (method: string, path: string) =>
        doc.paths[path][method].parameters.filter((p: any) => p.in === 'header').map((p: any) => p.name);
      assert.deepEqual(headers('patch', '/customer/{id}/passes/{passId}'), ['If-Match', 'Idempotency-Key']);
      assert.deepEqual(headers('put', '/customer/{id}/profile'), ['If-Match', 'Idempotency-Key']);
      assert.deepEqual(headers('post', '/customer/{id}/bookings/{bookingId}/cancel'), ['Idempotency-Key']);
      assert.deepEqual(headers('get', '/customer/{id}/passes/{passId}'), []);
    });
  });
}
