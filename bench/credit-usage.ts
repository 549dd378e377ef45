/**
 * Benchmark (issue 3): a pass with 10,000 ledger entries — the first credit-usage page with its
 * summary (target ≤ 10 ms server time) and the full CSV export (target ≤ 300 ms).
 *
 * "Server time" is measured in-process around the app's fetch handler, body read to the end — the
 * whole request path (authentication, customer guard, validation, SQL, JSON/CSV) without a network.
 * Runs on the embedded database and, when one listens, the PostgreSQL server (a fresh database each).
 */
import { createApp } from '../server/app.ts';
import type { Database } from '../server/db/connect.ts';
import { purchasePass } from '../server/domain/purchases.ts';
import { verify } from '../server/verify.ts';
import { createStudio } from '../test/support/credit-fixtures.ts';
import { databaseTargets } from '../test/support/databases.ts';

const ENTRIES = 10_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 50);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const ms = (n: number) => `${n.toFixed(1)} ms`;

/** Builds the 10,000-entry pass in a few set-based statements: a grant, then bookings, manual changes, cancellations. */
export async function buildLongPass(db: Database) {
  const studio = await createStudio(db.sql, { name: 'Bench Studio' });
  const t = studio.tenantId;
  const customer = await studio.customer();
  const product = await studio.product({ name: 'Bench 10k Pack', credits: ENTRIES, validity_days: 3650 });
  const started = new Date(Date.now() - 400 * 86_400_000);
  const { pass } = await db.sql.begin((sql) => purchasePass(sql, {
    tenantId: t, customerId: customer, productId: product, channel: 'admin', paymentStatus: 'paid', at: started, actor: studio.staffId,
  }));
  // One booking per debit: entries 2, 5, 8 … up to ENTRIES.
  const bookings = Math.floor((ENTRIES - 2) / 3) + 1;
  await db.sql`
    insert into classes (tenant_id, id, name, class_type, starts_at, duration_minutes, capacity, credit_cost)
    select ${t}, 'cls_bench' || g, (array['Vinyasa Flow', 'Mat Pilates', 'Barre Burn', 'HIIT Circuit'])[1 + g % 4], 'yoga',
      ${started}::timestamptz + g * interval '2 hours', 60, 20, 1
    from generate_series(1, ${bookings}) g`;
  await db.sql`
    insert into bookings (tenant_id, id, customer_id, class_id, pass_id, status, credits_used, booked_at, cancelled_at)
    select ${t}, 'bk_bench' || g, ${customer}, 'cls_bench' || g, ${pass.id},
      case when g % 7 = 0 then 'cancelled_free' else 'attended' end, 1,
      ${started}::timestamptz + g * interval '2 hours' - interval '1 day',
      case when g % 7 = 0 then ${started}::timestamptz + g * interval '2 hours' - interval '20 hours' end
    from generate_series(1, ${bookings}) g`;
  // Entries 2 … 10,000 after the grant: booking (−1), then a free cancellation (+1) for every 7th booking or a
  // manual change (±1) otherwise; balances chain by a running sum.
  await db.sql`
    insert into credit_ledger (tenant_id, id, pass_id, entry_no, type, delta, balance_after, booking_id, reason, actor, occurred_at)
    select ${t}, 'led_bench' || n, ${pass.id}, n, type, delta, ${ENTRIES} + sum(delta) over (order by n), booking_id, reason, actor,
      ${started}::timestamptz + n * interval '40 minutes'
    from (
      select n,
        case when n % 3 = 2 then 'booking' when n % 3 = 0 and ((n / 3) % 7) = 0 then 'free_cancellation' else 'manual' end as type,
        case when n % 3 = 2 then -1 when n % 3 = 0 and ((n / 3) % 7) = 0 then 1 when n % 2 = 0 then -1 else 1 end as delta,
        case when n % 3 = 2 then 'bk_bench' || (n / 3 + 1) when n % 3 = 0 and ((n / 3) % 7) = 0 then 'bk_bench' || (n / 3) end
          as booking_id,
        case when n % 3 <> 2 and not (n % 3 = 0 and ((n / 3) % 7) = 0) then 'Bench correction ' || n end as reason,
        case when n % 3 <> 2 then ${studio.staffId} end as actor
      from generate_series(2, ${ENTRIES}) n
    ) s`;
  await db.sql`
    update passes set credits_left = (
      select balance_after from credit_ledger where tenant_id = ${t} and pass_id = ${pass.id} order by entry_no desc limit 1)
    where tenant_id = ${t} and id = ${pass.id}`;
  // A steady-state table: statistics and the visibility map are set, as autovacuum leaves them.
  await db.sql`vacuum analyze credit_ledger`;
  await db.sql`analyze bookings`;
  await db.sql`analyze classes`;
  return { studio, customer, passId: pass.id, key: await studio.key(['passes:read']) };
}

async function time(app: ReturnType<typeof createApp>, path: string, token: string) {
  const started = performance.now();
  const response = await app.fetch(new Request(`http://bench.test${path}`, { headers: { authorization: `Bearer ${token}` } }));
  const text = await response.text();
  const elapsed = performance.now() - started;
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return { elapsed, text };
}

export async function benchCreditUsage() {
  const results: string[] = [];
  for (const target of await databaseTargets()) {
    const db = await target.open();
    try {
      const setup = performance.now();
      const { customer, passId, key } = await buildLongPass(db);
      const problems = (await verify(db.sql)).problems;
      if (problems.length) throw new Error(`verify: ${problems.join('; ')}`);
      const app = createApp({ sql: db.sql, log: console.error });
      const base = `/api/customer/${customer}/passes/${passId}`;
      const pageTimes: number[] = [];
      const csvTimes: number[] = [];
      let csvLines = 0;
      for (let i = 0; i < 5; i++) await time(app, `${base}/credit-usage`, key); // warm-up
      for (let i = 0; i < RUNS; i++) pageTimes.push((await time(app, `${base}/credit-usage`, key)).elapsed);
      const first = JSON.parse((await time(app, `${base}/credit-usage`, key)).text);
      for (let i = 0; i < 2; i++) await time(app, `${base}/credit-usage.csv`, key);
      for (let i = 0; i < Math.max(5, Math.round(RUNS / 5)); i++) {
        const { elapsed, text } = await time(app, `${base}/credit-usage.csv`, key);
        csvTimes.push(elapsed);
        csvLines = text.trimEnd().split('\r\n').length;
      }
      const lines = [
        `${target.label} (pass with ${ENTRIES} entries, set up in ${ms(performance.now() - setup)}; credits_left ${first.data.summary.credits_left})`,
        `  first credit-usage page (25 entries) + summary: median ${ms(percentile(pageTimes, 50))}, p95 ${ms(percentile(pageTimes, 95))} ` +
          `over ${pageTimes.length} runs (target ≤ 10 ms)`,
        `  full CSV export (${csvLines - 2} rows): median ${ms(percentile(csvTimes, 50))}, p95 ${ms(percentile(csvTimes, 95))} ` +
          `over ${csvTimes.length} runs (target ≤ 300 ms)`,
      ];
      console.log(lines.join('\n'));
      results.push(...lines);
    } finally {
      await db.close();
    }
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchCreditUsage();
