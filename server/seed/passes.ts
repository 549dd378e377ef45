import type { Product } from './catalogue.ts';
import { PassLedger } from './ledger.ts';
import { creditAdditions, creditRemovals, expiryExtensions, refundReasons } from './names.ts';
import type { Schedule } from './schedule.ts';
import type { Story } from './story.ts';
import { sameTimeDaysLater } from '../domain/calendar.ts';
import { DAY, endOfLocalDay, HOUR, iso, isoOrNull, MINUTE } from './time.ts';

/**
 * Purchases, told the way the server's domain writes them (domain/purchases.ts, subscriptions.ts,
 * expiry.ts, adjustments.ts): the same entries, reasons, audit rows and activity wording, so that
 * seeded history and live changes read alike.
 */

/** A product a customer bought, while its story is being told; it becomes a passes row at the end. */
export interface OwnedPass {
  id: string;
  product: Product;
  purchasedAt: number;
  channel: 'online' | 'offline' | 'admin';
  paymentStatus: 'paid' | 'pending' | 'failed';
  amount: number;
  startsAt: number;
  /** Packs and timed videos: when they run out (after any extension); memberships: when they end. */
  expiresAt: number | null;
  refundAt: number | null;
  /** Bookings must start before this. */
  usableUntil: number;
  /** Products with credits only; unlimited memberships and extras keep no ledger. */
  ledger: PassLedger | null;
}

export const carriesCredits = (p: Product) => p.credits !== null && isClassProduct(p);
export const isClassProduct = (p: Product) => p.kind === 'pass' || p.kind === 'bundle' || p.kind === 'membership';
export const covers = (p: Product, type: string) => p.classTypes.length === 0 || p.classTypes.includes(type);

/**
 * When cycle `n` of a membership bought at `startsAt` ends (and cycle n+1 begins): n cycles of the
 * studio's calendar on, at the time of day it was bought, as domain/subscriptions.ts `cycleBounds` counts.
 */
const cycleEnd = (story: Story, product: Product, startsAt: number, n: number) =>
  sameTimeDaysLater(story.ctx.timezone, startsAt, n * product.billingCycleDays!);

/** Whether a booking made at `bookedAt` for class `cls` can use the pass, spending its credits then. */
export function canUse(pass: OwnedPass, schedule: Schedule, cls: number, bookedAt: number): boolean {
  if (pass.paymentStatus !== 'paid') return false;
  if (bookedAt < pass.startsAt || schedule.start[cls] >= pass.usableUntil) return false;
  if (!covers(pass.product, schedule.type[cls])) return false;
  if (!pass.ledger) return true;
  pass.ledger.advanceTo(bookedAt);
  return pass.ledger.balance >= schedule.cost[cls];
}

export interface BuyOptions {
  channel: OwnedPass['channel'];
  /** When the customer stops coming: a membership ends with the cycle this falls in. */
  leavesAt: number;
  payment?: OwnedPass['paymentStatus'];
}

/**
 * Records a purchase at `at`: the pass, its first grant, and what will happen to it later (renewals,
 * expiry, now and then a refund, a manual adjustment or an expiry extension), scheduled on its ledger.
 */
export function buyPass(story: Story, product: Product, at: number, options: BuyOptions): OwnedPass {
  const { random, ctx } = story;
  const { now, formats, text } = ctx;
  const id = story.id('pass');
  const payment = options.payment ?? 'paid';
  const actor = options.channel === 'online' ? null : story.deskStaff().id;

  let expiresAt = product.validityDays ? endOfLocalDay(ctx.timezone, at, product.validityDays) : null;
  if (product.kind === 'membership' && options.leavesAt < Infinity) {
    let cycle = 1;
    while (cycleEnd(story, product, at, cycle) < options.leavesAt) cycle++;
    expiresAt = cycleEnd(story, product, at, cycle);
  }
  const pass: OwnedPass = {
    id, product, purchasedAt: at, channel: options.channel, paymentStatus: payment, amount: product.price,
    startsAt: at, expiresAt, refundAt: null, usableUntil: expiresAt ?? Infinity, ledger: null,
  };
  const ledger = carriesCredits(product) && payment === 'paid'
    ? (pass.ledger = new PassLedger(story.tenantId, id, () => story.id('led')))
    : null;
  if (ledger && product.kind === 'membership') ledger.cycle = 1;
  const grant = ledger?.add('grant', product.credits!, at, { actor, reason: ledger.cycle ? text.cycle_credits({ cycle: 1 }) : null });

  story.activity('purchased', at, text.purchased({
    productName: product.name, channel: options.channel, payment, credits: grant?.delta ?? 0,
  }), {
    pass_id: id, product_id: product.id, payment_status: payment, credits: grant?.delta ?? 0,
  }, actor);
  if (payment === 'failed') story.email('payment_failed', `Your payment for ${product.name} didn\u2019t go through`, at + MINUTE, 'delivered');
  if (payment !== 'paid') return pass;
  story.email('receipt', `Your receipt from ${ctx.catalogue.plan.name}: ${product.name} (${formats.money(product.price)})`, at + MINUTE);

  // A pack's expiry extended by staff before it ran out.
  if (ledger && product.kind !== 'membership' && expiresAt !== null && random.chance(0.03)) {
    const changedAt = Math.round(random.between(at + DAY, Math.min(expiresAt, now)));
    if (changedAt > at + DAY && changedAt < Math.min(expiresAt, now)) {
      const extended = endOfLocalDay(ctx.timezone, expiresAt - 1, random.pick([14, 30]));
      const staff = story.deskStaff().id;
      const reason = random.pick(expiryExtensions);
      story.out.audit_log.push({
        tenant_id: story.tenantId, id: story.id('aud'), actor: staff, action: 'pass.expiry_changed', target_type: 'pass',
        target_id: id, customer_id: story.customerId, before: { expires_at: iso(expiresAt), status: 'active' },
        after: { expires_at: iso(extended), status: 'active', credits_expired: 0 }, reason, at: iso(changedAt),
      });
      story.activity('expiry_changed', changedAt,
        text.expiry_changed({ passName: product.name, from: formats.dateTime(expiresAt), to: formats.dateTime(extended), reason }),
        { pass_id: id, before: iso(expiresAt), after: iso(extended), reason }, staff);
      pass.expiresAt = expiresAt = extended;
      pass.usableUntil = extended;
    }
  }
  if (!ledger) return pass;

  // The odd pack is refunded within two weeks: its remaining credits are voided.
  if (product.kind === 'pass' && !product.introOffer && random.chance(0.02)) {
    const refundAt = Math.round(at + random.between(DAY, 14 * DAY));
    if (refundAt < now && refundAt < pass.usableUntil) {
      pass.refundAt = pass.usableUntil = refundAt;
      const staff = story.deskStaff().id;
      const reason = random.pick(refundReasons);
      ledger.schedule(refundAt, () => {
        const before = ledger.balance;
        const entry = ledger.add('void', -before, refundAt, { actor: staff, reason: text.refund_void({ reason }) });
        story.out.audit_log.push({
          tenant_id: story.tenantId, id: story.id('aud'), actor: staff, action: 'pass.refund', target_type: 'pass',
          target_id: id, customer_id: story.customerId,
          before: { status: 'active', payment_status: 'paid', credits_left: before },
          after: { status: 'refunded', payment_status: 'refunded', credits_left: 0 }, reason, at: iso(refundAt),
        });
        story.activity('refunded', refundAt, text.refunded({ passName: product.name, voided: entry ? before : 0 }), {
          pass_id: id, entry_id: entry?.id ?? null, voided: before,
        }, staff);
      });
    }
  }

  if (product.kind === 'membership') scheduleRenewals(story, pass);
  if (pass.expiresAt !== null) {
    const expiry = pass.expiresAt;
    ledger.schedule(expiry, () => {
      const left = ledger.balance;
      if (ledger.add('expiry', -left, expiry, { reason: text.pass_expired({}) })) {
        story.activity('credits_expired', expiry, text.credits_expired({ credits: left, passName: product.name, cycle: null }), {
          pass_id: id, expired: left,
        });
      }
    });
  }

  // A manual adjustment by staff, with its reason, audit row and activity.
  if (random.chance(0.08)) {
    const latest = Math.min(pass.usableUntil, now) - HOUR;
    if (latest > at + HOUR) {
      const adjustAt = Math.round(random.between(at + HOUR, latest));
      const delta = random.chance(0.6) ? random.weighted([[1, 6], [2, 3], [3, 1]]) : -random.weighted([[1, 4], [2, 1]]);
      const reason = random.pick(delta > 0 ? creditAdditions : creditRemovals);
      const staff = story.deskStaff().id;
      ledger.schedule(adjustAt, () => {
        const before = ledger.balance;
        if (before + delta < 0) return; // nothing left to take back by then
        const entry = ledger.add('manual', delta, adjustAt, { reason, actor: staff })!;
        story.out.audit_log.push({
          tenant_id: story.tenantId, id: story.id('aud'), actor: staff, action: 'credits.adjusted', target_type: 'pass',
          target_id: id, customer_id: story.customerId, before: { credits_left: before },
          after: { credits_left: ledger.balance, ledger_id: entry.id, delta }, reason, at: iso(adjustAt),
        });
        story.activity(delta > 0 ? 'credits_added' : 'credits_removed', adjustAt,
          text.credits_adjusted({ delta, passName: product.name, before, after: ledger.balance, reason }),
          { pass_id: id, ledger_id: entry.id, credits: delta, reason }, staff);
      });
    }
  }
  return pass;
}

/**
 * At each cycle end, as domain/subscriptions.ts renews: the credits left expire (cycle n), up to the
 * rollover cap come back (cycle n+1), the new cycle's credits are granted (cycle n+1). Each cycle thus
 * closes at 0. A membership that ends instead expires what is left when it ends (`expiresAt`).
 */
function scheduleRenewals(story: Story, pass: OwnedPass) {
  const ledger = pass.ledger!;
  const { product } = pass;
  const cap = product.rolloverCap ?? 0;
  const { text } = story.ctx;
  const renewAt = (ended: number) => cycleEnd(story, product, pass.startsAt, ended);
  const due = (ended: number) => renewAt(ended) <= story.ctx.now && renewAt(ended) < (pass.expiresAt ?? Infinity);

  const renew = (from: number) => {
    const at = renewAt(from);
    const to = from + 1;
    const left = ledger.balance;
    const rolled = Math.min(left, cap);
    ledger.add('expiry', -left, at, { reason: text.cycle_ended({ cycle: from, left, rolled, cap }) });
    ledger.cycle = to;
    ledger.add('rollover', rolled, at, { reason: text.rolled_over_from({ cycle: from }) });
    ledger.add('grant', product.credits!, at, { reason: text.cycle_credits({ cycle: to }) });
    if (left > rolled) {
      story.activity('credits_expired', at, text.credits_expired({ credits: left - rolled, passName: product.name, cycle: from }), {
        pass_id: pass.id, cycle: from, expired: left - rolled,
      });
    }
    if (rolled > 0) {
      story.activity('credits_rolled_over', at, text.credits_rolled_over({ credits: rolled, passName: product.name, cycle: to }), {
        pass_id: pass.id, cycle: to, rolled_over: rolled,
      });
    }
    if (due(to)) ledger.schedule(renewAt(to), () => renew(to));
  };
  if (due(1)) ledger.schedule(renewAt(1), () => renew(1));
}

/** The passes row and its ledger rows, as things stand at `now`. */
export function finishPass(story: Story, pass: OwnedPass): void {
  const { now } = story.ctx;
  const { product } = pass;
  pass.ledger?.advanceTo(now);

  let status = 'active';
  if (pass.paymentStatus === 'failed') status = 'cancelled';
  else if (pass.refundAt !== null) status = 'refunded';
  else if (pass.expiresAt !== null && pass.expiresAt <= now) status = 'expired';

  let cycle: number | null = null, cycleStartedAt: number | null = null, nextBillingAt: number | null = null;
  if (product.kind === 'membership') {
    const until = Math.min(now, (pass.expiresAt ?? Infinity) - 1);
    cycle = 1;
    while (cycleEnd(story, product, pass.startsAt, cycle) <= until) cycle++;
    cycleStartedAt = cycle === 1 ? pass.startsAt : cycleEnd(story, product, pass.startsAt, cycle - 1);
    const next = cycleEnd(story, product, pass.startsAt, cycle);
    // No next billing once the customer has cancelled and the membership ends with this cycle.
    if (pass.expiresAt === null || pass.expiresAt > next) nextBillingAt = next;
  }

  // A credit product holds 0 until its payment clears; products without credits hold null.
  const creditsLeft = carriesCredits(product) ? (pass.ledger?.balance ?? 0) : null;
  story.out.passes.push({
    tenant_id: story.tenantId, id: pass.id, customer_id: story.customerId, product_id: product.id,
    purchased_at: iso(pass.purchasedAt), channel: pass.channel,
    payment_status: pass.refundAt !== null ? 'refunded' : pass.paymentStatus, amount: pass.amount,
    starts_at: iso(pass.startsAt), expires_at: isoOrNull(pass.expiresAt), status, current_cycle: cycle,
    cycle_started_at: isoOrNull(cycleStartedAt), next_billing_at: isoOrNull(nextBillingAt), credits_left: creditsLeft,
    version: 1 + (pass.ledger?.rows.length ?? 0),
  });
  if (pass.ledger) story.out.credit_ledger.push(...pass.ledger.rows);
}
