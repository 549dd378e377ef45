import type { Db } from '../db/connect.ts';
import { isCreditKind } from '../data/passes.ts';
import { recordActivity, recordAudit } from '../data/records.ts';
import { notFound } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { activityText } from './activity-text.ts';
import { appendEntry, lockPass, type LedgerEntry, type LockedPass } from './ledger.ts';
import { refuse } from './rules.ts';
import { cycleBounds } from './subscriptions.ts';

/**
 * Purchases and their credits.
 * - A credit product (`pass`, `bundle`, `membership`) grants its credits when the purchase is paid
 *   (online/offline payment, or added by staff as `admin`); `pending` and `failed` grant nothing until
 *   `confirmPayment`.
 * - `credits: null` on a credit product is unlimited: `credits_left` stays null and no entry is ever written.
 * - A refund voids the credits still on the pass with one `void` entry; bookings already made keep
 *   their debits (the history stays true), and cancelling one of them later gives nothing back.
 */

export interface PurchaseArgs {
  tenantId: string;
  customerId: string;
  productId: string;
  channel: 'online' | 'offline' | 'admin';
  paymentStatus: 'paid' | 'pending' | 'failed';
  amount?: number;
  /** Default now. */
  at?: Date;
  /** Default `at`. */
  startsAt?: Date;
  actor: string | null;
}

interface ProductRow {
  name: string;
  kind: string;
  credits: number | null;
  price: number;
  billing_cycle_days: number | null;
  /** The end of the last day `validity_days` covers, null when the product does not expire. */
  expires_at: Date | null;
  /** The studio's timezone, whose calendar a membership's cycles are counted on (subscriptions.ts). */
  timezone: string;
}

export async function purchasePass(sql: Db, args: PurchaseArgs): Promise<{ pass: LockedPass; grant: LedgerEntry | null }> {
  const at = args.at ?? new Date();
  const startsAt = args.startsAt ?? at;
  // A pass valid N days lasts to the end of the Nth day after its start on the studio's calendar, the
  // day staff and customers are shown as its last: bought at 15:00, it still books that evening's class.
  const [product]: [ProductRow?] = await sql`
    select p.name, p.kind, p.credits, p.price, p.billing_cycle_days, t.timezone,
      ((${startsAt}::timestamptz at time zone t.timezone)::date + p.validity_days + 1)::timestamp at time zone t.timezone as expires_at
    from products p join tenants t on t.id = p.tenant_id
    where p.tenant_id = ${args.tenantId} and p.id = ${args.productId}`;
  if (!product) throw notFound('product');
  const membership = product.billing_cycle_days !== null;
  const limited = isCreditKind(product.kind) && product.credits !== null;
  const id = newId('pass');
  await sql`
    insert into passes (tenant_id, id, customer_id, product_id, purchased_at, channel, payment_status, amount,
      starts_at, expires_at, status, current_cycle, cycle_started_at, next_billing_at, credits_left)
    values (${args.tenantId}, ${id}, ${args.customerId}, ${args.productId}, ${at}, ${args.channel}, ${args.paymentStatus},
      ${args.amount ?? product.price}, ${startsAt}, ${product.expires_at}, 'active', ${membership ? 1 : null},
      ${membership ? startsAt : null},
      ${membership ? cycleBounds(startsAt, product.billing_cycle_days!, 1, product.timezone).end : null}, ${limited ? 0 : null})`;
  const pass = await lockPass(sql, args.tenantId, id);
  const grant = args.paymentStatus === 'paid' ? await grantCredits(sql, pass, args.actor, at) : null;
  await recordActivity(sql, {
    tenantId: args.tenantId, customerId: args.customerId, type: 'purchased', actor: args.actor,
    summary: activityText(pass.tenant_locale).purchased({
      productName: product.name, channel: args.channel, payment: args.paymentStatus, credits: grant?.delta ?? 0,
    }),
    data: { pass_id: id, product_id: args.productId, payment_status: args.paymentStatus, credits: grant?.delta ?? 0 },
  });
  return { pass, grant };
}

/** The product's credits for the pass's current cycle (nothing for unlimited or non-credit products). */
async function grantCredits(sql: Db, pass: LockedPass, actor: string | null, at?: Date) {
  if (pass.credits_left === null || !pass.product_credits) return null;
  return appendEntry(sql, pass, {
    type: 'grant', delta: pass.product_credits, actor, at,
    reason: pass.current_cycle ? activityText(pass.tenant_locale).cycle_credits({ cycle: pass.current_cycle }) : null,
  });
}

/** A pending or failed payment that has now been paid: the credits are granted once. */
export async function confirmPayment(sql: Db, args: { tenantId: string; passId: string; actor: string | null }) {
  const pass = await lockPass(sql, args.tenantId, args.passId);
  if (pass.payment_status === 'paid') return { pass, grant: null };
  if (pass.payment_status === 'refunded') refuse('pass_not_refunded', `${pass.product_name} was refunded.`);
  await sql`update passes set payment_status = 'paid', version = version + 1 where tenant_id = ${args.tenantId} and id = ${args.passId}`;
  pass.payment_status = 'paid';
  const grant = await grantCredits(sql, pass, args.actor);
  if (grant) {
    await recordActivity(sql, {
      tenantId: args.tenantId, customerId: pass.customer_id, type: 'credits_added', actor: args.actor,
      summary: activityText(pass.tenant_locale).payment_received({ passName: pass.product_name, credits: grant.delta }),
      data: { pass_id: pass.id, entry_id: grant.id, delta: grant.delta },
    });
  }
  return { pass, grant };
}

/** Refunds the purchase: its remaining credits are voided by one `void` entry. Refunding twice changes nothing. */
export async function refundPass(sql: Db, args: { tenantId: string; passId: string; actor: string; reason: string }) {
  const pass = await lockPass(sql, args.tenantId, args.passId);
  if (pass.status === 'refunded') return { pass, entry: null };
  const before = { status: pass.status, payment_status: pass.payment_status, credits_left: pass.credits_left };
  const entry = pass.credits_left
    ? await appendEntry(sql, pass, { type: 'void', delta: -pass.credits_left, actor: args.actor,
      reason: activityText(pass.tenant_locale).refund_void({ reason: args.reason }) })
    : null;
  await sql`
    update passes set status = 'refunded', payment_status = 'refunded', version = version + 1
    where tenant_id = ${args.tenantId} and id = ${args.passId}`;
  pass.status = 'refunded';
  pass.payment_status = 'refunded';
  await recordAudit(sql, {
    tenantId: args.tenantId, actor: args.actor, action: 'pass.refund', targetType: 'pass', targetId: pass.id,
    customerId: pass.customer_id, before, after: { status: 'refunded', payment_status: 'refunded', credits_left: pass.credits_left },
    reason: args.reason,
  });
  await recordActivity(sql, {
    tenantId: args.tenantId, customerId: pass.customer_id, type: 'refunded', actor: args.actor,
    summary: activityText(pass.tenant_locale).refunded({ passName: pass.product_name, voided: entry ? -entry.delta : 0 }),
    data: { pass_id: pass.id, entry_id: entry?.id ?? null, voided: entry ? -entry.delta : 0 },
  });
  return { pass, entry };
}
