import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../../server/app.ts';
import { createApiKey, listApiKeys, revokeApiKey } from '../../server/auth/api-keys.ts';
import type { Database } from '../../server/db/connect.ts';
import { DEMO_STAFF_ID, DEMO_TENANT, OTHER_TENANT, seed } from '../../server/seed/index.ts';
import { call, OWN_ORIGIN } from '../support/api.ts';
import { kitCommand } from '../support/cli.ts';
import { databaseTargets } from '../support/databases.ts';

for (const target of await databaseTargets()) {
  describe(`revoking an API key on ${target.label}`, () => {
    let db: Database;
    before(async () => {
      db = await target.open();
      await seed(db.sql, { customers: 2, seed: 3 });
    });
    after(() => db.close());

    test('ends the key and every session it minted; listed with its last use, never with a secret', async () => {
      const app = createApp({ sql: db.sql, log: () => {} });
      const key = await createApiKey(db.sql, { tenantId: DEMO_TENANT, name: 'portal', scopes: ['embed:create', 'customers:read'] });
      const minted = await call(app, 'POST', '/api/embed/sessions', {
        token: key.secret, body: { staff_id: DEMO_STAFF_ID, capabilities: ['customers:read'], origin: OWN_ORIGIN },
      });
      assert.equal(minted.status, 201, minted.text);
      const listed = (await listApiKeys(db.sql, DEMO_TENANT)).find((k) => k.id === key.id)!;
      assert.deepEqual([listed.name, listed.scopes, listed.revoked_at], ['portal', ['embed:create', 'customers:read'], null]);
      assert.ok(listed.last_used_at, 'its use is noted');
      assert.ok(!JSON.stringify(listed).includes(key.secret) && !('secret_hash' in listed));

      assert.equal(await revokeApiKey(db.sql, OTHER_TENANT, key.id), undefined, "another studio's key is not found");
      const revoked = await revokeApiKey(db.sql, DEMO_TENANT, key.id);
      assert.ok(revoked);
      assert.deepEqual(await revokeApiKey(db.sql, DEMO_TENANT, key.id), revoked, 'revoking again keeps the first time');
      for (const token of [key.secret, minted.body.data.token]) {
        assert.equal((await call(app, 'GET', '/api/session', { token })).status, 401);
      }
    });
  });
}

describe('npm run kit -- api-key', () => {
  const kit = kitCommand();

  test('lists a studio’s keys and revokes one by id; refuses what is not a key id before opening the database', async () => {
    assert.equal((await kit('seed', '--customers', '1')).code, 0);
    const created = await kit('api-key', 'create', '--tenant', DEMO_TENANT, '--scopes', 'customers:read', '--name', 'front desk');
    assert.equal(created.code, 0, created.out);
    const [, id] = /Created API key (key_\w+)/.exec(created.out)!;
    assert.match((await kit('api-key', 'list', '--tenant', DEMO_TENANT)).out, new RegExp(`^${id}  front desk  created \\S+  last used never  customers:read$`, 'm'));

    const revoked = await kit('api-key', 'revoke', '--tenant', DEMO_TENANT, id!);
    assert.equal(revoked.code, 0, revoked.out);
    assert.match(revoked.out, /is revoked since/);
    assert.match((await kit('api-key', 'list', '--tenant', DEMO_TENANT)).out, new RegExp(`^${id}  front desk  created \\S+  revoked \\S+`, 'm'));

    assert.equal((await kit('api-key', 'revoke', '--tenant', OTHER_TENANT, id!)).code, 1, "another studio's key");
    for (const args of [['api-key', 'revoke', '--tenant', DEMO_TENANT], ['api-key', 'revoke', '--tenant', DEMO_TENANT, 'nonsense'],
      ['api-key', 'revoke', id!], ['api-key', 'create', 'extra', '--tenant', DEMO_TENANT, '--scopes', 'customers:read']]) {
      assert.equal((await kit(...args)).code, 2, args.join(' '));
    }
  });
});
