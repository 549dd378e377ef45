import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApiKey } from '../../server/auth/api-keys.ts';
import type { Database } from '../../server/db/connect.ts';
import { pruneExpired } from '../../server/domain/housekeeping.ts';
import { createStudio, DAY } from '../support/credit-fixtures.ts';
import { databaseTargets } from '../support/databases.ts';

for (const target of await databaseTargets()) {
  describe(`housekeeping on ${target.label}`, () => {
    let db: Database;

    before(async () => {
      db = await target.open();
    });
    after(() => db.close());

    test('deletes replay answers past 7 days, sessions expired over 30 days ago and stale rate-limit windows; keeps those a minute short of it and the current window', async () => {
      const { sql } = db;
      const studio = await createStudio(sql);
      const t = studio.tenantId;
      const { id: keyId } = await createApiKey(sql, { tenantId: t, name: 'housekeeping', scopes: ['embed:create'] });
      const now = new Date();
      const ago = (ms: number) => new Date(now.getTime() - ms);
      const MINUTE = 60_000;
      // A key replays for 7 days (http/idempotency.ts): one a minute short of that still answers.
      for (const [key, at] of [['old', ago(7 * DAY + MINUTE)], ['recent', ago(7 * DAY - MINUTE)]] as const) {
        await sql`insert into idempotency_keys (tenant_id, key, credential, fingerprint, response_status, response_body, created_at)
          values (${t}, ${key}, ${keyId}, 'f', 200, '{}', ${at})`;
      }
      for (const [id, expires] of [['ses_old', ago(30 * DAY + MINUTE)], ['ses_recent', ago(30 * DAY - MINUTE)], ['ses_live', new Date(now.getTime() + 600_000)]] as const) {
        await sql`insert into embed_sessions (tenant_id, id, token_hash, staff_id, capabilities, created_by_key, created_at, expires_at)
          values (${t}, ${id}, ${`hash_${id}_${t}`}, ${studio.staffId}, ${['customers:read']}, ${keyId}, ${new Date(expires.getTime() - 600_000)}, ${expires})`;
      }
      // The current one-minute window may have begun 59 s ago: it still counts the credential's requests (http/rate-limit.ts).
      for (const [credential, at] of [['key_stale', ago(5 * MINUTE)], ['key_current', ago(59_000)]] as const) {
        await sql`insert into rate_limits (credential, window_start, count) values (${credential}, ${at}, 1)`;
      }

      assert.deepEqual(await pruneExpired(sql, now), { idempotencyKeys: 1, embedSessions: 1, rateLimits: 1 });
      const left = async (rows: Promise<{ name: string }[]>) => (await rows).map((r) => r.name).sort();
      assert.deepEqual(await left(sql`select key as name from idempotency_keys where tenant_id = ${t}`), ['recent']);
      assert.deepEqual(await left(sql`select id as name from embed_sessions where tenant_id = ${t}`), ['ses_live', 'ses_recent']);
      assert.deepEqual(await left(sql`select credential as name from rate_limits where credential like 'key_%'`), ['key_current']);
      // Run again (another instance, the next hour): nothing more goes.
      assert.deepEqual(await pruneExpired(sql, now), { idempotencyKeys: 0, embedSessions: 0, rateLimits: 0 });
    });

    test('a backlog larger than one batch goes in full, batch by batch', async () => {
      const { sql } = db;
      const { tenantId: t } = await createStudio(sql);
      const now = new Date();
      await sql`insert into idempotency_keys (tenant_id, key, credential, fingerprint, response_status, response_body, created_at)
        select ${t}, 'backlog' || g, 'key_backlog', 'f', 200, '{}', ${now}::timestamptz - interval '9 days'
        from generate_series(1, 12345) g`;
      assert.equal((await pruneExpired(sql, now)).idempotencyKeys, 12345);
      const [{ left }] = await sql`select count(*)::int as left from idempotency_keys where tenant_id = ${t}`;
      assert.equal(left, 0);
    });
  });
}
