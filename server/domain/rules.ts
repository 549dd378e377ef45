import { ApiError } from '../http/errors.ts';

/** One business rule as the API reports it (`can-book` checks, 422 details). */
export interface Check {
  rule: string;
  ok: boolean;
  message: string;
  /** Set when an earlier check left nothing for this one to examine. */
  skipped?: true;
}

/** The 422 `rule_violation` error naming the rules that failed. */
export function ruleViolation(failed: Check[], message?: string): ApiError {
  const rules = failed.filter((check) => !check.ok && !check.skipped).map(({ rule, message }) => ({ rule, ok: false, message }));
  return new ApiError(422, 'rule_violation', message ?? rules.map((r) => r.message).join(' '), { rules });
}

/** Throws the 422 for one rule. */
export function refuse(rule: string, message: string): never {
  throw ruleViolation([{ rule, ok: false, message }], message);
}

/** Thrown when the ledger contradicts itself: an internal error, never a client's fault. */
export class LedgerInvariantError extends Error {
  constructor(message: string, readonly details: Record<string, unknown>) {
    super(message);
    this.name = 'LedgerInvariantError';
  }
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${Math.abs(n) === 1 ? one : many}`;
