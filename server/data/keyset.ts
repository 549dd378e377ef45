import type { Fragment } from 'postgres';
import type { Db } from '../db/connect.ts';

/**
 * SQL pieces shared by the customer's timelines (activity, emails, notes, subscriptions, videos,
 * appointments): newest first by a time column, then id. Every list function returns an un-awaited
 * fragment, so that the same SELECT is a page of its sub-resource and a sub-select of the detail
 * aggregate — one shape, one query text, whichever asks.
 */

/** A timestamptz as a JS `Date` prints in JSON (UTC, milliseconds, `Z`), so nested and top-level rows read alike. */
export const isoUtc = (sql: Db, column: string | Fragment) =>
  sql`to_char(${typeof column === 'string' ? sql(column) : column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The keyset sort key: the time to the microsecond (UTC, text that sorts like the time), then the id
 * (or other tie-breakers given as text that sorts as it should).
 */
export const timeKey = (sql: Db, time: string, ...ties: (string | Fragment)[]) =>
  sql`array[${ties.reduce<Fragment>((key, tie) => sql`${key}, ${typeof tie === 'string' ? sql(tie) : tie}`,
    sql`to_char(${sql(time)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`)}]`;

/** A cursor as `timeKey` wrote it: [ISO time, id]. */
export type TimeCursor = readonly [string, string];

/**
 * `and (time, id) < cursor`: the rows after the cursor in newest-first order. The time goes as text
 * (a timestamptz parameter would pass through a JS Date and lose its microseconds, so rows written in
 * one transaction, which share `now()`, could repeat or vanish at a page boundary); the bound on the
 * time alone lets the index start at the cursor.
 */
export const olderThan = (sql: Db, time: string, id: string, after: TimeCursor | undefined) =>
  after
    ? sql`and ${sql(time)} <= ${after[0]}::text::timestamptz and (${sql(time)}, ${sql(id)}) < (${after[0]}::text::timestamptz, ${after[1]})`
    : sql``;

/** Rows of a keyset list carry their sort key until the page is cut (`keysetPage`). */
export interface Sorted {
  sort: [string, string];
}
