import type { Db } from '../db/connect.ts';
import type { CreditSummary, Cycle, WithDates } from '../data/replies.ts';
import { LedgerInvariantError } from './rules.ts';
import { cycleBounds } from './subscriptions.ts';

/**
 * The credit-usage summary of a pass (seed 001), derived from the ledger only:
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

/** The sums of one cycle, or of the `whole` pass; `net` becomes `credits_left` once checked. */
interface Row extends Omit<CreditSummary, 'credits_left'> {
  cycle: number | null;
  whole: boolean;
  net: number;
  last_balance: number | null;
}

const empty = (left: number | null): CreditSummary => ({
  starting_credits: 0, total_booked: 0, free_cancellations: 0, rollover_credits: 0, manual_changes: 0, expired: 0, voided: 0,
  credits_left: left,
});

export const identityLeft = (s: CreditSummary) =>
  s.starting_credits - s.total_booked + s.free_cancellations + s.rollover_credits + s.manual_changes - s.expired - s.voided;

/** The summary of the whole pass and of each cycle, as the ledger stood at `asOf` (default now), in one query. */
export async function usageSummary(sql: Db, tenantId: string, pass: PassForSummary, asOf?: Date | null): Promise<UsageSummary> {
  const at = asOf ?? new Date();
  if (pass.credits_left === null) return { as_of: at, summary: empty(null), cycles: [] };
  const rows = await sql<Row[]>`
    select cycle, grouping(cycle) = 1 as whole,
      coalesce(sum(delta) filter (where type = 'grant'), 0)::int as starting_credits,
      coalesce(-sum(delta) filter (where type = 'booking'), 0)::int as total_booked,
      coalesce(sum(delta) filter (where type = 'free_cancellation'), 0)::int as free_cancellations,
      coalesce(sum(delta) filter (where type = 'rollover'), 0)::int as rollover_credits,
      coalesce(sum(delta) filter (where type = 'manual'), 0)::int as manual_changes,
      coalesce(-sum(delta) filter (where type = 'expiry'), 0)::int as expired,
      coalesce(-sum(delta) filter (where type = 'void'), 0)::int as voided,
      coalesce(sum(delta), 0)::int as net,
      (select balance_after from credit_ledger
        where tenant_id = ${tenantId} and pass_id = ${pass.id} ${asOf ? sql`and occurred_at <= ${asOf}` : sql``}
        order by entry_no desc limit 1) as last_balance
    from credit_ledger
    where tenant_id = ${tenantId} and pass_id = ${pass.id} ${asOf ? sql`and occurred_at <= ${asOf}` : sql``}
    group by grouping sets ((), (cycle))`;
  const toSummary = (r: Row): CreditSummary => ({
    starting_credits: r.starting_credits, total_booked: r.total_booked, free_cancellations: r.free_cancellations,
    rollover_credits: r.rollover_credits, manual_changes: r.manual_changes, expired: r.expired, voided: r.voided,
    credits_left: r.net,
  });
  const whole = rows.find((r) => r.whole);
  const summary = whole ? toSummary(whole) : empty(0);
  const chained = whole?.last_balance ?? 0;
  const left = identityLeft(summary);
  if (left !== chained || (!asOf && left !== pass.credits_left)) {
    throw new LedgerInvariantError(`the credit-usage identity does not hold for pass ${pass.id}`, {
      summary, identity: left, last_balance_after: chained, credits_left: pass.credits_left,
    });
  }
  summary.credits_left = left;
  const cycles: CycleSummary[] = [];
  if (pass.current_cycle !== null && pass.billing_cycle_days !== null) {
    const byCycle = new Map(rows.filter((r) => !r.whole && r.cycle !== null).map((r) => [r.cycle!, r]));
    const last = Math.max(pass.current_cycle, ...byCycle.keys());
    for (let n = last; n >= 1; n--) {
      const { start, end } = cycleBounds(pass.starts_at, pass.billing_cycle_days, n, pass.expires_at);
      if (asOf && start.getTime() > asOf.getTime()) continue;
      const row = byCycle.get(n);
      cycles.push({ number: n, start, end, current: n === pass.current_cycle, summary: row ? toSummary(row) : empty(0) });
    }
  }
  return { as_of: at, summary, cycles };
}
