import { ApiError } from '../http/errors.ts';

/**
 * Every rule the API can name in a `can-book` check or a 422 `rule_violation`: a closed list, so a
 * new rule is added here, where the widgets' catalogues in languages other than English are tested to
 * word it (`rule.<name>` in widgets/core/messages, test/server/rule-messages.test.ts); on an English
 * page the rule's own `message` serves.
 */
export const ruleNames = [
  // Booking a class (eligibility.ts, waivers.ts), in the order a `can-book` lists them
  'class_open', 'product_covers_class', 'payment_ok', 'valid_at_class_time', 'credits_left',
  'customer_active', 'guest_profile', 'waivers_accepted', 'class_not_full', 'not_already_booked',
  // Cancelling a booking (cancellation.ts)
  'booking_cancellable', 'class_not_started', 'free_window_open',
  // A pass's credits and expiry (adjustments.ts, ledger.ts, purchases.ts)
  'pass_adjustable', 'limited_pass', 'pass_not_expired', 'expiry_after_start', 'balance_not_negative', 'pass_not_refunded',
  // Coupons (coupons.ts)
  'coupon_live', 'coupon_in_date', 'coupon_under_limit', 'not_already_active', 'coupon_modifiable', 'expiry_in_future',
  'change_given',
  // Waivers (waivers.ts) and deleting a customer (customer-status.ts)
  'current_version_only', 'not_already_accepted', 'no_upcoming_bookings', 'no_renewing_membership',
  // Any change with a reason, any write with an Idempotency-Key (http/idempotency.ts)
  'reason_required', 'idempotency_key_reuse',
  // Minting an embed session (auth/embed-sessions.ts `mintRefused`, routes/sessions.ts)
  'staff_active', 'capabilities_within_role', 'origin_allowed',
] as const;

export type RuleName = (typeof ruleNames)[number];

/** One business rule as the API reports it (`can-book` checks, 422 details). */
export interface Check {
  rule: RuleName;
  ok: boolean;
  message: string;
  /** Set when an earlier check left nothing for this one to examine. */
  skipped?: true;
}

/** The 422 `rule_violation` error naming the rules that failed. */
export function ruleViolation(failed: Check[], message?: string): ApiError {
  const rules = failed.filter((check) => !check.ok && !check.skipped).map(({ rule, message }) => ({ rule, ok: false, message }));
  return new ApiError(422, 'rule_violation', message ?? rules.map((r) => r.message).join(' '), { rules });
}

/** Throws the 422 for one rule. */
export function refuse(rule: RuleName, message: string): never {
  throw ruleViolation([{ rule, ok: false, message }], message);
}

/** Thrown when the ledger contradicts itself: an internal error, never a client's fault. */
export class LedgerInvariantError extends Error {
  constructor(message: string, readonly details: Record<string, unknown>) {
    super(message);
    this.name = 'LedgerInvariantError';
  }
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${Math.abs(n) === 1 ? one : many}`;
