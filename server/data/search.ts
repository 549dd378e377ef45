import type { Db } from '../db/connect.ts';

/**
 * `like` a pattern for text that contains `q`, lower-cased by PostgreSQL as the searched column is
 * (`lower(…)`): JavaScript lower-cases some letters otherwise ('İ' to 'i' and a combining dot), so
 * "İlkay" would miss itself. LIKE's wildcards in `q` are escaped: "50%" means those characters.
 */
export const likeContaining = (sql: Db, q: string) => sql`like lower(${`%${q.replace(/[\\%_]/g, '\\$&')}%`})`;
