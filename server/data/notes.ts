import type { Db } from '../db/connect.ts';
import { newId } from '../ids.ts';
import { isoUtc, olderThan, timeKey, type Sorted, type TimeCursor } from './keyset.ts';
import type { Note } from './replies.ts';

export type NoteItem = Note & Sorted;

/** The reply columns of a note row `n`. */
const noteColumns = (sql: Db) => sql`
  n.id, n.body, json_build_object('id', n.author_id, 'name', n.author_name) as author,
  ${isoUtc(sql, 'n.created_at')} as created_at, ${timeKey(sql, 'n.created_at', 'n.id')} as sort`;

/** Staff notes on a customer, newest first; `limit + 1` rows (un-awaited). */
export function notesPage(sql: Db, args: { tenantId: string; customerId: string; after?: TimeCursor; limit: number }) {
  return sql<NoteItem[]>`
    select ${noteColumns(sql)}
    from notes n
    where n.tenant_id = ${args.tenantId} and n.customer_id = ${args.customerId}
      ${olderThan(sql, 'n.created_at', 'n.id', args.after)}
    order by n.created_at desc, n.id desc
    limit ${args.limit + 1}`;
}

export async function insertNote(sql: Db, args: {
  tenantId: string; customerId: string; body: string; authorId: string; authorName: string;
}): Promise<NoteItem> {
  const [note] = await sql<NoteItem[]>`
    with n as (
      insert into notes (tenant_id, id, customer_id, body, author_id, author_name)
      values (${args.tenantId}, ${newId('note')}, ${args.customerId}, ${args.body}, ${args.authorId}, ${args.authorName})
      returning *)
    select ${noteColumns(sql)} from n`;
  return note!;
}
