import { CustomerList } from './customer-list.component.ts';

export * from './customer-list.component.ts';
export type * from './customer-list.events.ts';

CustomerList.define('customer-list');

declare global {
  interface HTMLElementTagNameMap {
    'customer-list': CustomerList;
  }
}
