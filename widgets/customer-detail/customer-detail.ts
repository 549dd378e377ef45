import { CustomerDetail } from './customer-detail.component.ts';
import '../coupon-manager/coupon-manager.ts';
import '../credit-usage/credit-usage.ts';
import '../waiver-status/waiver-status.ts';

export * from './customer-detail.component.ts';
export type * from './customer-detail.events.ts';
export type { Activity, Booking, CustomerDetailData, DetailActions, DetailProfile, Email, Note, Product } from './customer-detail.types.ts';

CustomerDetail.define('customer-detail');

declare global {
  interface HTMLElementTagNameMap {
    'customer-detail': CustomerDetail;
  }
}
