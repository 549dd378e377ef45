import { couponReasons, couponRemovals } from './names.ts';
import type { Story } from './story.ts';
import { DAY, iso, isoOrNull } from './time.ts';

/** Coupons staff put on the customer, in every state: active, redeemed, expired and removed. */
export function addCoupons(story: Story, joinedAt: number): void {
  const { random, ctx } = story;
  const { text } = ctx;
  if (!random.chance(0.15)) return;
  const count = random.chance(0.8) ? 1 : 2;
  for (let n = 0; n < count; n++) {
    const coupon = random.pick(ctx.catalogue.coupons);
    const from = Math.max(coupon.createdAt, joinedAt);
    const until = Math.min(ctx.now, coupon.validUntil ?? ctx.now);
    if (until <= from) continue;
    const addedAt = Math.round(random.between(from, until));
    const expiresAt = coupon.validUntil ?? (random.chance(0.5) ? addedAt + 90 * DAY : null);
    const uses = { once: 1, repeating: coupon.plan.durationMonths, forever: null }[coupon.plan.duration];
    const addedBy = story.deskStaff().id;
    const reason = random.chance(0.7) ? random.pick(couponReasons) : null;
    const id = story.id('ccpn');
    const data = { customer_coupon_id: id, coupon_id: coupon.id, code: coupon.plan.code };
    const { code, percentOff, amountOff, duration, durationMonths } = coupon.plan;
    const discount = text.discount({
      percentOff, amountOff: amountOff === null ? null : ctx.formats.money(amountOff), duration, months: durationMonths,
    });
    story.activity('coupon_added', addedAt, text.coupon_added({ code, discount, reason }), { ...data, reason }, addedBy);

    const lastDay = Math.min(ctx.now, expiresAt ?? ctx.now);
    const full = coupon.plan.maxRedemptions !== null && coupon.redeemed >= coupon.plan.maxRedemptions;
    let status = 'active';
    let usesLeft = uses;
    let removed: { at: number; by: string; reason: string } | null = null;
    if (uses !== null && !full && lastDay > addedAt && random.chance(0.35)) {
      status = 'redeemed';
      usesLeft = 0;
      coupon.redeemed++;
      const at = Math.round(random.between(addedAt, lastDay));
      story.activity('coupon_updated', at, text.coupon_redeemed({ code }), { ...data, status }, null);
    } else if (random.chance(0.1)) {
      status = 'removed';
      removed = { at: Math.round(random.between(addedAt, ctx.now)), by: story.deskStaff().id, reason: random.pick(couponRemovals) };
      story.activity('coupon_removed', removed.at, text.coupon_removed({ code, reason: removed.reason }), {
        ...data, reason: removed.reason,
      }, removed.by);
    } else if (expiresAt !== null && expiresAt <= ctx.now) {
      status = 'expired';
      story.activity('coupon_updated', expiresAt, text.coupon_expired({ code }), { ...data, status }, null);
    }
    story.out.customer_coupons.push({
      tenant_id: story.tenantId, id, customer_id: story.customerId, coupon_id: coupon.id, status, added_by: addedBy,
      reason, added_at: iso(addedAt), expires_at: isoOrNull(expiresAt), uses_left: usesLeft,
      removed_at: removed ? iso(removed.at) : null, removed_by: removed?.by ?? null, removed_reason: removed?.reason ?? null,
      version: status === 'active' ? 1 : 2,
    });
  }
}
