import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Sql } from 'postgres';
import { createApp, demoEnabled } from '../../server/app.ts';
import { createApiKey } from '../../server/auth/api-keys.ts';
import { roleCapabilities } from '../../server/auth/roles.ts';
import { scopes, type Scope } from '../../server/auth/scopes.ts';
import type { Database } from '../../server/db/connect.ts';
import { migrate } from '../../server/db/migrate.ts';
import { DEMO_STAFF_ID, DEMO_TENANT, seed } from '../../server/seed/index.ts';
import { call, OWN_ORIGIN } from '../support/api.ts';
import { runKit } from '../support/cli.ts';
import { databaseTargets } from '../support/databases.ts';
import { countingClient, type CountingClient } from '../support/round-trips.ts';

/**
 * What an embed session may do, and for how long: minting hands out no more than the minting key
 * holds (and the staff member's role allows), for an origin on the studio's list; a session ends with
 * the key that minted it and narrows with its staff member's role; it is presented from its origin.
 * Idempotency records belong to one credential, keep no session token, and replay their headers.
 * The demo's unauthenticated `/demo/session` is served only where the demo is meant to run.
 */

const root = join(import.meta.dirname, '..', '..');
const portal = 'https://portal.example';
/** The origin of `call()`'s requests (test/support/api.ts): the BFF's own. */
const own = 'http://kit.test';

const sorted = (list: readonly string[]) => [...list].sort();

/** Starts `server/main.ts` with `env` and resolves with its base URL once it serves, and a stop function. */
function startMain(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root, env: { ...process.env, PORT: '0', DATABASE_URL: '', DEMO: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const stop = () => new Promise<void>((done) => {
    if (child.exitCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
  return new Promise<{ url: string; output: () => string; stop: () => Promise<void> }>((resolve, reject) => {
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`no start within 60 s:\n${log}`))), 60_000);
    const onData = (chunk: Buffer) => {
      log += chunk;
      const url = /serving on[^\n]*\n[^\n]*?(http:\/\/[\d.]+:\d+)/.exec(log)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ url, output: () => log, stop });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`the server exited with ${code}:\n${log}`))));
  });
}

test('the demo is on for the embedded database, off for a DATABASE_URL server, and DEMO=1 / DEMO=0 decide', () => {
  assert.equal(demoEnabled(undefined, 'embedded'), true);
  assert.equal(demoEnabled('', 'embedded'), true);
  assert.equal(demoEnabled(undefined, 'server'), false);
  assert.equal(demoEnabled('', 'server'), false);
  assert.equal(demoEnabled('1', 'server'), true);
  assert.equal(demoEnabled('0', 'embedded'), false);
  assert.equal(demoEnabled('yes', 'server'), false, 'only DEMO=1 turns it on');
});

test('DEMO=0 on a database holding the demo studio: no /demo/session, no key printed, and the key the last start printed is revoked', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ck-demo-key-'));
  const env = { PGLITE_DIR: join(dir, 'db') };
  const session = (url: string, key: string) => fetch(`${url}/api/session`, { headers: { authorization: `Bearer ${key}` } });
  try {
    assert.equal((await runKit(env.PGLITE_DIR, 'seed', '--customers', '5')).code, 0);
    const first = await startMain({ ...env, DEMO: '1' });
    const key = /ck_key_[\w-]+/.exec(first.output())?.[0];
    try {
      assert.ok(key, first.output());
      assert.equal((await session(first.url, key)).status, 200, 'the printed key works while its start runs');
    } finally {
      await first.stop();
    }
    const next = await startMain({ ...env, DEMO: '0' });
    try {
      assert.equal((await session(next.url, key)).status, 401, 'a start with the demo off revokes it too');
      assert.equal((await fetch(`${next.url}/demo/session`)).status, 404);
      assert.doesNotMatch(next.output(), /ck_key_/);
      assert.match(next.output(), /the demo is off/);
      assert.equal((await fetch(`${next.url}/healthz`)).status, 200, 'the server itself serves');
    } finally {
      await next.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/** The status of a GET sent with the given Host and Origin headers (fetch would not let the test choose its Host). */
function statusWithHost(url: string, path: string, headers: { host: string; origin: string }) {
  const { hostname, port } = new URL(url);
  return new Promise<number>((resolve, reject) => {
    const request = httpRequest({ host: hostname, port, path, headers }, (response) => {
      response.resume();
      resolve(response.statusCode!);
    });
    request.once('error', reject);
    request.end();
  });
}

test('server/main.ts takes its own origin from configuration (http://HOST:PORT by default), never from the Host header', async () => {
  const server = await startMain({ PGLITE_DIR: 'memory://', DEMO: '0', PUBLIC_ORIGIN: '' });
  try {
    const { host } = new URL(server.url);
    // Same-origin: on to authentication, which wants a credential.
    assert.equal(await statusWithHost(server.url, '/api/session', { host, origin: server.url }), 401);
    // A DNS-rebinding page: its name in both headers, yet another origin, on no studio's list.
    const rebound = `rebind.attacker.example:${new URL(server.url).port}`;
    assert.equal(await statusWithHost(server.url, '/api/session', { host: rebound, origin: `http://${rebound}` }), 403);
  } finally {
    await server.stop();
  }
  await assert.rejects(startMain({ PGLITE_DIR: 'memory://', DEMO: '0', PUBLIC_ORIGIN: 'https://kit.example/api' }), /PUBLIC_ORIGIN must be an origin/);
});

for (const target of await databaseTargets()) {
  test(`migration 00011 on ${target.label}: keys per credential, and the session tokens stored before are dropped`, async () => {
    const db = await target.open();
    try {
      const { sql } = db;
      // Back to the table as it was before 00011, with what it may hold then.
      await sql`delete from schema_migrations where name = '00011_idempotency_per_credential.sql'`;
      await sql`alter table idempotency_keys drop constraint idempotency_keys_pkey`;
      await sql`alter table idempotency_keys add primary key (tenant_id, key)`;
      await sql`alter table idempotency_keys drop column response_headers`;
      await sql`insert into tenants (id, name) values ('biz_migrated', 'Migrated Studio')`;
      const row = (key: string, body: string) => sql`
        insert into idempotency_keys (tenant_id, key, credential, fingerprint, response_status, response_body)
        values ('biz_migrated', ${key}, 'key_one', 'f', 201, ${body})`;
      await row('mint-1', JSON.stringify({ data: { id: 'ses_x', token: 'ck_ses_secretsecretsecretsecret', expires_at: null } }));
      await row('note-1', JSON.stringify({ data: { id: 'note_x', body: 'kept' } }));

      assert.deepEqual(await migrate(sql), ['00011_idempotency_per_credential.sql']);
      const kept = await sql`select key, response_headers from idempotency_keys where tenant_id = 'biz_migrated'`;
      assert.deepEqual(kept.map((r) => [r.key, r.response_headers]), [['note-1', {}]], 'the token is gone, the rest kept');
      // Another credential may now use the same key in the same studio.
      await sql`insert into idempotency_keys (tenant_id, key, credential, fingerprint, response_status, response_body)
        values ('biz_migrated', 'note-1', 'key_two', 'g', 201, '{}')`;
      await assert.rejects(sql`insert into idempotency_keys (tenant_id, key, credential, fingerprint, response_status, response_body)
        values ('biz_migrated', 'note-1', 'key_two', 'h', 201, '{}')`, /duplicate key/);
    } finally {
      await db.close();
    }
  });

  describe(`embed sessions: minting, revocation, origins and idempotency on ${target.label}`, () => {
    let db: Database;
    let wire: CountingClient;
    let sql: Sql;
    let app: ReturnType<typeof createApp>;
    let databaseUrl: string;
    let full: string;
    let passId: string;
    let customerId: string;

    const key = async (keyScopes: readonly Scope[], name = 'hardening') =>
      createApiKey(sql, { tenantId: DEMO_TENANT, name, scopes: keyScopes });
    const mint = async (token: string, body: Record<string, unknown>) => {
      const reply = await call(app, 'POST', '/api/embed/sessions', { token, body: { origin: OWN_ORIGIN, ...body } });
      assert.equal(reply.status, 201, reply.text);
      return reply.body.data as { id: string; token: string };
    };
    const sessionCount = async () => (await sql`select count(*)::int as n from embed_sessions`)[0]!.n as number;
    const adjust = (token: string, headers: Record<string, string> = {}) =>
      call(app, 'POST', `/api/customer/${customerId}/passes/${passId}/adjustments`, {
        token, body: { delta: 1, reason: 'hardening test' }, headers,
      });

    before(async () => {
      db = await target.open();
      const { host, port, database, user } = db.sql.options;
      databaseUrl = `postgres://${user}@${host[0]}:${port[0]}/${database}`;
      // All the suite's SQL through the round-trip counter (PGlite serves one connection).
      await db.sql.end();
      wire = await countingClient(db.sql);
      sql = wire.sql;
      await seed(sql, { customers: 20, seed: 13 });
      await sql`update tenants set embed_origins = ${[portal]} where id = ${DEMO_TENANT}`;
      app = createApp({ sql, log: () => {}, rateLimitPerMinute: 100_000 });
      full = (await key(scopes, 'all')).secret;
      const [pass] = await sql`select p.id, p.customer_id from passes p join customers c on c.tenant_id = p.tenant_id and c.id = p.customer_id
        where p.tenant_id = ${DEMO_TENANT} and p.credits_left > 0 and p.status = 'active' and c.deleted_at is null and not c.archived
        order by p.id limit 1`;
      assert.ok(pass, 'the seed has an active pass with credits');
      passId = pass.id;
      customerId = pass.customer_id;
    });
    after(async () => {
      await wire.close();
      await db.close();
    });

    test('a key with only embed:create cannot mint an owner session: 403 naming what it does not hold', async () => {
      const minter = (await key(['embed:create'], 'minter only')).secret;
      const before = await sessionCount();
      const refused = await call(app, 'POST', '/api/embed/sessions', {
        token: minter, body: { staff_id: DEMO_STAFF_ID, capabilities: ['credits:write', 'customers:write', 'audit:read', 'credits:write'], origin: OWN_ORIGIN },
      });
      assert.equal(refused.status, 403, refused.text);
      assert.equal(refused.body.error.code, 'forbidden');
      assert.deepEqual(sorted(refused.body.error.details.capabilities), ['audit:read', 'credits:write', 'customers:write']);
      assert.match(refused.body.error.message, /credits:write/);
      assert.equal(await sessionCount(), before, 'no session was stored');

      // A key may hand out what it holds, and no more.
      const reader = (await key(['embed:create', 'customers:read', 'profile:read'], 'reader host')).secret;
      const within = await mint(reader, { staff_id: DEMO_STAFF_ID, capabilities: ['customers:read'] });
      assert.equal((await call(app, 'GET', '/api/customers?limit=1', { token: within.token })).status, 200);
      const beyond = await call(app, 'POST', '/api/embed/sessions', {
        token: reader, body: { staff_id: DEMO_STAFF_ID, capabilities: ['customers:read', 'credits:write'], origin: OWN_ORIGIN },
      });
      assert.equal(beyond.status, 403, beyond.text);
      assert.deepEqual(beyond.body.error.details.capabilities, ['credits:write']);
      assert.equal(beyond.body.error.details.scope, 'credits:write');

      // The staff member's role still bounds a key that holds everything.
      const [instructor] = await sql`select id from staff where tenant_id = ${DEMO_TENANT} and role = 'instructor' and active limit 1`;
      const overRole = await call(app, 'POST', '/api/embed/sessions', {
        token: full, body: { staff_id: instructor!.id, capabilities: ['customers:read', 'credits:write'], origin: OWN_ORIGIN },
      });
      assert.equal(overRole.status, 422, overRole.text);
      assert.deepEqual(overRole.body.error.details.rules[0].capabilities, ['credits:write']);
    });

    test('a session ends when the key that minted it is revoked, and only then', async () => {
      const host = await key(['embed:create', 'customers:read'], 'revoked host');
      const session = await mint(host.secret, { staff_id: DEMO_STAFF_ID, capabilities: ['customers:read'] });
      const bystander = await mint(full, { staff_id: DEMO_STAFF_ID, capabilities: ['customers:read'] });
      assert.equal((await call(app, 'GET', '/api/customers?limit=1', { token: session.token })).status, 200);

      await sql`update api_keys set revoked_at = now() where tenant_id = ${DEMO_TENANT} and id = ${host.id}`;
      const refused = await call(app, 'GET', '/api/customers?limit=1', { token: session.token });
      assert.equal(refused.status, 401, refused.text);
      assert.equal(refused.body.error.code, 'unauthenticated');
      assert.equal((await call(app, 'GET', '/api/session', { token: session.token })).status, 401);
      assert.equal((await call(app, 'GET', '/api/customers?limit=1', { token: bystander.token })).status, 200,
        "another key's session goes on");
    });

    test("a demoted staff member's session loses what the new role does not allow, at once", async () => {
      const staffId = 'staff_hardeningmanager1';
      await sql`insert into staff (tenant_id, id, name, email, role)
        values (${DEMO_TENANT}, ${staffId}, 'Morgan Manager', 'morgan.manager@studio.test', 'manager')`;
      const minted: Scope[] = ['customers:read', 'passes:read', 'credits:write'];
      const session = await mint(full, { staff_id: staffId, capabilities: minted });
      const first = await adjust(session.token);
      assert.equal(first.status, 201, first.text);

      await sql`update staff set role = 'instructor' where tenant_id = ${DEMO_TENANT} and id = ${staffId}`;
      const refused = await adjust(session.token);
      assert.equal(refused.status, 403, refused.text);
      assert.equal(refused.body.error.details.scope, 'credits:write');
      const who = await call(app, 'GET', '/api/session', { token: session.token });
      assert.deepEqual(who.body.data.capabilities, minted.filter((c) => roleCapabilities.instructor.includes(c)));
      assert.deepEqual(who.body.data.capabilities, ['customers:read']);

      // Promoted past the old role: the session gets back what it was minted with, never more.
      await sql`update staff set role = 'owner' where tenant_id = ${DEMO_TENANT} and id = ${staffId}`;
      const again = await call(app, 'GET', '/api/session', { token: session.token });
      assert.deepEqual(sorted(again.body.data.capabilities), sorted(minted));
      await sql`update staff set active = false where tenant_id = ${DEMO_TENANT} and id = ${staffId}`;
      assert.equal((await call(app, 'GET', '/api/session', { token: session.token })).status, 401, 'a deactivated member');
    });

    test('authenticating a session costs the one query an API key costs', async () => {
      const session = await mint(full, { staff_id: DEMO_STAFF_ID, capabilities: ['customers:read'] });
      const trips = async (token: string) => {
        assert.equal((await call(app, 'GET', '/api/session', { token })).status, 200);
        wire.reset();
        assert.equal((await call(app, 'GET', '/api/session', { token })).status, 200);
        return [...wire.trips];
      };
      const bySession = await trips(session.token);
      const byKey = await trips(full);
      assert.equal(bySession.filter((trip) => trip.sql.some((text) => text.includes('embed_sessions'))).length, 1);
      assert.equal(bySession.length, byKey.length, `session ${bySession.length} round trips, key ${byKey.length}`);
    });

    test("the origin a session is minted for must be on the studio's list (or the BFF's own)", async () => {
      const before = await sessionCount();
      const refused = await call(app, 'POST', '/api/embed/sessions', {
        token: full, body: { staff_id: DEMO_STAFF_ID, capabilities: ['customers:read'], origin: 'http://evil.example' },
      });
      assert.equal(refused.status, 422, refused.text);
      assert.equal(refused.body.error.code, 'rule_violation');
      assert.equal(refused.body.error.details.rules[0].field, 'origin');
      assert.equal(refused.body.error.details.rules[0].origin, 'http://evil.example');
      assert.equal(await sessionCount(), before);
      await mint(full, { staff_id: DEMO_STAFF_ID, capabilities: ['customers:read'], origin: `${portal}/customers` });
      await mint(full, { staff_id: DEMO_STAFF_ID, capabilities: ['customers:read'], origin: own });
    });

    test('a session bound to another origin is refused without an Origin header; a same-origin one is not', async () => {
      const bound = await mint(full, { staff_id: DEMO_STAFF_ID, capabilities: ['customers:read'], origin: portal });
      const bare = await call(app, 'GET', '/api/customers?limit=1', { token: bound.token });
      assert.equal(bare.status, 403, bare.text);
      assert.equal(bare.body.error.code, 'forbidden');
      assert.match(bare.body.error.message, /issued for https:\/\/portal\.example/);
      assert.equal((await call(app, 'GET', '/api/customers?limit=1', { token: bound.token, headers: { origin: portal } })).status, 200);

      // The BFF's own page: a same-origin GET carries no Origin.
      const sameOrigin = await mint(full, { staff_id: DEMO_STAFF_ID, capabilities: ['customers:read'], origin: own });
      assert.equal((await call(app, 'GET', '/api/customers?limit=1', { token: sameOrigin.token })).status, 200);
      assert.equal((await call(app, 'GET', '/api/customers?limit=1', { token: sameOrigin.token, headers: { origin: own } })).status, 200);
      assert.equal((await call(app, 'GET', '/api/customers?limit=1', { token: sameOrigin.token, headers: { origin: portal } })).status, 403);
    });

    test('a session is for one origin: minting one without is a 400 on origin, and nothing is minted', async () => {
      const before = await sessionCount();
      const reply = await call(app, 'POST', '/api/embed/sessions', { token: full, body: { staff_id: DEMO_STAFF_ID, capabilities: ['customers:read'] } });
      assert.equal(reply.status, 400, reply.text);
      assert.deepEqual(reply.body.error.details.fields.map((f: { path: string }) => f.path), ['origin']);
      assert.equal(await sessionCount(), before);
    });

    test('minting takes no Idempotency-Key: each call mints, and no token is stored', async () => {
      const body = { staff_id: DEMO_STAFF_ID, capabilities: ['customers:read'], origin: OWN_ORIGIN };
      const headers = { 'idempotency-key': 'mint-1' };
      const first = await call(app, 'POST', '/api/embed/sessions', { token: full, body, headers });
      const second = await call(app, 'POST', '/api/embed/sessions', { token: full, body, headers });
      assert.equal(first.status, 201, first.text);
      assert.equal(second.status, 201, second.text);
      assert.equal(second.headers.get('idempotent-replayed'), null);
      assert.notEqual(first.body.data.token, second.body.data.token);
      // Another credential of the studio asking with the same key gets its own session, not the first one's.
      const other = (await key(['embed:create', 'customers:read'], 'other host')).secret;
      const theirs = await call(app, 'POST', '/api/embed/sessions', { token: other, body, headers });
      assert.equal(theirs.status, 201, theirs.text);
      assert.ok(![first.body.data.token, second.body.data.token].includes(theirs.body.data.token));
      const [{ n }] = await sql`select count(*)::int as n from idempotency_keys
        where key = 'mint-1' or position('ck_ses_' in response_body) > 0`;
      assert.equal(n, 0, 'no idempotency record, and no token in any');
    });

    test('a session token and an API key secret are stored only as their SHA-256, never in plain', async () => {
      const sha256 = (secret: string) => createHash('sha256').update(secret).digest('hex');
      const session = await mint(full, { staff_id: DEMO_STAFF_ID, capabilities: ['customers:read'] });
      const [stored] = await sql`select token_hash from embed_sessions where id = ${session.id}`;
      assert.equal(stored!.token_hash, sha256(session.token));
      assert.match(stored!.token_hash, /^[0-9a-f]{64}$/);
      const apiKey = await key(['customers:read'], 'hashed');
      const [kept] = await sql`select secret_hash from api_keys where id = ${apiKey.id}`;
      assert.equal(kept!.secret_hash, sha256(apiKey.secret));
      // Whole rows, as text: no column keeps a secret beside its hash.
      const [{ n }] = await sql`
        select (select count(*) from embed_sessions s where strpos(s::text, ${session.token}) > 0)
          + (select count(*) from api_keys k where strpos(k::text, ${apiKey.secret}) > 0) as n`;
      assert.equal(Number(n), 0);
      // And both still authenticate by their hash.
      assert.equal((await call(app, 'GET', '/api/session', { token: session.token })).status, 200);
      assert.equal((await call(app, 'GET', '/api/customers?limit=1', { token: apiKey.secret })).status, 200);
    });

    test('an Idempotency-Key belongs to its credential: the same key from two credentials runs twice', async () => {
      const notes = async () => (await sql`select count(*)::int as n from notes where tenant_id = ${DEMO_TENANT} and customer_id = ${customerId}`)[0]!.n as number;
      const second = (await key(['notes:write'], 'second integration')).secret;
      const before = await notes();
      const post = (token: string, text: string) => call(app, 'POST', `/api/customer/${customerId}/notes`, {
        token, body: { body: text }, headers: { 'idempotency-key': 'order-42' },
      });
      const a = await post(full, 'from the first integration');
      assert.equal(a.status, 201, a.text);
      const b = await post(second, 'from the second integration');
      assert.equal(b.status, 201, b.text);
      assert.equal(b.headers.get('idempotent-replayed'), null, 'not the first credential\'s answer');
      assert.notEqual(b.body.data.id, a.body.data.id);
      assert.equal(await notes(), before + 2);
      // Each credential's own replay still holds: the same answer, nothing changed…
      const replay = await post(full, 'from the first integration');
      assert.equal(replay.status, 201);
      assert.equal(replay.headers.get('idempotent-replayed'), 'true');
      assert.equal(replay.text, a.text);
      // …and the same key with another body is still refused, per credential.
      const reused = await post(second, 'something else');
      assert.equal(reused.status, 422, reused.text);
      assert.equal(await notes(), before + 2);
    });

    test('a retry sent with a renewed session is the same request; another staff member’s or customer’s session is not', async () => {
      const entries = async () => (await sql`select count(*)::int as n from credit_ledger where tenant_id = ${DEMO_TENANT} and pass_id = ${passId}`)[0]!.n as number;
      const [other] = await sql`select id from staff where tenant_id = ${DEMO_TENANT} and id <> ${DEMO_STAFF_ID} and active and role in ('owner', 'manager') limit 1`;
      assert.ok(other, 'the seed has a second owner or manager');
      const session = async (body: Record<string, unknown> = {}) =>
        (await mint(full, { staff_id: DEMO_STAFF_ID, capabilities: ['credits:write'], origin: 'http://kit.test', ...body })).token;
      const headers = { 'idempotency-key': 'adjust-after-renewal' };
      const before = await entries();
      const first = await adjust(await session(), headers);
      assert.equal(first.status, 201, first.text);
      // The answer was lost, the token expired: the widget renews it and sends the same request again.
      const renewed = await adjust(await session(), headers);
      assert.equal(renewed.headers.get('idempotent-replayed'), 'true');
      assert.equal(renewed.text, first.text);
      assert.equal(await entries(), before + 1);
      // Someone else, or a session held to another customer, is another requester.
      const colleague = await adjust(await session({ staff_id: other.id }), headers);
      assert.equal(colleague.status, 201, colleague.text);
      assert.equal(colleague.headers.get('idempotent-replayed'), null);
      const held = await adjust(await session({ customer_id: customerId }), headers);
      assert.equal(held.status, 201, held.text);
      assert.equal(held.headers.get('idempotent-replayed'), null);
      assert.equal(await entries(), before + 3);
    });

    test('a replay carries the ETag (and Content-Type) of the first answer', async () => {
      const [row] = await sql`select email from customers where tenant_id = ${DEMO_TENANT} and id = ${customerId}`;
      const body = { firstname: 'Etag', lastname: 'Replay', email: row!.email };
      const headers = { 'idempotency-key': 'profile-etag-1' };
      const first = await call(app, 'PUT', `/api/customer/${customerId}/profile`, { token: full, body, headers });
      assert.equal(first.status, 200, first.text);
      const etag = first.headers.get('etag');
      assert.ok(etag, 'the first answer has an ETag');
      const replay = await call(app, 'PUT', `/api/customer/${customerId}/profile`, { token: full, body, headers });
      assert.equal(replay.status, 200);
      assert.equal(replay.headers.get('idempotent-replayed'), 'true');
      assert.equal(replay.headers.get('etag'), etag);
      assert.equal(replay.headers.get('content-type'), first.headers.get('content-type'));
      assert.equal(replay.text, first.text);
      // The ETag replayed is current: If-Match with it succeeds.
      const next = await call(app, 'PUT', `/api/customer/${customerId}/profile`, {
        token: full, body: { ...body, firstname: 'Etag2' }, headers: { 'if-match': etag },
      });
      assert.equal(next.status, 200, next.text);
    });

    if (target.label === 'PostgreSQL server') {
      test('with DATABASE_URL the server mints no demo session unless DEMO=1', async () => {
        const keysBefore = (await sql`select count(*)::int as n from api_keys where tenant_id = ${DEMO_TENANT}`)[0]!.n as number;
        const plain = await startMain({ DATABASE_URL: databaseUrl });
        try {
          assert.equal((await fetch(`${plain.url}/demo/session`)).status, 404, 'no owner session for strangers');
          assert.doesNotMatch(plain.output(), /ck_key_/, 'no demo key printed');
        } finally {
          await plain.stop();
        }
        const keysAfter = (await sql`select count(*)::int as n from api_keys where tenant_id = ${DEMO_TENANT}`)[0]!.n as number;
        assert.equal(keysAfter, keysBefore, 'no demo key created');

        const demo = await startMain({ DATABASE_URL: databaseUrl, DEMO: '1' });
        try {
          const reply = await fetch(`${demo.url}/demo/session`);
          assert.equal(reply.status, 200);
          const { data } = (await reply.json()) as { data: { token: string } };
          assert.match(data.token, /^ck_ses_/);
        } finally {
          await demo.stop();
        }
      });
    }
  });
}
