import type { Sql } from '../db/connect.ts';

/** How long each kind of short-lived record is kept past its use. */
const KEEP = {
  /** Replays are promised for 7 days (http/idempotency.ts). */
  idempotencyKeys: '7 days',
  /** Long enough to answer "which session did this?" about recent changes; a session lives an hour at most. */
  embedSessions: '30 days',
  /** A window counts for one minute (http/rate-limit.ts); a credential's own next request clears its older ones. */
  rateLimits: '2 minutes',
} as const;

export interface Pruned {
  idempotencyKeys: number;
  embedSessions: number;
  rateLimits: number;
}

/** Rows deleted per statement: each batch finishes well inside the statement timeout, however large the backlog. */
const BATCH = 5000;

/** Deletes the rows of `table` matching `expired`, a batch at a time, until none is left; returns how many. */
async function deleteInBatches(sql: Sql, table: string, expired: ReturnType<Sql>): Promise<number> {
  let total = 0;
  for (;;) {
    const { count } = await sql`
      delete from ${sql(table)} where ctid in (select ctid from ${sql(table)} where ${expired} limit ${BATCH})`;
    total += count;
    if (count < BATCH) return total;
  }
}

/**
 * Deletes what has outlived its use: answers kept for replays, sessions long expired and rate-limit
 * windows of credentials that made no request since. Nothing else refers to these rows. Runs as the
 * tables' owner, across studios; safe on several instances at once (a row is deleted once). In batches,
 * so that a backlog larger than one statement may delete in its timeout still goes, batch by batch.
 */
export async function pruneExpired(sql: Sql, now = new Date()): Promise<Pruned> {
  const [idempotencyKeys, embedSessions, rateLimits] = await Promise.all([
    deleteInBatches(sql, 'idempotency_keys', sql`created_at < ${now}::timestamptz - ${KEEP.idempotencyKeys}::interval`),
    deleteInBatches(sql, 'embed_sessions', sql`expires_at < ${now}::timestamptz - ${KEEP.embedSessions}::interval`),
    deleteInBatches(sql, 'rate_limits', sql`window_start < ${now}::timestamptz - ${KEEP.rateLimits}::interval`),
  ]);
  return { idempotencyKeys, embedSessions, rateLimits };
}

/**
 * Prunes once at start, then every `intervalMs` (hourly); returns the stop function. The first run
 * does not wait an hour: instances restarted more often than that would otherwise never prune.
 */
export function startHousekeeping(sql: Sql, options: { intervalMs?: number; log?: (message: string, error?: unknown) => void } = {}) {
  const log = options.log ?? console.error;
  const prune = () => void pruneExpired(sql).catch((error) => log('housekeeping failed', error));
  const timer = setInterval(prune, options.intervalMs ?? 3_600_000);
  timer.unref();
  prune();
  return () => clearInterval(timer);
}
