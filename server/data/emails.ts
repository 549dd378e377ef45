import type { Db } from '../db/connect.ts';
import { isoUtc, olderThan, timeKey, type Sorted, type TimeCursor } from './keyset.ts';
import type { Email } from './replies.ts';

export type EmailItem = Email & Sorted;

/** Emails sent to a customer, newest first; `limit + 1` rows (un-awaited). */
export function emailsPage(sql: Db, args: { tenantId: string; customerId: string; after?: TimeCursor; limit: number }) {
  return sql<EmailItem[]>`
    select e.id, e.subject, e.template, e.status, ${isoUtc(sql, 'e.sent_at')} as sent_at,
      ${timeKey(sql, 'e.sent_at', 'e.id')} as sort
    from emails e
    where e.tenant_id = ${args.tenantId} and e.customer_id = ${args.customerId}
      ${olderThan(sql, 'e.sent_at', 'e.id', args.after)}
    order by e.sent_at desc, e.id desc
    limit ${args.limit + 1}`;
}
