import type { Sql } from 'postgres';
import { newId } from '../../server/ids.ts';

/**
 * A customer with a long history, written set-based in a few statements: `bookings` classes booked
 * (every tenth an appointment, the last five still to come), as many activity rows, a quarter as many
 * emails, a twentieth as many notes, and 124 purchases (12 memberships, 12 videos, 100 retail items) in
 * every payment status (the newest membership
 * paid and renewing). Times tie in threes on purpose, so that pages must break ties by id. No purchase
 * carries credits, so the ledger invariants (`verify`) hold untouched.
 */
export async function addLongHistory(sql: Sql, args: { tenantId: string; bookings: number; firstname?: string }) {
  const t = args.tenantId;
  const n = args.bookings;
  const customerId = newId('cust');
  const tag = customerId.slice(5, 15);
  const base = new Date(Date.now() - (n + 48) * 3_600_000);
  await sql`
    insert into customers (tenant_id, id, firstname, lastname, email, created_at)
    values (${t}, ${customerId}, ${args.firstname ?? 'Hana'}, 'Longhistory', ${`hana.${tag}@history.test`}, ${base})`;
  const product = { membership: `prod_lhm${tag}`, video: `prod_lhv${tag}`, retail: `prod_lhr${tag}` };
  await sql`
    insert into products (tenant_id, id, name, kind, credits, validity_days, price, billing_cycle_days) values
      (${t}, ${product.membership}, 'History Unlimited', 'membership', null, null, 9900, 30),
      (${t}, ${product.video}, 'History Video Course', 'video', null, 30, 1500, null),
      (${t}, ${product.retail}, 'History Grip Socks', 'retail', null, null, 1200, null)`;
  // 124 purchases, two at each moment; payment statuses cycle paid, paid, refunded, pending, failed.
  await sql`
    insert into passes (tenant_id, id, customer_id, product_id, purchased_at, channel, payment_status, amount, starts_at,
      expires_at, status, current_cycle, cycle_started_at, next_billing_at, credits_left)
    select ${t}, 'pass_lh' || ${tag} || lpad(g::text, 4, '0'), ${customerId},
      case when g <= 12 then ${product.membership} when g <= 24 then ${product.video} else ${product.retail} end,
      ${base}::timestamptz + (g / 2) * interval '1 day',
      (array['online', 'offline', 'admin'])[1 + g % 3],
      case when g = 12 then 'paid' else (array['paid', 'paid', 'refunded', 'pending', 'failed'])[1 + g % 5] end,
      case when g <= 12 then 9900 when g <= 24 then 1500 else 1200 end,
      ${base}::timestamptz + (g / 2) * interval '1 day',
      case when g <= 24 and g <> 12 then ${base}::timestamptz + (g / 2) * interval '1 day' + interval '30 days' end,
      case when g = 12 then 'active' when g % 5 = 2 then 'refunded' when g % 5 = 4 then 'cancelled'
        when g > 24 then 'active' else 'expired' end,
      case when g <= 12 then 1 end,
      case when g <= 12 then ${base}::timestamptz + (g / 2) * interval '1 day' end,
      case when g = 12 then now() + interval '10 days' end,
      null
    from generate_series(1, 124) g`;
  await sql`
    insert into classes (tenant_id, id, name, class_type, kind, starts_at, duration_minutes, capacity, facilitator, location)
    select ${t}, 'cls_lh' || ${tag} || g, case when g % 10 = 0 then 'Private Pilates (1:1)' else 'Vinyasa Flow' end,
      case when g % 10 = 0 then 'pilates' else 'yoga' end, case when g % 10 = 0 then 'appointment' else 'class' end,
      now() - (${n} - 5 - g) * interval '1 hour' - interval '30 minutes',
      55, case when g % 10 = 0 then 1 else 20 end, 'Ana Teacher', 'Studio 1'
    from generate_series(1, ${n}) g`;
  await sql`
    insert into bookings (tenant_id, id, customer_id, class_id, status, credits_used, booked_at, cancelled_at)
    select ${t}, 'bk_lh' || ${tag} || g, ${customerId}, 'cls_lh' || ${tag} || g, s.status, 0,
      now() - (${n} - 5 - g) * interval '1 hour' - interval '1 day',
      case when s.status like 'cancelled%' then now() - (${n} - 5 - g) * interval '1 hour' - interval '2 hours' end
    from generate_series(1, ${n}) g
    cross join lateral (select case
      when g > ${n} - 5 then 'booked'
      when g % 7 = 0 then 'no_show'
      when g % 11 = 0 then 'cancelled_late'
      when g % 13 = 0 then 'cancelled_free'
      else 'attended' end as status) s`;
  await sql`
    insert into activity (tenant_id, id, customer_id, type, summary, data, actor, occurred_at)
    select ${t}, 'act_lh' || ${tag} || g, ${customerId},
      (array['booked', 'attended', 'cancelled', 'email', 'purchased', 'credits_added', 'coupon_added', 'waiver_accepted'])[1 + g % 8],
      'History item ' || g, jsonb_build_object('n', g), null, ${base}::timestamptz + (g / 3) * interval '1 minute'
    from generate_series(1, ${n}) g`;
  await sql`
    insert into emails (tenant_id, id, customer_id, subject, template, status, sent_at)
    select ${t}, 'email_lh' || ${tag} || g, ${customerId}, 'History email ' || g, 'reminder', 'delivered',
      ${base}::timestamptz + (g / 3) * interval '1 hour'
    from generate_series(1, ${Math.ceil(n / 4)}) g`;
  await sql`
    insert into notes (tenant_id, id, customer_id, body, author_id, author_name, created_at)
    select ${t}, 'note_lh' || ${tag} || g, ${customerId}, 'History note ' || g, null, 'Maya Desk',
      ${base}::timestamptz + (g / 3) * interval '1 day'
    from generate_series(1, ${Math.ceil(n / 20)}) g`;
  return customerId;
}
