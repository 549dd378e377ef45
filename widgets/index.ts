/** customer-kit: every element registered, plus the configuration API for the host page. */
export * from './core/index.ts';
export * from './customer-list/customer-list.ts';
