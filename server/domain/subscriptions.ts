import type { Db } from '../db/connect.ts';
import { recordActivity } from '../data/records.ts';
import { activityText } from './activity-text.ts';
import { sameTimeDaysLater } from './calendar.ts';
import { appendEntry, lockPass, type LedgerEntry, type LockedPass } from './ledger.ts';

/**
 * Membership cycles. A membership pass is in cycle `current_cycle` from `cycle_started_at` until
 * `next_billing_at`; at that moment the cycle renews, writing (in this order, under the pass lock):
 *
 * 1. `expiry`   −L  tagged cycle n    — the L credits left unused when cycle n ends (balance 0);
 * 2. `rollover` +R  tagged cycle n+1  — R = min(L, rollover cap) of them carried into the new cycle;
 * 3. `grant`    +G  tagged cycle n+1  — the product's credits for the new cycle.
 *
 * So every cycle's own entries satisfy the summary identity on their own (starting − booked + free
 * cancellations + rollover + manual − expired = left, and a finished cycle ends at 0), and so does the
 * whole pass. "Expired" in a cycle counts the credits that reached the end of the cycle unused; the part
 * of them that rolled over shows as "Rollover" in the next cycle. A product without a rollover cap
 * (`rollover_cap` null) rolls nothing over. Every entry of a membership carries its cycle number.
 * Unlimited memberships only move the cycle on.
 *
 * A cycle of N days is N days of the studio's calendar (`tenants.timezone`) at the wall-clock time the
 * membership began, as `cycleBounds` counts them from `starts_at`: bought on 1 March at 23:30, a 30-day
 * cycle renews on 31 March at 23:30 whether or not the clocks changed in between (N×24 h would be
 * 1 April 00:30 after the clocks go forward).
 */

export interface RenewalResult {
  passId: string;
  fromCycle: number;
  toCycle: number;
  entries: LedgerEntry[];
}

/**
 * Renews the pass's cycle if `next_billing_at` has come (by `now`). Returns null when nothing was
 * due, so calling it twice renews once. Skips passes that are not active and paid, or whose end
 * (`expires_at`) comes before the next cycle.
 */
export async function renewCycle(sql: Db, args: { tenantId: string; passId: string; now?: Date }): Promise<RenewalResult | null> {
  const now = args.now ?? new Date();
  const pass = await lockPass(sql, args.tenantId, args.passId);
  if (pass.current_cycle === null || pass.billing_cycle_days === null || pass.next_billing_at === null) return null;
  if (pass.status !== 'active' || pass.payment_status !== 'paid') return null;
  const at = pass.next_billing_at;
  if (at.getTime() > now.getTime()) return null;
  if (pass.expires_at && pass.expires_at.getTime() <= at.getTime()) return null;
  const from = pass.current_cycle;
  const to = from + 1;
  const entries: LedgerEntry[] = [];
  const text = activityText(pass.tenant_locale);
  const left = pass.credits_left ?? 0;
  const rolled = Math.min(left, pass.rollover_cap ?? 0);
  if (left > 0) {
    entries.push(await appendEntry(sql, pass, {
      type: 'expiry', delta: -left, cycle: from, at,
      reason: text.cycle_ended({ cycle: from, left, rolled, cap: pass.rollover_cap }),
    }));
  }
  if (rolled > 0) {
    entries.push(await appendEntry(sql, pass, {
      type: 'rollover', delta: rolled, cycle: to, at, reason: text.rolled_over_from({ cycle: from }),
    }));
  }
  const next = cycleBounds(pass.starts_at, pass.billing_cycle_days, to, pass.tenant_timezone).end;
  await sql`
    update passes set current_cycle = ${to}, cycle_started_at = ${at}, next_billing_at = ${next}, version = version + 1
    where tenant_id = ${args.tenantId} and id = ${pass.id}`;
  pass.current_cycle = to;
  if (pass.credits_left !== null && pass.product_credits) {
    entries.push(await appendEntry(sql, pass, { type: 'grant', delta: pass.product_credits, cycle: to, at, reason: text.cycle_credits({ cycle: to }) }));
  }
  if (left > 0) {
    if (left > rolled) {
      await recordActivity(sql, {
        tenantId: args.tenantId, customerId: pass.customer_id, type: 'credits_expired', actor: null,
        summary: text.credits_expired({ credits: left - rolled, passName: pass.product_name, cycle: from }),
        data: { pass_id: pass.id, cycle: from, expired: left - rolled },
      });
    }
    if (rolled > 0) {
      await recordActivity(sql, {
        tenantId: args.tenantId, customerId: pass.customer_id, type: 'credits_rolled_over', actor: null,
        summary: text.credits_rolled_over({ credits: rolled, passName: pass.product_name, cycle: to }),
        data: { pass_id: pass.id, cycle: to, rolled_over: rolled },
      });
    }
  }
  return { passId: pass.id, fromCycle: from, toCycle: to, entries };
}

/**
 * Credits a cancellation gave back to cycle `cycle` of a membership (its booking's debit was tagged
 * so) after that cycle ended: a class booked ahead into a later cycle and cancelled after the renewal.
 * They reached the cycle's end unused, so they are settled as the renewal settles unused credits:
 * `expiry` of them in their own cycle, then a `rollover` into the current cycle of as many as the cap
 * still allows there (the cap less what has rolled in already). So the rollover cap holds however far
 * ahead a class was booked, and every finished cycle still ends at 0. Returns the credits kept.
 */
export async function settleReturnedCredits(sql: Db, pass: LockedPass, args: { cycle: number; credits: number; at: Date }): Promise<number> {
  const to = pass.current_cycle!;
  const [{ rolled }] = await sql<{ rolled: number }[]>`
    select coalesce(sum(delta), 0)::int as rolled from credit_ledger
    where tenant_id = ${pass.tenant_id} and pass_id = ${pass.id} and cycle = ${to} and type = 'rollover'`;
  const kept = Math.min(args.credits, Math.max(0, (pass.rollover_cap ?? 0) - rolled));
  const text = activityText(pass.tenant_locale);
  await appendEntry(sql, pass, {
    type: 'expiry', delta: -args.credits, cycle: args.cycle, at: args.at,
    reason: text.returned_after_cycle({ cycle: args.cycle, credits: args.credits, rolled: kept, to, cap: pass.rollover_cap }),
  });
  if (kept > 0) {
    await appendEntry(sql, pass, { type: 'rollover', delta: kept, cycle: to, at: args.at, reason: text.rolled_over_from({ cycle: args.cycle }) });
  }
  if (kept < args.credits) {
    await recordActivity(sql, {
      tenantId: pass.tenant_id, customerId: pass.customer_id, type: 'credits_expired', actor: null,
      summary: text.credits_expired({ credits: args.credits - kept, passName: pass.product_name, cycle: args.cycle }),
      data: { pass_id: pass.id, cycle: args.cycle, expired: args.credits - kept },
    });
  }
  return kept;
}

/**
 * The start and end of cycle `n` of a membership that began at `startsAt`: `cycleDays` days of the
 * studio's calendar each, counted from the first cycle's start (so a time the clocks skipped on one
 * renewal does not move the later ones), every one at the wall-clock time the membership began.
 * The end is cut short by the pass's own end (`expiresAt`).
 */
export function cycleBounds(startsAt: Date, cycleDays: number, n: number, timeZone: string, expiresAt: Date | null = null) {
  const start = new Date(sameTimeDaysLater(timeZone, startsAt.getTime(), (n - 1) * cycleDays));
  const end = new Date(sameTimeDaysLater(timeZone, startsAt.getTime(), n * cycleDays));
  return { start, end: expiresAt && expiresAt < end ? expiresAt : end };
}
