import type { CustomerProfile } from '../core/api-types.ts';
import type { CustomerSelectDetail } from '../customer-list/customer-list.events.ts';

/** `ck-customer-updated`: "Edit details" saved the profile. */
export interface CustomerUpdatedDetail {
  customerId: string;
  /** The profile as saved. */
  profile: CustomerProfile;
}

/** `ck-customer-archived`: the customer was archived or unarchived. */
export interface CustomerArchivedDetail {
  customerId: string;
  archived: boolean;
}

/** `ck-customer-deleted`: the customer was (soft) deleted. */
export interface CustomerDeletedDetail {
  customerId: string;
}

declare global {
  interface GlobalEventHandlersEventMap {
    'ck-customer-updated': CustomEvent<CustomerUpdatedDetail>;
    'ck-customer-archived': CustomEvent<CustomerArchivedDetail>;
    'ck-customer-deleted': CustomEvent<CustomerDeletedDetail>;
    /** Also from `<customer-detail>`: a linked or same-email record was chosen. */
    'ck-customer-select': CustomEvent<CustomerSelectDetail>;
  }
}
