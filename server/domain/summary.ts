import type { Db } from '../db/connect.ts';
import type { CreditSummary, Cycle, EntryType, WithDates } from '../data/replies.ts';
import { LedgerInvariantError } from './rules.ts';
import { cycleBounds } from './subscriptions.ts';

/**
 * The credit-usage summary of a pass (seed 001), derived from the ledger only (its running totals):
 *
 *   starting_credits − total_booked + free_cancellations + rollover_credits + manual_changes
 *     − expired − voided = credits_left
 *
 * `starting_credits` is the sum of `grant` entries (a pack's credits; every cycle's credits of a
 * membership), `voided` the credits a refund took away (0 unless refunded). Each field is the sum of
 * one entry type, so the identity is checked against what it must equal: the `balance_after` of the
 * last entry (as of the moment asked for) and, for now, `passes.credits_left`. A mismatch is a
 * `LedgerInvariantError` — the API answers 500 rather than show numbers that do not add up. So
 * `pass` must be read in the same state as the ledger: under the pass's lock, `lockPass` when changing
 * it (domain/ledger.ts), `holdPass` when only reading (data/passes.ts). Read apart, under READ COMMITTED,
 * a change committing between the two reads would look like a broken ledger.
 * Per cycle (memberships) the same fields over the cycle's entries; a finished cycle ends at 0.
 */

export type CycleSummary = WithDates<Cycle, 'start' | 'end'>;

export interface PassForSummary {
  id: string;
  starts_at: Date;
  expires_at: Date | null;
  credits_left: number | null;
  current_cycle: number | null;
  billing_cycle_days: number | null;
}

export interface UsageSummary {
  as_of: Date;
  summary: CreditSummary;
  cycles: CycleSummary[];
}

/** A pass's ledger summed per cycle (null for none) and entry type, and the balance its last entry left. */
interface Total {
  cycle: number | null;
  type: EntryType;
  net: number;
  last_balance: number;
}

/** Where each entry type goes in the summary, and its sign there (bookings, expiries and voids count up as taken). */
const fields: Record<EntryType, [field: Exclude<keyof CreditSummary, 'credits_left'>, sign: 1 | -1]> = {
  grant: ['starting_credits', 1], booking: ['total_booked', -1], free_cancellation: ['free_cancellations', 1],
  rollover: ['rollover_credits', 1], manual: ['manual_changes', 1], expiry: ['expired', -1], void: ['voided', -1],
};

/** A summary of nothing: a cycle with no entries, or (`left` null) an unlimited pass. */
export const emptySummary = (left: number | null): CreditSummary => ({
  starting_credits: 0, total_booked: 0, free_cancellations: 0, rollover_credits: 0, manual_changes: 0, expired: 0, voided: 0,
  credits_left: left,
});

export const identityLeft = (s: CreditSummary) =>
  s.starting_credits - s.total_booked + s.free_cancellations + s.rollover_credits + s.manual_changes - s.expired - s.voided;

/**
 * The pass's totals: now, the rows of `credit_totals` that the ledger keeps as it is written (migration
 * 00013), a few however long the ledger; as of a moment past, summed from the entries up to it.
 */
function totals(sql: Db, tenantId: string, passId: string, asOf?: Date | null) {
  const last = sql`(select balance_after from credit_ledger
    where tenant_id = ${tenantId} and pass_id = ${passId} ${asOf ? sql`and occurred_at <= ${asOf}` : sql``}
    order by entry_no desc limit 1)`;
  return asOf
    ? sql<Total[]>`
        select cycle, type, sum(delta)::int as net, ${last} as last_balance
        from credit_ledger where tenant_id = ${tenantId} and pass_id = ${passId} and occurred_at <= ${asOf}
        group by cycle, type`
    : sql<Total[]>`
        select nullif(cycle, 0) as cycle, type, credit + debit as net, ${last} as last_balance
        from credit_totals where tenant_id = ${tenantId} and pass_id = ${passId}`;
}

/** The summary of the whole pass and of each cycle, as the ledger stood at `asOf` (default now), in one query. */
export async function usageSummary(
  sql: Db, tenant: { id: string; timezone: string }, pass: PassForSummary, asOf?: Date | null,
): Promise<UsageSummary> {
  const at = asOf ?? new Date();
  if (pass.credits_left === null) return { as_of: at, summary: emptySummary(null), cycles: [] };
  const rows = await totals(sql, tenant.id, pass.id, asOf);
  const summary = emptySummary(0);
  const byCycle = new Map<number, CreditSummary>();
  for (const { cycle, type, net } of rows) {
    const [field, sign] = fields[type];
    summary[field] += sign * net;
    if (cycle === null) continue;
    const own = byCycle.get(cycle) ?? emptySummary(0);
    own[field] += sign * net;
    byCycle.set(cycle, own);
  }
  for (const s of [summary, ...byCycle.values()]) s.credits_left = identityLeft(s);
  const chained = rows[0]?.last_balance ?? 0;
  const left = summary.credits_left!;
  if (left !== chained || (!asOf && left !== pass.credits_left)) {
    throw new LedgerInvariantError(`the credit-usage identity does not hold for pass ${pass.id}`, {
      summary, identity: left, last_balance_after: chained, credits_left: pass.credits_left,
    });
  }
  const cycles: CycleSummary[] = [];
  if (pass.current_cycle !== null && pass.billing_cycle_days !== null) {
    const last = Math.max(pass.current_cycle, ...byCycle.keys());
    for (let n = last; n >= 1; n--) {
      const { start, end } = cycleBounds(pass.starts_at, pass.billing_cycle_days, n, tenant.timezone, pass.expires_at);
      if (asOf && start.getTime() > asOf.getTime()) continue;
      // As of a moment past, the cycle current then (none once the pass had ended); else the pass's own.
      const current = asOf ? asOf.getTime() < end.getTime() && start.getTime() <= asOf.getTime() : n === pass.current_cycle;
      cycles.push({ number: n, start, end, current, summary: byCycle.get(n) ?? emptySummary(0) });
    }
  }
  return { as_of: at, summary, cycles };
}

/**
 * The summary of a filter's scope: the whole pass, or cycle `cycle` — all zero for a cycle the pass has
 * not reached (or any cycle of a pass without them), so it never reports other entries than it lists.
 */
export function scopeSummary(usage: UsageSummary, cycle?: number): CreditSummary {
  if (!cycle) return usage.summary;
  return usage.cycles.find((k) => k.number === cycle)?.summary ?? emptySummary(usage.summary.credits_left === null ? null : 0);
}
