/** The waiver shapes the BFF answers with (`server/data/waivers.ts`); field names are the API's. */

export type PolicyStatus = 'accepted' | 'outdated' | 'missing';
export type AcceptanceMethod = 'in_person' | 'paper' | 'online';

/** One policy and the customer's standing with it. */
export interface WaiverItem {
  policy_id: string;
  name: string;
  required: boolean;
  current_version: number;
  /** The current version when accepted; otherwise the newest version accepted, or null. */
  accepted_version: number | null;
  /** ISO 8601 UTC with milliseconds (`2026-02-10T10:00:00.000Z`), or null. */
  accepted_at: string | null;
  method: AcceptanceMethod | null;
  status: PolicyStatus;
}

/** `GET /api/customer/{id}/waivers`; also in the answer of recording an acceptance. */
export interface Waivers {
  /** Every required policy is accepted at its current version. */
  compliant: boolean;
  items: WaiverItem[];
}

/** `GET /api/policies/{policyId}/versions/{n}`. */
export interface PolicyVersion {
  policy_id: string;
  name: string;
  kind: 'waiver' | 'terms' | 'photo_consent' | 'other';
  required: boolean;
  version: number;
  current_version: number;
  /** This is the policy's current version. */
  current: boolean;
  title: string;
  body: string;
  published_at: string;
}
