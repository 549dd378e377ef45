import type { Db } from '../db/connect.ts';
import { getCatalogueCoupon, getCustomerCoupon, type CatalogueRow } from '../data/coupons.ts';
import { recordActivity, recordAudit } from '../data/records.ts';
import type { CouponDuration, CustomerCoupon, CustomerCouponStatus, Discount } from '../data/replies.ts';
import { notFound } from '../http/errors.ts';
import { assertIfMatch } from '../http/etag.ts';
import { newId } from '../ids.ts';
import { activityText } from './activity-text.ts';
import { endOfLocalDay, MIN_REASON } from './adjustments.ts';
import { dateTime, tenantRules, type TenantRules } from './format.ts';
import { plural, refuse, ruleViolation, type Check } from './rules.ts';

/**
 * Coupons: a catalogue of discounts (percent-off or amount-off in the tenant's currency; `once`,
 * `repeating` for N months, or `forever`; an optional valid-until date; optional max redemptions
 * across the tenant; stackable or not), and the coupons put on customers.
 *
 * **Adding a coupon to a customer** checks, and a 422 names every rule that fails:
 * - `coupon_live` — the studio has not switched the coupon off;
 * - `coupon_in_date` — its valid-until date has not passed (it bounds when it can be *added*);
 * - `coupon_under_limit` — fewer redemptions than its max across the tenant (a redemption is the
 *   coupon put on a customer and not removed — active, redeemed or expired instances all count, but
 *   not an active one of a deleted customer, which no one can remove any more);
 * - `not_already_active` — not already in force on this customer, unless the coupon is stackable;
 * - `expiry_in_future` — a customer-specific expiry, when given, is in the future;
 * - `reason_required` — a reason (≥ 5 characters) when the coupon is a **courtesy**, see below.
 * "Live" in the catalogue means the first three hold.
 *
 * **Courtesy.** A coupon put on a customer by a staff member (an embed session: the person at the
 * desk choosing to give it) is a courtesy, and so is any coupon given on better terms than its
 * catalogue entry — an expiry later than the coupon's valid-until, or none when it has one. A
 * courtesy needs a reason, written to the coupon, the audit log and the activity. An integration
 * (an API key) applying a coupon on its standard terms — a code the customer entered at checkout —
 * needs none.
 *
 * **Expiry.** Without a customer-specific expiry a coupon expires on its valid-until date (or never).
 * A coupon past its expiry reads as `expired` at once (`data/coupons.ts`); nothing has to run.
 * **Uses left** start at 1 (`once`), N (`repeating` N months) or unlimited (`forever`, null).
 *
 * **Changes** (`updateCustomerCoupon`) always need a reason: removing a coupon (active or expired),
 * or changing its expiry (a new expiry in the future, or none); with `If-Match` (its ETag) they are
 * refused with 412 when the coupon changed since it was read. Moving an expired coupon's expiry into
 * the future makes it active again, unless the studio has switched the coupon off (that would give
 * it afresh) or it would make a non-stackable coupon active twice.
 * Redeemed and removed coupons cannot be changed (`coupon_modifiable`).
 *
 * **Concurrency.** Every add and change locks the catalogue coupon row first (`for update`), then
 * the customer coupon: two staff adding the same non-stackable coupon at the same moment — or the
 * last redemption of a limited coupon — are serialised, and the second sees the first's row.
 */

export type CouponActor = { id: string; kind: 'staff' | 'api_key' };

const moneyFormats = new Map<string, Intl.NumberFormat>();

function money(minor: number, currency: string, locale: string) {
  const key = `${locale}|${currency}`;
  let format = moneyFormats.get(key);
  if (!format) moneyFormats.set(key, format = new Intl.NumberFormat(locale, { style: 'currency', currency }));
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits);
}

/**
 * "20% off, 3 months", "£10.00 off once", "15% off forever" ("20 % Rabatt, 3 Monate" for a German
 * studio) — for activity summaries and messages, in the locale's language and money format.
 */
export function describeDiscount(c: Discount, locale = 'en-GB'): string {
  return activityText(locale).discount({
    percentOff: c.percent_off, amountOff: c.amount_off === null ? null : money(c.amount_off, c.currency, locale),
    duration: c.duration, months: c.duration_months,
  });
}

/** The catalogue rules of one coupon; with `forCustomer`, also `not_already_active` for that customer. */
export function couponChecks(c: CatalogueRow, tenant: Pick<TenantRules, 'timezone' | 'locale'>, forCustomer: boolean): Check[] {
  const checks: Check[] = [
    {
      rule: 'coupon_live', ok: c.active,
      message: c.active ? `${c.code} is switched on.` : `${c.code} has been switched off by the studio.`,
    },
    {
      rule: 'coupon_in_date', ok: c.in_date,
      message: c.valid_until === null ? `${c.code} has no end date.`
        : c.in_date ? `${c.code} can be added until ${dateTime(new Date(c.valid_until), tenant)}.`
        : `${c.code} could only be added until ${dateTime(new Date(c.valid_until), tenant)}.`,
    },
    {
      rule: 'coupon_under_limit', ok: c.under_limit,
      message: c.max_redemptions === null ? `${c.code} has no redemption limit.`
        : c.under_limit ? `${c.redemptions} of ${c.max_redemptions} redemptions used.`
        : `${c.code} has reached its limit of ${plural(c.max_redemptions, 'redemption')}.`,
    },
  ];
  if (forCustomer) {
    const already = c.active_on_customer > 0;
    checks.push({
      rule: 'not_already_active', ok: c.stackable || !already,
      message: !already ? `${c.code} is not active on this customer yet.`
        : c.stackable ? `${c.code} is already active on this customer and stacks.`
        : `${c.code} is already active on this customer and does not stack with itself.`,
    });
  }
  return checks;
}

/** The failed rules as the API lists them (`not_live_reasons`, `ineligible_reasons`). */
export const failed = (checks: Check[]) => checks.filter((c) => !c.ok).map(({ rule, message }) => ({ rule, message }));

/** The uses a new customer coupon starts with. */
export const initialUses = (c: { duration: CouponDuration; duration_months: number | null }) =>
  c.duration === 'once' ? 1 : c.duration === 'repeating' ? c.duration_months! : null;

/** An expiry as the API takes it: an instant, a calendar date (valid through that day, studio time), or none. */
export type ExpiryInput = Date | { date: string } | null;

async function resolveExpiry(sql: Db, value: ExpiryInput, tenant: TenantRules): Promise<Date | null> {
  if (value === null || value instanceof Date) return value;
  return endOfLocalDay(sql, value.date, tenant.timezone);
}

const cleanReason = (reason: string | null | undefined) => {
  const trimmed = reason?.trim() ?? '';
  return trimmed.length > 0 ? trimmed : null;
};

async function lockCoupon(sql: Db, tenantId: string, couponId: string) {
  const [row] = await sql`select id from coupons where tenant_id = ${tenantId} and id = ${couponId} for update`;
  if (!row) throw notFound('coupon');
}

export interface AddCouponArgs {
  tenantId: string;
  customerId: string;
  couponId: string;
  /** Absent: the coupon's valid-until (or never). */
  expiresAt?: ExpiryInput;
  reason?: string | null;
  actor: CouponActor;
  now?: Date;
}

/** Puts a catalogue coupon on a customer. Run it inside a transaction. */
export async function addCoupon(sql: Db, args: AddCouponArgs): Promise<CustomerCoupon> {
  const now = args.now ?? new Date();
  const tenant = await tenantRules(sql, args.tenantId);
  await lockCoupon(sql, args.tenantId, args.couponId);
  const coupon = (await getCatalogueCoupon(sql, args.tenantId, args.couponId, args.customerId))!;
  const checks = couponChecks(coupon, tenant, true);

  const validUntil = coupon.valid_until === null ? null : new Date(coupon.valid_until);
  const explicit = args.expiresAt !== undefined;
  const expiresAt = explicit ? await resolveExpiry(sql, args.expiresAt!, tenant) : validUntil;
  if (explicit && expiresAt !== null) {
    const future = expiresAt.getTime() > now.getTime();
    checks.push({
      rule: 'expiry_in_future', ok: future,
      message: future ? `Expires ${dateTime(expiresAt, tenant)}.` : `The expiry ${dateTime(expiresAt, tenant)} has already passed.`,
    });
  }
  const beyondTerms = validUntil !== null && (expiresAt === null || expiresAt.getTime() > validUntil.getTime());
  const courtesy = args.actor.kind === 'staff' || beyondTerms;
  const reason = cleanReason(args.reason);
  if (reason !== null && reason.length < MIN_REASON) {
    checks.push({ rule: 'reason_required', ok: false, message: `Give a reason of at least ${MIN_REASON} characters.` });
  } else if (courtesy) {
    checks.push({
      rule: 'reason_required', ok: reason !== null,
      message: reason !== null ? 'A reason is given.'
        : beyondTerms ? `An expiry later than ${coupon.code}'s own (${dateTime(validUntil!, tenant)}) is a courtesy: give a reason of at least ${MIN_REASON} characters.`
        : `A coupon given by staff is a courtesy: give a reason of at least ${MIN_REASON} characters.`,
    });
  }
  if (checks.some((c) => !c.ok)) {
    throw ruleViolation(checks, `Cannot add ${coupon.code}: ${failed(checks).map((c) => c.message).join(' ')}`);
  }

  const id = newId('ccpn');
  const uses = initialUses(coupon);
  await sql`
    insert into customer_coupons (tenant_id, id, customer_id, coupon_id, status, added_by, reason, added_at, expires_at, uses_left)
    values (${args.tenantId}, ${id}, ${args.customerId}, ${coupon.id}, 'active', ${args.actor.id}, ${reason}, ${now},
      ${expiresAt}, ${uses})`;
  const discount = describeDiscount(coupon, tenant.locale);
  await recordAudit(sql, {
    tenantId: args.tenantId, actor: args.actor.id, action: 'coupon.added', targetType: 'customer_coupon', targetId: id,
    customerId: args.customerId, reason, before: null,
    after: { coupon_id: coupon.id, code: coupon.code, status: 'active', expires_at: expiresAt, uses_left: uses, courtesy },
  });
  await recordActivity(sql, {
    tenantId: args.tenantId, customerId: args.customerId, type: 'coupon_added', actor: args.actor.id,
    summary: activityText(tenant.locale).coupon_added({ code: coupon.code, discount, reason }),
    data: { customer_coupon_id: id, coupon_id: coupon.id, code: coupon.code, reason, courtesy },
  });
  return (await getCustomerCoupon(sql, args.tenantId, args.customerId, id))!;
}

interface LockedCustomerCoupon {
  id: string;
  coupon_id: string;
  stored_status: CustomerCouponStatus;
  status: CustomerCouponStatus;
  expires_at: Date | null;
  removed_at: Date | null;
  code: string;
  stackable: boolean;
  /** Switched on in the catalogue. */
  active: boolean;
  version: number;
}

export interface UpdateCouponArgs {
  tenantId: string;
  customerId: string;
  customerCouponId: string;
  /** A new expiry (null: never); absent: unchanged. */
  expiresAt?: ExpiryInput;
  remove?: boolean;
  reason: string;
  actor: CouponActor;
  /** The `If-Match` header, if sent: the customer coupon must still be at that version (412 otherwise). */
  ifMatch?: string;
  now?: Date;
}

/** Removes a customer's coupon or changes its expiry, with a reason. Run it inside a transaction. */
export async function updateCustomerCoupon(sql: Db, args: UpdateCouponArgs): Promise<CustomerCoupon> {
  const now = args.now ?? new Date();
  const reason = args.reason?.trim() ?? '';
  if (reason.length < MIN_REASON) refuse('reason_required', `Give a reason of at least ${MIN_REASON} characters.`);
  const tenant = await tenantRules(sql, args.tenantId);
  const [target]: [{ coupon_id: string }?] = await sql`
    select coupon_id from customer_coupons
    where tenant_id = ${args.tenantId} and customer_id = ${args.customerId} and id = ${args.customerCouponId}`;
  if (!target) throw notFound('customer coupon');
  // Lock order everywhere: the catalogue coupon, then the customer coupon.
  await lockCoupon(sql, args.tenantId, target.coupon_id);
  const [cc]: [LockedCustomerCoupon?] = await sql`
    select cc.id, cc.coupon_id, cc.status as stored_status,
      case when cc.status = 'active' and cc.expires_at <= ${now} then 'expired' else cc.status end as status,
      cc.expires_at, cc.removed_at, c.code, c.stackable, c.active, cc.version
    from customer_coupons cc join coupons c on c.tenant_id = cc.tenant_id and c.id = cc.coupon_id
    where cc.tenant_id = ${args.tenantId} and cc.customer_id = ${args.customerId} and cc.id = ${args.customerCouponId}
    for update of cc`;
  if (!cc) throw notFound('customer coupon');
  // Removed or used up is final: say so, whatever version the writer read.
  if (cc.status === 'removed') {
    refuse('coupon_modifiable', `${cc.code} was removed on ${dateTime(cc.removed_at!, tenant)}; it cannot be changed.`);
  }
  if (cc.status === 'redeemed') refuse('coupon_modifiable', `${cc.code} has been used up (redeemed); it cannot be changed.`);
  // A value set, not a delta: changed by someone else since it was read, it is refused before any write.
  assertIfMatch(args.ifMatch, cc.version, 'coupon');
  const before = { status: cc.status, expires_at: cc.expires_at };

  if (args.remove) {
    await sql`
      update customer_coupons set status = 'removed', removed_at = ${now}, removed_by = ${args.actor.id},
        removed_reason = ${reason}, version = version + 1
      where tenant_id = ${args.tenantId} and id = ${cc.id}`;
    await recordAudit(sql, {
      tenantId: args.tenantId, actor: args.actor.id, action: 'coupon.removed', targetType: 'customer_coupon', targetId: cc.id,
      customerId: args.customerId, reason, before, after: { status: 'removed', expires_at: cc.expires_at },
    });
    await recordActivity(sql, {
      tenantId: args.tenantId, customerId: args.customerId, type: 'coupon_removed', actor: args.actor.id,
      summary: activityText(tenant.locale).coupon_removed({ code: cc.code, reason }),
      data: { customer_coupon_id: cc.id, coupon_id: cc.coupon_id, code: cc.code, reason },
    });
  } else if (args.expiresAt !== undefined) {
    const expiresAt = await resolveExpiry(sql, args.expiresAt, tenant);
    if (expiresAt !== null && expiresAt.getTime() <= now.getTime()) {
      refuse('expiry_in_future', `The new expiry ${dateTime(expiresAt, tenant)} has already passed.`);
    }
    if (cc.status === 'expired' && !cc.active) {
      refuse('coupon_live', `${cc.code} has been switched off by the studio; an expired one cannot be brought back.`);
    }
    if (cc.status === 'expired' && !cc.stackable) {
      const [{ n }] = await sql<{ n: number }[]>`
        select count(*)::int as n from customer_coupons
        where tenant_id = ${args.tenantId} and customer_id = ${args.customerId} and coupon_id = ${cc.coupon_id}
          and id <> ${cc.id} and status = 'active' and (expires_at is null or expires_at > ${now})`;
      if (n > 0) {
        refuse('not_already_active', `${cc.code} is already active on this customer again and does not stack with itself.`);
      }
    }
    await sql`
      update customer_coupons set expires_at = ${expiresAt}, status = 'active', version = version + 1
      where tenant_id = ${args.tenantId} and id = ${cc.id}`;
    await recordAudit(sql, {
      tenantId: args.tenantId, actor: args.actor.id, action: 'coupon.expiry_changed', targetType: 'customer_coupon',
      targetId: cc.id, customerId: args.customerId, reason, before, after: { status: 'active', expires_at: expiresAt },
    });
    await recordActivity(sql, {
      tenantId: args.tenantId, customerId: args.customerId, type: 'coupon_updated', actor: args.actor.id,
      summary: activityText(tenant.locale).coupon_expiry_changed({
        code: cc.code, from: cc.expires_at && dateTime(cc.expires_at, tenant), to: expiresAt && dateTime(expiresAt, tenant),
        reactivated: cc.status === 'expired', reason,
      }),
      data: { customer_coupon_id: cc.id, coupon_id: cc.coupon_id, code: cc.code, before: cc.expires_at, after: expiresAt, reason },
    });
  } else {
    refuse('change_given', 'Say what to change: a new expires_at, or status "removed".');
  }
  return (await getCustomerCoupon(sql, args.tenantId, args.customerId, cc.id))!;
}
