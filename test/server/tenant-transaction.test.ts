import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { openDatabase, type Database, type Sql } from '../../server/db/connect.ts';
import type { AppEnv, Auth } from '../../server/http/env.ts';
import { ApiError, errorHandler } from '../../server/http/errors.ts';
import { rateLimit } from '../../server/http/rate-limit.ts';
import { tenantTransaction } from '../../server/http/tenant-transaction.ts';
import { call } from '../support/api.ts';
import { databaseTargets, serverUrl } from '../support/databases.ts';

/**
 * The API's request pipeline (app.ts): the rate limit counted beside the start of the studio's
 * transaction, the studio's settings sent ahead of the route's first statement. Probe routes on the
 * real middleware and a real database show what a route sees, and what a refused or failed request
 * leaves behind. A stand-in for authentication names the studio, so that a studio id PostgreSQL
 * refuses (a NUL byte) can make the settings themselves fail. Failures go through the app's own
 * error handler, whose log is captured: what it reports is what whoever reads the log sees.
 */
for (const target of await databaseTargets()) {
  describe(`the request's studio transaction and rate limit on ${target.label}`, () => {
    let db: Database;
    /** What the error handler logged, in order. */
    const logged: { message: string; error: unknown }[] = [];
    let handled = 0;

    before(async () => {
      db = await target.open();
      await db.sql`insert into tenants (id, name) values ('biz_probe', 'Probe Studio')`;
    });
    after(() => db.close());

    const auth = (tenantId: string, credentialId: string): Auth => ({
      kind: 'api_key', credentialId, principal: credentialId, tenant: { id: tenantId, name: 'Probe', currency: 'GBP', timezone: 'UTC', locale: 'en', embedOrigins: [] },
      scopes: new Set(), actor: { type: 'api_key', id: credentialId, name: 'probe' }, customerId: null, origin: null, expiresAt: null,
    });
    /** Rows a probe route wrote, as the table's owner sees them (any studio). */
    const probes = async (key: string) =>
      (await db.sql`select count(*)::int as n from idempotency_keys where key = ${key}`)[0]!.n as number;
    /** A write under row-level security: an idempotency key of the request's studio. */
    const write = (sql: AppEnv['Variables']['sql'], key: string) => sql`
      insert into idempotency_keys (tenant_id, key, credential, fingerprint, response_status, response_body)
      values (current_setting('app.tenant', true), ${key}, 'key_probe', 'probe', 200, '{}')`;

    /** The probe app over `sql` (the suite's database unless told otherwise). */
    const app = (perMinute = 600, sql: Sql = db.sql) => {
      const probe = new Hono<AppEnv>()
        .get('/whoami', async (c) => {
          handled++;
          const { sql } = c.var;
          const first = await sql`select current_user as role, current_setting('app.tenant', true) as tenant, txid_current()::text as tx`;
          const second = await sql`select current_user as role, current_setting('app.tenant', true) as tenant, txid_current()::text as tx`;
          return c.json({ first: first[0], second: second[0] }, 200);
        })
        .get('/swallow-then-query', async (c) => {
          handled++;
          const { sql } = c.var;
          await sql`select 1 / 0`.catch(() => {});
          await sql`select 1`;
          return c.json({ ok: true }, 200);
        })
        .post('/deadlock', async (c) => {
          handled++;
          await write(c.var.sql, 'probe_deadlocked');
          await c.var.sql`do $$ begin raise exception 'deadlock detected' using errcode = '40P01'; end $$`;
          return c.json({ ok: true }, 201);
        })
        .get('/sleep', async (c) => {
          handled++;
          const [row] = await c.var.sql`select current_setting('statement_timeout') as timeout`;
          await c.var.sql`select pg_sleep(${Number(c.req.query('seconds') ?? 0)})`;
          return c.json(row, 200);
        })
        .get('/nothing', (c) => {
          handled++;
          return c.json({ ok: true }, 200);
        })
        .post('/write/:key', async (c) => {
          handled++;
          await write(c.var.sql, c.req.param('key'));
          if (c.req.query('then') === 'fail') throw new ApiError(422, 'rule_violation', 'Refused after writing.');
          return c.json({ ok: true }, 201);
        })
        .post('/write-quietly/:key', async (c) => {
          handled++;
          const wrote = await write(c.var.sql, c.req.param('key')).then(() => true, () => false);
          return c.json({ wrote }, 200);
        })
        .post('/echo', async (c) => {
          handled++;
          const { text } = await c.req.json<{ text: string }>();
          const [row] = await c.var.sql`select ${text}::text as text`;
          return c.json(row, 200);
        })
        .get('/stream', async (c) => {
          handled++;
          const { sql, inStudio } = c.var;
          // Written in the request's transaction; each part of the stream reads in one of its own.
          const key = `probe_stream_${c.req.query('parts')}`;
          await write(sql, key);
          let parts = Number(c.req.query('parts') ?? 1);
          return c.body(new ReadableStream<Uint8Array>({
            async pull(controller) {
              const [row] = await inStudio((tx) => tx`
                select current_user as role, current_setting('app.tenant', true) as tenant, txid_current()::text as tx,
                  (select count(*)::int from idempotency_keys where key = ${key}) as committed`);
              controller.enqueue(new TextEncoder().encode(`${row!.role},${row!.tenant},${row!.committed},${row!.tx}\n`));
              if (--parts === 0) controller.close();
            },
          }, { highWaterMark: 0 }), 200, { 'Content-Type': 'text/csv' });
        });
      return new Hono<AppEnv>()
        .use(requestId())
        .use(async function standIn(c, next) {
          c.set('sql', sql);
          c.set('auth', auth((c.req.header('x-tenant') ?? 'biz_probe').replace('NUL', '\u0000'), c.req.header('x-credential') ?? 'key_probe'));
          await next();
        })
        .use(rateLimit({ perMinute }))
        .use(tenantTransaction())
        .route('/', probe)
        .onError(errorHandler({ log: (message, error) => logged.push({ message, error }) }));
    };
    const request = (kit: Hono<AppEnv>, method: string, path: string, headers: Record<string, string> = {}) =>
      call(kit, method, path, { headers });
    const code = (error: unknown) => (error as { code?: string }).code;
    /** The counts below hold within one window: start well before a minute boundary (same machine, same clock). */
    const awayFromWindowEdge = async () => {
      const second = new Date().getUTCSeconds();
      if (second >= 55) await new Promise((resolve) => setTimeout(resolve, (61 - second) * 1000));
    };

    test("every statement of a route runs as ck_app with the studio set, in the request's one transaction", async () => {
      const reply = await request(app(), 'GET', '/whoami', { 'x-tenant': 'biz_seen' });
      assert.equal(reply.status, 200, reply.text);
      assert.deepEqual(reply.body.first, { ...reply.body.second });
      assert.equal(reply.body.first.role, 'ck_app');
      assert.equal(reply.body.first.tenant, 'biz_seen');
      assert.equal(reply.headers.get('ratelimit-limit'), '600');
    });

    test('a streamed body reads after the commit, each part in a transaction of its own as the studio', async () => {
      const reply = await request(app(), 'GET', '/stream?parts=2');
      assert.equal(reply.status, 200, reply.text);
      const rows = reply.text.trim().split('\n').map((line) => line.split(','));
      assert.deepEqual(rows.map(([role, tenant, committed]) => [role, tenant, committed]), [['ck_app', 'biz_probe', '1'], ['ck_app', 'biz_probe', '1']]);
      assert.notEqual(rows[0]![3], rows[1]![3], 'two transactions');
    });

    test('a stream read slowly holds no connection between its parts', async () => {
      const kit = app();
      const response = await kit.fetch(new Request('http://kit.test/stream?parts=3'));
      assert.equal(response.status, 200);
      const reader = response.body!.getReader();
      assert.equal((await reader.read()).done, false);
      try {
        // The embedded database has one connection: a stream holding it would stall this.
        const meanwhile = await Promise.race([request(kit, 'GET', '/whoami'), new Promise<null>((resolve) => setTimeout(resolve, 5000, null))]);
        assert.equal(meanwhile?.status, 200, 'a request behind a slowly read stream waited for it');
      } finally {
        while (!(await reader.read()).done);
      }
    });

    test('a body sent slowly holds no connection: requests behind it are answered, then it is read whole', async () => {
      const kit = app();
      const encoder = new TextEncoder();
      let finish!: () => void;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode('{"text":'));
          finish = () => {
            controller.enqueue(encoder.encode('"slow"}'));
            controller.close();
          };
        },
      });
      const init = { method: 'POST', body, headers: { 'content-type': 'application/json' }, duplex: 'half' };
      const slow = kit.fetch(new Request('http://kit.test/echo', init as RequestInit));
      // The embedded database has one connection: a transaction begun for the slow body would stall this.
      try {
        const meanwhile = await Promise.race([request(kit, 'GET', '/whoami'), new Promise<null>((resolve) => setTimeout(resolve, 5000, null))]);
        assert.equal(meanwhile?.status, 200, 'a request behind a slowly sent body waited for it');
        if (target.label === 'PostgreSQL server') {
          const [{ idle }] = await db.sql<{ idle: number }[]>`
            select count(*)::int as idle from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'`;
          assert.equal(idle, 0, 'a connection waits in a transaction for the body');
        }
      } finally {
        finish();
      }
      const reply = await slow;
      assert.equal(reply.status, 200);
      assert.deepEqual(await reply.json(), { text: 'slow' });
    });

    test('a deadlock is 503 with Retry-After, keeps nothing, and is logged', async () => {
      logged.length = 0;
      const reply = await request(app(), 'POST', '/deadlock');
      assert.equal(reply.status, 503, reply.text);
      assert.equal(reply.body.error.code, 'unavailable');
      assert.equal(reply.headers.get('retry-after'), '1');
      assert.equal(await probes('probe_deadlocked'), 0);
      assert.deepEqual(logged.map(({ error }) => code(error)), ['40P01']);
    });

    test('a route that fails keeps nothing it wrote', async () => {
      const reply = await request(app(), 'POST', '/write/probe_failed?then=fail');
      assert.equal(reply.status, 422, reply.text);
      assert.equal(await probes('probe_failed'), 0);
      assert.equal((await request(app(), 'POST', '/write/probe_kept')).status, 201);
      assert.equal(await probes('probe_kept'), 1);
    });

    test('when the studio cannot be set the request fails with that error, whether or not the route ran SQL', async () => {
      const bad = { 'x-tenant': 'biz_NULbad' };
      const cases = [
        ['GET', '/nothing', 'no route answer without the studio set (the COMMIT went out behind the settings)'],
        ['GET', '/whoami', 'a route whose statements are refused behind the settings'],
        ['POST', '/write/probe_unset?then=fail', 'the cause is the settings, not the route'],
        ['POST', '/write-quietly/probe_quiet', 'a route that swallows its own failure does not answer either'],
        ['GET', '/stream', 'a stream is not started'],
      ] as const;
      for (const [method, path, why] of cases) {
        logged.length = 0;
        const reply = await request(app(), method, path, bad);
        assert.equal(reply.status, 500, `${method} ${path}: ${why}`);
        assert.equal(reply.body.error.code, 'internal');
        // The log shows the cause once — the settings' own error, under the request's id — and not the
        // route's statement refused behind it (25P02, "current transaction is aborted").
        const requestId = /\(request (.+)\)/.exec(reply.body.error.message)?.[1];
        assert.deepEqual(logged.map(({ error }) => code(error)), ['22021'], `${method} ${path} logged: ${logged.map(({ error }) => String(error)).join('; ')}`);
        assert.equal(logged[0]!.message, `[${requestId}] ${method} ${path.split('?')[0]} failed`);
      }
      assert.equal(await probes('probe_unset') + await probes('probe_quiet'), 0, 'nothing was written');
      // The pool is healthy afterwards, and a request that succeeds logs nothing.
      logged.length = 0;
      assert.equal((await request(app(), 'GET', '/whoami')).status, 200);
      assert.deepEqual(logged, []);
    });

    test("a 25P02 behind the route's own swallowed failure is still logged (the settings held)", async () => {
      logged.length = 0;
      const reply = await request(app(), 'GET', '/swallow-then-query');
      assert.equal(reply.status, 500, reply.text);
      assert.deepEqual(logged.map(({ error }) => code(error)), ['25P02']);
    });

    if (target.label === 'PostgreSQL server') {
      // PGlite runs every statement to its end: only a server can cancel one.
      test('a statement running past STATEMENT_TIMEOUT_MS is cancelled: 503 unavailable, the timeout set in the transaction', async () => {
        const url = new URL(serverUrl);
        url.pathname = `/${db.sql.options.database}`;
        const timed = await openDatabase({ url: url.href, statementTimeoutMs: 300 });
        try {
          const quick = await request(app(600, timed.sql), 'GET', '/sleep');
          assert.equal(quick.status, 200, quick.text);
          assert.equal(quick.body.timeout, '300ms');
          const slow = await request(app(600, timed.sql), 'GET', '/sleep?seconds=3');
          assert.equal(slow.status, 503, slow.text);
          assert.equal(slow.body.error.code, 'unavailable');
        } finally {
          await timed.close();
        }
      });
    }

    test('over the limit: 429 with Retry-After before the route runs, and nothing it would have written', async () => {
      const kit = app(2);
      const credential = { 'x-credential': 'key_busy' };
      await awayFromWindowEdge();
      handled = 0;
      assert.equal((await request(kit, 'POST', '/write/probe_first', credential)).status, 201);
      assert.equal((await request(kit, 'GET', '/whoami', credential)).status, 200);
      const refused = await request(kit, 'POST', '/write/probe_refused', credential);
      assert.equal(refused.status, 429, refused.text);
      assert.equal(refused.body.error.code, 'rate_limited');
      const retry = Number(refused.headers.get('retry-after'));
      assert.ok(retry >= 1 && retry <= 60, `Retry-After ${refused.headers.get('retry-after')}`);
      assert.equal(refused.headers.get('ratelimit-remaining'), '0');
      assert.equal(handled, 2, 'the refused request never reached its route');
      assert.equal(await probes('probe_refused'), 0);
      // Many at once over one credential: exactly the limit gets through (the count is one upsert each).
      const burst = await Promise.all(Array.from({ length: 8 }, () => request(kit, 'GET', '/nothing', { 'x-credential': 'key_burst' })));
      assert.deepEqual(burst.map((r) => r.status).sort(), [200, 200, 429, 429, 429, 429, 429, 429]);
    });
  });
}
