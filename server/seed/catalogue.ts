import { newId } from '../ids.ts';
import type { CouponPlan, PolicyPlan, ProductPlan, StaffPlan, TenantPlan } from './plans.ts';
import { createRandom } from './random.ts';
import type { CatalogueRows } from './rows.ts';
import { DAY, iso } from './time.ts';

/** A product as customers buy it: its plan and its id. */
export interface Product extends ProductPlan {
  id: string;
}

export interface Policy {
  id: string;
  plan: PolicyPlan;
  /** Publication instants, index 0 = version 1. */
  published: number[];
}

export interface Coupon {
  id: string;
  plan: CouponPlan;
  createdAt: number;
  validUntil: number | null;
  /** Redemptions so far, so that max_redemptions holds. */
  redeemed: number;
}

/** One tenant's catalogue: the rows to write and what customer generation looks up in it. */
export interface Catalogue {
  plan: TenantPlan;
  rows: CatalogueRows;
  staff: StaffPlan[];
  /** Staff who act on customers at the desk: owner, managers, front desk. */
  desk: StaffPlan[];
  products: Product[];
  policies: Policy[];
  coupons: Coupon[];
}

const emailOf = (name: string, domain: string) =>
  `${name.split(' ')[0].normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase()}@${domain}`;

export function buildCatalogue(plan: TenantPlan, seed: number, now: number): Catalogue {
  const random = createRandom(seed, plan.id, 'catalogue');
  const createdAt = now - plan.createdDaysAgo * DAY;
  const products = plan.products.map((p): Product => ({ ...p, id: newId('prod', random.bytes) }));
  const policies = plan.policies.map((p): Policy => ({
    id: newId('pol', random.bytes),
    plan: p,
    published: p.versions.map((v) => now - v.daysAgo * DAY),
  }));
  const coupons = plan.coupons.map((c): Coupon => ({
    id: newId('cpn', random.bytes),
    plan: c,
    createdAt: now - c.createdDaysAgo * DAY,
    validUntil: c.validUntilDays === null ? null : now + c.validUntilDays * DAY,
    redeemed: 0,
  }));

  const rows: CatalogueRows = {
    tenants: [{
      id: plan.id, name: plan.name, currency: plan.currency, timezone: plan.timezone, locale: plan.locale,
      embed_origins: plan.embedOrigins, free_cancel_hours: plan.freeCancelHours, late_cancel_rule: 'forfeit',
      guests_need_profile: true, created_at: iso(createdAt),
    }],
    staff: plan.staff.map((s, i) => ({
      tenant_id: plan.id, id: s.id, name: s.name, email: emailOf(s.name, plan.staffEmailDomain), role: s.role,
      active: s.active, created_at: iso(createdAt + i * 30 * DAY),
    })),
    products: products.map((p) => ({
      tenant_id: plan.id, id: p.id, name: p.name, kind: p.kind, credits: p.credits, validity_days: p.validityDays,
      price: p.price, class_types: p.classTypes, billing_cycle_days: p.billingCycleDays, rollover_cap: p.rolloverCap,
      intro_offer: p.introOffer, active: p.active, created_at: iso(createdAt),
    })),
    policies: policies.map((p) => ({
      tenant_id: plan.id, id: p.id, name: p.plan.name, kind: p.plan.kind, required: p.plan.required,
      current_version: p.plan.versions.length, created_at: iso(p.published[0]),
    })),
    policy_versions: policies.flatMap((p) => p.plan.versions.map((v, i) => ({
      tenant_id: plan.id, policy_id: p.id, version: i + 1, title: v.title, body: v.body, published_at: iso(p.published[i]),
    }))),
    coupons: coupons.map((c) => ({
      tenant_id: plan.id, id: c.id, code: c.plan.code, name: c.plan.name, percent_off: c.plan.percentOff,
      amount_off: c.plan.amountOff, duration: c.plan.duration, duration_months: c.plan.durationMonths,
      valid_until: c.validUntil === null ? null : iso(c.validUntil), max_redemptions: c.plan.maxRedemptions,
      stackable: c.plan.stackable, active: c.plan.active, created_at: iso(c.createdAt),
    })),
  };

  const desk = plan.staff.filter((s) => s.active && s.role !== 'instructor');
  return { plan, rows, staff: plan.staff, desk, products, policies, coupons };
}
