import type { Db } from '../db/connect.ts';
import type { AcceptanceMethod, WaiverItem } from '../data/replies.ts';
import { getPolicy, listWaiverItems } from '../data/waivers.ts';
import { recordActivity, recordAudit } from '../data/records.ts';
import { notFound } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { activityText } from './activity-text.ts';
import { dateTime, tenantRules } from './format.ts';
import { refuse, type Check } from './rules.ts';

/**
 * Waivers and terms. A policy has numbered versions and one current version; it is required or
 * optional. A customer's status per policy (`accepted` / `outdated` / `missing`) is defined once, in
 * `data/waivers.ts` (`waiverItemsSql`); the rules here read those items:
 *
 * - **compliant**: every required policy is `accepted` (at its current version). Optional policies
 *   never affect compliance.
 * - **booking**: a customer who is not compliant is blocked (`waivers_accepted`, in `eligibility.ts`),
 *   and the check names each required policy and version not accepted.
 * - **recording an acceptance** (staff, `waivers:write`): only the policy's current version can be
 *   recorded (`current_version_only`); it is recorded once (`not_already_accepted`), with the method
 *   (`in_person`, `paper`, `online`), who recorded it, an audit row and a `waiver_accepted` activity.
 */

/** The required policies that block: required and not accepted at their current version. */
export const blockingPolicies = (items: readonly WaiverItem[]) => items.filter((item) => item.required && item.status !== 'accepted');

export const isCompliant = (items: readonly WaiverItem[]) => blockingPolicies(items).length === 0;

/** "Liability Waiver v3 not accepted (v2 accepted)." — what staff read in can-book and in a 422. */
export function policyProblem(item: WaiverItem): string {
  return item.accepted_version !== null
    ? `${item.name} v${item.current_version} not accepted (v${item.accepted_version} accepted).`
    : `${item.name} v${item.current_version} not accepted.`;
}

/** The booking rule `waivers_accepted` over a customer's items. */
export function waiversCheck(items: readonly WaiverItem[]): Check {
  const blocking = blockingPolicies(items);
  return {
    rule: 'waivers_accepted', ok: blocking.length === 0,
    message: blocking.length === 0 ? 'All required policies are accepted at their current version.'
      : blocking.map(policyProblem).join(' '),
  };
}

export interface AcceptanceArgs {
  tenantId: string;
  customerId: string;
  policyId: string;
  version: number;
  method: AcceptanceMethod;
  /** Who recorded it (`staff_…` or `key_…`): stored as `recorded_by`. */
  actor: string;
}

export interface Acceptance {
  id: string;
  policy_id: string;
  version: number;
  method: AcceptanceMethod;
  accepted_at: Date;
  recorded_by: string;
}

/** Records that the customer accepted the policy's current version. Run it inside a transaction. */
export async function recordAcceptance(sql: Db, args: AcceptanceArgs): Promise<{ acceptance: Acceptance; items: WaiverItem[] }> {
  // A share lock: publishing a new version (which moves current_version) waits until this is recorded.
  const policy = await getPolicy(sql, args.tenantId, args.policyId, true);
  if (!policy) throw notFound('policy');
  if (args.version !== policy.current_version) {
    refuse('current_version_only', args.version < policy.current_version
      ? `${policy.name} v${args.version} is not the current version; only v${policy.current_version} can be recorded as accepted.`
      : `${policy.name} has no v${args.version}; its current version is v${policy.current_version}.`);
  }
  const before = (await listWaiverItems(sql, args.tenantId, args.customerId)).find((item) => item.policy_id === policy.id)!;
  const id = newId('acc');
  const [acceptance]: [Acceptance?] = await sql`
    insert into policy_acceptances (tenant_id, id, customer_id, policy_id, version, accepted_at, method, recorded_by)
    values (${args.tenantId}, ${id}, ${args.customerId}, ${policy.id}, ${args.version}, now(), ${args.method}, ${args.actor})
    on conflict (tenant_id, customer_id, policy_id, version) do nothing
    returning id, policy_id, version, method, accepted_at, recorded_by`;
  if (!acceptance) {
    // The acceptance already there — perhaps recorded a moment ago by a request racing this one, so
    // not in `before` — says when.
    const [[prior], tenant] = await Promise.all([
      sql<{ accepted_at: Date }[]>`select accepted_at from policy_acceptances where tenant_id = ${args.tenantId}
        and customer_id = ${args.customerId} and policy_id = ${policy.id} and version = ${args.version}`,
      tenantRules(sql, args.tenantId),
    ]);
    const at = prior ? ` on ${dateTime(prior.accepted_at, tenant)}` : '';
    refuse('not_already_accepted', `${policy.name} v${args.version} was already accepted${at}.`);
  }
  const [{ title, locale }] = await sql<{ title: string; locale: string }[]>`
    select v.title, t.locale from policy_versions v join tenants t on t.id = v.tenant_id
    where v.tenant_id = ${args.tenantId} and v.policy_id = ${policy.id} and v.version = ${args.version}`;
  await recordAudit(sql, {
    tenantId: args.tenantId, actor: args.actor, action: 'waiver.accepted', targetType: 'policy_acceptance', targetId: id,
    customerId: args.customerId,
    before: { policy_id: policy.id, status: before.status, accepted_version: before.accepted_version },
    after: { policy_id: policy.id, status: 'accepted', accepted_version: args.version, method: args.method },
  });
  await recordActivity(sql, {
    tenantId: args.tenantId, customerId: args.customerId, type: 'waiver_accepted', actor: args.actor,
    summary: activityText(locale).waiver_accepted({ title, method: args.method }),
    data: { acceptance_id: id, policy_id: policy.id, version: args.version, method: args.method },
  });
  return { acceptance, items: await listWaiverItems(sql, args.tenantId, args.customerId) };
}
