import { z } from 'zod';

/** Opaque keyset cursors: the sort key of the last row of a page, as base64url JSON. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export const cursorSchema = z
  .string()
  .max(512)
  .transform((value, ctx) => {
    try {
      const key: unknown = JSON.parse(Buffer.from(value, 'base64url').toString());
      if (Array.isArray(key) && key.every((part) => typeof part === 'string' || typeof part === 'number')) {
        return key as (string | number)[];
      }
    } catch {
      // reported below
    }
    ctx.addIssue({ code: 'custom', message: 'This cursor is not one the API gave out.' });
    return z.NEVER;
  });

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: cursorSchema.optional(),
};

/** Splits a page fetched with `limit + 1` rows into the page and the cursor of the next one. */
export function page<Row>(rows: Row[], limit: number, keyOf: (row: Row) => (string | number)[]) {
  const data = rows.slice(0, limit);
  const last = data.at(-1);
  return { data, next_cursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
