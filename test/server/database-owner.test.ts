import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import postgres from 'postgres';
import { createApp } from '../../server/app.ts';
import { createApiKey } from '../../server/auth/api-keys.ts';
import { openDatabase, type Database } from '../../server/db/connect.ts';
import { migrate } from '../../server/db/migrate.ts';
import { DEMO_TENANT, seed } from '../../server/seed/index.ts';
import { call } from '../support/api.ts';
import { databaseTargets, serverUrl } from '../support/databases.ts';

/**
 * A managed PostgreSQL hands out an admin user with CREATEROLE that is no superuser. Owning the
 * database as such a user, the kit must migrate and then serve: every request runs `set role ck_app`,
 * which needs membership of ck_app (migration 00015).
 */
const listens = (await databaseTargets()).length > 1;

describe('a database owned by a user that is no superuser', { skip: !listens && 'no PostgreSQL server listens' }, () => {
  const suffix = randomBytes(6).toString('hex');
  const owner = `ck_owner_${suffix}`;
  const name = `ck_test_owner_${suffix}`;
  const admin = postgres(serverUrl.href, { max: 1, onnotice: () => {} });
  let db: Database;

  before(async () => {
    await admin`create role ${admin(owner)} login createrole`;
    await admin`create database ${admin(name)} owner ${admin(owner)}`;
    const url = new URL(serverUrl);
    url.username = owner;
    url.pathname = `/${name}`;
    db = await openDatabase({ url: url.href });
  });
  after(async () => {
    await db?.close();
    await admin`drop database if exists ${admin(name)} with (force)`;
    await admin`drop role if exists ${admin(owner)}`;
    await admin.end();
  });

  test('migrates, then answers API requests as ck_app', async () => {
    const [{ superuser }] = await db.sql<{ superuser: boolean }[]>`select rolsuper as superuser from pg_roles where rolname = current_user`;
    assert.equal(superuser, false);
    await migrate(db.sql);
    await seed(db.sql, { customers: 3, seed: 1 });
    const app = createApp({ sql: db.sql, log: () => {} });
    const key = await createApiKey(db.sql, { tenantId: DEMO_TENANT, name: 'owner test', scopes: ['customers:read', 'notes:write'] });
    const list = await call(app, 'GET', '/api/customers', { token: key.secret });
    assert.equal(list.status, 200, list.text);
    assert.equal(list.body.data.length, 3);
    const note = await call(app, 'POST', `/api/customer/${list.body.data[0].id}/notes`, { token: key.secret, body: { body: 'Owned by a plain user' } });
    assert.equal(note.status, 201, note.text);
  });
});
