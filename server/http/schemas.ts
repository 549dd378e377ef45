import { z } from 'zod';
import type { IdPrefix } from '../ids.ts';

/**
 * The kinds of input every route takes, written once, so that what PostgreSQL cannot store is a
 * 400 naming the field at the door and never a 500 from deep inside a statement.
 */

/** Node 20 has `String.prototype.isWellFormed`; the ES2023 lib this project compiles against does not type it. */
const isWellFormed = (value: string) => (value as unknown as { isWellFormed(): boolean }).isWellFormed();

/**
 * A string PostgreSQL can hold: no NUL (`text` refuses U+0000, 22021) and well-formed UTF-16 (a lone
 * surrogate has no UTF-8 form: `jsonb` refuses it, `text` would keep U+FFFD in its place). The base of
 * every free-text field of a body or query and of every text part of a cursor; chain `.trim()`,
 * `.min()`, `.max()` on it as on `z.string()` (the checks here see the text as sent).
 */
export const text = z.string()
  .refine((value) => !value.includes('\0'), 'Text may not contain the NUL character (U+0000).')
  .refine(isWellFormed, 'This text is not valid Unicode: it holds an unpaired surrogate.');

/** An id of one type (`cls_…`): its prefix and a lower-case body (server/ids.ts), `what` naming it in the error. */
export const idSchema = (prefix: IdPrefix, what: string) =>
  text.regex(new RegExp(`^${prefix}_[0-9a-z]{1,40}$`), `A ${what} id looks like ${prefix}_…`);

/** The query of a route that takes none: any parameter is refused, so a misspelt one is not silently ignored. */
export const noQuery = z.strictObject({});

/** The body of a change that takes none: absent or `{}`; a field in it is refused, as an unknown one is anywhere. */
export const noBody = z.strictObject({});

/** The reason a manual change must give (credit adjustments, expiry changes, coupons, archiving, waived fees). */
export const reasonSchema = text.trim().min(5, 'Give a reason of at least 5 characters.').max(500);

/**
 * The span of time the API accepts, applied after the offset: 1900-01-01 up to the end of 9000 (UTC).
 * A studio has nothing to record before 1900 (and below it JavaScript reads a year 0–99 as 1900–1999),
 * and a year past 9000 means "never", which the API says with null. The margin matters: what the server
 * derives from an accepted date — the end of that day in the studio's timezone, a cycle after it — stays
 * inside what a JavaScript Date hands to PostgreSQL as a four-digit year (0001–9999); year 0 or 10000
 * would fail there with a 500.
 */
const earliest = Date.UTC(1900, 0, 1);
const pastLatest = Date.UTC(9001, 0, 1);
const inSpan = (value: string) => {
  const time = Date.parse(value);
  return time >= earliest && time < pastLatest;
};
const spanMessage = 'Give a date between 1900-01-01 and 9000-12-31.';

/** An ISO 8601 instant with its offset (`2026-03-01T10:00:00+01:00`, `…Z`), within the span above. */
export const instantSchema = z.iso.datetime({ offset: true }).refine(inSpan, spanMessage);

/**
 * An instant with its offset, or a calendar date (`2026-03-01`: the whole day, in the studio's timezone),
 * within the span above; the string as sent (a date is 10 characters).
 */
export const instantOrDateSchema = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], {
    error: 'Give a date (2026-03-01) or an instant with its offset (2026-03-01T10:00:00+01:00).',
  })
  .refine(inSpan, spanMessage);
