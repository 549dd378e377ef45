/** customer-kit: every element registered, plus the configuration API for the host page. */
export * from './core/index.ts';
export * from './customer-list/customer-list.ts';
export * from './credit-usage/credit-usage.ts';
export * from './coupon-manager/coupon-manager.ts';
export * from './waiver-status/waiver-status.ts';
export * from './customer-detail/customer-detail.ts';
