import type { Db } from '../db/connect.ts';
import type { Auth } from '../http/env.ts';
import { newId } from '../ids.ts';

/** How an actor is written in activity and audit rows: `staff_…` or `key_…`. */
export const actorOf = (auth: Auth) => auth.actor.id;

export async function recordActivity(sql: Db,
  row: { tenantId: string; customerId: string; type: string; summary: string; data?: Record<string, unknown>; actor: string | null },
) {
  await sql`
    insert into activity (tenant_id, id, customer_id, type, summary, data, actor, occurred_at)
    values (${row.tenantId}, ${newId('act')}, ${row.customerId}, ${row.type}, ${row.summary},
      ${sql.json((row.data ?? {}) as never)}, ${row.actor}, now())`;
}

export async function recordAudit(sql: Db,
  row: {
    tenantId: string; actor: string; action: string; targetType: string; targetId: string; customerId: string | null;
    before: unknown; after: unknown; reason?: string | null;
  },
) {
  await sql`
    insert into audit_log (tenant_id, id, actor, action, target_type, target_id, customer_id, before, after, reason)
    values (${row.tenantId}, ${newId('aud')}, ${row.actor}, ${row.action}, ${row.targetType}, ${row.targetId},
      ${row.customerId}, ${sql.json(row.before as never)}, ${sql.json(row.after as never)}, ${row.reason ?? null})`;
}
