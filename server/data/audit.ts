import type { Db } from '../db/connect.ts';
import { isoUtc, olderThan, timeKey, type Sorted, type TimeCursor } from './keyset.ts';

export interface AuditItem extends Sorted {
  id: string;
  actor: { id: string; name: string | null };
  action: string;
  target_type: string;
  target_id: string;
  before: unknown;
  after: unknown;
  reason: string | null;
  at: string;
}

/** The manual changes on a customer, newest first, with who made them; `limit + 1` rows. */
export function auditPage(sql: Db, args: { tenantId: string; customerId: string; after?: TimeCursor; limit: number }) {
  return sql<AuditItem[]>`
    select a.id, json_build_object('id', a.actor, 'name', coalesce(s.name, k.name)) as actor, a.action,
      a.target_type, a.target_id, a.before, a.after, a.reason, ${isoUtc(sql, 'a.at')} as at,
      ${timeKey(sql, 'a.at', 'a.id')} as sort
    from audit_log a
    left join staff s on s.tenant_id = a.tenant_id and s.id = a.actor
    left join api_keys k on k.tenant_id = a.tenant_id and k.id = a.actor
    where a.tenant_id = ${args.tenantId} and a.customer_id = ${args.customerId}
      ${olderThan(sql, 'a.at', 'a.id', args.after)}
    order by a.at desc, a.id desc
    limit ${args.limit + 1}`;
}
