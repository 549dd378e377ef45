import { creditKinds } from './data/passes.ts';
import type { Db } from './db/connect.ts';

/**
 * Checks every invariant of the credits ledger over the whole database, each as one set-based query
 * (fast on a hundred thousand customers):
 *
 * - a pass's `credits_left` equals the sum of its ledger deltas; a pass with no entries holds 0 (a
 *   credit product whose payment has not cleared) or null (no credits: unlimited, retail, gift card,
 *   video); a pass with entries is never null;
 * - `credits_left` is null exactly when the product carries no credits;
 * - `entry_no` runs 1, 2, 3 … per pass, each `balance_after` is the previous entry's plus its delta
 *   (the first entry's is its delta), and `occurred_at` never goes back along the chain;
 * - each entry's sign fits its type (grants, free cancellations, rollovers add; bookings, expiries,
 *   voids take away; manual goes either way);
 * - a booking uses a pass of its own customer;
 * - an entry that names a booking belongs to the pass that booking used; a booking has at most one
 *   debit and one refund, the debit is its `credits_used`, and the refund gives back no more than
 *   that, only for a booking cancelled in time or whose late cancellation was waived;
 * - the running totals (`credit_totals`) hold what the ledger adds up to, per pass, cycle and type.
 *
 * Returns at most `limit` problems (each naming the rows, expected and actual) and, past that, a last
 * line counting the rest.
 */
export async function verify(sql: Db, { limit = 100 } = {}): Promise<{ ok: boolean; problems: string[] }> {
  const checks = [
    balances(sql, limit), nullCredits(sql, limit), chain(sql, limit), numbering(sql, limit), signs(sql, limit),
    bookingPass(sql, limit), bookingOwner(sql, limit), bookingEntries(sql, limit), runningTotals(sql, limit),
  ];
  const results = await Promise.all(checks);
  const total = results.reduce((sum, rows) => sum + (rows[0]?.total ?? 0), 0);
  const problems = results.flatMap((rows) => rows.map((r) => r.problem)).slice(0, limit);
  if (total > problems.length) problems.push(`… and ${total - problems.length} more (${total} problems in all)`);
  return { ok: total === 0, problems };
}

type Found = { problem: string; total: number }[];

function balances(sql: Db, limit: number) {
  return sql<Found>`
    select 'pass ' || p.id || ' (' || p.tenant_id || '): credits_left is ' || coalesce(p.credits_left::text, 'null')
        || ', expected ' || coalesce(l.total, 0) || ' (the sum of its ' || coalesce(l.entries, 0) || ' ledger entries)' as problem,
      count(*) over ()::int as total
    from passes p
    left join (
      select tenant_id, pass_id, sum(delta) as total, count(*) as entries from credit_ledger group by tenant_id, pass_id
    ) l on l.tenant_id = p.tenant_id and l.pass_id = p.id
    where case when l.pass_id is null then coalesce(p.credits_left, 0) <> 0
               else p.credits_left is null or p.credits_left <> l.total end
    order by p.tenant_id, p.id
    limit ${limit}`;
}

function runningTotals(sql: Db, limit: number) {
  return sql<Found>`
    select 'pass ' || pass_id || ' (' || tenant_id || '), cycle ' || cycle || ', ' || type || ': credit_totals hold +'
        || coalesce(t.credit, 0) || ' ' || coalesce(t.debit, 0) || ', the ledger adds up to +' || coalesce(l.credit, 0)
        || ' ' || coalesce(l.debit, 0) as problem,
      count(*) over ()::int as total
    from credit_totals t
    full join (
      select tenant_id, pass_id, coalesce(cycle, 0) as cycle, type,
        coalesce(sum(delta) filter (where delta > 0), 0)::int as credit, coalesce(sum(delta) filter (where delta < 0), 0)::int as debit
      from credit_ledger group by tenant_id, pass_id, coalesce(cycle, 0), type
    ) l using (tenant_id, pass_id, cycle, type)
    where t.credit is distinct from l.credit or t.debit is distinct from l.debit
    order by tenant_id, pass_id, cycle, type
    limit ${limit}`;
}

function nullCredits(sql: Db, limit: number) {
  return sql<Found>`
    select 'pass ' || p.id || ' (' || p.tenant_id || '): credits_left is ' || coalesce(p.credits_left::text, 'null')
        || ' but product ' || pr.id || ' (' || pr.kind || ') carries '
        || coalesce(pr.credits::text || ' credits', 'no credits') as problem,
      count(*) over ()::int as total
    from passes p join products pr on pr.tenant_id = p.tenant_id and pr.id = p.product_id
    where (p.credits_left is null) <> (pr.credits is null or pr.kind not in ${sql(creditKinds)})
    order by p.tenant_id, p.id
    limit ${limit}`;
}

function chain(sql: Db, limit: number) {
  return sql<Found>`
    select 'ledger ' || id || ' (pass ' || pass_id || ', entry ' || entry_no || '): ' || concat_ws('; ',
        case when balance_after <> before + delta then 'balance_after is ' || balance_after || ', expected '
          || (before + delta) || ' (' || before || ' before, delta ' || delta || ')' end,
        case when occurred_at < previous_at then 'occurred_at ' || occurred_at || ' is before the previous entry''s '
          || previous_at end) as problem,
      count(*) over ()::int as total
    from (
      select tenant_id, id, pass_id, entry_no, delta, balance_after, occurred_at,
        lag(balance_after, 1, 0) over w as before, lag(occurred_at) over w as previous_at
      from credit_ledger
      window w as (partition by tenant_id, pass_id order by entry_no)
    ) l
    where balance_after <> before + delta or occurred_at < previous_at
    order by tenant_id, pass_id, entry_no
    limit ${limit}`;
}

// entry_no is unique per pass (a constraint), so "1 … n without gaps" is "starts at 1 and ends at the count".
function numbering(sql: Db, limit: number) {
  return sql<Found>`
    select 'pass ' || pass_id || ' (' || tenant_id || '): entry_no runs ' || min(entry_no) || '…' || max(entry_no)
        || ' over ' || count(*) || ' entries, expected 1…' || count(*) as problem,
      count(*) over ()::int as total
    from credit_ledger
    group by tenant_id, pass_id
    having min(entry_no) <> 1 or max(entry_no) <> count(*)
    order by tenant_id, pass_id
    limit ${limit}`;
}

function signs(sql: Db, limit: number) {
  return sql<Found>`
    select 'ledger ' || id || ' (pass ' || pass_id || ', entry ' || entry_no || '): a ' || type || ' entry with delta '
        || delta || ', expected ' || case when type in ('grant', 'free_cancellation', 'rollover') then 'a positive' else 'a negative' end
        || ' one' as problem,
      count(*) over ()::int as total
    from credit_ledger
    where (type in ('grant', 'free_cancellation', 'rollover') and delta < 0)
       or (type in ('booking', 'expiry', 'void') and delta > 0)
    order by tenant_id, pass_id, entry_no
    limit ${limit}`;
}

function bookingPass(sql: Db, limit: number) {
  return sql<Found>`
    select 'ledger ' || l.id || ' (pass ' || l.pass_id || ', ' || l.type || '): booking ' || b.id || ' used pass '
        || coalesce(b.pass_id, 'none') || ', expected ' || l.pass_id as problem,
      count(*) over ()::int as total
    from credit_ledger l join bookings b on b.tenant_id = l.tenant_id and b.id = l.booking_id
    where b.pass_id is distinct from l.pass_id
    order by l.tenant_id, l.pass_id, l.entry_no
    limit ${limit}`;
}

function bookingOwner(sql: Db, limit: number) {
  return sql<Found>`
    select 'booking ' || b.id || ' (customer ' || b.customer_id || '): used pass ' || p.id || ' of customer '
        || p.customer_id as problem,
      count(*) over ()::int as total
    from bookings b join passes p on p.tenant_id = b.tenant_id and p.id = b.pass_id
    where p.customer_id <> b.customer_id
    order by b.tenant_id, b.id
    limit ${limit}`;
}

function bookingEntries(sql: Db, limit: number) {
  // Every booking, with or without entries: one that spent credits has one debit, and one cancelled free
  // (or late with the fee waived) has its credits given back, unless a refund of its pass voided them.
  return sql<Found>`
    with per_booking as (
      select l.tenant_id, l.booking_id,
        count(*) filter (where l.type = 'booking') as debits,
        count(*) filter (where l.type = 'free_cancellation') as refunds,
        coalesce(-sum(l.delta) filter (where l.type = 'booking'), 0) as debited,
        coalesce(sum(l.delta) filter (where l.type = 'free_cancellation'), 0) as returned
      from credit_ledger l
      where l.booking_id is not null
      group by l.tenant_id, l.booking_id
    ), checked as (
      select b.tenant_id, b.id, b.status, b.late_fee_waived, b.credits_used,
        coalesce(e.debits, 0) as debits, coalesce(e.refunds, 0) as refunds, coalesce(e.debited, 0) as debited,
        coalesce(e.returned, 0) as returned,
        (b.status = 'cancelled_free' or (b.status = 'cancelled_late' and b.late_fee_waived)) as gives_back,
        coalesce(p.status = 'refunded', false) as refunded
      from bookings b
      left join per_booking e on e.tenant_id = b.tenant_id and e.booking_id = b.id
      left join passes p on p.tenant_id = b.tenant_id and p.id = b.pass_id
    )
    select 'booking ' || id || ' (' || status || case when late_fee_waived then ', late fee waived' else '' end
        || ', credits_used ' || credits_used || '): ' || concat_ws('; ',
          case when debits > 1 then debits || ' booking entries, expected at most 1' end,
          case when refunds > 1 then refunds || ' free_cancellation entries, expected at most 1' end,
          case when debits = 0 and credits_used > 0 then 'no booking entry for the credits it used' end,
          case when debits = 1 and debited <> credits_used then 'debited ' || debited || ', expected ' || credits_used end,
          case when returned > debited then 'gave back ' || returned || ', more than the ' || debited || ' debited' end,
          case when refunds > 0 and not gives_back then 'credits given back, expected none for this status' end,
          case when refunds = 0 and gives_back and debited > 0 and not refunded then 'credits not given back, expected ' || debited end
        ) as problem,
      count(*) over ()::int as total
    from checked
    where debits > 1 or refunds > 1 or (debits = 0 and credits_used > 0) or (debits = 1 and debited <> credits_used)
       or returned > debited or (refunds > 0 and not gives_back) or (refunds = 0 and gives_back and debited > 0 and not refunded)
    order by tenant_id, id
    limit ${limit}`;
}
