import type { ApiClient, QueryValue } from '../core/api-client.ts';

/** The shapes of the pass and credit-usage endpoints (server/routes/passes.ts); field names are the API's. */

/** A ledger entry's type. */
export type EntryType = 'grant' | 'booking' | 'free_cancellation' | 'manual' | 'rollover' | 'expiry' | 'void';

/** The filter chips of seed 001: all usage, or one entry type. */
export type UsageFilter = 'all' | 'booking' | 'free_cancellation' | 'manual' | 'rollover' | 'expiry';

/** starting − booked + free cancellations + rollover + manual − expired − voided = credits left. */
export interface CreditSummary {
  starting_credits: number;
  total_booked: number;
  free_cancellations: number;
  rollover_credits: number;
  manual_changes: number;
  expired: number;
  /** Credits a refund took away; 0 unless the purchase was refunded. */
  voided: number;
  credits_left: number | null;
}

/** `GET /api/customer/{id}/passes[/{passId}]`: one purchase — a pass, membership, bundle, retail item, gift card or video. */
export interface Pass {
  id: string;
  type: 'pass';
  product: { id: string; name: string; kind: 'pass' | 'membership' | 'bundle' | 'retail' | 'gift_card' | 'video'; class_types: string[] };
  status: 'active' | 'expired' | 'cancelled' | 'refunded';
  unlimited: boolean;
  /**
   * Credits this pass was given in its current period: a pack's grants, a membership cycle's grant and
   * rollover, and credits staff added.
   */
  credits_total: number | null;
  credits_left: number | null;
  purchased_at: string;
  starts_at: string;
  expires_at: string | null;
  channel: 'online' | 'offline' | 'admin';
  payment_status: 'paid' | 'pending' | 'failed' | 'refunded';
  /** Minor units of `currency`. */
  amount: number;
  currency: string;
  current_cycle: number | null;
  cycle_started_at: string | null;
  next_billing_at: string | null;
  /** Its version (changed by every write to the pass, credits included), sent back as `If-Match` by "Change expiry". */
  etag: string;
}

export interface Cycle {
  number: number;
  start: string;
  end: string;
  current: boolean;
  summary: CreditSummary;
}

export interface LedgerEntry {
  id: string;
  type: EntryType;
  delta: number;
  balance_after: number;
  occurred_at: string;
  cycle: number | null;
  booking: { id: string; class_id: string; class_name: string; class_starts_at: string; status: string } | null;
  reason: string | null;
  actor: { id: string; name: string | null } | null;
}

/** `GET …/passes/{passId}/credit-usage`: `summary` covers the chosen cycle, `pass_summary` the whole pass. */
export interface CreditUsageReply {
  pass: Pass;
  summary: CreditSummary;
  pass_summary: CreditSummary;
  /** Memberships only, newest first. */
  cycles: Cycle[];
  /** Newest first. */
  entries: LedgerEntry[];
}

/** `POST …/passes/{passId}/adjustments` (201). */
export interface Adjustment {
  entry: LedgerEntry;
  pass: Pass;
  summary: CreditSummary;
}

/** One row of `GET /api/customer/{id}/activity`. */
export interface ActivityItem {
  id: string;
  summary: string;
  occurred_at: string;
}

/**
 * Fetches a CSV export as a file. A plain link cannot carry the bearer token, so this fetches through
 * the client (token, renewal, errors) and hands back a Blob for an `<a download>`.
 */
export async function fetchCsv(
  client: ApiClient,
  path: string,
  query: Record<string, QueryValue>,
): Promise<{ blob: Blob; file: string }> {
  const response = await client.fetch('GET', path, { query });
  const file = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ?? 'credit-usage.csv';
  return { blob: await response.blob(), file };
}
