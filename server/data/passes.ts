import type { Db } from '../db/connect.ts';
import { etagSql } from '../http/etag.ts';
import type { EntryType, LedgerEntry, Pass, WithDates } from './replies.ts';

/** Reads of passes and their ledger for the API (writes go through `server/domain/`). */

/** A pass with what the summary needs; `publicPass` cuts it to the reply. */
export interface PassRow
  extends WithDates<Pass, 'purchased_at' | 'starts_at' | 'expires_at' | 'cycle_started_at' | 'next_billing_at'> {
  customer_id: string;
  billing_cycle_days: number | null;
  /** Sort key (`purchaseOrder`), stripped before the reply. */
  sort: PurchaseKey;
}

export type PassStatusFilter = 'active' | 'expired' | 'all';

/** A pass past its expiry reads as expired even before the expiry job has run. */
export const passStatus = (sql: Db) =>
  sql`case when p.status = 'active' and p.expires_at <= now() then 'expired' else p.status end`;

/** The kinds of product that count credits, or else give unlimited classes. */
export const creditKinds = ['pass', 'bundle', 'membership'] as const;
export const isCreditKind = (kind: string) => (creditKinds as readonly string[]).includes(kind);

/** Unlimited classes: a pass, bundle or membership counting no credits (a gift card or retail item counts none either, and is not). */
export const unlimited = (sql: Db) => sql`(p.credits_left is null and pr.kind in ${sql(creditKinds)})`;

/**
 * The credits a pass has been given in its current period: its grants and rollovers, and credits staff
 * added by hand, so that a courtesy credit reads "11 of 11 credits left", not "11 of 10". Read from the
 * ledger's running totals (migration 00013), a few rows however long the ledger.
 */
export const creditsTotal = (sql: Db) => sql`case when p.credits_left is null then null else (
  select coalesce(sum(t.credit), 0)::int from credit_totals t
  where t.tenant_id = p.tenant_id and t.pass_id = p.id and t.type in ('grant', 'rollover', 'manual')
    and (p.current_cycle is null or t.cycle = p.current_cycle)) end`;

/** A purchase's place in its list, as `purchaseOrder` writes it: [in use '1' or '0', purchased_at as UTC text to the microsecond, id]. */
export type PurchaseKey = [string, string, string];

/**
 * The order purchases are listed in, as a key to sort descending: the passes, bundles and memberships
 * still in use come first, because "can this customer book?" starts from them (seed 000) and a
 * membership bought a year ago would otherwise sink below this month's retail; then everything else.
 * Newest first within each. In use is read at query time, so a pass that expires between two pages
 * moves to the second group; the keyset then shows it once more rather than never.
 */
export const purchaseOrder = (sql: Db) => sql`array[
  case when ${passStatus(sql)} = 'active' and pr.kind in ${sql(creditKinds)} then '1' else '0' end,
  to_char(p.purchased_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), p.id]`;

function passSelect(sql: Db, tenantId: string) {
  return sql`
    select p.id, 'pass' as type, p.customer_id,
      json_build_object('id', pr.id, 'name', pr.name, 'kind', pr.kind, 'class_types', pr.class_types) as product,
      ${passStatus(sql)} as status,
      ${unlimited(sql)} as unlimited,
      ${creditsTotal(sql)} as credits_total,
      p.credits_left, p.purchased_at, p.starts_at, p.expires_at, p.channel, p.payment_status, p.amount,
      t.currency, p.current_cycle, p.cycle_started_at, p.next_billing_at, ${etagSql(sql, 'p.version')} as etag, pr.billing_cycle_days,
      ${purchaseOrder(sql)} as sort
    from passes p
    join products pr on pr.tenant_id = p.tenant_id and pr.id = p.product_id
    join tenants t on t.id = p.tenant_id
    where p.tenant_id = ${tenantId}`;
}

/** A customer's purchases in `purchaseOrder`, keyset-paged (`limit + 1` rows). */
export async function listPasses(sql: Db, args: {
  tenantId: string; customerId: string; status: PassStatusFilter; limit: number; after?: PurchaseKey;
}) {
  return sql<PassRow[]>`
    select * from (${passSelect(sql, args.tenantId)} and p.customer_id = ${args.customerId}) pass
    where true
      ${args.status === 'all' ? sql`` : sql`and status = ${args.status}`}
      ${args.after ? sql`and sort < ${args.after}::text[]` : sql``}
    order by sort desc
    limit ${args.limit + 1}`;
}

/**
 * Holds the pass's credits still until the transaction ends: `for share` waits for a change in flight
 * and keeps the next one out (every ledger write locks its pass `for update` first, domain/ledger.ts),
 * so the statements after this one read the pass, its ledger and its summary as one state even under
 * READ COMMITTED, where each statement sees what has committed by then. Its own statement, before the
 * reads: a `for share` on the read itself would hand back the pass as committed after the wait but
 * the ledger sub-select as it stood before.
 */
export async function holdPass(sql: Db, tenantId: string, passId: string) {
  await sql`select 1 from passes where tenant_id = ${tenantId} and id = ${passId} for share`;
}

export async function getPass(sql: Db, tenantId: string, customerId: string, passId: string) {
  const [row]: [PassRow?] = await sql`${passSelect(sql, tenantId)} and p.customer_id = ${customerId} and p.id = ${passId}`;
  return row;
}

export const publicPass = ({ sort: _sort, customer_id: _c, billing_cycle_days: _b, ...pass }: PassRow) => pass;

export interface EntryFilter {
  tenantId: string;
  passId: string;
  type?: EntryType | null;
  cycle?: number | null;
  asOf?: Date | null;
  /** Entries strictly before this entry number (the cursor). */
  beforeEntryNo?: number | null;
  limit: number;
}

/** An entry with its number, the cursor of the list (not in the reply). */
export interface EntryRow extends WithDates<LedgerEntry, 'occurred_at'> {
  entry_no: number;
}

/** Ledger entries of a pass, newest first (by entry number), filtered; `limit` rows. */
export async function listEntries(sql: Db, f: EntryFilter) {
  return sql<EntryRow[]>`
    select l.id, l.entry_no, l.type, l.delta, l.balance_after, l.occurred_at, l.cycle,
      case when b.id is null then null else json_build_object('id', b.id, 'class_id', c.id, 'class_name', c.name,
        'class_starts_at', to_char(c.starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'status', b.status) end as booking,
      l.reason,
      case when l.actor is null then null else json_build_object('id', l.actor, 'name', coalesce(s.name, k.name)) end as actor
    from credit_ledger l
    left join bookings b on b.tenant_id = l.tenant_id and b.id = l.booking_id
    left join classes c on c.tenant_id = b.tenant_id and c.id = b.class_id
    left join staff s on s.tenant_id = l.tenant_id and s.id = l.actor
    left join api_keys k on k.tenant_id = l.tenant_id and k.id = l.actor
    where l.tenant_id = ${f.tenantId} and l.pass_id = ${f.passId}
      ${f.type ? sql`and l.type = ${f.type}` : sql``}
      ${f.cycle ? sql`and l.cycle = ${f.cycle}` : sql``}
      ${f.asOf ? sql`and l.occurred_at <= ${f.asOf}` : sql``}
      ${f.beforeEntryNo ? sql`and l.entry_no < ${f.beforeEntryNo}` : sql``}
    order by l.entry_no desc
    limit ${f.limit}`;
}

/** The newest entry number of a pass: an export pins it so that it is one consistent snapshot. */
export async function lastEntryNo(sql: Db, tenantId: string, passId: string): Promise<number> {
  const [row]: [{ entry_no: number }?] = await sql`
    select entry_no from credit_ledger where tenant_id = ${tenantId} and pass_id = ${passId}
    order by entry_no desc limit 1`;
  return row?.entry_no ?? 0;
}

export async function customerName(sql: Db, tenantId: string, customerId: string) {
  const [row]: [{ name: string }?] = await sql`
    select firstname || ' ' || lastname as name from customers where tenant_id = ${tenantId} and id = ${customerId}`;
  return row?.name ?? customerId;
}
