import type { LedgerRow } from './rows.ts';
import { iso } from './time.ts';

export type LedgerType = 'grant' | 'booking' | 'free_cancellation' | 'rollover' | 'manual' | 'expiry' | 'void';

interface Pending {
  at: number;
  run: () => void;
}

/**
 * The credit ledger of one pass, built forward in time the way domain/ledger.ts appends: every change
 * is an entry whose balance_after chains from the one before, entry_no counts 1, 2, 3 …, occurred_at
 * never goes back, and the balance never goes below zero. Changes that happen later (a free
 * cancellation's refund, a membership renewal, an expiry, a refund's void) are scheduled and run when
 * the customer's clock passes them, so a booking only spends the credits the pass holds at that
 * moment. credits_left is the final balance, so it is the sum of the deltas by construction, and the
 * summary identity (starting − booked + free cancellations + rollover + manual − expired − voided =
 * left) holds per pass and, for memberships, per cycle (see passes.ts for renewals).
 */
export class PassLedger {
  balance = 0;
  /** The cycle new entries belong to; null for packs. */
  cycle: number | null = null;
  readonly rows: LedgerRow[] = [];
  private clock = -Infinity;
  private pending: Pending[] = [];

  constructor(
    private readonly tenantId: string,
    private readonly passId: string,
    private readonly nextId: () => string,
  ) {}

  /** Appends one entry at `at` and returns it; a zero change writes nothing. */
  add(type: LedgerType, delta: number, at: number, extra: Partial<Pick<LedgerRow, 'booking_id' | 'reason' | 'actor'>> = {}): LedgerRow | null {
    if (delta === 0) return null;
    if (this.balance + delta < 0) throw new Error(`ledger of ${this.passId} would go negative at ${iso(at)}`);
    if (at < this.clock) throw new Error(`ledger of ${this.passId} written out of order at ${iso(at)}`);
    this.clock = at;
    this.balance += delta;
    const row: LedgerRow = {
      tenant_id: this.tenantId, id: this.nextId(), pass_id: this.passId, entry_no: this.rows.length + 1, type, delta,
      balance_after: this.balance, cycle: this.cycle, booking_id: extra.booking_id ?? null, reason: extra.reason ?? null,
      actor: extra.actor ?? null, idempotency_key: null, occurred_at: iso(at), created_at: iso(at),
    };
    this.rows.push(row);
    return row;
  }

  /** Runs `run` when the clock reaches `at`; changes scheduled for the same instant run in order. */
  schedule(at: number, run: () => void): void {
    if (at < this.clock) throw new Error(`cannot schedule into the past of ${this.passId}`);
    let i = this.pending.length;
    while (i > 0 && this.pending[i - 1].at > at) i--;
    this.pending.splice(i, 0, { at, run });
  }

  /** Runs every scheduled change up to and including `at`. */
  advanceTo(at: number): void {
    while (this.pending.length && this.pending[0].at <= at) {
      const next = this.pending.shift()!;
      this.clock = Math.max(this.clock, next.at);
      next.run();
    }
    this.clock = Math.max(this.clock, at);
  }
}
