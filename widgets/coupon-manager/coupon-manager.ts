import { CouponManager } from './coupon-manager.component.ts';

export * from './coupon-manager.component.ts';
export { describeDiscount } from './coupon-discount.ts';
export type * from './coupon-manager.events.ts';
export type { CatalogueCoupon, CouponDuration, CustomerCoupon, CustomerCouponStatus } from './coupon-manager.types.ts';

CouponManager.define('coupon-manager');

declare global {
  interface HTMLElementTagNameMap {
    'coupon-manager': CouponManager;
  }
}
