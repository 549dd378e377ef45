import { CreditUsage } from './credit-usage.component.ts';

export * from './credit-usage.component.ts';
export type * from './credit-usage.api.ts';
export type * from './credit-usage.events.ts';

CreditUsage.define('credit-usage');

declare global {
  interface HTMLElementTagNameMap {
    'credit-usage': CreditUsage;
  }
}
