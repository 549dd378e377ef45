import type { Product } from './catalogue.ts';
import { buyPass, canUse, covers, finishPass, isClassProduct, type OwnedPass } from './passes.ts';
import { lateWaivers } from './names.ts';
import type { Random } from './random.ts';
import { SCHEDULE_FUTURE_DAYS, type Schedule } from './schedule.ts';
import type { Story } from './story.ts';
import { DAY, HOUR, iso, isoOrNull, MINUTE } from './time.ts';

/** How a customer uses the studio; it decides how often they come and what they buy. */
export type Persona = 'regular' | 'steady' | 'occasional' | 'trial' | 'guest';

export interface HistoryPlan {
  persona: Persona;
  /** Classes a week while they come. */
  perWeek: number;
  favourites: string[];
  /** When their story in the timetable begins and ends (Infinity: still coming). */
  activeStart: number;
  activeEnd: number;
  /** New customers may buy the intro offer. */
  isNew: boolean;
  /** A trial customer who buys on after the intro offer. */
  staysAfterTrial: boolean;
  maxBookings: number;
  /** Whether they can book classes still to come (required waivers current; a guest linked to a profile). */
  bookAhead: boolean;
}

type Channel = OwnedPass['channel'];

const chooseChannel = (random: Random): Channel => random.weighted<Channel>([['online', 65], ['offline', 25], ['admin', 10]]);

function chooseProduct(story: Story, plan: HistoryPlan, bought: OwnedPass[], type: string, cost: number): Product | null {
  const { random } = story;
  const usable = story.ctx.catalogue.products.filter((p) =>
    p.active && p.weight > 0 && isClassProduct(p) && covers(p, type) && (p.credits === null || p.credits >= cost));
  const paid = bought.filter((p) => p.paymentStatus !== 'failed');
  const of = (use: Product['use']) => usable.filter((p) => p.use === use);
  const last = paid.at(-1)?.product;

  let wanted: Product['use'];
  if (plan.persona === 'guest') wanted = 'dropin';
  else if (paid.length === 0 && plan.isNew && (plan.persona === 'trial' || random.chance(0.35))) wanted = 'intro';
  else if (last && last.use === 'pack' && usable.includes(last) && random.chance(0.7)) return last;
  else {
    const membershipShare = { regular: 0.7, steady: 0.15, occasional: 0.02, trial: 0.1 }[plan.persona];
    wanted = random.chance(membershipShare) ? 'membership' : plan.persona === 'occasional' && random.chance(0.2) ? 'dropin' : 'pack';
  }
  let candidates = of(wanted);
  if (wanted === 'intro' && paid.length > 0) candidates = [];
  if (candidates.length === 0) candidates = of('pack').length ? of('pack') : of('dropin');
  if (candidates.length === 0) return null;
  // A membership is chosen to fit how often they come: 8 a month, 12 a month, or unlimited.
  const monthly = plan.perWeek * 4.3;
  const fit = (p: Product) => p.kind === 'membership' ? 1 / (1 + Math.abs((p.credits ?? 16) - monthly)) ** 2 : 1;
  return random.weighted(candidates.map((p) => [p, p.weight * fit(p)] as const));
}

/** A class to come to, soon after `target`: one with room, that the pass covers, often of a favourite type. */
function findClass(schedule: Schedule, random: Random, target: number, horizon: number, plan: HistoryPlan, holding: Product | null): number {
  const until = Math.min(target + 2 * DAY, horizon);
  const candidates: (readonly [number, number])[] = [];
  for (let i = schedule.firstFrom(target); i < schedule.length && schedule.start[i] < until; i++) {
    if (schedule.cancelled[i] || schedule.live[i] >= schedule.capacity[i]) continue;
    const type = schedule.type[i];
    if (holding && (!covers(holding, type) || (holding.credits !== null && holding.credits < schedule.cost[i]))) continue;
    const kindWeight = schedule.kind[i] === 'class' ? 1 : 0.15;
    candidates.push([i, (plan.favourites.includes(type) ? 6 : 1) * kindWeight]);
    if (candidates.length >= 10) break;
  }
  return candidates.length ? random.weighted(candidates) : -1;
}

/** When the booking was made: hours to days ahead, awake, after the customer's previous step, never after now. */
function chooseBookedAt(random: Random, clock: number, start: number, now: number, utcOffset: number): number | null {
  const lower = clock + MINUTE;
  const upper = Math.min(start - 15 * MINUTE, now);
  if (upper <= lower) return null;
  const lead = random.weighted([[[HOUR, DAY], 40], [[DAY, 4 * DAY], 40], [[4 * DAY, 10 * DAY], 20]] as const);
  let at = start - random.between(lead[0], lead[1]);
  // Few people book between midnight and seven: move those to the evening before.
  const hour = Math.floor((((at + utcOffset) % DAY) + DAY) % DAY / HOUR);
  if (hour < 7) at -= (hour + 1 + random.between(0, 8)) * HOUR;
  return Math.round(at >= lower && at <= upper ? at : lower + (upper - lower) * random.between(0.2, 1));
}

type Status = 'booked' | 'attended' | 'no_show' | 'cancelled_free' | 'cancelled_late';

/** One booking: the row, its debit (and refund, if cancelled in time), its activity and emails. */
function book(story: Story, pass: OwnedPass, cls: number, bookedAt: number): void {
  const { random, ctx } = story;
  const { schedule, now, formats, text } = ctx;
  const start = schedule.start[cls];
  const name = schedule.name[cls];
  const when = formats.dateTime(start);
  const ledger = pass.ledger;
  const cost = ledger ? schedule.cost[cls] : 0;
  // An hour's margin either side of the deadline, which the server reads on the wall clock (DST).
  const deadline = start - ctx.catalogue.plan.freeCancelHours * HOUR;
  const id = story.id('bk');

  let status: Status = start <= now
    ? random.weighted<Status>([['attended', 84], ['no_show', 5], ['cancelled_free', 8], ['cancelled_late', 3]])
    : random.weighted<Status>([['booked', 90], ['cancelled_free', 10]]);
  let cancelledAt: number | null = null;
  if (status === 'cancelled_free') {
    const latest = Math.min(deadline - HOUR, now);
    if (latest > bookedAt + MINUTE) cancelledAt = Math.round(random.between(bookedAt + MINUTE, latest));
    else status = start <= now ? 'attended' : 'booked';
  } else if (status === 'cancelled_late') {
    cancelledAt = Math.round(random.between(Math.max(bookedAt + MINUTE, deadline + HOUR), start));
    if (cancelledAt >= start) status = 'attended';
  }
  if (status !== 'cancelled_free' && status !== 'cancelled_late') cancelledAt = null;
  // Staff now and then waive a late cancellation, with a reason: the credits come back.
  const waiver = status === 'cancelled_late' && cost > 0 && random.chance(0.25)
    ? { reason: random.pick(lateWaivers), actor: story.deskStaff().id }
    : null;

  story.out.bookings.push({
    tenant_id: story.tenantId, id, customer_id: story.customerId, class_id: schedule.id[cls], pass_id: pass.id, status,
    credits_used: cost, booked_at: iso(bookedAt), cancelled_at: isoOrNull(cancelledAt), late_fee_waived: waiver !== null,
  });
  if (status === 'booked' || status === 'attended' || status === 'no_show') schedule.live[cls]++;

  // credits_used stays what the booking debited; a cancellation in time gives it back through the ledger.
  const debit = ledger?.add('booking', -cost, bookedAt, { booking_id: id }) ?? null;
  story.activity('booked', bookedAt, text.booked({
    className: name, when, passName: pass.product.name, credits: cost, left: ledger ? ledger.balance : null,
  }), {
    booking_id: id, class_id: schedule.id[cls], pass_id: pass.id, credits_used: cost, entry_id: debit?.id ?? null,
  });
  if (random.chance(0.3)) story.email('booking_confirmation', `Booking confirmed: ${name}, ${when}`, bookedAt + MINUTE);

  if (cancelledAt !== null) {
    const at = cancelledAt;
    const free = status === 'cancelled_free';
    const cancelled = (entryId: string | null, returned: number) => story.activity('cancelled', at, text.cancelled({
      className: name, when, timing: free ? 'in_time' : waiver ? 'late_waived' : 'late', returned, passName: pass.product.name,
      forfeited: !returned && !free && !waiver ? cost : 0, reason: waiver?.reason,
    }),
      { booking_id: id, status, credits_returned: returned, entry_id: entryId, waived: waiver !== null, reason: waiver?.reason ?? null },
      waiver?.actor ?? null);
    if (ledger && cost > 0 && (free || waiver)) {
      ledger.schedule(at, () => {
        const entry = ledger.add('free_cancellation', cost, at, {
          booking_id: id, actor: waiver?.actor ?? null, reason: waiver ? text.late_fee_waived({ reason: waiver.reason }) : null,
        })!;
        if (waiver) {
          story.out.audit_log.push({
            tenant_id: story.tenantId, id: story.id('aud'), actor: waiver.actor, action: 'booking.waive_late_fee',
            target_type: 'booking', target_id: id, customer_id: story.customerId, reason: waiver.reason,
            before: { status: 'booked' }, after: { status, late_fee_waived: true, credits_returned: cost }, at: iso(at),
          });
        }
        cancelled(entry.id, cost);
      });
    } else cancelled(null, 0);
  } else if (status === 'attended') {
    story.activity('attended', start, text.attended({ className: name, when }), { booking_id: id, class_id: schedule.id[cls], pass_id: pass.id });
  } else if (status === 'no_show') {
    story.activity('no_show', Math.min(start + HOUR, now), text.no_show({ className: name, when }), {
      booking_id: id, class_id: schedule.id[cls], pass_id: pass.id,
    });
  }
  const reminderAt = start - DAY;
  if (status !== 'cancelled_free' && reminderAt > bookedAt && reminderAt <= now && random.chance(0.15)) {
    story.email('reminder', `Reminder: ${name}, ${when}`, reminderAt);
  }
}

/**
 * A customer's purchases and bookings, told forward in time: come to a class every few days, buy a
 * pass when the current one cannot pay for it, stop when they leave.
 */
export function tellHistory(story: Story, plan: HistoryPlan): void {
  const { random, ctx } = story;
  const { schedule, now } = ctx;
  const horizon = Math.min(plan.activeEnd, plan.bookAhead ? now + SCHEDULE_FUTURE_DAYS * DAY : now);
  const maxFuture = random.int(0, 3);
  // A guest comes for a class a drop-in pays for.
  const firstProduct = plan.persona === 'guest' ? ctx.catalogue.products.find((p) => p.use === 'dropin') ?? null : null;
  const bought: OwnedPass[] = [];
  let pass: OwnedPass | null = null;
  let clock = plan.activeStart;
  let lastStart = plan.activeStart;
  let bookings = 0;
  let future = 0;

  while (bookings < plan.maxBookings) {
    const gap = (-Math.log(1 - random.float()) * 7 * DAY) / plan.perWeek;
    const target = lastStart + Math.max(2 * HOUR, gap);
    if (target >= horizon || (target > now && future >= maxFuture)) break;

    const alive = pass && pass.paymentStatus === 'paid' && pass.usableUntil > target &&
      (!pass.ledger || pass.ledger.balance > 0 || pass.product.kind === 'membership');
    const cls = findClass(schedule, random, target, horizon, plan, alive ? pass!.product : firstProduct);
    if (cls < 0) {
      lastStart = target;
      continue;
    }
    const start = schedule.start[cls];
    // The customer's clock only moves forward: every pass ledger they touched has been read up to it.
    let bookedAt = chooseBookedAt(random, clock, start, now, ctx.utcOffset);
    if (bookedAt === null) {
      lastStart = start;
      continue;
    }

    if (!pass || !canUse(pass, schedule, cls, bookedAt)) {
      // A membership short of credits waits for its next cycle rather than buying more.
      if (pass && pass.product.kind === 'membership' && pass.paymentStatus === 'paid' && pass.usableUntil > start) {
        [clock, lastStart] = [bookedAt, start];
        continue;
      }
      const paidBefore = bought.some((p) => p.paymentStatus === 'paid');
      if (paidBefore && (plan.persona === 'guest' || (plan.persona === 'trial' && !plan.staysAfterTrial))) break;
      const product = chooseProduct(story, plan, bought, schedule.type[cls], schedule.cost[cls]);
      if (!product) {
        [clock, lastStart] = [bookedAt, start];
        continue;
      }
      const purchaseAt = Math.round(Math.max(clock + MINUTE / 2, bookedAt - random.between(MINUTE, 20 * MINUTE)));
      if (purchaseAt >= bookedAt) bookedAt = purchaseAt + MINUTE / 4;
      const channel = plan.persona === 'guest' ? 'offline' : chooseChannel(random);
      if (channel === 'online' && random.chance(0.03)) {
        bought.push(buyPass(story, product, purchaseAt - random.int(2, 10) * MINUTE, { channel, leavesAt: plan.activeEnd, payment: 'failed' }));
      }
      pass = buyPass(story, product, purchaseAt, { channel, leavesAt: plan.activeEnd });
      bought.push(pass);
      if (!canUse(pass, schedule, cls, bookedAt)) {
        [clock, lastStart] = [bookedAt, start];
        continue;
      }
    }

    book(story, pass, cls, bookedAt);
    clock = bookedAt;
    lastStart = start;
    bookings++;
    if (start > now) future++;
  }

  buyExtras(story, plan, bought);
  // "I paid but my credits are missing": a recent purchase whose payment has not cleared.
  if (plan.activeEnd === Infinity && plan.persona !== 'guest' && random.chance(0.02)) {
    const packs = ctx.catalogue.products.filter((p) => p.use === 'pack' && p.active);
    if (packs.length) {
      bought.push(buyPass(story, random.pick(packs), Math.round(now - random.between(HOUR, 3 * DAY)), {
        channel: random.chance(0.5) ? 'online' : 'offline', leavesAt: plan.activeEnd, payment: 'pending',
      }));
    }
  }
  for (const p of bought) finishPass(story, p);
}

/** Socks, bottles, gift cards and videos, bought now and then while the customer comes. */
function buyExtras(story: Story, plan: HistoryPlan, bought: OwnedPass[]) {
  const { random, ctx } = story;
  const extras = ctx.catalogue.products.filter((p) => p.use === 'extra' && p.active);
  if (!extras.length || plan.persona === 'guest') return;
  const count = random.weighted([[0, 55], [1, 30], [2, 10], [3, 5]]) + (plan.persona === 'regular' ? 1 : 0);
  const from = plan.activeStart;
  const until = Math.min(plan.activeEnd, ctx.now);
  for (let i = 0; i < count && until > from; i++) {
    const product = random.weighted(extras.map((p) => [p, p.weight] as const));
    const at = Math.round(random.between(from, until));
    bought.push(buyPass(story, product, at, { channel: random.chance(0.6) ? 'offline' : 'online', leavesAt: plan.activeEnd }));
  }
}
