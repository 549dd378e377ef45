import type { Scope } from '../auth/scopes.ts';
import type { BookingStats, PurchaseStats } from '../data/customer-detail.ts';
import type { BookingStats as BookingStatsReply, LifetimeValue, WaiverItem } from '../data/replies.ts';
import { blockingPolicies, isCompliant, policyProblem } from './waivers.ts';

/**
 * What the customer detail page states about a customer, from the rows of the aggregate read:
 *
 * - **Lifetime value** = what the customer paid (purchases paid, and those refunded since, which were
 *   paid first) minus what was refunded, in minor units of the tenant's currency. Pending and failed
 *   payments count for nothing.
 * - **Attendance rate** = attended ÷ (attended + no-shows + late cancellations): of the classes the
 *   customer was still committed to once the free-cancellation window had closed, the share they came
 *   to. Free cancellations and classes still to come do not count; null until there is one.
 * - **Waiver compliance**: every required policy accepted at its current version (domain/waivers.ts).
 * - **Actions**: what the page may offer, from the credential's scopes and the customer's state; the API
 *   refuses the same things anyway.
 */

export function lifetimeValue(stats: PurchaseStats, currency: string): LifetimeValue {
  return { amount: stats.paid - stats.refunded, currency, paid: stats.paid, refunded: stats.refunded, purchases: stats.purchases };
}

export function attendanceRate(stats: Pick<BookingStats, 'attended' | 'no_shows' | 'late_cancellations'>): number | null {
  const committed = stats.attended + stats.no_shows + stats.late_cancellations;
  return committed === 0 ? null : Math.round((stats.attended / committed) * 10_000) / 10_000;
}

export function bookingStats(stats: BookingStats): BookingStatsReply {
  const { total, upcoming, attended, no_shows, late_cancellations, free_cancellations, last_visit, next_booking } = stats;
  return {
    total, upcoming, attended, no_shows, late_cancellations, free_cancellations,
    attendance_rate: attendanceRate(stats), last_visit, next_booking,
  };
}

export function waiverCompliance(items: WaiverItem[]) {
  const required = items.filter((item) => item.required);
  return {
    compliant: isCompliant(items),
    required: required.length,
    required_accepted: required.filter((item) => item.status === 'accepted').length,
    /** The required policies that block booking, each with what staff read in can-book. */
    action_needed: blockingPolicies(items).map((item) => ({
      policy_id: item.policy_id, name: item.name, status: item.status, message: policyProblem(item),
    })),
    items,
  };
}

export function offeredActions(scopes: ReadonlySet<Scope>, customer: { archived: boolean }) {
  const can = (scope: Scope) => scopes.has(scope);
  return {
    edit_profile: can('profile:write'),
    add_coupon: can('coupons:write'),
    manage_coupons: can('coupons:write'),
    archive: can('customers:write') && !customer.archived,
    unarchive: can('customers:write') && customer.archived,
    delete: can('customers:write'),
    add_note: can('notes:write'),
    adjust_credits: can('credits:write'),
    record_waiver: can('waivers:write'),
    book: can('bookings:write'),
  };
}
