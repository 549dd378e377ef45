/** The shapes of `GET /api/customer/{id}/detail` and its sub-resources (server/routes/); field names are the API's. */
import type { CustomerProfile, Tenant } from '../core/api-types.ts';
import type { CustomerCoupon } from '../coupon-manager/coupon-manager.types.ts';
import type { Pass } from '../credit-usage/credit-usage.api.ts';
import type { WaiverItem } from '../waiver-status/waiver-status.types.ts';

/** A first page as the aggregate embeds it; `next_cursor` continues it through the sub-resource. */
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/** Another record of the same person: the linked profile, a linked guest, a record under the same email. */
export interface RelatedCustomer {
  id: string;
  firstname: string;
  lastname: string;
  email: string;
  guest: boolean;
  archived: boolean;
  customer_since: string;
}

export interface DetailProfile extends CustomerProfile {
  customer_since: string;
  updated_at: string;
  archived: boolean;
  guest: boolean;
  linked_profile: RelatedCustomer | null;
  linked_guests: RelatedCustomer[];
  possible_duplicates: RelatedCustomer[];
  /** The profile's `ETag`, sent back as `If-Match` by every change. */
  etag: string;
}

/** One purchase in the detail's products: `GET …/passes` lists the same. */
export type Product = Pass;

/** Minor units of `currency`: everything paid (refunded purchases included), what was refunded, and the difference. */
export interface LifetimeValue {
  amount: number;
  currency: string;
  paid: number;
  refunded: number;
  purchases: number;
}

/** A class visit in the booking stats. */
export interface Visit {
  booking_id: string;
  class_id: string;
  name: string;
  kind: string;
  starts_at: string;
  facilitator: string | null;
  location: string | null;
}

export interface BookingStats {
  total: number;
  upcoming: number;
  attended: number;
  no_shows: number;
  late_cancellations: number;
  free_cancellations: number;
  /** attended ÷ (attended + no-shows + late cancellations); null before the first such class. */
  attendance_rate: number | null;
  last_visit: Visit | null;
  next_booking: Visit | null;
}

export type BookingStatus = 'booked' | 'attended' | 'no_show' | 'cancelled_free' | 'cancelled_late';

/** `GET /api/customer/{id}/bookings`. */
export interface Booking {
  id: string;
  type: 'booking';
  status: BookingStatus;
  class: {
    id: string; name: string; class_type: string; kind: string; starts_at: string; duration_minutes: number;
    facilitator: string | null; location: string | null; credit_cost: number;
  };
  /** The pass it was booked with; a refunded or expired one gives nothing back on cancelling. */
  pass: { id: string; product_name: string; status: 'active' | 'expired' | 'cancelled' | 'refunded' } | null;
  credits_used: number;
  booked_at: string;
  cancelled_at: string | null;
  late_fee_waived: boolean;
  /**
   * The last moment a cancellation gives the credits back (the studio's window before the class): while
   * booked, and in the answer to a cancellation; null otherwise.
   */
  free_cancel_until: string | null;
}

/** `POST /api/customer/{id}/bookings/{bookingId}/cancel`: the booking as cancelled, and what it gave back. */
export interface CancelledBooking extends Booking {
  /** Cancelled by the deadline (`free_cancel_until`). */
  free_cancellation: boolean;
  /** Credits given back to the pass: in time, or late with the fee waived. */
  credits_returned: number;
  /** The pass's credits after it; null for an unlimited pass or none. */
  credits_left: number | null;
}

/** `GET /api/customer/{id}/activity`. */
export interface Activity {
  id: string;
  type: string;
  /** The server's one-line account of what happened, in the studio's language, written when it happened. */
  summary: string;
  /** The particulars of the change, as its type records them. */
  data: Record<string, unknown>;
  /** Who did it (staff member or API key), null for the customer themself or the system. */
  actor: { id: string; name: string | null } | null;
  occurred_at: string;
}

/** `GET /api/customer/{id}/emails`. */
export interface Email {
  id: string;
  subject: string;
  template: string;
  status: 'queued' | 'sent' | 'delivered' | 'opened' | 'bounced' | 'failed';
  sent_at: string;
}

/** `GET|POST /api/customer/{id}/notes`. */
export interface Note {
  id: string;
  body: string;
  /** The staff member (or API key) who wrote it; the name as it was then. */
  author: { id: string | null; name: string };
  created_at: string;
}

/** What the session may do to this customer; the page offers exactly these. */
export interface DetailActions {
  edit_profile: boolean;
  add_coupon: boolean;
  manage_coupons: boolean;
  archive: boolean;
  unarchive: boolean;
  delete: boolean;
  add_note: boolean;
  adjust_credits: boolean;
  record_waiver: boolean;
  book: boolean;
}

/**
 * `GET /api/customer/{id}/detail`: each section is present only when the session holds the scope of
 * its own sub-resource (products `passes:read`, coupons `coupons:read`, …; `roles` with `roles:read`,
 * `attribution` with `attribution:read`), and absent otherwise.
 */
export interface CustomerDetailData {
  profile: DetailProfile;
  stats: {
    lifetime_value?: LifetimeValue;
    bookings?: BookingStats;
  };
  products?: Page<Product>;
  coupons?: CustomerCoupon[];
  waivers?: {
    compliant: boolean;
    required: number;
    required_accepted: number;
    action_needed: { policy_id: string; name: string; status: string; message: string }[];
    items: WaiverItem[];
  };
  activity?: Page<Activity>;
  emails?: Page<Email>;
  notes?: Page<Note>;
  roles?: Record<string, unknown>[];
  attribution?: { source?: string; campaign?: string | null; referrer?: string | null; first_touch?: string } | null;
  capabilities: string[];
  actions: DetailActions;
  tenant: Tenant;
}
