import { z } from 'zod';
import { cursorOf, limitSchema, page } from './cursor.ts';
import { text } from './schemas.ts';

const keyTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.(\d{3}|\d{6})Z$/;

/**
 * A sort key's time as a cursor carries it: UTC to the microsecond (or the millisecond, in a
 * booking cursor from before `order`), and a real instant — no 30 February, no 24:00, no year 0 —
 * so that a forged one is refused at the door rather than failing its cast in the database.
 */
export const isKeyTime = (time: unknown): time is string =>
  typeof time === 'string' && keyTime.test(time) && time >= '0001'
  && new Date(time).toISOString().slice(0, 19) === time.slice(0, 19);

/** The time part of a sort key (`isKeyTime`). */
export const keyTimeSchema = z.string().refine(isKeyTime);

/** The id part of a timeline's sort key. */
export const keyIdSchema = text.max(64);

/**
 * The cursor of a newest-first timeline: `[time to the microsecond, id]` (server/data/keyset.ts).
 * Anything else is refused at the door, so a forged cursor is a 400, never a failed cast.
 */
export const timeCursor = cursorOf(z.tuple([keyTimeSchema, keyIdSchema]));

/** `limit` (1–100, default 25) and a timeline `cursor`. */
export const timePageQuery = { limit: limitSchema, cursor: timeCursor.optional() };

/**
 * A page of a keyset list fetched with `limit + 1` rows: `{ data, next_cursor }`, sort keys dropped. The
 * cursor is the last row's sort key, or what `cursorOf` makes of it.
 */
export function keysetPage<Row extends { sort: readonly (string | number)[] }>(
  rows: readonly Row[],
  limit: number,
  cursorOf: (sort: Row['sort']) => (string | number)[] = (sort) => [...sort],
) {
  const { data, next_cursor } = page([...rows], limit, (row) => cursorOf(row.sort));
  return { data: data.map(({ sort: _sort, ...row }) => row), next_cursor };
}
