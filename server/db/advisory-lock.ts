import type { Fragment } from 'postgres';
import type { Db } from './connect.ts';

/**
 * The advisory-lock key of a purpose and its parts (`lockKey(sql, 'idempotency', tenantId, credential,
 * key)`): a 64-bit hash of them all. Two 32-bit `hashtext` halves gave every purpose of a tenant the
 * same 4 billion values, so an Idempotency-Key could collide with an email being claimed and answer
 * "still being processed". The parts are hashed as a JSON array, so no two lists give the same text,
 * and a part may be SQL (`lower(…)`, to fold case as the unique index does).
 */
export const lockKey = (sql: Db, purpose: string, ...parts: (string | Fragment)[]) =>
  sql`hashtextextended(json_build_array(${parts.reduce((list, part) => sql`${list}, ${part}::text`, sql`${purpose}::text`)})::text, 0)`;
