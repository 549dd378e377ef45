/**
 * Benchmark: `GET /api/customer/{id}/bookings` (the customer page's bookings tab), a page of 20 newest
 * first and soonest first, on the large studio the customer-detail benchmark seeds — for a customer with
 * 2 bookings, one with the median count and the one with the most, one request at a time. No issue
 * names a target; it shows whether any customer's page depends on the planner's estimate. The three are
 * asked in turn on the app's pool, so they share its prepared statements and PostgreSQL's cached plans
 * as real traffic would: a plan that suits only some of them (before migration 00010, a hash of the
 * whole `classes` table once the estimate of a customer's bookings passed ~200) shows up here in the
 * others' times.
 */
import type { Sql } from 'postgres';
import type { createApp } from '../server/app.ts';
import { DEMO_TENANT } from '../server/seed/index.ts';

const ROUNDS = Number(process.env.BENCH_BOOKINGS_ROUNDS ?? 300);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;

export async function benchBookingsList(sql: Sql, app: ReturnType<typeof createApp>, mintKey: () => Promise<string>) {
  // A customer with 2 bookings (or as near as the studio has), the median count and the most.
  const customers = await sql<{ label: string; id: string }[]>`
    with counts as (
      select customer_id as id, count(*)::int as n from bookings where tenant_id = ${DEMO_TENANT} group by customer_id),
    median as (select percentile_disc(0.5) within group (order by n) as n from counts)
    (select n || ' bookings' as label, id from counts order by abs(n - 2), id limit 1)
    union all (select n || ' (median)', id from counts where n = (select n from median) order by id limit 1)
    union all (select n || ' (most)', id from counts order by n desc, id limit 1)`;

  let secret = await mintKey();
  let sent = 0;
  const get = async (path: string) => {
    // A fresh credential every 500 requests keeps each under the per-minute rate limit.
    if (++sent % 500 === 0) secret = await mintKey();
    const started = performance.now();
    const response = await app.fetch(new Request(`http://bench.test${path}`, { headers: { authorization: `Bearer ${secret}` } }));
    const text = await response.text();
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${text.slice(0, 300)}`);
    return performance.now() - started;
  };

  const lines: string[] = [];
  for (const order of ['desc', 'asc'] as const) {
    const times = customers.map((): number[] => []);
    for (let round = 0; round < ROUNDS + 10; round++) {
      for (const [i, { id }] of customers.entries()) {
        const took = await get(`/api/customer/${id}/bookings?limit=20&order=${order}`);
        if (round >= 10) times[i]!.push(took); // the first rounds warm the pool's statements and plans
      }
    }
    lines.push(`  GET /api/customer/{id}/bookings?order=${order}, one at a time: ` + customers.map(({ label }, i) => {
      const sorted = times[i]!.sort((a, b) => a - b);
      return `${label} p50 ${ms(percentile(sorted, 50))} p99 ${ms(percentile(sorted, 99))}`;
    }).join('; '));
  }
  return lines;
}
