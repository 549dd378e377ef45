import type { Db } from '../db/connect.ts';
import { isCreditKind } from '../data/passes.ts';
import { recordActivity, recordAudit } from '../data/records.ts';
import { assertIfMatch } from '../http/etag.ts';
import { activityText } from './activity-text.ts';
import { dateTime, tenantRules } from './format.ts';
import { expireLockedPass } from './expiry.ts';
import { appendEntry, lockPass, type LedgerEntry, type LockedPass } from './ledger.ts';
import { refuse } from './rules.ts';

/**
 * Staff's manual changes to a pass: each needs a reason (at least 5 characters) and an actor, and
 * writes the audit log (before/after) and the customer's activity in the same transaction.
 * - Credits: a `manual` entry of ±delta; never below zero (422 `balance_not_negative`), never on an
 *   unlimited pass, a refunded one or one past its expiry (its credits have expired or are about to).
 * - Expiry: the new `expires_at`. Moving it into the past expires the credits left at once (as the
 *   job would); moving an expired pass's expiry into the future makes it active again — the credits
 *   that already expired stay expired in the ledger (add them back with a manual entry if promised).
 *   A value set, not a delta: with `ifMatch` (the pass's ETag as its writer read it) a pass changed
 *   since — its expiry, its credits, anything — is refused with 412 under the lock, before any write.
 */

export const MIN_REASON = 5;

function requireReason(reason: string | null | undefined): string {
  const trimmed = reason?.trim() ?? '';
  if (trimmed.length < MIN_REASON) refuse('reason_required', `Give a reason of at least ${MIN_REASON} characters.`);
  return trimmed;
}

function requireAdjustable(pass: LockedPass) {
  if (pass.status === 'refunded' || pass.status === 'cancelled') {
    refuse('pass_adjustable', `${pass.product_name} is ${pass.status}; its credits cannot be changed.`);
  }
}

export interface AdjustArgs {
  tenantId: string;
  customerId: string;
  passId: string;
  delta: number;
  reason: string;
  actor: string;
  idempotencyKey?: string | null;
  now?: Date;
}

export async function adjustCredits(sql: Db, args: AdjustArgs): Promise<{ entry: LedgerEntry; pass: LockedPass }> {
  const reason = requireReason(args.reason);
  const pass = await lockPass(sql, args.tenantId, args.passId, args.customerId);
  requireAdjustable(pass);
  if (pass.credits_left === null) {
    const what = isCreditKind(pass.product_kind) ? 'is unlimited' : 'carries no credits';
    refuse('limited_pass', `${pass.product_name} ${what}: there are no credits to adjust.`);
  }
  // Credits added past the expiry would expire again at once; the expiry moves first.
  if (pass.expires_at && pass.expires_at.getTime() <= (args.now ?? new Date()).getTime()) {
    refuse('pass_not_expired', `${pass.product_name} has expired: move its expiry into the future first.`);
  }
  const before = pass.credits_left;
  const entry = await appendEntry(sql, pass, {
    type: 'manual', delta: args.delta, reason, actor: args.actor, idempotencyKey: args.idempotencyKey,
  });
  await recordAudit(sql, {
    tenantId: args.tenantId, actor: args.actor, action: 'credits.adjusted', targetType: 'pass', targetId: pass.id,
    customerId: args.customerId, reason,
    before: { credits_left: before }, after: { credits_left: pass.credits_left, ledger_id: entry.id, delta: args.delta },
  });
  await recordActivity(sql, {
    tenantId: args.tenantId, customerId: args.customerId, actor: args.actor,
    type: args.delta > 0 ? 'credits_added' : 'credits_removed',
    summary: activityText(pass.tenant_locale).credits_adjusted({
      delta: args.delta, passName: pass.product_name, before, after: pass.credits_left, reason,
    }),
    data: { pass_id: pass.id, ledger_id: entry.id, credits: args.delta, reason },
  });
  return { entry, pass };
}

export interface ExpiryArgs {
  tenantId: string;
  customerId: string;
  passId: string;
  /** An instant, or a calendar date meaning "valid through that day" in the tenant's timezone. */
  expiresAt: Date | { date: string };
  reason: string;
  actor: string;
  /** The `If-Match` header, if sent: the pass must still be at that version (412 otherwise). */
  ifMatch?: string;
  now?: Date;
}

/** The first instant after the calendar day `date` (YYYY-MM-DD) in the timezone: midnight local time. */
export async function endOfLocalDay(sql: Db, date: string, timezone: string): Promise<Date> {
  const [{ at }] = await sql<{ at: Date }[]>`select ((${date}::date + 1)::timestamp at time zone ${timezone}) as at`;
  return at;
}

export async function changeExpiry(sql: Db, args: ExpiryArgs): Promise<{ pass: LockedPass; expired: number }> {
  const reason = requireReason(args.reason);
  const now = args.now ?? new Date();
  const tenant = await tenantRules(sql, args.tenantId);
  const expiresAt = args.expiresAt instanceof Date ? args.expiresAt : await endOfLocalDay(sql, args.expiresAt.date, tenant.timezone);
  const pass = await lockPass(sql, args.tenantId, args.passId, args.customerId);
  assertIfMatch(args.ifMatch, pass.version, 'pass');
  requireAdjustable(pass);
  if (expiresAt.getTime() <= pass.starts_at.getTime()) {
    refuse('expiry_after_start', `The expiry must be after the pass starts (${dateTime(pass.starts_at, tenant)}).`);
  }
  const before = { expires_at: pass.expires_at, status: pass.status };
  const status = pass.status === 'expired' && expiresAt.getTime() > now.getTime() ? 'active' : pass.status;
  await sql`
    update passes set expires_at = ${expiresAt}, status = ${status}, version = version + 1
    where tenant_id = ${args.tenantId} and id = ${pass.id}`;
  pass.expires_at = expiresAt;
  pass.status = status;
  const expired = await expireLockedPass(sql, pass, now, { actor: args.actor, reason });
  await recordAudit(sql, {
    tenantId: args.tenantId, actor: args.actor, action: 'pass.expiry_changed', targetType: 'pass', targetId: pass.id,
    customerId: args.customerId, reason, before, after: { expires_at: pass.expires_at, status: pass.status, credits_expired: expired },
  });
  await recordActivity(sql, {
    tenantId: args.tenantId, customerId: args.customerId, type: 'expiry_changed', actor: args.actor,
    summary: activityText(tenant.locale).expiry_changed({
      passName: pass.product_name, from: before.expires_at && dateTime(before.expires_at, tenant), to: dateTime(expiresAt, tenant), reason,
    }),
    data: { pass_id: pass.id, before: before.expires_at, after: expiresAt, reason },
  });
  return { pass, expired };
}
