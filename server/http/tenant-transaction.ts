import type { Context, MiddlewareHandler } from 'hono';
import type { Sql, TransactionSql } from 'postgres';
import type { AppEnv } from './env.ts';

const rollback = Symbol('rollback');

/** The studio and role of a transaction: `app.tenant` for row-level security, and `ck_app`. */
const studioSettings = (tx: TransactionSql, tenantId: string) =>
  tx`select set_config('app.tenant', ${tenantId}, true), set_config('role', 'ck_app', true)`;

/**
 * Runs the rest of an API request in one transaction as the role `ck_app`, with `app.tenant` set to
 * the credential's studio, so that PostgreSQL's row-level security holds every query to that studio
 * (migration 00007). A request that fails keeps nothing it wrote, and an answer is sent only once
 * what it says is committed.
 *
 * A connection is held only while the route works: the request's body is read first, and a
 * streamed answer (a CSV export) reads after the commit, each part in a short transaction of its own
 * (`c.var.inStudio`) — so a client that sends or reads slowly holds none of the pool's few
 * connections. The route does not start before the request is admitted (`c.var.admission`, the rate
 * limit's verdict, counted on another connection while this one begins).
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
    const tenantId = c.var.auth.tenant.id;
    // The body is read (and cached for the validators) before a connection is taken.
    if (c.req.raw.body) await c.req.arrayBuffer();
    c.set('inStudio', (read) => pool.begin(async (tx) => {
      await studioSettings(tx, tenantId);
      return read(tx);
    }) as ReturnType<typeof read>);
    let settings: Promise<unknown> | undefined;
    try {
      await pool.begin(async (tx) => {
        await c.var.admission;
        settings = studioSettings(tx, tenantId).execute();
        c.set('studioSettings', settings);
        c.set('sql', tx);
        await next();
        if (c.error) throw rollback;
      });
    } catch (error) {
      await settings;
      if (error !== rollback) throw error;
    }
    await settings;
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
