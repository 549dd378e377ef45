import type { Db } from '../db/connect.ts';
import type { EntryType } from '../data/replies.ts';
import { notFound } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { plural, refuse } from './rules.ts';

/**
 * The credits ledger: the only place that writes `credit_ledger` and `passes.credits_left`.
 *
 * Every change to a pass's credits is: lock the pass row (`lockPass`), then `appendEntry`, inside
 * one transaction. The entry gets the next `entry_no` of the pass and the `balance_after` that the
 * pass's `credits_left` becomes, so the balance chains entry by entry and always equals the sum of
 * the deltas. `occurred_at` never goes backwards along the chain (a back-dated entry is written at
 * the time of the entry before it), so "the balance as of T" is always a prefix of the chain.
 */

/** A pass row as the ledger rules need it, read under `for update`. */
export interface LockedPass {
  tenant_id: string;
  id: string;
  customer_id: string;
  product_id: string;
  product_name: string;
  product_kind: string;
  product_credits: number | null;
  class_types: string[];
  billing_cycle_days: number | null;
  rollover_cap: number | null;
  status: 'active' | 'expired' | 'cancelled' | 'refunded';
  payment_status: 'paid' | 'pending' | 'failed' | 'refunded';
  purchased_at: Date;
  starts_at: Date;
  expires_at: Date | null;
  current_cycle: number | null;
  cycle_started_at: Date | null;
  next_billing_at: Date | null;
  /** null = unlimited. */
  credits_left: number | null;
  /** The studio's locale, read with the lock, for the activity sentence of the change (activity-text.ts). */
  tenant_locale: string;
  /** The studio's timezone, whose calendar a membership's cycles are counted on (subscriptions.ts). */
  tenant_timezone: string;
  /** The row's version as locked (its ETag, `If-Match`); every write bumps it. */
  version: number;
}

export interface LedgerEntry {
  id: string;
  pass_id: string;
  entry_no: number;
  type: EntryType;
  delta: number;
  balance_after: number;
  cycle: number | null;
  booking_id: string | null;
  reason: string | null;
  actor: string | null;
  occurred_at: Date;
}

export interface NewEntry {
  type: EntryType;
  delta: number;
  bookingId?: string | null;
  reason?: string | null;
  actor?: string | null;
  idempotencyKey?: string | null;
  /** When it happened (default: now). Never earlier than the entry before it. */
  at?: Date | null;
  /** Defaults to the pass's current cycle. */
  cycle?: number | null;
}

/** Locks the pass (optionally requiring it to belong to a customer) for the rest of the transaction. */
export async function lockPass(sql: Db, tenantId: string, passId: string, customerId?: string): Promise<LockedPass> {
  const [pass]: [LockedPass?] = await sql`
    select p.tenant_id, p.id, p.customer_id, p.product_id, pr.name as product_name, pr.kind as product_kind,
      pr.credits as product_credits, pr.class_types, pr.billing_cycle_days, pr.rollover_cap,
      p.status, p.payment_status, p.purchased_at, p.starts_at, p.expires_at, p.current_cycle, p.cycle_started_at,
      p.next_billing_at, p.credits_left, t.locale as tenant_locale, t.timezone as tenant_timezone, p.version
    from passes p
    join products pr on pr.tenant_id = p.tenant_id and pr.id = p.product_id
    join tenants t on t.id = p.tenant_id
    where p.tenant_id = ${tenantId} and p.id = ${passId}
      ${customerId === undefined ? sql`` : sql`and p.customer_id = ${customerId}`}
    for update of p`;
  if (!pass) throw notFound('pass');
  return pass;
}

/**
 * Appends one entry to a pass locked by `lockPass` and moves `passes.credits_left` with it.
 * A change that would take the balance below zero is refused (422 `balance_not_negative`);
 * the CHECKs on both tables would refuse it too.
 */
export async function appendEntry(sql: Db, pass: LockedPass, entry: NewEntry): Promise<LedgerEntry> {
  if (!Number.isInteger(entry.delta) || entry.delta === 0) throw new Error(`a ledger delta is a non-zero integer (got ${entry.delta})`);
  if (pass.credits_left === null) throw new Error(`pass ${pass.id} is unlimited: it has no credit ledger`);
  const balance = pass.credits_left + entry.delta;
  if (balance < 0) {
    refuse('balance_not_negative',
      `This would leave ${pass.product_name} at ${balance} credits; it has ${plural(pass.credits_left, 'credit')} left.`);
  }
  const cycle = entry.cycle === undefined ? pass.current_cycle : entry.cycle;
  const [row]: [LedgerEntry] = await sql`
    with last as (
      select entry_no, occurred_at from credit_ledger
      where tenant_id = ${pass.tenant_id} and pass_id = ${pass.id}
      order by entry_no desc limit 1)
    insert into credit_ledger (tenant_id, id, pass_id, entry_no, type, delta, balance_after, cycle, booking_id,
      reason, actor, idempotency_key, occurred_at)
    select ${pass.tenant_id}, ${newId('led')}, ${pass.id}, coalesce((select entry_no from last), 0) + 1, ${entry.type},
      ${entry.delta}, ${balance}, ${cycle}, ${entry.bookingId ?? null}, ${entry.reason ?? null}, ${entry.actor ?? null},
      ${entry.idempotencyKey ?? null},
      greatest(coalesce(${entry.at ?? null}::timestamptz, now()), (select occurred_at from last))
    returning id, pass_id, entry_no, type, delta, balance_after, cycle, booking_id, reason, actor, occurred_at`;
  await sql`
    update passes set credits_left = ${balance}, version = version + 1
    where tenant_id = ${pass.tenant_id} and id = ${pass.id}`;
  pass.credits_left = balance;
  return row;
}
