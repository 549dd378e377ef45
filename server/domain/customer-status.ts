import type { Db } from '../db/connect.ts';
import { recordActivity, recordAudit } from '../data/records.ts';
import type { CustomerSummary } from '../data/replies.ts';
import { notFound } from '../http/errors.ts';
import { assertIfMatch } from '../http/etag.ts';
import { activityText } from './activity-text.ts';
import { ruleViolation, type Check } from './rules.ts';

/**
 * Archiving and deleting a customer — manual changes, so each needs a reason and writes the audit log
 * (before/after, reason) and the customer's activity in the transaction that makes it.
 *
 * - **Archive / unarchive** hides the customer from the default list or brings them back; history,
 *   bookings and passes stay. Asking for the state the customer is already in changes nothing and
 *   records nothing.
 * - **Delete** is soft (`deleted_at`): the customer disappears from every read (404) and their email is
 *   free for a new profile; the rows stay for the books and the audit trail. It is refused (422) while
 *   the customer still holds a place in a class to come (`no_upcoming_bookings`) or a membership that
 *   will bill again (`no_renewing_membership`): cancel those first, with their own rules.
 * - Both honour `If-Match` with the profile's ETag (`"version"`), as the profile PUT does: 412 when stale.
 */

/** The customer as `PATCH /api/customer/{id}` answers (a list row without `customer_since`), and its version. */
export interface CustomerState extends Omit<CustomerSummary, 'customer_since'> {
  version: number;
}

async function lockCustomer(sql: Db, tenantId: string, customerId: string, ifMatch: string | undefined) {
  const [row]: [CustomerState?] = await sql`
    select 'customer' as type, id, firstname, lastname, email, mobile, archived, version
    from customers where tenant_id = ${tenantId} and id = ${customerId} and deleted_at is null
    for update`;
  if (!row) throw notFound('customer');
  assertIfMatch(ifMatch, row.version, 'customer');
  return row;
}

interface Change {
  tenantId: string;
  /** The studio's locale (the request's credential carries it), for the activity sentence. */
  locale: string;
  customerId: string;
  reason: string;
  actor: string;
  ifMatch?: string;
}

export async function setArchived(sql: Db, args: Change & { archived: boolean }): Promise<{ customer: CustomerState; changed: boolean }> {
  const before = await lockCustomer(sql, args.tenantId, args.customerId, args.ifMatch);
  if (before.archived === args.archived) return { customer: before, changed: false };
  const [customer]: [CustomerState] = await sql`
    update customers set archived = ${args.archived}, version = version + 1, updated_at = now()
    where tenant_id = ${args.tenantId} and id = ${args.customerId}
    returning 'customer' as type, id, firstname, lastname, email, mobile, archived, version`;
  const verb = args.archived ? 'archived' : 'unarchived';
  await recordAudit(sql, {
    tenantId: args.tenantId, actor: args.actor, action: args.archived ? 'customer.archive' : 'customer.unarchive',
    targetType: 'customer', targetId: args.customerId, customerId: args.customerId, reason: args.reason,
    before: { archived: before.archived }, after: { archived: customer.archived },
  });
  await recordActivity(sql, {
    tenantId: args.tenantId, customerId: args.customerId, type: verb, actor: args.actor,
    summary: activityText(args.locale)[verb]({ reason: args.reason }), data: { reason: args.reason },
  });
  return { customer, changed: true };
}

/** What keeps a customer from being deleted. */
async function deletionChecks(sql: Db, tenantId: string, customerId: string): Promise<Check[]> {
  const [row]: [{ upcoming: number; renewing: number }] = await sql`
    select
      (select count(*)::int from bookings b
        where b.tenant_id = ${tenantId} and b.customer_id = ${customerId} and b.status = 'booked' and b.class_starts_at > now()) as upcoming,
      (select count(*)::int from passes p
        where p.tenant_id = ${tenantId} and p.customer_id = ${customerId} and p.status = 'active'
          and p.next_billing_at is not null and (p.expires_at is null or p.expires_at > now())) as renewing`;
  return [
    {
      rule: 'no_upcoming_bookings', ok: row.upcoming === 0,
      message: row.upcoming === 0 ? 'No classes to come.' : `Cancel the customer's ${row.upcoming} upcoming booking(s) first.`,
    },
    {
      rule: 'no_renewing_membership', ok: row.renewing === 0,
      message: row.renewing === 0 ? 'No membership that renews.' : 'Cancel the customer\u2019s renewing membership in the studio\u2019s billing system first.',
    },
  ];
}

export async function softDelete(sql: Db, args: Change): Promise<{ id: string; deleted_at: Date }> {
  const before = await lockCustomer(sql, args.tenantId, args.customerId, args.ifMatch);
  const checks = await deletionChecks(sql, args.tenantId, args.customerId);
  if (checks.some((check) => !check.ok)) throw ruleViolation(checks);
  const [deleted]: [{ id: string; deleted_at: Date }] = await sql`
    update customers set deleted_at = now(), version = version + 1, updated_at = now()
    where tenant_id = ${args.tenantId} and id = ${args.customerId}
    returning id, deleted_at`;
  const { version: _version, ...profile } = before;
  await recordAudit(sql, {
    tenantId: args.tenantId, actor: args.actor, action: 'customer.delete', targetType: 'customer',
    targetId: args.customerId, customerId: args.customerId, reason: args.reason,
    before: profile, after: { deleted_at: deleted.deleted_at.toISOString() },
  });
  await recordActivity(sql, {
    tenantId: args.tenantId, customerId: args.customerId, type: 'deleted', actor: args.actor,
    summary: activityText(args.locale).deleted({ reason: args.reason }), data: { reason: args.reason },
  });
  return deleted;
}
