import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Sql } from 'postgres';
import { createApp } from '../../server/app.ts';
import { createApiKey } from '../../server/auth/api-keys.ts';
import { mintEmbedSession } from '../../server/auth/embed-sessions.ts';
import type { Scope } from '../../server/auth/scopes.ts';
import { customerCouponsSql } from '../../server/data/coupons.ts';
import type { Database } from '../../server/db/connect.ts';
import { describeDiscount } from '../../server/domain/coupons.ts';
import { newId } from '../../server/ids.ts';
import { call } from '../support/api.ts';
import { createStudio, DAY, type Studio } from '../support/credit-fixtures.ts';
import { databaseTargets } from '../support/databases.ts';

interface CouponSpec {
  code: string;
  name?: string;
  percent_off?: number | null;
  amount_off?: number | null;
  duration?: 'once' | 'repeating' | 'forever';
  duration_months?: number | null;
  valid_until?: Date | null;
  max_redemptions?: number | null;
  stackable?: boolean;
  active?: boolean;
}

/** A catalogue coupon written row by row (10% off once unless told otherwise). */
async function coupon(sql: Sql, tenantId: string, c: CouponSpec): Promise<string> {
  const id = newId('cpn');
  const amount = c.amount_off ?? null;
  await sql`
    insert into coupons (tenant_id, id, code, name, percent_off, amount_off, duration, duration_months, valid_until,
      max_redemptions, stackable, active)
    values (${tenantId}, ${id}, ${c.code}, ${c.name ?? c.code}, ${amount === null ? (c.percent_off ?? 10) : null}, ${amount},
      ${c.duration ?? 'once'}, ${c.duration_months ?? null}, ${c.valid_until ?? null}, ${c.max_redemptions ?? null},
      ${c.stackable ?? false}, ${c.active ?? true})`;
  return id;
}

/** An embed session for a staff member of the studio (created when missing), as the widgets get one. */
async function staffSession(studio: Studio, staffId: string, role: 'owner' | 'manager' | 'front_desk',
  capabilities: Scope[], customerId?: string) {
  await studio.sql`
    insert into staff (tenant_id, id, name, email, role) values (${studio.tenantId}, ${staffId}, ${`Staff ${staffId.slice(-4)}`},
      ${`${staffId}@studio.test`}, ${role})
    on conflict do nothing`;
  const key = await createApiKey(studio.sql, { tenantId: studio.tenantId, name: 'host', scopes: ['embed:create'] });
  return mintEmbedSession(studio.sql, { tenantId: studio.tenantId, createdByKey: key.id, staffId, capabilities, customerId });
}

const rules = (body: any) => body.error.details.rules.map((r: { rule: string }) => r.rule).sort();
const isoMs = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

const customerCouponKeys = ['added_at', 'added_by', 'amount_off', 'code', 'coupon_id', 'currency', 'duration', 'duration_months', 'etag', 'expires_at',
  'id', 'name', 'percent_off', 'reason', 'removed_at', 'removed_by', 'removed_reason', 'stackable', 'status', 'uses_left'];
const catalogueKeys = ['active', 'amount_off', 'code', 'currency', 'duration', 'duration_months', 'eligible', 'id', 'ineligible_reasons',
  'max_redemptions', 'name', 'not_live_reasons', 'percent_off', 'redemptions', 'remaining', 'stackable', 'valid_until'];

const targets = await databaseTargets();

for (const target of targets) {
  describe(`coupons on ${target.label}`, () => {
    let db: Database;
    let app: ReturnType<typeof createApp>;
    let studio: Studio;
    let other: Studio;
    let full: string;
    let fullKeyId: string;
    let readOnly: string;
    let noCoupons: string;
    let otherKey: string;
    let owner: string;
    let otherCustomer: string;
    let otherCoupon: string;
    const ids: Record<string, string> = {};
    const now = Date.now();

    const get = (path: string, token: string | null = full) => call(app, 'GET', path, { token });
    const send = (method: string, path: string, body: unknown, token: string | null = full, headers?: Record<string, string>) =>
      call(app, method, path, { token, body, headers });
    const add = (customerId: string, body: Record<string, unknown>, token: string = full, headers?: Record<string, string>) =>
      send('POST', `/api/customer/${customerId}/coupons`, body, token, headers);
    const patch = (customerId: string, ccpn: string, body: Record<string, unknown>, token: string = full) =>
      send('PATCH', `/api/customer/${customerId}/coupons/${ccpn}`, body, token);
    const catalogue = async (query = '', token = full) => {
      const reply = await get(`/api/coupons?limit=100${query}`, token);
      assert.equal(reply.status, 200, reply.text);
      return reply.body.data as any[];
    };
    const byCode = (items: any[], code: string) => items.find((c) => c.code === code);

    before(async () => {
      db = await target.open();
      app = createApp({ sql: db.sql, log: (message, error) => console.error(message, error) });
      studio = await createStudio(db.sql);
      other = await createStudio(db.sql, { name: 'Other Studio' });
      const key = await createApiKey(db.sql, {
        tenantId: studio.tenantId, name: 'Checkout integration', scopes: ['coupons:read', 'coupons:write', 'customers:read'],
      });
      full = key.secret;
      fullKeyId = key.id;
      readOnly = await studio.key(['coupons:read']);
      noCoupons = await studio.key(['customers:read', 'waivers:read']);
      otherKey = await other.key();
      owner = (await staffSession(studio, studio.staffId, 'owner', ['coupons:read', 'coupons:write'])).token;
      otherCustomer = await other.customer();
      otherCoupon = await coupon(db.sql, other.tenantId, { code: 'WILLKOMMEN' });
      const spec: CouponSpec[] = [
        { code: 'WELCOME10', name: 'Welcome 10% off', percent_off: 10 },
        { code: 'FRIEND5', name: '£5 off for friends', amount_off: 500, stackable: true },
        { code: 'STUDENT15', name: 'Student discount', percent_off: 15, duration: 'forever' },
        { code: 'CORPORATE20', name: 'Corporate partner 20%', percent_off: 20, duration: 'repeating', duration_months: 3 },
        { code: 'SUMMER25', name: 'Summer sale 25%', percent_off: 25, valid_until: new Date(now - 10 * DAY), max_redemptions: 150 },
        { code: 'BLACKFRIDAY40', name: 'Black Friday 40%', percent_off: 40, active: false },
        { code: 'LOYALTY10', name: '£10 loyalty reward', amount_off: 1000, valid_until: new Date(now + 90 * DAY), max_redemptions: 50, stackable: true },
        { code: 'HALF_FIRST', name: '50% off the first month', percent_off: 50 },
        { code: 'NEWYEAR50', name: 'New Year 50', percent_off: 50, duration: 'repeating', duration_months: 2 },
      ];
      for (const c of spec) ids[c.code] = await coupon(db.sql, studio.tenantId, c);
    });
    after(async () => {
      await db.close();
    });

    test('the catalogue: live coupons first, each saying whether it is live and why not; search and paging', async () => {
      const items = await catalogue();
      assert.deepEqual(items.map((c) => c.code), ['CORPORATE20', 'FRIEND5', 'HALF_FIRST', 'LOYALTY10', 'NEWYEAR50', 'STUDENT15', 'WELCOME10',
        'BLACKFRIDAY40', 'SUMMER25']);
      assert.deepEqual(Object.keys(items[0]).sort(), [...catalogueKeys, 'live'].sort());
      assert.ok(items.slice(0, 7).every((c) => c.live && c.not_live_reasons.length === 0));
      assert.ok(items.every((c) => c.eligible === null && c.ineligible_reasons === null), 'no customer asked about');
      const loyalty = byCode(items, 'LOYALTY10');
      assert.deepEqual([loyalty.amount_off, loyalty.percent_off, loyalty.currency, loyalty.duration, loyalty.stackable, loyalty.max_redemptions,
        loyalty.redemptions, loyalty.remaining], [1000, null, 'GBP', 'once', true, 50, 0, 50]);
      assert.match(loyalty.valid_until, isoMs);
      const corporate = byCode(items, 'CORPORATE20');
      assert.deepEqual([corporate.percent_off, corporate.duration, corporate.duration_months, corporate.valid_until, corporate.remaining],
        [20, 'repeating', 3, null, null]);

      const off = byCode(items, 'BLACKFRIDAY40');
      assert.equal(off.live, false);
      assert.deepEqual(off.not_live_reasons, [{ rule: 'coupon_live', message: 'BLACKFRIDAY40 has been switched off by the studio.' }]);
      const past = byCode(items, 'SUMMER25');
      assert.deepEqual(past.not_live_reasons.map((r: any) => r.rule), ['coupon_in_date']);
      assert.match(past.not_live_reasons[0].message, /^SUMMER25 could only be added until /);

      assert.deepEqual((await catalogue('&q=friend')).map((c) => c.code), ['FRIEND5']);
      assert.deepEqual((await catalogue('&q=50%25')).map((c) => c.code), ['HALF_FIRST'], '"50%" means the characters');
      assert.deepEqual((await catalogue('&q=50')).map((c) => c.code), ['HALF_FIRST', 'NEWYEAR50']);
      assert.deepEqual((await catalogue('&q=_')).map((c) => c.code), ['HALF_FIRST']);
      assert.deepEqual((await catalogue('&q=willkommen')).map((c) => c.code), [], 'another tenant\'s catalogue is not visible');

      const seen: string[] = [];
      let cursor: string | null = '';
      while (cursor !== null) {
        const reply = await get(`/api/coupons?limit=2${cursor ? `&cursor=${cursor}` : ''}`, readOnly);
        assert.equal(reply.status, 200);
        seen.push(...reply.body.data.map((c: any) => c.code));
        cursor = reply.body.next_cursor;
      }
      assert.deepEqual(seen, items.map((c) => c.code));
      for (const bad of ['limit=0', 'limit=101', 'cursor=nope', 'customer_id=jane', 'extra=1']) {
        assert.equal((await get(`/api/coupons?${bad}`)).status, 400, bad);
      }
    });

    test('adding a coupon: the reply, uses left by duration, audit and activity; a key applying standard terms needs no reason', async () => {
      const jane = await studio.customer();
      const reply = await add(jane, { coupon_id: ids.WELCOME10 });
      assert.equal(reply.status, 201, reply.text);
      const added = reply.body.data;
      assert.deepEqual(Object.keys(added).sort(), customerCouponKeys);
      assert.match(added.id, /^ccpn_/);
      assert.deepEqual(
        [added.coupon_id, added.code, added.name, added.percent_off, added.amount_off, added.currency, added.duration, added.stackable],
        [ids.WELCOME10, 'WELCOME10', 'Welcome 10% off', 10, null, 'GBP', 'once', false],
      );
      assert.deepEqual([added.status, added.uses_left, added.expires_at, added.reason, added.removed_at, added.removed_by, added.removed_reason],
        ['active', 1, null, null, null, null, null]);
      assert.deepEqual(added.added_by, { id: fullKeyId, name: 'Checkout integration' });
      assert.match(added.added_at, isoMs);

      const [audit] = await db.sql`select actor, action, target_type, before, after, reason from audit_log
        where tenant_id = ${studio.tenantId} and target_id = ${added.id}`;
      assert.deepEqual([audit!.actor, audit!.action, audit!.target_type, audit!.before, audit!.reason],
        [fullKeyId, 'coupon.added', 'customer_coupon', null, null]);
      assert.deepEqual(audit!.after, { coupon_id: ids.WELCOME10, code: 'WELCOME10', status: 'active', expires_at: null, uses_left: 1, courtesy: false });
      const [activity] = await db.sql`select type, summary, data from activity where tenant_id = ${studio.tenantId} and customer_id = ${jane}`;
      assert.equal(activity!.type, 'coupon_added');
      assert.equal(activity!.summary, 'Coupon WELCOME10 added (10% off once)');
      assert.deepEqual(activity!.data, { customer_coupon_id: added.id, coupon_id: ids.WELCOME10, code: 'WELCOME10', reason: null, courtesy: false });

      const corporate = (await add(jane, { coupon_id: ids.CORPORATE20 })).body.data;
      assert.deepEqual([corporate.uses_left, corporate.duration_months], [3, 3]);
      assert.equal((await add(jane, { coupon_id: ids.STUDENT15 })).body.data.uses_left, null);
      // Without its own expiry a coupon runs to its valid-until date.
      const loyalty = (await add(jane, { coupon_id: ids.LOYALTY10 })).body.data;
      assert.equal(loyalty.expires_at, byCode(await catalogue(), 'LOYALTY10').valid_until);

      const list = await get(`/api/customer/${jane}/coupons`, readOnly);
      assert.equal(list.status, 200, list.text);
      assert.deepEqual(list.body.data.map((c: any) => c.code), ['LOYALTY10', 'STUDENT15', 'CORPORATE20', 'WELCOME10'], 'newest first');
      assert.deepEqual(list.body.data.at(-1), added);
      assert.equal(list.body.next_cursor, null);
      const one = await get(`/api/customer/${jane}/coupons/${added.id}`, readOnly);
      assert.deepEqual(one.body.data, added);
      const page1 = await get(`/api/customer/${jane}/coupons?status=all&limit=3`);
      const page2 = await get(`/api/customer/${jane}/coupons?status=all&limit=3&cursor=${page1.body.next_cursor}`);
      assert.deepEqual([...page1.body.data, ...page2.body.data].map((c: any) => c.code), list.body.data.map((c: any) => c.code));
      assert.equal(page2.body.next_cursor, null);
      assert.equal((await get(`/api/customer/${jane}/coupons?status=removed`)).status, 400);
    });

    test('each rule that fails is a 422 naming it; the picker explains per coupon why it cannot be added to this customer', async () => {
      const sam = await studio.customer();
      assert.equal((await add(sam, { coupon_id: ids.WELCOME10 })).status, 201);
      assert.equal((await add(sam, { coupon_id: ids.FRIEND5 })).status, 201);

      const again = await add(sam, { coupon_id: ids.WELCOME10 });
      assert.equal(again.status, 422);
      assert.equal(again.body.error.code, 'rule_violation');
      assert.deepEqual(again.body.error.details.rules, [{
        rule: 'not_already_active', ok: false, message: 'WELCOME10 is already active on this customer and does not stack with itself.',
      }]);
      assert.equal((await add(sam, { coupon_id: ids.FRIEND5 })).status, 201, 'a stackable coupon can be active twice');
      assert.deepEqual(rules((await add(sam, { coupon_id: ids.SUMMER25 })).body), ['coupon_in_date']);
      assert.deepEqual(rules((await add(sam, { coupon_id: ids.BLACKFRIDAY40 })).body), ['coupon_live']);
      const pastExpiry = await add(sam, { coupon_id: ids.STUDENT15, expires_at: new Date(now - DAY).toISOString() });
      assert.equal(pastExpiry.status, 422);
      assert.deepEqual(rules(pastExpiry.body), ['expiry_in_future']);

      const picker = await catalogue(`&customer_id=${sam}`);
      const reasonsOf = (code: string) => byCode(picker, code).ineligible_reasons.map((r: any) => r.rule);
      assert.deepEqual([byCode(picker, 'WELCOME10').eligible, reasonsOf('WELCOME10')], [false, ['not_already_active']]);
      assert.equal(byCode(picker, 'WELCOME10').live, true);
      assert.match(byCode(picker, 'WELCOME10').ineligible_reasons[0].message, /already active on this customer/);
      assert.deepEqual([byCode(picker, 'FRIEND5').eligible, reasonsOf('FRIEND5')], [true, []]);
      assert.deepEqual([byCode(picker, 'STUDENT15').eligible, reasonsOf('STUDENT15')], [true, []]);
      assert.deepEqual(reasonsOf('SUMMER25'), ['coupon_in_date']);
      assert.deepEqual(reasonsOf('BLACKFRIDAY40'), ['coupon_live']);
      assert.equal((await catalogue(`&customer_id=${await studio.customer()}`)).filter((c) => c.eligible).length, 7);

      // Wrong input is a 400 before any rule runs; another tenant's coupon is not found.
      for (const bad of [{}, { coupon_id: 'WELCOME10' }, { coupon_id: ids.STUDENT15, reason: 'abc' },
        { coupon_id: ids.STUDENT15, expires_at: 'next week' }, { coupon_id: ids.STUDENT15, status: 'active' }, { coupon_id: ids.STUDENT15, uses_left: 99 }]) {
        const refused = await add(sam, bad);
        assert.equal(refused.status, 400, JSON.stringify(bad));
        assert.equal(refused.body.error.code, 'invalid_request');
      }
      const foreign = await add(sam, { coupon_id: otherCoupon });
      assert.equal(foreign.status, 404);
      assert.equal(foreign.body.error.code, 'not_found');
    });

    test('a courtesy needs a reason: any coupon given by staff, or one on longer terms than its own', async () => {
      const kim = await studio.customer();
      const noReason = await add(kim, { coupon_id: ids.STUDENT15 }, owner);
      assert.equal(noReason.status, 422);
      assert.deepEqual(rules(noReason.body), ['reason_required']);
      assert.match(noReason.body.error.details.rules[0].message, /given by staff is a courtesy/);
      const given = await add(kim, { coupon_id: ids.STUDENT15, reason: '  Apology for a cancelled class ' }, owner);
      assert.equal(given.status, 201, given.text);
      assert.equal(given.body.data.reason, 'Apology for a cancelled class');
      assert.deepEqual(given.body.data.added_by, { id: studio.staffId, name: 'Maya Desk' });
      const [activity] = await db.sql`select summary, actor, data from activity where tenant_id = ${studio.tenantId} and customer_id = ${kim}`;
      assert.equal(activity!.summary, 'Coupon STUDENT15 added (15% off forever): Apology for a cancelled class');
      assert.equal(activity!.actor, studio.staffId);
      assert.equal(activity!.data.courtesy, true);
      const [audit] = await db.sql`select reason, after from audit_log where tenant_id = ${studio.tenantId} and target_id = ${given.body.data.id}`;
      assert.equal(audit!.reason, 'Apology for a cancelled class');
      assert.equal(audit!.after.courtesy, true);

      // An integration giving longer terms than the coupon's valid-until is a courtesy too.
      const validUntil = new Date(byCode(await catalogue(), 'LOYALTY10').valid_until).getTime();
      const longer = new Date(validUntil + 30 * DAY).toISOString();
      assert.deepEqual(rules((await add(kim, { coupon_id: ids.LOYALTY10, expires_at: longer })).body), ['reason_required']);
      assert.deepEqual(rules((await add(kim, { coupon_id: ids.LOYALTY10, expires_at: null })).body), ['reason_required']);
      const shorter = await add(kim, { coupon_id: ids.LOYALTY10, expires_at: new Date(validUntil - 30 * DAY).toISOString() });
      assert.equal(shorter.status, 201, shorter.text);
      const extended = await add(kim, { coupon_id: ids.LOYALTY10, expires_at: longer, reason: 'Long-standing member' });
      assert.equal(extended.status, 201);
      assert.equal(extended.body.data.expires_at, longer);
      // A date means valid through that day in the studio's timezone (London, BST in July).
      const dated = await add(kim, { coupon_id: ids.FRIEND5, expires_at: '2099-07-31' });
      assert.equal(dated.body.data.expires_at, '2099-07-31T23:00:00.000Z');
      const pair = await add(kim, { coupon_id: ids.NEWYEAR50, expires_at: null, reason: 'Stays until removed' }, owner);
      assert.equal(pair.body.data.expires_at, null);
    });

    test('max redemptions across the tenant: removed instances and unused ones of deleted customers free a place, expired and redeemed ones do not', async () => {
      const limited = await coupon(db.sql, studio.tenantId, { code: 'FIRST2', max_redemptions: 2, stackable: true });
      const [a, b, c] = [await studio.customer(), await studio.customer(), await studio.customer()];
      const first = (await add(a, { coupon_id: limited })).body.data;
      assert.equal((await add(b, { coupon_id: limited })).status, 201);
      const over = await add(c, { coupon_id: limited });
      assert.equal(over.status, 422);
      assert.deepEqual(over.body.error.details.rules, [{ rule: 'coupon_under_limit', ok: false, message: 'FIRST2 has reached its limit of 2 redemptions.' }]);
      let entry = byCode(await catalogue(`&customer_id=${c}`), 'FIRST2');
      assert.deepEqual([entry.live, entry.redemptions, entry.remaining, entry.eligible], [false, 2, 0, false]);
      assert.deepEqual(entry.not_live_reasons.map((r: any) => r.rule), ['coupon_under_limit']);
      const order = (await catalogue()).map((x) => x.code);
      assert.ok(order.indexOf('FIRST2') > order.indexOf('WELCOME10'), 'no longer live: listed after the live ones');

      await db.sql`update customer_coupons set status = 'redeemed', uses_left = 0 where tenant_id = ${studio.tenantId} and id = ${first.id}`;
      assert.equal((await add(c, { coupon_id: limited })).status, 422, 'a redeemed coupon still counts');
      await db.sql`update customer_coupons set status = 'removed', removed_at = now(), removed_by = ${studio.staffId},
        removed_reason = 'Added to the wrong customer' where tenant_id = ${studio.tenantId} and id = ${first.id}`;
      entry = byCode(await catalogue(`&customer_id=${c}`), 'FIRST2');
      assert.deepEqual([entry.live, entry.redemptions, entry.remaining, entry.eligible], [true, 1, 1, true]);
      assert.equal((await add(c, { coupon_id: limited })).status, 201);

      // A deleted customer's unused coupon, which no route can remove any more, frees its place.
      const d = await studio.customer();
      assert.equal((await add(d, { coupon_id: limited })).status, 422);
      await db.sql`update customers set deleted_at = now() where tenant_id = ${studio.tenantId} and id = ${b}`;
      assert.equal((await add(d, { coupon_id: limited })).status, 201);
    });

    test('a coupon past its expiry reads as expired without anyone touching it, and the coupon can be added again', async () => {
      const lee = await studio.customer();
      const first = (await add(lee, { coupon_id: ids.WELCOME10, expires_at: new Date(now + DAY).toISOString() })).body.data;
      // Time passes: the expiry is behind us, the stored status is still `active`.
      await db.sql`update customer_coupons set added_at = now() - interval '3 days', expires_at = now() - interval '1 hour'
        where tenant_id = ${studio.tenantId} and id = ${first.id}`;
      const [{ status }] = await db.sql`select status from customer_coupons where tenant_id = ${studio.tenantId} and id = ${first.id}`;
      assert.equal(status, 'active');
      assert.deepEqual((await get(`/api/customer/${lee}/coupons`)).body.data, []);
      const all = (await get(`/api/customer/${lee}/coupons?status=all`)).body.data;
      assert.deepEqual(all.map((c: any) => [c.id, c.status]), [[first.id, 'expired']]);
      assert.equal(byCode(await catalogue(`&customer_id=${lee}`), 'WELCOME10').eligible, true);

      const second = (await add(lee, { coupon_id: ids.WELCOME10 })).body.data;
      assert.equal(second.status, 'active');
      // Bringing the first back while the second is active would make a non-stackable coupon active twice.
      const back = await patch(lee, first.id, { expires_at: new Date(now + 10 * DAY).toISOString(), reason: 'Customer was ill' });
      assert.equal(back.status, 422);
      assert.deepEqual(rules(back.body), ['not_already_active']);
      assert.equal((await patch(lee, second.id, { status: 'removed', reason: 'Keep the original one' })).status, 200);
      const revived = await patch(lee, first.id, { expires_at: new Date(now + 10 * DAY).toISOString(), reason: 'Customer was ill' });
      assert.equal(revived.status, 200, revived.text);
      assert.equal(revived.body.data.status, 'active');
      const [activity] = await db.sql`select summary from activity where tenant_id = ${studio.tenantId} and customer_id = ${lee}
        and type = 'coupon_updated'`;
      assert.match(activity!.summary, /^Expiry of coupon WELCOME10 changed from .+ to .+ \(active again\): Customer was ill$/);
    });

    test('an expired coupon the studio has since switched off cannot be brought back; one still active can be changed', async () => {
      const id = await coupon(db.sql, studio.tenantId, { code: 'SPRING15', stackable: true });
      const ada = await studio.customer();
      const expired = (await add(ada, { coupon_id: id, expires_at: new Date(now + DAY).toISOString() })).body.data;
      const active = (await add(ada, { coupon_id: id })).body.data;
      await db.sql`update customer_coupons set expires_at = now() - interval '1 hour' where tenant_id = ${studio.tenantId} and id = ${expired.id}`;
      await db.sql`update coupons set active = false where tenant_id = ${studio.tenantId} and id = ${id}`;

      const back = await patch(ada, expired.id, { expires_at: new Date(now + 10 * DAY).toISOString(), reason: 'Customer was ill' });
      assert.equal(back.status, 422, back.text);
      assert.deepEqual(rules(back.body), ['coupon_live']);
      const [{ status }] = await db.sql`select status from customer_coupons where tenant_id = ${studio.tenantId} and id = ${expired.id}`;
      assert.equal(status, 'active', 'nothing written: the row still holds its stored status');
      const extended = await patch(ada, active.id, { expires_at: new Date(now + 10 * DAY).toISOString(), reason: 'Customer was ill' });
      assert.equal(extended.status, 200, extended.text);
      assert.equal((await patch(ada, expired.id, { status: 'removed', reason: 'Switched off by the studio' })).status, 200);
    });

    test('PATCH removes or changes the expiry, always with a reason; removed and redeemed coupons cannot change', async () => {
      const max = await studio.customer();
      const cc = (await add(max, { coupon_id: ids.CORPORATE20 })).body.data;
      for (const bad of [{ status: 'removed' }, { status: 'removed', reason: 'abc' }, { reason: 'Nothing to change' },
        { status: 'removed', expires_at: null, reason: 'Both at once' }, { status: 'active', reason: 'Not a change we take' },
        { expires_at: 'soon', reason: 'Customer asked' }, { status: 'removed', reason: 'Wrong customer', uses_left: 5 }]) {
        const refused = await patch(max, cc.id, bad);
        assert.equal(refused.status, 400, JSON.stringify(bad));
      }
      assert.deepEqual((await patch(max, cc.id, { status: 'removed' })).body.error.details.fields.map((f: any) => f.path), ['reason']);

      const later = new Date(now + 60 * DAY).toISOString();
      const changed = await patch(max, cc.id, { expires_at: later, reason: 'Injury: paused membership' }, owner);
      assert.equal(changed.status, 200, changed.text);
      assert.deepEqual([changed.body.data.expires_at, changed.body.data.status], [later, 'active']);
      const [expiryAudit] = await db.sql`select action, reason, before, after from audit_log
        where tenant_id = ${studio.tenantId} and target_id = ${cc.id} and action = 'coupon.expiry_changed'`;
      assert.equal(expiryAudit!.reason, 'Injury: paused membership');
      assert.deepEqual(expiryAudit!.before, { status: 'active', expires_at: null });
      assert.equal((await patch(max, cc.id, { expires_at: null, reason: 'No end date after all' })).body.data.expires_at, null);
      const past = await patch(max, cc.id, { expires_at: new Date(now - DAY).toISOString(), reason: 'Backdated by mistake' });
      assert.deepEqual(rules(past.body), ['expiry_in_future']);

      const headers = { 'Idempotency-Key': `remove-${cc.id}` };
      const removed = await send('PATCH', `/api/customer/${max}/coupons/${cc.id}`, { status: 'removed', reason: 'Added to the wrong customer' },
        owner, headers);
      assert.equal(removed.status, 200, removed.text);
      assert.deepEqual([removed.body.data.status, removed.body.data.removed_reason], ['removed', 'Added to the wrong customer']);
      assert.deepEqual(removed.body.data.removed_by, { id: studio.staffId, name: 'Maya Desk' });
      assert.match(removed.body.data.removed_at, isoMs);
      const replay = await send('PATCH', `/api/customer/${max}/coupons/${cc.id}`, { status: 'removed', reason: 'Added to the wrong customer' },
        owner, headers);
      assert.equal(replay.text, removed.text);
      const [audit] = await db.sql`select actor, reason, before, after from audit_log
        where tenant_id = ${studio.tenantId} and target_id = ${cc.id} and action = 'coupon.removed'`;
      assert.deepEqual([audit!.actor, audit!.reason, audit!.before.status, audit!.after.status],
        [studio.staffId, 'Added to the wrong customer', 'active', 'removed']);
      const [activity] = await db.sql`select summary from activity where tenant_id = ${studio.tenantId} and customer_id = ${max}
        and type = 'coupon_removed'`;
      assert.equal(activity!.summary, 'Coupon CORPORATE20 removed: Added to the wrong customer');
      assert.deepEqual((await get(`/api/customer/${max}/coupons`)).body.data, []);
      assert.equal((await get(`/api/customer/${max}/coupons?status=all`)).body.data[0].status, 'removed');

      const twice = await patch(max, cc.id, { status: 'removed', reason: 'Remove it again' });
      assert.equal(twice.status, 422);
      assert.deepEqual(rules(twice.body), ['coupon_modifiable']);
      assert.deepEqual(rules((await patch(max, cc.id, { expires_at: later, reason: 'Bring it back' })).body), ['coupon_modifiable']);

      const used = (await add(max, { coupon_id: ids.WELCOME10 })).body.data;
      await db.sql`update customer_coupons set status = 'redeemed', uses_left = 0 where tenant_id = ${studio.tenantId} and id = ${used.id}`;
      assert.equal((await get(`/api/customer/${max}/coupons/${used.id}`)).body.data.status, 'redeemed');
      assert.deepEqual(rules((await patch(max, used.id, { status: 'removed', reason: 'Tidy up history' })).body), ['coupon_modifiable']);

      const elsewhere = await studio.customer();
      assert.equal((await patch(elsewhere, used.id, { status: 'removed', reason: 'Wrong customer id' })).status, 404);
      assert.equal((await patch(max, 'ccpn_nosuchcoupon', { status: 'removed', reason: 'Does not exist' })).status, 404);
    });

    test('PATCH honours If-Match with the coupon\'s ETag: a stale change or removal is 412 and writes nothing', async () => {
      const noa = await studio.customer();
      const added = (await add(noa, { coupon_id: ids.STUDENT15 })).body.data;
      const path = `/api/customer/${noa}/coupons/${added.id}`;
      const read = await get(path);
      const loaded = read.headers.get('etag')!;
      assert.match(loaded, /^"\d+"$/);
      assert.equal(read.body.data.etag, loaded, 'the representation carries the ETag the header sends');
      assert.equal(added.etag, loaded);
      assert.equal((await get(`/api/customer/${noa}/coupons`)).body.data[0].etag, loaded);

      const later = new Date(now + 30 * DAY).toISOString();
      const changed = await send('PATCH', path, { expires_at: later, reason: 'Term starts later' }, owner, { 'If-Match': loaded });
      assert.equal(changed.status, 200, changed.text);
      const current = changed.headers.get('etag')!;
      assert.match(current, /^"\d+"$/);
      assert.notEqual(current, loaded);
      assert.equal(changed.body.data.etag, current);
      assert.equal((await get(path)).headers.get('etag'), current);

      const written = async () => {
        const [row] = await db.sql`select cc.status, cc.expires_at, cc.version,
            (select count(*)::int from audit_log a where a.tenant_id = cc.tenant_id and a.target_id = cc.id) as audits,
            (select count(*)::int from activity a where a.tenant_id = cc.tenant_id and a.customer_id = ${noa}) as activities
          from customer_coupons cc where cc.tenant_id = ${studio.tenantId} and cc.id = ${added.id}`;
        return row;
      };
      const before = await written();
      for (const body of [{ status: 'removed', reason: 'Added by mistake' }, { expires_at: null, reason: 'No end date after all' }]) {
        const stale = await send('PATCH', path, body, owner, { 'If-Match': loaded });
        assert.equal(stale.status, 412, stale.text);
        assert.equal(stale.body.error.code, 'precondition_failed');
        assert.equal(stale.body.error.details.current_etag, current);
        assert.match(stale.body.error.message, /this coupon/);
      }
      // An unquoted ETag is the client's mistake, which no reload cures: 400 on the header, not 412.
      const malformed = await send('PATCH', path, { status: 'removed', reason: 'Added by mistake' }, owner, { 'If-Match': current.replaceAll('"', '') });
      assert.equal(malformed.status, 400, malformed.text);
      assert.deepEqual(malformed.body.error.details.fields.map((f: { path: string }) => f.path), ['If-Match']);
      assert.deepEqual(await written(), before, 'nothing written: status, expiry, version, audit and activity as they were');
      assert.deepEqual([(await get(path)).body.data.status, (await get(path)).body.data.expires_at], ['active', later]);

      const any = await send('PATCH', path, { expires_at: null, reason: 'No end date after all' }, owner, { 'If-Match': '*' });
      assert.equal(any.status, 200, any.text);
      assert.equal(any.body.data.expires_at, null);
      const removed = await send('PATCH', path, { status: 'removed', reason: 'Machine client, no If-Match' });
      assert.equal(removed.status, 200, removed.text);
      assert.equal(removed.body.data.status, 'removed');
      assert.equal(removed.headers.get('etag'), removed.body.data.etag);
      assert.notEqual(removed.body.data.etag, any.body.data.etag);
      // Removed is final: a writer holding an older version hears why, not only that it is stale.
      const gone = await send('PATCH', path, { expires_at: later, reason: 'Bring it back please' }, owner, { 'If-Match': current });
      assert.equal(gone.status, 422, gone.text);
      assert.deepEqual(rules(gone.body), ['coupon_modifiable']);
    });

    test('401, expired session 401, 403 naming the scope, 404 for another tenant\'s customer, coupon or a session\'s other customer', async () => {
      const ada = await studio.customer();
      const cc = (await add(ada, { coupon_id: ids.STUDENT15 })).body.data;
      const paths = ['/api/coupons', `/api/customer/${ada}/coupons`, `/api/customer/${ada}/coupons/${cc.id}`];
      for (const path of paths) {
        assert.equal((await get(path, null)).status, 401, path);
        const forbidden = await get(path, noCoupons);
        assert.equal(forbidden.status, 403, path);
        assert.equal(forbidden.body.error.details.scope, 'coupons:read');
      }
      const session = await staffSession(studio, studio.staffId, 'owner', ['coupons:read']);
      await db.sql`update embed_sessions set created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour'
        where tenant_id = ${studio.tenantId} and id = ${session.id}`;
      assert.equal((await get('/api/coupons', session.token)).body.error.code, 'session_expired');
      for (const [method, path, body] of [['POST', `/api/customer/${ada}/coupons`, { coupon_id: ids.FRIEND5 }],
        ['PATCH', `/api/customer/${ada}/coupons/${cc.id}`, { status: 'removed', reason: 'Not allowed here' }]] as const) {
        const forbidden = await send(method, path, body, readOnly);
        assert.equal(forbidden.status, 403);
        assert.equal(forbidden.body.error.details.scope, 'coupons:write');
      }
      for (const path of [`/api/customer/${otherCustomer}/coupons`, `/api/coupons?customer_id=${otherCustomer}`]) {
        assert.equal((await get(path)).status, 404, path);
      }
      for (const path of paths.slice(1)) assert.equal((await get(path, otherKey)).status, 404, path);
      assert.equal((await add(ada, { coupon_id: ids.FRIEND5 }, otherKey)).status, 404);
      assert.equal((await patch(ada, cc.id, { status: 'removed', reason: 'From the other studio' }, otherKey)).status, 404);
      assert.equal((await add(otherCustomer, { coupon_id: ids.FRIEND5 })).status, 404);
      const restricted = (await staffSession(studio, studio.staffId, 'owner', ['coupons:read'], await studio.customer())).token;
      assert.equal((await get(`/api/customer/${ada}/coupons`, restricted)).status, 404);
      assert.equal((await get(`/api/coupons?customer_id=${ada}`, restricted)).status, 404);
      assert.equal((await get('/api/coupons', restricted)).status, 200);
    });

    test('customerCouponsSql nests in another query and reads exactly as the API answers', async () => {
      const zoe = await studio.customer();
      await add(zoe, { coupon_id: ids.FRIEND5 });
      const gone = (await add(zoe, { coupon_id: ids.WELCOME10 })).body.data;
      await patch(zoe, gone.id, { status: 'removed', reason: 'Added by mistake' }, owner);
      const api = (await get(`/api/customer/${zoe}/coupons?status=all`)).body.data;
      const [row] = await db.sql`
        select (select json_agg(cc) from (${customerCouponsSql(db.sql, studio.tenantId, zoe, 'all')}) cc) as all,
          (select json_agg(cc) from (${customerCouponsSql(db.sql, studio.tenantId, zoe, 'active')}) cc) as active`;
      assert.deepEqual(row!.all, api);
      assert.deepEqual(row!.active, api.filter((c: any) => c.status === 'active'));
      assert.deepEqual(JSON.parse(JSON.stringify(await customerCouponsSql(db.sql, studio.tenantId, zoe, 'all'))), api);
    });

    test('discounts read in plain words, and the OpenAPI document lists the coupon routes with their scopes', async () => {
      assert.equal(describeDiscount({ percent_off: 20, amount_off: null, currency: 'GBP', duration: 'repeating', duration_months: 3 }), '20% off, 3 months');
      assert.equal(describeDiscount({ percent_off: null, amount_off: 1000, currency: 'GBP', duration: 'once', duration_months: null }), '£10.00 off once');
      // Minor units follow the currency: yen have none.
      assert.match(describeDiscount({ percent_off: null, amount_off: 500, currency: 'JPY', duration: 'forever', duration_months: null }, 'en-GB'),
        /¥500 off forever$/);
      const doc = (await get('/api/openapi.json', null)).body;
      assert.equal(doc.paths['/coupons'].get['x-scope'], 'coupons:read');
      assert.equal(doc.paths['/customer/{id}/coupons'].get['x-scope'], 'coupons:read');
      assert.equal(doc.paths['/customer/{id}/coupons'].post['x-scope'], 'coupons:write');
      assert.equal(doc.paths['/customer/{id}/coupons/{customerCouponId}'].patch['x-scope'], 'coupons:write');
    });
  });
}

// Races need a server with many connections; PGlite serves one session, so without one these run on it
// serialised, to keep the rules covered (and say so).
const raceTarget = targets.find((t) => t.label === 'PostgreSQL server') ?? targets[0]!;
if (raceTarget.label !== 'PostgreSQL server') console.log('# coupons concurrency: no PostgreSQL server, running on the embedded database (serialised)');

describe(`coupons under concurrency on ${raceTarget.label}`, () => {
  let db: Database;
  let app: ReturnType<typeof createApp>;
  let studio: Studio;

  before(async () => {
    db = await raceTarget.open();
    app = createApp({ sql: db.sql, log: (message, error) => console.error(message, error) });
    studio = await createStudio(db.sql);
  });
  after(async () => {
    await db.close();
  });

  test('two staff adding the same non-stackable coupon at the same moment: exactly one succeeds', async () => {
    const welcome = await coupon(db.sql, studio.tenantId, { code: 'WELCOME10' });
    const maya = (await staffSession(studio, studio.staffId, 'owner', ['coupons:read', 'coupons:write'])).token;
    const dan = (await staffSession(studio, 'staff_manager000000001', 'manager', ['coupons:read', 'coupons:write'])).token;
    for (let round = 0; round < 5; round++) {
      const jane = await studio.customer();
      const replies = await Promise.all(Array.from({ length: 8 }, (_, i) => call(app, 'POST', `/api/customer/${jane}/coupons`, {
        token: i % 2 ? dan : maya, body: { coupon_id: welcome, reason: `Welcome offer from desk ${i}` },
      })));
      assert.deepEqual(replies.map((r) => r.status).sort(), [201, 422, 422, 422, 422, 422, 422, 422], replies.map((r) => r.text).join('\n'));
      assert.ok(replies.filter((r) => r.status === 422).every((r) => rules(r.body).join() === 'not_already_active'));
      const [{ n }] = await db.sql`select count(*)::int as n from customer_coupons where tenant_id = ${studio.tenantId} and customer_id = ${jane}`;
      assert.equal(n, 1);
      const [{ a }] = await db.sql`select count(*)::int as a from activity where tenant_id = ${studio.tenantId} and customer_id = ${jane}`;
      assert.equal(a, 1, 'one activity row: the refused attempts wrote nothing');
    }
  });

  test('the last places of a limited coupon: 12 customers at once, exactly max_redemptions succeed', async () => {
    const limited = await coupon(db.sql, studio.tenantId, { code: 'FIRST3', max_redemptions: 3 });
    const key = await studio.key();
    const customers = await Promise.all(Array.from({ length: 12 }, () => studio.customer()));
    const replies = await Promise.all(customers.map((c) =>
      call(app, 'POST', `/api/customer/${c}/coupons`, { token: key, body: { coupon_id: limited } })));
    assert.equal(replies.filter((r) => r.status === 201).length, 3, replies.map((r) => r.text).join('\n'));
    const refused = replies.filter((r) => r.status === 422);
    assert.equal(refused.length, 9);
    assert.ok(refused.every((r) => rules(r.body).join() === 'coupon_under_limit'));
    const [{ n }] = await db.sql`select count(*)::int as n from customer_coupons where tenant_id = ${studio.tenantId} and coupon_id = ${limited}`;
    assert.equal(n, 3);
  });

  test('removing and extending the same coupon at once: one removal wins, nothing is lost', async () => {
    const stack = await coupon(db.sql, studio.tenantId, { code: 'STACK5', amount_off: 500, stackable: true });
    const key = await studio.key();
    const kim = await studio.customer();
    const cc = (await call(app, 'POST', `/api/customer/${kim}/coupons`, { token: key, body: { coupon_id: stack } })).body.data;
    const replies = await Promise.all(Array.from({ length: 6 }, (_, i) => call(app, 'PATCH', `/api/customer/${kim}/coupons/${cc.id}`, {
      token: key,
      body: i % 2 ? { expires_at: new Date(Date.now() + (i + 1) * DAY).toISOString(), reason: `Extended ${i}` } : { status: 'removed', reason: `Removed ${i}` },
    })));
    assert.ok(replies.every((r) => r.status === 200 || r.status === 422), replies.map((r) => r.text).join('\n'));
    assert.equal(replies.filter((r) => r.status === 200 && r.body.data.status === 'removed').length, 1);
    const [row] = await db.sql`select status, version from customer_coupons where tenant_id = ${studio.tenantId} and id = ${cc.id}`;
    assert.equal(row!.status, 'removed');
    assert.equal(row!.version, 1 + replies.filter((r) => r.status === 200).length, 'every change that answered 200 was applied, in turn');
  });
});
