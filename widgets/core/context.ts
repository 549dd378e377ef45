import { createContext } from '@lit/context';
import type { ApiClient } from './api-client.ts';
import type { CustomerProfile, Tenant } from './api-types.ts';

/** The customer a `<customer-detail>` has loaded (its `GET /api/customer/{id}/detail`), as its children see it. */
export interface KitCustomer {
  profile: CustomerProfile & { etag: string };
  /** The studio: its currency, timezone and locale. */
  tenant: Tenant;
  /** What the session may do. */
  capabilities: string[];
}

/**
 * What a provider hands down to the kit elements inside it: `<customer-detail>` to its sections, or a page's
 * own element through a `ContextProvider` of `kitContext` (from `customer-kit/core.js`).
 */
export interface KitContext {
  client: ApiClient;
  /** The locale for every consumer that has no `locale` attribute of its own. */
  locale?: string;
  /** Set inside a `<customer-detail>`: the customer it shows, once loaded. */
  customer?: KitCustomer;
}

/** A registered symbol, so that two copies of the kit on one page still find each other. */
export const kitContext = createContext<KitContext>(Symbol.for('customer-kit/context'));
