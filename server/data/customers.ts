import type { Db } from '../db/connect.ts';
import { likeContaining } from './search.ts';
import type { CustomerProfile, CustomerSummary, WithDates } from './replies.ts';

/** A listed customer: `customer_since` is always read (the reply keeps it only when asked for). */
export interface CustomerRow extends Required<WithDates<CustomerSummary, 'customer_since'>> {
  /** Sort key, stripped before the reply. */
  sort: [string, string, string];
}

export interface ListArgs {
  tenantId: string;
  q?: string;
  archived?: boolean;
  limit: number;
  after?: (string | number)[];
  onlyId?: string | null;
}

/**
 * What a search for a phone number ("07282 227078", "+44 7719 258900") looks for: its digits without
 * the leading 0s, which the stored number's digits contain in any format or with its country prefix
 * (the search text ends with them: migration 00012). Other searches look for what was typed.
 */
function searchText(q: string): string {
  if (!/^[\d\s()+\-./]+$/.test(q)) return q;
  const digits = q.replace(/\D/g, '').replace(/^0+/, '');
  return digits.length >= 3 ? digits : q;
}

/** Customers by last name, first name, id; keyset-paged; `limit + 1` rows tell whether more follow. */
export async function listCustomers(sql: Db, args: ListArgs) {
  const [lastname, firstname, id] = (args.after ?? []) as string[];
  return sql<CustomerRow[]>`
    select 'customer' as type, id, firstname, lastname, email, mobile, archived, created_at as customer_since, is_guest as guest,
      array[lower(lastname), lower(firstname), id] as sort
    from customers
    where tenant_id = ${args.tenantId} and deleted_at is null
      ${args.q ? sql`and search ${likeContaining(sql, searchText(args.q))}` : sql``}
      ${args.archived === undefined ? sql`` : sql`and archived = ${args.archived}`}
      ${args.onlyId ? sql`and id = ${args.onlyId}` : sql``}
      ${id !== undefined ? sql`and (lower(lastname), lower(firstname), id) > (${lastname!}, ${firstname!}, ${id})` : sql``}
    order by lower(lastname), lower(firstname), id
    limit ${args.limit + 1}`;
}

export interface Profile extends CustomerProfile {
  /** Optimistic-locking version, sent as the `ETag` rather than in the body. */
  version: number;
  /** A guest record, which may share a full profile's email (not part of the profile's representation). */
  is_guest: boolean;
}

export async function getProfile(sql: Db, tenantId: string, id: string, lock = false) {
  const [row]: [Profile?] = await sql`
    select 'customer' as type, id, firstname, lastname, email, mobile, version, is_guest
    from customers where tenant_id = ${tenantId} and id = ${id} and deleted_at is null
    ${lock ? sql`for update` : sql``}`;
  return row;
}

/** True when another live, non-guest customer of the tenant already uses this email. */
export async function emailTaken(sql: Db, tenantId: string, email: string, exceptId: string | null = null) {
  const [row] = await sql`
    select 1 from customers
    where tenant_id = ${tenantId} and lower(email) = lower(${email}) and deleted_at is null and not is_guest
      and id is distinct from ${exceptId}`;
  return Boolean(row);
}
