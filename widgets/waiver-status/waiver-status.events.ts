import type { AcceptanceMethod } from './waiver-status.types.ts';

/** `ck-waiver-accepted`: staff recorded that the customer accepted a policy's current version. */
export interface WaiverAcceptedDetail {
  customerId: string;
  policyId: string;
  version: number;
  method: AcceptanceMethod;
  /** Whether the customer now accepts every required policy. */
  compliant: boolean;
}

declare global {
  interface GlobalEventHandlersEventMap {
    'ck-waiver-accepted': CustomEvent<WaiverAcceptedDetail>;
  }
}
