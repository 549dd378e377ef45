import type { Db } from '../db/connect.ts';
import type { CatalogueRows, ClassRow, CustomerRows } from './rows.ts';

// A statement carries at most 65,534 parameters (the protocol counts them in 16 bits).
const maxParameters = 65_000;

/**
 * Multi-row inserts, as many rows per statement as the parameter limit allows. Every value is sent
 * untyped (strings, numbers, objects; times as ISO strings) so that a batch of a given size always
 * has the same statement signature and postgres.js reuses one prepared statement instead of
 * preparing a new one whenever nulls fall in different places; the server's own column types then
 * pick the serializer (jsonb → JSON, text[] → array literal, timestamptz → ISO).
 */
export function insertRows(sql: Db, table: string, rows: readonly object[]): Promise<unknown>[] {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0]);
  const perStatement = Math.floor(maxParameters / columns.length);
  const statements: Promise<unknown>[] = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    const batch = rows.slice(i, i + perStatement) as Record<string, unknown>[];
    statements.push(sql`insert into ${sql(table)} ${sql(batch as never, columns)}`.execute());
  }
  return statements;
}

/**
 * Writes the tables of `rows` in the order of its keys, which is the order foreign keys need. The
 * statements are sent without waiting for each other: one connection runs them in order, and the
 * client builds the next while the server runs the last.
 */
export async function writeRows(sql: Db, rows: CatalogueRows | CustomerRows | { classes: ClassRow[] }): Promise<void> {
  await Promise.all(Object.entries(rows).flatMap(([table, tableRows]) => insertRows(sql, table, tableRows as object[])));
}

/** Empties every table of the schema but the migration record, ledger included (TRUNCATE fires no row trigger). */
export async function truncateAll(sql: Db): Promise<void> {
  const tables = await sql<{ name: string }[]>`
    select tablename as name from pg_tables
    where schemaname = current_schema() and tablename <> 'schema_migrations'`;
  if (tables.length) await sql`truncate ${sql(tables.map((t) => t.name))}`;
}
