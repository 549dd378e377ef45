import type { Db } from '../db/connect.ts';
import type { AcceptanceMethod, PolicyVersion, WaiverItem, WithDates } from './replies.ts';

/**
 * Policies (waivers, terms, consents) and a customer's acceptances of them. This file owns the one
 * definition of a customer's status per policy; the waivers API, the booking rule
 * (`domain/eligibility.ts`) and the customer-detail aggregate all read it through `waiverItemsSql`.
 *
 * Status of one policy for one customer:
 * - `accepted` — the customer accepted the policy's **current** version;
 * - `outdated` — they accepted an earlier version only (a new version was published since);
 * - `missing`  — they never accepted any version.
 */

export const acceptanceMethods = ['in_person', 'paper', 'online'] as const satisfies readonly AcceptanceMethod[];

const iso = (sql: Db, column: string) => sql.unsafe(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/**
 * One row per policy of the tenant with the customer's status (`WaiverItem`), required policies first,
 * then by name. A postgres.js fragment, not awaited: run it (`await waiverItemsSql(…)`), or nest it in
 * another query — `(select json_agg(w) from (${waiverItemsSql(sql, t, c)}) w)` or `from (${…}) w` — so
 * that an aggregate read gets it in the same round trip. Timestamps are ISO text, so the rows read the
 * same whether they come back as rows or inside json.
 *
 * The acceptance reported is the one of the current version when there is one, else the newest
 * version accepted (latest first on a tie), which is what `outdated` shows.
 */
export function waiverItemsSql(sql: Db, tenantId: string, customerId: string) {
  return sql<WaiverItem[]>`
    select pol.id as policy_id, pol.name, pol.required, pol.current_version,
      acc.version as accepted_version, ${iso(sql, 'acc.accepted_at')} as accepted_at, acc.method,
      case when acc.version is null then 'missing'
        when acc.version = pol.current_version then 'accepted'
        else 'outdated' end as status
    from policies pol
    left join lateral (
      select a.version, a.accepted_at, a.method
      from policy_acceptances a
      where a.tenant_id = pol.tenant_id and a.customer_id = ${customerId} and a.policy_id = pol.id
      order by (a.version = pol.current_version) desc, a.version desc, a.accepted_at desc
      limit 1
    ) acc on true
    where pol.tenant_id = ${tenantId}
    order by pol.required desc, pol.name, pol.id`;
}

export async function listWaiverItems(sql: Db, tenantId: string, customerId: string): Promise<WaiverItem[]> {
  return [...await waiverItemsSql(sql, tenantId, customerId)];
}

export interface PolicyRow {
  id: string;
  name: string;
  kind: PolicyVersion['kind'];
  required: boolean;
  current_version: number;
}

/** A policy of the tenant; `lock` takes a share lock so that its current version cannot move meanwhile. */
export async function getPolicy(sql: Db, tenantId: string, policyId: string, lock = false) {
  const [row]: [PolicyRow?] = await sql`
    select id, name, kind, required, current_version from policies
    where tenant_id = ${tenantId} and id = ${policyId}
    ${lock ? sql`for share` : sql``}`;
  return row;
}

export type PolicyVersionRow = WithDates<PolicyVersion, 'published_at'>;

/** One version of a tenant's policy with its text. */
export async function getPolicyVersion(sql: Db, tenantId: string, policyId: string, version: number) {
  const [row]: [PolicyVersionRow?] = await sql`
    select pol.id as policy_id, pol.name, pol.kind, pol.required, v.version, pol.current_version,
      v.version = pol.current_version as current, v.title, v.body, v.published_at
    from policies pol
    join policy_versions v on v.tenant_id = pol.tenant_id and v.policy_id = pol.id
    where pol.tenant_id = ${tenantId} and pol.id = ${policyId} and v.version = ${version}`;
  return row;
}
