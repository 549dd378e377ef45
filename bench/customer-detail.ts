/**
 * Benchmark (issue 5): `GET /api/customer/{id}/detail` — the whole customer page in one request — at 16
 * concurrent requests on the real PostgreSQL server, over a large seeded studio (target p99 ≤ 20 ms).
 *
 * A fresh database on the server (created and dropped here) is seeded with `BENCH_CUSTOMERS` customers
 * (default 20,000; the seed is timed), analysed as autovacuum would leave it, then 16 workers request the
 * aggregate of customers drawn at random, with an API key holding every scope (every section present —
 * the heaviest form). Latency is "server time" measured in-process around the app's fetch handler, body
 * read to the end: authentication, validation, the SQL and the JSON, through the app's own connection pool
 * (the default 10 connections), no network. Two runs beside it split that time: the API's middleware
 * alone (`GET /api/session`: authentication, rate limit, the studio's transaction — no SQL of its own) and
 * the aggregate statement alone (data/customer-detail.ts on the pool, as the table owner, so without the
 * row-level-security transaction). The round trips per request are counted on the wire by
 * test/support/round-trips.ts, for a typical customer and for the studio's longest history, through a
 * client of one connection: there the rate limit's upsert and the transaction's BEGIN share a trip,
 * where on the app's pool they run side by side on two connections — either way one wait, not two.
 * The same studio then serves the bookings-tab benchmark (bench/bookings-list.ts).
 *
 *   node --import tsx bench/customer-detail.ts            (BENCH_CUSTOMERS=… BENCH_REQUESTS=… to change)
 */
import { loadavg } from 'node:os';
import { createApp } from '../server/app.ts';
import { createApiKey } from '../server/auth/api-keys.ts';
import { scopes } from '../server/auth/scopes.ts';
import { customerDetail } from '../server/data/customer-detail.ts';
import { benchBookingsList } from './bookings-list.ts';
import { DEMO_TENANT, seed } from '../server/seed/index.ts';
import { databaseTargets } from '../test/support/databases.ts';
import { countingClient } from '../test/support/round-trips.ts';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 20_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 4_000);
const CONCURRENCY = 16;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;
const load = () => loadavg().map((n) => n.toFixed(1)).join(' ');

export async function benchCustomerDetail() {
  const target = (await databaseTargets()).find((t) => t.label === 'PostgreSQL server');
  if (!target) {
    console.log('no PostgreSQL server on 127.0.0.1:5432: the customer-detail benchmark needs one; skipped');
    return [];
  }
  const db = await target.open();
  try {
    const seeding = performance.now();
    const counts = await seed(db.sql, { customers: CUSTOMERS, seed: 42 });
    const seedSeconds = (performance.now() - seeding) / 1000;
    await db.sql`analyze`;
    const [sizes] = await db.sql`
      select (select count(*) from activity)::int as activity, (select count(*) from emails)::int as emails,
        (select count(*) from customer_coupons)::int as coupons, (select count(*) from policy_acceptances)::int as acceptances`;
    const ids = (await db.sql<{ id: string }[]>`
      select id from customers where tenant_id = ${DEMO_TENANT} and deleted_at is null order by id`).map((r) => r.id);
    const [{ id: longest, bookings: longestBookings }] = await db.sql`
      select customer_id as id, count(*)::int as bookings from bookings where tenant_id = ${DEMO_TENANT}
      group by customer_id order by count(*) desc limit 1`;
    // One credential per worker, as 16 staff at 16 desks would be (a rate limit counts per credential);
    // a fresh one every 500 requests keeps each under a per-minute limit of 600.
    const mintKey = async () => (await createApiKey(db.sql, { tenantId: DEMO_TENANT, name: 'bench', scopes })).secret;
    const app = createApp({ sql: db.sql, log: console.error });

    const get = async (path: string, secret: string) => {
      const response = await app.fetch(new Request(`http://bench.test${path}`, { headers: { authorization: `Bearer ${secret}` } }));
      const text = await response.text();
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${text.slice(0, 300)}`);
    };
    const sections = {
      products: true, bookingStats: true, coupons: true, waivers: true, activity: true, emails: true, notes: true,
      roles: true, attribution: true,
    };
    /** What is timed: the whole request, the API's middleware alone, or the aggregate statement alone. */
    const kinds = {
      detail: (id: string, secret: string) => get(`/api/customer/${id}/detail`, secret),
      middleware: (_id: string, secret: string) => get('/api/session', secret),
      // As a request runs it: in a transaction set to the studio (the same-email lookup answers only then).
      statement: (id: string) => db.sql.begin(async (tx) => {
        await tx`select set_config('app.tenant', ${DEMO_TENANT}, true)`;
        await customerDetail(tx, { tenantId: DEMO_TENANT, customerId: id, sections });
      }).then(() => undefined),
    };

    // A deterministic walk over the studio's customers (an LCG); every hundredth request is the longest history.
    let state = 7;
    const next = () => ids[(state = (state * 1_103_515_245 + 12_345) % 2 ** 31) % ids.length]!;
    const run = async (kind: keyof typeof kinds, total: number, concurrency = CONCURRENCY) => {
      const times: number[] = [];
      let issued = 0;
      const worker = async () => {
        let secret = await mintKey();
        for (let mine = 1; issued < total; mine++) {
          issued++;
          const started = performance.now();
          await kinds[kind](issued % 100 === 0 ? longest : next(), secret);
          times.push(performance.now() - started);
          if (mine % 500 === 0) secret = await mintKey();
        }
      };
      const started = performance.now();
      await Promise.all(Array.from({ length: concurrency }, worker));
      const seconds = (performance.now() - started) / 1000;
      times.sort((a, b) => a - b);
      return `${times.length} in ${seconds.toFixed(1)} s (${Math.round(times.length / seconds)}/s): p50 ${ms(percentile(times, 50))}, ` +
        `p95 ${ms(percentile(times, 95))}, p99 ${ms(percentile(times, 99))}, max ${ms(times.at(-1)!)}`;
    };

    await run('detail', Math.max(200, REQUESTS / 10)); // warm-up: connections open, statements prepared, plans cached
    const loadBefore = load();
    const detail = await run('detail', REQUESTS);
    const loadAfter = load();
    const middleware = await run('middleware', REQUESTS);
    const statement = await run('statement', REQUESTS);
    const single = await run('detail', 500, 1);
    const alone = await mintKey();
    const longestTimes: number[] = [];
    for (let i = 0; i < 50; i++) {
      const started = performance.now();
      await kinds.detail(longest, alone);
      longestTimes.push(performance.now() - started);
    }
    longestTimes.sort((a, b) => a - b);

    // Round trips on the wire, through a counting client of its own (warm: second request of each).
    const wire = await countingClient(db.sql);
    const counted = createApp({ sql: wire.sql, log: console.error });
    const tripsOf = async (path: string) => {
      const ask = async () => (await counted.fetch(new Request(`http://bench.test${path}`, { headers: { authorization: `Bearer ${alone}` } }))).text();
      await ask(); // warm: the statements are prepared on this connection
      wire.reset();
      await ask();
      return wire.trips.length;
    };
    // The middleware's share (authentication, rate limit …) is what GET /api/session costs; the rest is the route's.
    const trips = async (id: string) => {
      const middleware = await tripsOf('/api/session');
      const total = await tripsOf(`/api/customer/${id}/detail`);
      return `${total - middleware} of the route (${total} in all, ${middleware} of them the API's middleware)`;
    };
    const typical = await trips(ids[Math.floor(ids.length / 2)]!);
    const heavy = await trips(longest);
    await wire.close();
    // The customer page's bookings tab, on the same studio.
    const bookingsList = await benchBookingsList(db.sql, app, mintKey);

    const lines = [
      `PostgreSQL server, studio of ${counts.customers} customers (${CUSTOMERS} in biz_demo): ${counts.passes} passes, ` +
        `${counts.bookings} bookings, ${counts.ledgerEntries} ledger entries, ${sizes!.activity} activity rows, ` +
        `${sizes!.emails} emails — seeded in ${seedSeconds.toFixed(1)} s`,
      `  GET /api/customer/{id}/detail, every section, ${CONCURRENCY} concurrent: ${detail} (target p99 ≤ 20 ms)`,
      `    of which the API's middleware alone (GET /api/session, ${CONCURRENCY} concurrent): ${middleware}`,
      `    of which the aggregate statement alone (data/customer-detail.ts on the pool, ${CONCURRENCY} concurrent): ${statement}`,
      `  GET …/detail one at a time: ${single}`,
      `  longest history (${longestBookings} bookings), one at a time: p50 ${ms(percentile(longestTimes, 50))}, ` +
        `p99 ${ms(percentile(longestTimes, 99))}`,
      `  round trips per request: typical customer ${typical}; longest history ${heavy}`,
      ...bookingsList,
      `  machine load average (1/5/15 min) before ${loadBefore}, after ${loadAfter}`,
    ];
    console.log(lines.join('\n'));
    return lines;
  } finally {
    await db.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchCustomerDetail();
