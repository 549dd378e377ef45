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

/**
 * Deletes what has outlived its use: answers kept for replays, sessions long expired and rate-limit
 * windows of credentials that made no request since. Nothing else refers to these rows. Runs as the
 * tables' owner, across studios; safe on several instances at once (a row is deleted once).
 */
export async function pruneExpired(sql: Sql, now = new Date()): Promise<Pruned> {
  const [keys, sessions, windows] = await Promise.all([
    sql`delete from idempotency_keys where created_at < ${now}::timestamptz - ${KEEP.idempotencyKeys}::interval`,
    sql`delete from embed_sessions where expires_at < ${now}::timestamptz - ${KEEP.embedSessions}::interval`,
    sql`delete from rate_limits where window_start < ${now}::timestamptz - ${KEEP.rateLimits}::interval`,
  ]);
  return { idempotencyKeys: keys.count, embedSessions: sessions.count, rateLimits: windows.count };
}

/** Prunes every `intervalMs` (hourly); returns the stop function. */
export function startHousekeeping(sql: Sql, options: { intervalMs?: number; log?: (message: string, error?: unknown) => void } = {}) {
  const log = options.log ?? console.error;
  const timer = setInterval(() => void pruneExpired(sql).catch((error) => log('housekeeping failed', error)), options.intervalMs ?? 3_600_000);
  timer.unref();
  return () => clearInterval(timer);
}
