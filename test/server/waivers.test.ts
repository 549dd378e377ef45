import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../../server/app.ts';
import { createApiKey } from '../../server/auth/api-keys.ts';
import { mintEmbedSession } from '../../server/auth/embed-sessions.ts';
import { waiverItemsSql } from '../../server/data/waivers.ts';
import type { Database } from '../../server/db/connect.ts';
import { checkEligibility } from '../../server/domain/eligibility.ts';
import { purchasePass } from '../../server/domain/purchases.ts';
import { call } from '../support/api.ts';
import { createStudio, DAY, type Studio } from '../support/credit-fixtures.ts';
import { databaseTargets } from '../support/databases.ts';

const targets = await databaseTargets();

for (const target of targets) {
  describe(`waivers on ${target.label}`, () => {
    let db: Database;
    let app: ReturnType<typeof createApp>;
    let studio: Studio;
    let other: Studio;
    let full: string;
    let readOnly: string;
    let noWaivers: string;
    let otherKey: string;
    let desk: string;
    let waiver: string;
    let terms: string;
    let photo: string;
    let otherPolicy: string;
    let otherCustomer: string;
    const now = Date.now();

    const get = (path: string, token: string | null = full) => call(app, 'GET', path, { token });
    const post = (path: string, body: unknown, token: string | null = full, headers?: Record<string, string>) =>
      call(app, 'POST', path, { token, body, headers });
    const rules = (body: any) => body.error.details.rules.map((r: { rule: string }) => r.rule).sort();
    const statusOf = (items: any[], policyId: string) => items.find((i) => i.policy_id === policyId);
    const buy = async (customerId: string) => {
      const product = await studio.product({ credits: 10 });
      await db.sql.begin((sql) => purchasePass(sql, {
        tenantId: studio.tenantId, customerId, productId: product, channel: 'online', paymentStatus: 'paid', at: new Date(now - DAY), actor: null,
      }));
    };

    before(async () => {
      db = await target.open();
      app = createApp({ sql: db.sql, log: (message, error) => console.error(message, error) });
      studio = await createStudio(db.sql);
      other = await createStudio(db.sql, { name: 'Other Studio' });
      full = await studio.key();
      readOnly = await studio.key(['waivers:read', 'bookings:read']);
      noWaivers = await studio.key(['customers:read', 'bookings:read', 'bookings:write']);
      otherKey = await other.key();
      waiver = await studio.policy({ name: 'Liability Waiver', required: true, versions: 3 });
      terms = await studio.policy({ name: 'Terms of Service', required: true, versions: 2 });
      photo = await studio.policy({ name: 'Photo Consent', required: false, versions: 1 });
      otherPolicy = await other.policy({ name: 'Haftungsausschluss', required: true, versions: 1 });
      otherCustomer = await other.customer();
      // A front-desk staff member recording acceptances through an embed session.
      await db.sql`insert into staff (tenant_id, id, name, email, role)
        values (${studio.tenantId}, 'staff_deskwaivers00001', 'Chloe Desk', 'chloe@studio.test', 'front_desk')`;
      const key = await createApiKey(db.sql, { tenantId: studio.tenantId, name: 'host', scopes: ['embed:create'] });
      desk = (await mintEmbedSession(db.sql, {
        tenantId: studio.tenantId, createdByKey: key.id, staffId: 'staff_deskwaivers00001',
        capabilities: ['waivers:read', 'waivers:write', 'bookings:read', 'bookings:write'],
      })).token;
    });
    after(async () => {
      await db.close();
    });

    test('GET waivers: one item per policy with accepted / outdated / missing; optional policies never block', async () => {
      const jane = await studio.customer();
      await studio.accept(jane, waiver, 2);
      await studio.accept(jane, terms, 1);
      await studio.accept(jane, terms, 2);
      const reply = await get(`/api/customer/${jane}/waivers`);
      assert.equal(reply.status, 200, reply.text);
      assert.deepEqual(Object.keys(reply.body.data).sort(), ['compliant', 'items']);
      const { compliant, items } = reply.body.data;
      assert.equal(compliant, false);
      assert.deepEqual(items.map((i: any) => i.name), ['Liability Waiver', 'Terms of Service', 'Photo Consent'], 'required first, then by name');
      assert.deepEqual(Object.keys(items[0]).sort(),
        ['accepted_at', 'accepted_version', 'current_version', 'method', 'name', 'policy_id', 'required', 'status']);
      assert.deepEqual(statusOf(items, waiver), {
        policy_id: waiver, name: 'Liability Waiver', required: true, current_version: 3, accepted_version: 2,
        accepted_at: statusOf(items, waiver).accepted_at, method: 'in_person', status: 'outdated',
      });
      assert.match(statusOf(items, waiver).accepted_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.deepEqual([statusOf(items, terms).status, statusOf(items, terms).accepted_version], ['accepted', 2]);
      assert.deepEqual([statusOf(items, photo).status, statusOf(items, photo).accepted_version, statusOf(items, photo).accepted_at,
        statusOf(items, photo).method], ['missing', null, null, null]);

      // Accepting the current waiver makes the customer compliant; the optional photo consent stays missing.
      await studio.accept(jane, waiver, 3);
      const now2 = (await get(`/api/customer/${jane}/waivers`, readOnly)).body.data;
      assert.equal(now2.compliant, true);
      assert.equal(statusOf(now2.items, photo).status, 'missing');

      const fresh = await studio.customer();
      const none = (await get(`/api/customer/${fresh}/waivers`)).body.data;
      assert.equal(none.compliant, false);
      assert.ok(none.items.every((i: any) => i.status === 'missing'));
    });

    test('waiverItemsSql nests in another query and reads exactly as the API answers', async () => {
      const sam = await studio.customer();
      await studio.accept(sam, waiver, 1);
      const api = (await get(`/api/customer/${sam}/waivers`)).body.data.items;
      const [row] = await db.sql`
        select (select json_agg(w) from (${waiverItemsSql(db.sql, studio.tenantId, sam)}) w) as items,
          (select count(*) from (${waiverItemsSql(db.sql, studio.tenantId, sam)}) w where w.required and w.status <> 'accepted')::int as blocking`;
      assert.deepEqual(row!.items, api);
      assert.equal(row!.blocking, 2);
      const rows = await waiverItemsSql(db.sql, studio.tenantId, sam);
      assert.deepEqual(JSON.parse(JSON.stringify(rows)), api);
    });

    test('the policy text by version; another tenant\'s policy and unknown versions are 404', async () => {
      const reply = await get(`/api/policies/${waiver}/versions/2`, readOnly);
      assert.equal(reply.status, 200, reply.text);
      assert.deepEqual(Object.keys(reply.body.data).sort(),
        ['body', 'current', 'current_version', 'kind', 'name', 'policy_id', 'published_at', 'required', 'title', 'version']);
      assert.deepEqual([reply.body.data.title, reply.body.data.body, reply.body.data.version, reply.body.data.current, reply.body.data.current_version],
        ['Liability Waiver v2', 'Text', 2, false, 3]);
      assert.equal((await get(`/api/policies/${waiver}/versions/3`)).body.data.current, true);
      for (const path of [`/api/policies/${waiver}/versions/4`, `/api/policies/${otherPolicy}/versions/1`, `/api/policies/pol_nosuchpolicy/versions/1`]) {
        const missing = await get(path);
        assert.equal(missing.status, 404, path);
        assert.equal(missing.body.error.code, 'not_found');
      }
      assert.equal((await get(`/api/policies/${otherPolicy}/versions/1`, otherKey)).status, 200);
      assert.equal((await get(`/api/policies/${waiver}/versions/0`)).status, 400);
      assert.equal((await get(`/api/policies/${waiver}/versions/two`)).status, 400);
      assert.equal((await get(`/api/policies/${waiver}/versions/1`, null)).status, 401);
      const forbidden = await get(`/api/policies/${waiver}/versions/1`, noWaivers);
      assert.equal(forbidden.status, 403);
      assert.equal(forbidden.body.error.details.scope, 'waivers:read');
    });

    test('401, 403 naming the scope, 404 for another tenant\'s customer or policy', async () => {
      const kim = await studio.customer();
      const path = `/api/customer/${kim}/waivers/${waiver}/acceptances`;
      assert.equal((await get(`/api/customer/${kim}/waivers`, null)).status, 401);
      const key = await createApiKey(db.sql, { tenantId: studio.tenantId, name: 'host 2', scopes: ['embed:create'] });
      const old = await mintEmbedSession(db.sql, {
        tenantId: studio.tenantId, createdByKey: key.id, staffId: 'staff_deskwaivers00001', capabilities: ['waivers:read'],
      });
      await db.sql`update embed_sessions set created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour'
        where tenant_id = ${studio.tenantId} and id = ${old.id}`;
      const expired = await get(`/api/customer/${kim}/waivers`, old.token);
      assert.equal(expired.status, 401);
      assert.equal(expired.body.error.code, 'session_expired');
      const noRead = await get(`/api/customer/${kim}/waivers`, noWaivers);
      assert.equal(noRead.status, 403);
      assert.equal(noRead.body.error.details.scope, 'waivers:read');
      const noWrite = await post(path, { version: 3, method: 'paper' }, readOnly);
      assert.equal(noWrite.status, 403);
      assert.equal(noWrite.body.error.details.scope, 'waivers:write');
      assert.equal((await get(`/api/customer/${kim}/waivers`, otherKey)).status, 404);
      assert.equal((await get(`/api/customer/${otherCustomer}/waivers`)).status, 404);
      assert.equal((await post(path, { version: 3, method: 'paper' }, otherKey)).status, 404);
      const otherTenantsPolicy = await post(`/api/customer/${kim}/waivers/${otherPolicy}/acceptances`, { version: 1, method: 'paper' });
      assert.equal(otherTenantsPolicy.status, 404);
      assert.equal(otherTenantsPolicy.body.error.code, 'not_found');
    });

    test('recording an acceptance: the current version only, once; recorded_by, activity, audit, Idempotency-Key', async () => {
      const lee = await studio.customer();
      await studio.accept(lee, waiver, 2);
      const path = `/api/customer/${lee}/waivers/${waiver}/acceptances`;
      for (const bad of [{ version: 3 }, { version: 3, method: 'fax' }, { version: '3', method: 'paper' }, { version: 3, method: 'paper', recorded_by: 'x' }]) {
        const refused = await post(path, bad);
        assert.equal(refused.status, 400, JSON.stringify(bad));
        assert.equal(refused.body.error.code, 'invalid_request');
      }
      const old = await post(path, { version: 2, method: 'paper' });
      assert.equal(old.status, 422);
      assert.deepEqual(rules(old.body), ['current_version_only']);
      assert.match(old.body.error.details.rules[0].message, /Liability Waiver v2 is not the current version; only v3/);
      const future = await post(path, { version: 4, method: 'paper' });
      assert.equal(future.status, 422);
      assert.deepEqual(rules(future.body), ['current_version_only']);

      const headers = { 'Idempotency-Key': `accept-${lee}` };
      const reply = await post(path, { version: 3, method: 'in_person' }, desk, headers);
      assert.equal(reply.status, 201, reply.text);
      const { acceptance, compliant, items } = reply.body.data;
      assert.deepEqual(Object.keys(acceptance).sort(), ['accepted_at', 'customer_id', 'id', 'method', 'policy_id', 'recorded_by', 'version']);
      assert.match(acceptance.id, /^acc_/);
      assert.deepEqual([acceptance.policy_id, acceptance.version, acceptance.method, acceptance.customer_id], [waiver, 3, 'in_person', lee]);
      assert.deepEqual(acceptance.recorded_by, { id: 'staff_deskwaivers00001', name: 'Chloe Desk' });
      assert.equal(compliant, false, 'the terms are still missing');
      assert.equal(statusOf(items, waiver).status, 'accepted');
      assert.equal(statusOf(items, waiver).method, 'in_person');
      const replay = await post(path, { version: 3, method: 'in_person' }, desk, headers);
      assert.equal(replay.text, reply.text);

      const twice = await post(path, { version: 3, method: 'paper' });
      assert.equal(twice.status, 422);
      assert.deepEqual(rules(twice.body), ['not_already_accepted']);

      const [row] = await db.sql`select recorded_by, method, version from policy_acceptances
        where tenant_id = ${studio.tenantId} and id = ${acceptance.id}`;
      assert.deepEqual({ ...row }, { recorded_by: 'staff_deskwaivers00001', method: 'in_person', version: 3 });
      const activity = await db.sql`select type, summary, actor, data from activity
        where tenant_id = ${studio.tenantId} and customer_id = ${lee} and type = 'waiver_accepted'`;
      assert.equal(activity.length, 1);
      assert.equal(activity[0]!.summary, 'Accepted Liability Waiver v3 (in person)');
      assert.equal(activity[0]!.actor, 'staff_deskwaivers00001');
      assert.deepEqual(activity[0]!.data, { acceptance_id: acceptance.id, policy_id: waiver, version: 3, method: 'in_person' });
      const [audit] = await db.sql`select actor, action, target_type, before, after from audit_log
        where tenant_id = ${studio.tenantId} and target_id = ${acceptance.id}`;
      assert.equal(audit!.action, 'waiver.accepted');
      assert.equal(audit!.target_type, 'policy_acceptance');
      assert.deepEqual(audit!.before, { policy_id: waiver, status: 'outdated', accepted_version: 2 });
      assert.deepEqual(audit!.after, { policy_id: waiver, status: 'accepted', accepted_version: 3, method: 'in_person' });

      await post(`/api/customer/${lee}/waivers/${terms}/acceptances`, { version: 2, method: 'online' });
      assert.equal((await get(`/api/customer/${lee}/waivers`)).body.data.compliant, true);
    });

    test('booking block: can-book and POST bookings refuse a missing or outdated required waiver, naming it, and accept after recording', async () => {
      const ana = await studio.customer();
      await buy(ana);
      await studio.accept(ana, terms, 1);
      const yoga = await studio.cls({ starts_at: new Date(now + 3 * DAY), name: 'Vinyasa Flow' });

      const check = await get(`/api/customer/${ana}/can-book?class_id=${yoga}`, desk);
      assert.equal(check.status, 200, check.text);
      assert.equal(check.body.data.can_book, false);
      const failing = check.body.data.checks.filter((c: any) => !c.ok);
      assert.deepEqual(failing.map((c: any) => c.rule), ['waivers_accepted']);
      assert.equal(failing[0].message, 'Liability Waiver v3 not accepted. Terms of Service v2 not accepted (v1 accepted).');

      const refused = await post(`/api/customer/${ana}/bookings`, { class_id: yoga }, desk);
      assert.equal(refused.status, 422);
      assert.deepEqual(rules(refused.body), ['waivers_accepted']);
      assert.match(refused.body.error.message, /Liability Waiver v3 not accepted/);
      assert.match(refused.body.error.details.rules[0].message, /Terms of Service v2 not accepted \(v1 accepted\)/);

      assert.equal((await post(`/api/customer/${ana}/waivers/${waiver}/acceptances`, { version: 3, method: 'paper' }, desk)).status, 201);
      const stillOutdated = await post(`/api/customer/${ana}/bookings`, { class_id: yoga }, desk);
      assert.equal(stillOutdated.status, 422);
      assert.equal(stillOutdated.body.error.details.rules[0].message, 'Terms of Service v2 not accepted (v1 accepted).');

      // The optional photo consent never blocks.
      assert.equal((await post(`/api/customer/${ana}/waivers/${terms}/acceptances`, { version: 2, method: 'in_person' }, desk)).status, 201);
      const ok = await get(`/api/customer/${ana}/can-book?class_id=${yoga}`, desk);
      assert.equal(ok.body.data.can_book, true);
      assert.equal(ok.body.data.checks.find((c: any) => c.rule === 'waivers_accepted').message,
        'All required policies are accepted at their current version.');
      const booked = await post(`/api/customer/${ana}/bookings`, { class_id: yoga }, desk);
      assert.equal(booked.status, 201, booked.text);

      // A new version of the waiver blocks the next booking until it is accepted too.
      await db.sql`insert into policy_versions (tenant_id, policy_id, version, title, body, published_at)
        values (${studio.tenantId}, ${waiver}, 4, 'Liability Waiver v4', 'New text', now())`;
      await db.sql`update policies set current_version = 4 where tenant_id = ${studio.tenantId} and id = ${waiver}`;
      const pilates = await studio.cls({ starts_at: new Date(now + 4 * DAY), name: 'Mat Pilates' });
      const domain = await checkEligibility(db.sql, { tenantId: studio.tenantId, customerId: ana, classId: pilates });
      assert.equal(domain.canBook, false);
      assert.equal(domain.checks.find((c) => c.rule === 'waivers_accepted')!.message, 'Liability Waiver v4 not accepted (v3 accepted).');
      const waivers = (await get(`/api/customer/${ana}/waivers`)).body.data;
      assert.equal(waivers.compliant, false);
      assert.deepEqual([statusOf(waivers.items, waiver).status, statusOf(waivers.items, waiver).accepted_version], ['outdated', 3]);
      assert.equal((await post(`/api/customer/${ana}/waivers/${waiver}/acceptances`, { version: 3, method: 'paper' }, desk)).status, 422);
      assert.equal((await post(`/api/customer/${ana}/waivers/${waiver}/acceptances`, { version: 4, method: 'online' }, desk)).status, 201);
      assert.equal((await post(`/api/customer/${ana}/bookings`, { class_id: pilates }, desk)).status, 201);
    });

    test('the same acceptance recorded from several connections at once is recorded once', async () => {
      const max = await studio.customer();
      const path = `/api/customer/${max}/waivers/${terms}/acceptances`;
      const replies = await Promise.all(Array.from({ length: 6 }, (_, i) =>
        post(path, { version: 2, method: i % 2 ? 'paper' : 'in_person' }, i % 2 ? desk : full)));
      assert.deepEqual(replies.map((r) => r.status).sort(), [201, 422, 422, 422, 422, 422], replies.map((r) => r.text).join('\n'));
      assert.ok(replies.filter((r) => r.status === 422).every((r) => rules(r.body).join() === 'not_already_accepted'));
      const [{ n }] = await db.sql`select count(*)::int as n from policy_acceptances where tenant_id = ${studio.tenantId} and customer_id = ${max}`;
      assert.equal(n, 1);
      // Each refusal names when the acceptance that won was recorded, not an older version's date.
      const [{ at }] = await db.sql`select to_char(accepted_at at time zone 'Europe/London', 'FMDD Mon YYYY') as at
        from policy_acceptances where tenant_id = ${studio.tenantId} and customer_id = ${max}`;
      for (const r of replies.filter((x) => x.status === 422)) assert.match(r.body.error.details.rules[0].message, new RegExp(`was already accepted on .*${at}`));
    });

    test('the OpenAPI document lists the waiver routes with their scopes', async () => {
      const doc = (await get('/api/openapi.json', null)).body;
      assert.equal(doc.paths['/customer/{id}/waivers'].get['x-scope'], 'waivers:read');
      assert.equal(doc.paths['/policies/{policyId}/versions/{n}'].get['x-scope'], 'waivers:read');
      assert.equal(doc.paths['/customer/{id}/waivers/{policyId}/acceptances'].post['x-scope'], 'waivers:write');
    });
  });
}
