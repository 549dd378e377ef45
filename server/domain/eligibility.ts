import type { Db } from '../db/connect.ts';
import { creditKinds } from '../data/passes.ts';
import { listWaiverItems } from '../data/waivers.ts';
import { notFound } from '../http/errors.ts';
import { dateTime, tenantRules, type TenantRules } from './format.ts';
import { plural, type Check, type RuleName } from './rules.ts';
import { waiversCheck } from './waivers.ts';

/**
 * Can this customer book this class, and with which pass? Every rule is reported, in this order:
 *
 * class_open → product_covers_class → payment_ok → valid_at_class_time → credits_left →
 * customer_active (not archived) → guest_profile (linked to a profile that is not deleted, where the
 * studio asks for one) → waivers_accepted → class_not_full → not_already_booked
 *
 * The four pass rules form a funnel: each looks only at the passes that passed the one before, so
 * "no credits left" is never reported for a pass that does not even cover the class. A pass rule with
 * nothing left to examine is reported as failed and `skipped` (it is not listed among a 422's rules).
 *
 * **Which pass is used** when several are eligible (`PASS_ORDER`): the one that expires soonest
 * (never-expiring last); on the same expiry an unlimited pass before a credit pass (it costs nothing),
 * then the one with fewer credits left, then the older purchase, then the id — so the choice is
 * deterministic. A `pass_id` chosen by the caller is the only candidate.
 */
export const PASS_ORDER =
  'expires soonest first (never-expiring last); then unlimited before credit passes; then fewer credits left; then oldest purchase';

export interface ClassRow {
  id: string;
  name: string;
  class_type: string;
  kind: string;
  starts_at: Date;
  duration_minutes: number;
  capacity: number;
  credit_cost: number;
  cancelled: boolean;
  facilitator: string | null;
}

export interface Candidate {
  id: string;
  product_name: string;
  product_kind: string;
  class_types: string[];
  status: string;
  payment_status: string;
  purchased_at: Date;
  starts_at: Date;
  expires_at: Date | null;
  credits_left: number | null;
  current_cycle: number | null;
}

export interface Eligibility {
  tenant: TenantRules;
  cls: ClassRow;
  checks: Check[];
  /** The eligible passes, best first (PASS_ORDER). */
  eligible: Candidate[];
  /** The pass a booking would use, or null when the customer cannot book. */
  chosen: Candidate | null;
  canBook: boolean;
}

export interface EligibilityArgs {
  tenantId: string;
  customerId: string;
  classId: string;
  passId?: string | null;
  /** Lock the class and the customer's passes (`for update`) — what a booking does. */
  lock?: boolean;
  now?: Date;
}

export function byPassOrder(a: Candidate, b: Candidate): number {
  const ea = a.expires_at?.getTime() ?? Infinity;
  const eb = b.expires_at?.getTime() ?? Infinity;
  if (ea !== eb) return ea - eb;
  const ca = a.credits_left ?? -1;
  const cb = b.credits_left ?? -1;
  if (ca !== cb) return ca - cb;
  if (a.purchased_at.getTime() !== b.purchased_at.getTime()) return a.purchased_at.getTime() - b.purchased_at.getTime();
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export async function checkEligibility(sql: Db, args: EligibilityArgs): Promise<Eligibility> {
  const now = args.now ?? new Date();
  const tenant = await tenantRules(sql, args.tenantId);
  // Lock order everywhere: class, then the customer's passes in id order (cancellations lock the booking, then its pass).
  const [cls]: [ClassRow?] = await sql`
    select id, name, class_type, kind, starts_at, duration_minutes, capacity, credit_cost, cancelled, facilitator
    from classes where tenant_id = ${args.tenantId} and id = ${args.classId}
    ${args.lock ? sql`for update` : sql``}`;
  if (!cls) throw notFound('class');
  const passes = await sql<Candidate[]>`
    select p.id, pr.name as product_name, pr.kind as product_kind, pr.class_types, p.status, p.payment_status,
      p.purchased_at, p.starts_at, p.expires_at, p.credits_left, p.current_cycle
    from passes p join products pr on pr.tenant_id = p.tenant_id and pr.id = p.product_id
    where p.tenant_id = ${args.tenantId} and p.customer_id = ${args.customerId}
      and pr.kind in ${sql(creditKinds)}
      ${args.passId ? sql`and p.id = ${args.passId}` : sql``}
    order by p.id
    ${args.lock ? sql`for update of p` : sql``}`;
  if (args.passId && passes.length === 0) throw notFound('pass');
  // A booking holds the customer for share: a deletion (which locks the customer, then counts the
  // upcoming bookings) either waits for it and sees the booking, or goes first and this finds no customer.
  // A guest's link counts while the profile it names is not deleted.
  const [customer]: [{ is_guest: boolean; archived: boolean; linked: boolean }?] = await sql`
    select c.is_guest, c.archived, l.id is not null as linked
    from customers c
    left join customers l on l.tenant_id = c.tenant_id and l.id = c.linked_profile_id and l.deleted_at is null
    where c.tenant_id = ${args.tenantId} and c.id = ${args.customerId} and c.deleted_at is null
    ${args.lock ? sql`for share of c` : sql``}`;
  if (!customer) throw notFound('customer');
  // The customer's status per policy, as the waivers API reports it (one definition: data/waivers.ts).
  const waivers = await listWaiverItems(sql, args.tenantId, args.customerId);
  const [{ live, mine }] = await sql<{ live: number; mine: number }[]>`
    select count(*)::int as live, count(*) filter (where customer_id = ${args.customerId})::int as mine
    from bookings
    where tenant_id = ${args.tenantId} and class_id = ${args.classId} and status in ('booked', 'attended', 'no_show')`;

  const when = (d: Date) => dateTime(d, tenant);
  const checks: Check[] = [];
  const cost = cls.credit_cost;
  const open = !cls.cancelled && cls.starts_at.getTime() > now.getTime();
  checks.push({
    rule: 'class_open', ok: open,
    message: cls.cancelled ? `${cls.name} on ${when(cls.starts_at)} was cancelled by the studio.`
      : open ? `${cls.name} on ${when(cls.starts_at)} is open for booking.`
      : `${cls.name} on ${when(cls.starts_at)} has already started.`,
  });

  const funnel: { rule: RuleName; keep: (p: Candidate) => boolean; pass: (ps: Candidate[]) => string; fail: (ps: Candidate[]) => string }[] = [
    {
      rule: 'product_covers_class',
      keep: (p) => !['refunded', 'cancelled'].includes(p.status) && (p.class_types.length === 0 || p.class_types.includes(cls.class_type)),
      pass: (ps) => `${names(ps)} ${ps.length === 1 ? 'covers' : 'cover'} ${cls.class_type} classes.`,
      fail: () => args.passId ? `This pass does not cover ${cls.class_type} classes.`
        : `No active product of this customer covers ${cls.class_type} classes.`,
    },
    {
      rule: 'payment_ok',
      keep: (p) => p.payment_status === 'paid',
      pass: (ps) => `${names(ps)}: paid.`,
      fail: (ps) => ps.map((p) => `Payment for ${p.product_name} is ${p.payment_status}.`).join(' '),
    },
    {
      rule: 'valid_at_class_time',
      keep: (p) => p.status === 'active' && p.starts_at.getTime() <= cls.starts_at.getTime() &&
        (p.expires_at === null || p.expires_at.getTime() > cls.starts_at.getTime()),
      pass: (ps) => `${names(ps)} ${ps.length === 1 ? 'is' : 'are'} valid on ${when(cls.starts_at)}.`,
      fail: (ps) => ps.map((p) =>
        p.starts_at.getTime() > cls.starts_at.getTime() ? `${p.product_name} starts on ${when(p.starts_at)}, after the class.`
        : p.expires_at ? `${p.product_name} expires on ${when(p.expires_at)}, before the class on ${when(cls.starts_at)}.`
        : `${p.product_name} is ${p.status}.`).join(' '),
    },
    {
      rule: 'credits_left',
      keep: (p) => p.credits_left === null || p.credits_left >= cost,
      pass: (ps) => ps.map((p) => p.credits_left === null ? `${p.product_name}: unlimited.` : `${p.product_name}: ${plural(p.credits_left, 'credit')} left.`).join(' '),
      fail: (ps) => ps.map((p) => `${p.product_name} has ${plural(p.credits_left ?? 0, 'credit')} left; this class costs ${plural(cost, 'credit')}.`).join(' '),
    },
  ];
  let remaining = passes as Candidate[];
  for (const [i, step] of funnel.entries()) {
    if (i > 0 && remaining.length === 0) {
      checks.push({ rule: step.rule, ok: false, skipped: true, message: 'Not checked: no pass passed the check before.' });
      continue;
    }
    const kept = remaining.filter(step.keep);
    checks.push({ rule: step.rule, ok: kept.length > 0, message: kept.length > 0 ? step.pass(kept) : step.fail(remaining) });
    remaining = kept;
  }
  const eligible = [...remaining].sort(byPassOrder);

  checks.push({
    rule: 'customer_active', ok: !customer.archived,
    message: customer.archived ? 'This customer is archived: unarchive them to book.' : 'Active customer.',
  });
  const guestBlocked = customer.is_guest && tenant.guests_need_profile && !customer.linked;
  checks.push({
    rule: 'guest_profile', ok: !guestBlocked,
    message: guestBlocked ? 'This guest record must be linked to a full customer profile before booking.'
      : customer.is_guest ? 'Guest record linked to a profile (or allowed to book).' : 'Full customer profile.',
  });
  checks.push(waiversCheck(waivers));
  checks.push({
    rule: 'class_not_full', ok: live < cls.capacity,
    message: live < cls.capacity ? `${plural(cls.capacity - live, 'place')} left of ${cls.capacity}.` : `${cls.name} is full (${cls.capacity} booked).`,
  });
  checks.push({
    rule: 'not_already_booked', ok: mine === 0,
    message: mine === 0 ? 'Not booked on this class yet.' : `Already booked on ${cls.name} on ${when(cls.starts_at)}.`,
  });
  const canBook = checks.every((c) => c.ok);
  return { tenant, cls, checks, eligible, chosen: canBook ? eligible[0]! : null, canBook };
}

function names(passes: Candidate[]) {
  return passes.map((p) => p.product_name).join(', ');
}
