/**
 * Rows as the tables spell them. Times are ISO strings and jsonb values plain objects (see writer.ts).
 * Every column is written explicitly, `created_at` included, so that a seed is reproducible.
 */

export interface TenantRow {
  id: string; name: string; currency: string; timezone: string; locale: string; embed_origins: string[];
  free_cancel_hours: number; late_cancel_rule: 'forfeit' | 'fee'; guests_need_profile: boolean; created_at: string;
}

export interface StaffRow {
  tenant_id: string; id: string; name: string; email: string; role: string; active: boolean; created_at: string;
}

export interface ProductRow {
  tenant_id: string; id: string; name: string; kind: string; credits: number | null; validity_days: number | null;
  price: number; class_types: string[]; billing_cycle_days: number | null; rollover_cap: number | null;
  intro_offer: boolean; active: boolean; created_at: string;
}

export interface PolicyRow {
  tenant_id: string; id: string; name: string; kind: string; required: boolean; current_version: number; created_at: string;
}

export interface PolicyVersionRow {
  tenant_id: string; policy_id: string; version: number; title: string; body: string; published_at: string;
}

export interface CouponRow {
  tenant_id: string; id: string; code: string; name: string; percent_off: number | null; amount_off: number | null;
  duration: string; duration_months: number | null; valid_until: string | null; max_redemptions: number | null;
  stackable: boolean; active: boolean; created_at: string;
}

export interface ClassRow {
  tenant_id: string; id: string; name: string; class_type: string; kind: string; starts_at: string;
  duration_minutes: number; capacity: number; credit_cost: number; facilitator: string | null; location: string | null;
  cancelled: boolean;
}

export interface CustomerRow {
  tenant_id: string; id: string; firstname: string; lastname: string; email: string; mobile: string | null;
  is_guest: boolean; linked_profile_id: string | null; archived: boolean; deleted_at: string | null;
  attribution: Record<string, unknown> | null; role_links: Record<string, unknown>[]; created_at: string;
  updated_at: string; version: number;
}

export interface PassRow {
  tenant_id: string; id: string; customer_id: string; product_id: string; purchased_at: string; channel: string;
  payment_status: string; amount: number; starts_at: string; expires_at: string | null; status: string;
  current_cycle: number | null; cycle_started_at: string | null; next_billing_at: string | null;
  credits_left: number | null; version: number;
}

export interface BookingRow {
  tenant_id: string; id: string; customer_id: string; class_id: string; pass_id: string | null; status: string;
  credits_used: number; booked_at: string; cancelled_at: string | null; late_fee_waived: boolean;
}

export interface LedgerRow {
  tenant_id: string; id: string; pass_id: string; entry_no: number; type: string; delta: number;
  balance_after: number; cycle: number | null; booking_id: string | null; reason: string | null;
  actor: string | null; idempotency_key: string | null; occurred_at: string; created_at: string;
}

export interface CustomerCouponRow {
  tenant_id: string; id: string; customer_id: string; coupon_id: string; status: string; added_by: string;
  reason: string | null; added_at: string; expires_at: string | null; uses_left: number | null;
  removed_at: string | null; removed_by: string | null; removed_reason: string | null; version: number;
}

export interface AcceptanceRow {
  tenant_id: string; id: string; customer_id: string; policy_id: string; version: number; accepted_at: string;
  method: string; recorded_by: string | null;
}

export interface EmailRow {
  tenant_id: string; id: string; customer_id: string; subject: string; template: string; status: string; sent_at: string;
}

export interface NoteRow {
  tenant_id: string; id: string; customer_id: string; body: string; author_id: string | null; author_name: string;
  created_at: string;
}

export interface ActivityRow {
  tenant_id: string; id: string; customer_id: string; type: string; summary: string; data: Record<string, unknown>;
  actor: string | null; occurred_at: string;
}

export interface AuditRow {
  tenant_id: string; id: string; actor: string; action: string; target_type: string; target_id: string;
  customer_id: string | null; before: Record<string, unknown> | null; after: Record<string, unknown> | null;
  reason: string | null; at: string;
}

/** The catalogue of one tenant: written once, before any customer. */
export interface CatalogueRows {
  tenants: TenantRow[];
  staff: StaffRow[];
  products: ProductRow[];
  policies: PolicyRow[];
  policy_versions: PolicyVersionRow[];
  coupons: CouponRow[];
}

/** Everything one chunk of customers brings, in the order foreign keys need it written. */
export interface CustomerRows {
  customers: CustomerRow[];
  passes: PassRow[];
  bookings: BookingRow[];
  credit_ledger: LedgerRow[];
  customer_coupons: CustomerCouponRow[];
  policy_acceptances: AcceptanceRow[];
  emails: EmailRow[];
  notes: NoteRow[];
  activity: ActivityRow[];
  audit_log: AuditRow[];
}

export function emptyCustomerRows(): CustomerRows {
  return {
    customers: [], passes: [], bookings: [], credit_ledger: [], customer_coupons: [], policy_acceptances: [],
    emails: [], notes: [], activity: [], audit_log: [],
  };
}
