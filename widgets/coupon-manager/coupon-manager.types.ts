/** The coupon shapes the BFF answers with (`server/data/coupons.ts`); field names are the API's. */

export type CouponDuration = 'once' | 'repeating' | 'forever';
export type CustomerCouponStatus = 'active' | 'redeemed' | 'expired' | 'removed';

/** What a discount is: percent-off or amount-off (minor units of `currency`) for a duration. */
export interface Discount {
  percent_off: number | null;
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
  status: CustomerCouponStatus;
  added_at: string;
  added_by: Person;
  reason: string | null;
  /** ISO instant, or null for never. */
  expires_at: string | null;
  /** Null = unlimited. */
  uses_left: number | null;
  removed_at: string | null;
  removed_by: Person | null;
  removed_reason: string | null;
}

/** A catalogue coupon: `GET /api/coupons?customer_id=…`. */
export interface CatalogueCoupon extends Discount {
  id: string;
  code: string;
  name: string;
  valid_until: string | null;
  max_redemptions: number | null;
  stackable: boolean;
  live: boolean;
  /** Null when asked without `customer_id`. */
  eligible: boolean | null;
  ineligible_reasons: Rule[] | null;
}
