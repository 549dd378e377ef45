import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addEmbedOrigins, listEmbedOrigins, originOf, removeEmbedOrigins } from '../../server/auth/embed-origins.ts';
import type { Database } from '../../server/db/connect.ts';
import { kitCommand } from '../support/cli.ts';
import { databaseTargets } from '../support/databases.ts';

test('originOf gives an origin as browsers send it, and nothing for what is not one', () => {
  assert.equal(originOf('https://Portal.Example.com/'), 'https://portal.example.com');
  assert.equal(originOf('http://localhost:8790'), 'http://localhost:8790');
  assert.equal(originOf('https://portal.example.com:443'), 'https://portal.example.com');
  for (const text of ['portal.example.com', 'https://portal.example.com/page', 'https://portal.example.com/?', 'https://portal.example.com#x',
    'ftp://portal.example.com', 'https://user:pw@portal.example.com', 'null', '']) {
    assert.equal(originOf(text), null, text);
  }
});

for (const target of await databaseTargets()) {
  describe(`a studio's embed origins on ${target.label}`, () => {
    let db: Database;
    before(async () => {
      db = await target.open();
      await db.sql`insert into tenants (id, name) values ('biz_origins', 'Origins Studio')`;
    });
    after(() => db.close());

    test('added once each, in the order given, and removed', async () => {
      assert.deepEqual(await addEmbedOrigins(db.sql, 'biz_origins', ['https://cms.example.com', 'http://localhost:8790']),
        ['https://cms.example.com', 'http://localhost:8790']);
      assert.deepEqual(await addEmbedOrigins(db.sql, 'biz_origins', ['http://localhost:8790', 'https://portal.example.com']),
        ['https://cms.example.com', 'http://localhost:8790', 'https://portal.example.com']);
      assert.deepEqual(await removeEmbedOrigins(db.sql, 'biz_origins', ['http://localhost:8790', 'https://never.example.com']),
        ['https://cms.example.com', 'https://portal.example.com']);
      assert.deepEqual(await listEmbedOrigins(db.sql, 'biz_origins'), ['https://cms.example.com', 'https://portal.example.com']);
      assert.equal(await addEmbedOrigins(db.sql, 'biz_nobody', ['https://cms.example.com']), null);
    });

    test('the database refuses an entry no browser would send', async () => {
      for (const bad of ['https://Portal.Example.com', 'https://portal.example.com/', 'portal.example.com', 'https://portal.example.com/page']) {
        await assert.rejects(db.sql`update tenants set embed_origins = ${[bad]} where id = 'biz_origins'`, /embed_origins_as_sent/, bad);
      }
      assert.deepEqual(await listEmbedOrigins(db.sql, 'biz_origins'), ['https://cms.example.com', 'https://portal.example.com']);
    });
  });
}

describe('npm run kit -- origins', () => {
  const kit = kitCommand();

  test('adds an origin written any way as browsers send it, and refuses what is not an origin before opening the database', async () => {
    assert.equal((await kit('seed', '--customers', '1')).code, 0);
    const added = await kit('origins', 'add', '--tenant', 'biz_demo', 'https://CMS.example.com/');
    assert.equal(added.code, 0, added.out);
    assert.match(added.out, /^https:\/\/cms\.example\.com$/m);
    const refused = await kit('origins', 'add', '--tenant', 'biz_demo', 'https://cms.example.com/page');
    assert.equal(refused.code, 2);
    assert.match(refused.out, /is not an origin/);
    const listed = await kit('origins', 'list', '--tenant', 'biz_demo');
    assert.match(listed.out, /^https:\/\/cms\.example\.com$/m);
  });
});
