/**
 * The shapes the BFF answers with (DESIGN §3); field names are the API's.
 *
 * This file, the widgets' `*.types.ts` and `credit-usage.api.ts` are the ONE declaration of the API's
 * replies: the package publishes them as its contract, and the server types its rows and replies with
 * them through `import type` (server/data/replies.ts), so the two cannot drift. They live on this side
 * because the package's declaration build (tsconfig.widgets.json) must never reach into server code.
 */

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

/** `GET|PUT /api/customer/:id/profile`, and the answer of `POST /api/customers`. */
export interface CustomerProfile {
  id: string;
  type: 'customer';
  firstname: string;
  lastname: string;
  email: string;
  mobile: string | null;
}

/** One row of `GET /api/customers`. */
export interface CustomerSummary extends CustomerProfile {
  archived: boolean;
  /** Only with `include=customer_since`. */
  customer_since?: string;
  /** A guest record (made at the desk, maybe linked to a full profile); only with `include=guest`. */
  guest?: boolean;
}

/** The body of `POST /api/customers` and `PUT /api/customer/:id/profile`. */
export interface CustomerInput {
  firstname: string;
  lastname: string;
  email: string;
  mobile?: string;
}
