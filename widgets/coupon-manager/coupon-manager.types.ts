/** The coupon shapes the BFF answers with (`server/data/coupons.ts`); field names are the API's. */

export type CouponDuration = 'once' | 'repeating' | 'forever';
export type CustomerCouponStatus = 'active' | 'redeemed' | 'expired' | 'removed';

/** What a discount is: percent-off or amount-off (minor units of `currency`) for a duration. */
export interface Discount {
  /** 1–100, or null for an amount-off coupon. */
  percent_off: number | null;
  /** Minor units of `currency`, or null for a percent-off coupon. */
  amount_off: number | null;
  currency: string;
  duration: CouponDuration;
  /** Months of a `repeating` coupon, else null. */
  duration_months: number | null;
}

/** A person as the API names them (`added_by`, `removed_by`). */
export interface Person {
  id: string;
  name: string | null;
}

/** A business rule the server checked and that failed (`ineligible_reasons`, 422 `details.rules`). */
export interface Rule {
  rule: string;
  message: string;
}

/** A coupon on a customer: `GET|POST /api/customer/{id}/coupons`, `PATCH …/coupons/{ccpn}`. */
export interface CustomerCoupon extends Discount {
  id: string;
  coupon_id: string;
  code: string;
  name: string;
  stackable: boolean;
  /** The status it reads as: one stored `active` whose `expires_at` has passed is `expired`. */
  status: CustomerCouponStatus;
  added_at: string;
  added_by: Person;
  reason: string | null;
  /** When it stops applying for this customer (ISO instant), or null for never. */
  expires_at: string | null;
  /** Uses left (`once` 1, `repeating` N, `forever` null = unlimited). */
  uses_left: number | null;
  removed_at: string | null;
  removed_by: Person | null;
  removed_reason: string | null;
  /** Its version, sent back as `If-Match` by a change or removal (`PATCH …/coupons/{ccpn}`). */
  etag: string;
}

/** A catalogue coupon: `GET /api/coupons?customer_id=…`. */
export interface CatalogueCoupon extends Discount {
  id: string;
  code: string;
  name: string;
  valid_until: string | null;
  max_redemptions: number | null;
  /** Times it was put on a customer and not taken back (any status but `removed`), across the tenant. */
  redemptions: number;
  /** Redemptions left under `max_redemptions`; null when unlimited. */
  remaining: number | null;
  stackable: boolean;
  /** The studio's on/off switch. */
  active: boolean;
  /** Active, in date and under its limit: it can be added to customers. */
  live: boolean;
  /** The catalogue rules it fails; empty when live. */
  not_live_reasons: Rule[];
  /** Null when asked without `customer_id`. */
  eligible: boolean | null;
  ineligible_reasons: Rule[] | null;
}
