/** The shapes the BFF answers with (DESIGN §3); field names are the API's. */

export interface Tenant {
  id: string;
  name: string;
  currency: string;
  timezone: string;
  locale: string;
}

/** `GET /api/session`: who is acting and what this session may do. */
export interface KitSession {
  tenant: Tenant;
  actor: { type: 'staff' | 'api_key'; id: string; name: string };
  capabilities: string[];
  /** Set when the session is restricted to one customer. */
  customer_id: string | null;
  expires_at: string | null;
}

/** One row of `GET /api/customers`. */
export interface CustomerSummary {
  id: string;
  type: 'customer';
  firstname: string;
  lastname: string;
  email: string;
  mobile: string | null;
  archived: boolean;
  /** Only with `include=customer_since`. */
  customer_since?: string;
}

/** `GET|PUT /api/customer/:id/profile`, and the answer of `POST /api/customers`. */
export interface CustomerProfile {
  id: string;
  type: 'customer';
  firstname: string;
  lastname: string;
  email: string;
  mobile: string | null;
}

/** The body of `POST /api/customers` and `PUT /api/customer/:id/profile`. */
export interface CustomerInput {
  firstname: string;
  lastname: string;
  email: string;
  mobile?: string;
}
