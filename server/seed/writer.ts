import type { Db } from '../db/connect.ts';
import type { CatalogueRows, ClassRow, CustomerRows } from './rows.ts';

// A statement carries at most 65,534 parameters (the protocol counts them in 16 bits).
const maxParameters = 65_000;

/**
 * Multi-row inserts, in as few statements as the parameter limit allows. postgres.js prepares and
 * keeps one statement per distinct text and parameter types (so does the server, per connection),
 * and an insert's text grows with its row count. So that a long seed reuses a handful of statements
 * instead of leaving one behind per chunk: batches come in a few fixed sizes (as many rows as fit,
 * then the rest as powers of two), and every value is sent untyped (strings, numbers, objects; times
 * as ISO strings), leaving it to the column types to pick the serializer (jsonb → JSON, text[] →
 * array literal, timestamptz → ISO), so nulls falling in different places do not change the types.
 */
export function insertRows(sql: Db, table: string, rows: readonly object[]): Promise<unknown>[] {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0]);
  const full = Math.floor(maxParameters / columns.length);
  const sizes: number[] = [];
  let left = rows.length;
  for (; left >= full; left -= full) sizes.push(full);
  for (let size = 2 ** Math.floor(Math.log2(full)); size >= 1; size /= 2) if (left & size) sizes.push(size);

  const statements: Promise<unknown>[] = [];
  let from = 0;
  for (const size of sizes) {
    const batch = rows.slice(from, (from += size)) as Record<string, unknown>[];
    statements.push(sql`insert into ${sql(table)} ${sql(batch as never, columns)}`.execute());
  }
  return statements;
}

/**
 * Writes the tables of `rows` in the order of its keys, which is the order foreign keys need. The
 * statements are pipelined: the one connection runs them in order, back to back, with no round trip
 * between them.
 */
export async function writeRows(sql: Db, rows: CatalogueRows | CustomerRows | { classes: ClassRow[] }): Promise<void> {
  await Promise.all(Object.entries(rows).flatMap(([table, tableRows]) => insertRows(sql, table, tableRows as object[])));
}

/**
 * Empties every table of the schema but the migration record, ledger included (TRUNCATE fires no row
 * trigger), and restarts their numbering, so that a reseed writes the rows the first seeding wrote.
 */
export async function truncateAll(sql: Db): Promise<void> {
  const tables = await sql<{ name: string }[]>`
    select tablename as name from pg_tables
    where schemaname = current_schema() and tablename <> 'schema_migrations'`;
  if (tables.length) await sql`truncate ${sql(tables.map((t) => t.name))} restart identity`;
}
