import type { Db } from './connect.ts';
import type { TransactionSql } from 'postgres';

/**
 * Runs `fn` in a transaction: a new one on the pool, or a savepoint inside the request's own
 * transaction (server/http/tenant-transaction.ts), so a data function need not know which it got.
 */
export function transaction<T>(sql: Db, fn: (tx: TransactionSql) => Promise<T>): Promise<T> {
  return ('savepoint' in sql ? sql.savepoint(fn) : sql.begin(fn)) as Promise<T>;
}
