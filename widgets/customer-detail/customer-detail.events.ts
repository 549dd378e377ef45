import type { CustomerProfile } from '../core/api-types.ts';
import type { CustomerSelectDetail } from '../customer-list/customer-list.events.ts';
import type { BookingStatus } from './customer-detail.types.ts';

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

/** `ck-booking-cancelled`: an upcoming booking was cancelled. */
export interface BookingCancelledDetail {
  customerId: string;
  bookingId: string;
  /** `cancelled_free` by the studio's deadline, else `cancelled_late`. */
  status: BookingStatus;
  /** Credits given back to the pass (a late cancellation gives none unless the fee was waived). */
  creditsReturned: number;
}

declare global {
  interface GlobalEventHandlersEventMap {
    'ck-customer-updated': CustomEvent<CustomerUpdatedDetail>;
    'ck-customer-archived': CustomEvent<CustomerArchivedDetail>;
    'ck-customer-deleted': CustomEvent<CustomerDeletedDetail>;
    'ck-booking-cancelled': CustomEvent<BookingCancelledDetail>;
    /** Also from `<customer-detail>`: a linked or same-email record was chosen. */
    'ck-customer-select': CustomEvent<CustomerSelectDetail>;
  }
}
