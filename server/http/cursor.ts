import { z } from 'zod';

/** Opaque keyset cursors: the sort key of the last row of a page, as base64url JSON. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(value: string): unknown {
  try {
    return JSON.parse(Buffer.from(value, 'base64url').toString());
  } catch {
    return undefined;
  }
}

/**
 * A cursor of one list, read back into the sort key `key` describes (a `z.tuple`: how many parts, of
 * which kinds). Anything else — not base64url JSON, another list's key, a part too many or too few, text
 * with a NUL — is a 400 on the field, so a forged cursor never restarts the list at page 1 and never
 * reaches the database.
 */
export function cursorOf<Key extends z.ZodType>(key: Key) {
  return z.string().max(512).transform((value, ctx): z.output<Key> => {
    const parsed = key.safeParse(decodeCursor(value));
    if (parsed.success) return parsed.data;
    ctx.addIssue({ code: 'custom', message: 'This cursor is not one the API gave out.' });
    return z.NEVER;
  });
}

/** `limit`: 1–100, default 25. */
export const limitSchema = z.coerce.number().int().min(1).max(100).default(25);

/** `limit` and a `cursor` whose sort key has the shape `key`. */
export const pageQuery = <Key extends z.ZodType>(key: Key) => ({ limit: limitSchema, cursor: cursorOf(key).optional() });

/** Splits a page fetched with `limit + 1` rows into the page and the cursor of the next one. */
export function page<Row>(rows: Row[], limit: number, keyOf: (row: Row) => (string | number)[]) {
  const data = rows.slice(0, limit);
  const last = data.at(-1);
  return { data, next_cursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
