import type { Context, MiddlewareHandler } from 'hono';
import type { Sql } from 'postgres';
import type { AppEnv } from './env.ts';

const rollback = Symbol('rollback');

/**
 * Runs the rest of an API request in one transaction as the role `ck_app`, with `app.tenant` set to
 * the credential's studio, so that PostgreSQL's row-level security holds every query to that studio
 * (migration 00007). A request that fails keeps nothing it wrote, and an answer is sent only once
 * what it says is committed — except a streamed body (a CSV export), which reads from the
 * transaction after the handler returns, so the transaction stays open until the stream ends.
 *
 * The request's body is read first, so a transaction is open only while the route works.
 * The route does not start before the request is admitted (`c.var.admission`, the rate limit's
 * verdict, counted on another connection while this one begins).
 *
 * The studio's settings cost no round trip of their own: they are sent without waiting, and
 * postgres.js writes the route's first statement (or the COMMIT) right behind them on the
 * transaction's one connection, which PostgreSQL runs in order — so no statement of the route runs
 * before the tenant is set. Should the settings fail, PostgreSQL aborts the transaction: every later
 * statement fails (25P02) and a COMMIT becomes a ROLLBACK; the request then fails with the settings' own
 * error, which is the one reported — the route's 25P02 is only its echo (`failedBehindSettings`).
 */
export function tenantTransaction(): MiddlewareHandler<AppEnv> {
  return async function tenantTransaction(c, next) {
    const pool = c.var.sql as Sql;
    // The body is read (and cached for the validators) before a connection is taken: a client that
    // sends it slowly must not hold one of the pool's few connections idle in a transaction.
    if (c.req.raw.body) await c.req.arrayBuffer();
    let respond!: () => void;
    let fail!: (error: unknown) => void;
    const responded = new Promise<void>((resolve, reject) => ((respond = resolve), (fail = reject)));
    let tenantSet: Promise<unknown> | undefined;
    pool
      .begin(async (tx) => {
        await c.var.admission;
        tenantSet = tx`select set_config('app.tenant', ${c.var.auth.tenant.id}, true), set_config('role', 'ck_app', true)`
          .execute();
        c.set('studioSettings', tenantSet);
        c.set('sql', tx);
        await next();
        if (c.error) throw rollback;
        const body = c.res.body;
        // An answer built in memory is sent once the transaction has committed (below).
        if (!body || c.res.headers.get('content-type')?.startsWith('application/json')) return;
        // A stream is answered before the commit: the studio must be known to be set first.
        await tenantSet;
        const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
        const ended = body.pipeTo(writable).catch(() => {});
        c.res = new Response(readable, c.res);
        respond();
        await ended;
      })
      .then(
        async () => {
          await tenantSet;
          respond();
        },
        async (error: unknown) => {
          await tenantSet;
          if (error === rollback) respond();
          else fail(error);
        },
      )
      .catch(fail);
    await responded;
  };
}

/**
 * Whether a route's failure is only the echo of the studio's settings having failed: PostgreSQL
 * refuses every statement behind them with 25P02 ("current transaction is aborted"). The request
 * fails with the settings' own error right after (above), so `onError` reports that one and not its
 * echo. The settings were answered before the statement that failed behind them, so this waits for
 * nothing; a 25P02 behind settings that held (a route that swallowed an error of its own) is reported.
 */
export async function failedBehindSettings(c: Context<AppEnv>, error: unknown): Promise<boolean> {
  const settings = c.var.studioSettings;
  if (!settings || (error as { code?: string } | null)?.code !== '25P02') return false;
  return settings.then(() => false, () => true);
}
