import type { CustomerCoupon } from './coupon-manager.types.ts';

/** The `detail` of every coupon event: the customer and the coupon as the server answered. */
export interface CouponEventDetail {
  customerId: string;
  coupon: CustomerCoupon;
}

declare global {
  interface GlobalEventHandlersEventMap {
    /** A coupon was put on the customer. */
    'ck-coupon-added': CustomEvent<CouponEventDetail>;
    /** A coupon's expiry was changed. */
    'ck-coupon-updated': CustomEvent<CouponEventDetail>;
    /** A coupon was removed (`coupon.status` is `removed`). */
    'ck-coupon-removed': CustomEvent<CouponEventDetail>;
  }
}
