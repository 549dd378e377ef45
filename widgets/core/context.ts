import { createContext } from '@lit/context';
import type { ApiClient } from './api-client.ts';

/** What a provider (`<customer-detail>`, `<customer-kit-provider>`) hands down to kit elements. */
export interface KitContext {
  client: ApiClient;
  /** The locale for every consumer that has no `locale` attribute of its own. */
  locale?: string;
}

/** A registered symbol, so that two copies of the kit on one page still find each other. */
export const kitContext = createContext<KitContext>(Symbol.for('customer-kit/context'));
