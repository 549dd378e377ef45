import type { Db } from '../db/connect.ts';
import { recordActivity } from '../data/records.ts';
import { newId } from '../ids.ts';
import { activityText } from './activity-text.ts';
import { checkEligibility, type Eligibility } from './eligibility.ts';
import { dateTime } from './format.ts';
import { appendEntry, lockPass, type LedgerEntry } from './ledger.ts';
import { ruleViolation } from './rules.ts';

/**
 * A booking, in one transaction: lock the class (capacity) and the customer's passes, check every
 * rule (`eligibility.ts`), insert the booking, debit the class's credit cost from the chosen pass
 * (nothing for an unlimited pass or a free class), write the activity. Any failed rule is a 422
 * naming the rules; nothing is written.
 */

export interface BookArgs {
  tenantId: string;
  customerId: string;
  classId: string;
  passId?: string | null;
  actor: string | null;
  idempotencyKey?: string | null;
  now?: Date;
}

export interface BookingResult {
  booking: { id: string; class_id: string; pass_id: string; status: 'booked'; credits_used: number; booked_at: Date };
  entry: LedgerEntry | null;
  credits_left: number | null;
  eligibility: Eligibility;
}

export async function bookClass(sql: Db, args: BookArgs): Promise<BookingResult> {
  const now = args.now ?? new Date();
  const eligibility = await checkEligibility(sql, { ...args, lock: true, now });
  const { chosen, cls, tenant } = eligibility;
  if (!chosen) throw ruleViolation(eligibility.checks, `Cannot book ${cls.name}: ` +
    eligibility.checks.filter((c) => !c.ok && !c.skipped).map((c) => c.message).join(' '));
  const pass = await lockPass(sql, args.tenantId, chosen.id, args.customerId);
  const cost = pass.credits_left === null ? 0 : cls.credit_cost;
  const id = newId('bk');
  const [booking]: [BookingResult['booking']] = await sql`
    insert into bookings (tenant_id, id, customer_id, class_id, pass_id, status, credits_used, booked_at)
    values (${args.tenantId}, ${id}, ${args.customerId}, ${cls.id}, ${pass.id}, 'booked', ${cost}, ${now})
    returning id, class_id, pass_id, status, credits_used, booked_at`;
  const entry = cost > 0
    ? await appendEntry(sql, pass, {
      type: 'booking', delta: -cost, bookingId: id, actor: args.actor, idempotencyKey: args.idempotencyKey, at: now,
    })
    : null;
  await recordActivity(sql, {
    tenantId: args.tenantId, customerId: args.customerId, type: 'booked', actor: args.actor,
    summary: activityText(tenant.locale).booked({
      className: cls.name, when: dateTime(cls.starts_at, tenant), passName: pass.product_name, credits: cost, left: pass.credits_left,
    }),
    data: { booking_id: id, class_id: cls.id, pass_id: pass.id, credits_used: cost, entry_id: entry?.id ?? null },
  });
  return { booking, entry, credits_left: pass.credits_left, eligibility };
}
