/** `ck-credits-adjusted`: staff added or removed credits through "Adjust credits". */
export interface CreditsAdjustedDetail {
  passId: string;
  /** The pass's balance after the change, as the server answered. */
  creditsLeft: number;
  /** The signed change: positive when credits were added. */
  delta: number;
}

/** `ck-pass-expiry-changed`: staff changed the pass's expiry through "Change expiry". */
export interface PassExpiryChangedDetail {
  passId: string;
  /** The new expiry instant (ISO 8601), as the server answered. */
  expiresAt: string | null;
}

declare global {
  interface GlobalEventHandlersEventMap {
    'ck-credits-adjusted': CustomEvent<CreditsAdjustedDetail>;
    'ck-pass-expiry-changed': CustomEvent<PassExpiryChangedDetail>;
  }
}
