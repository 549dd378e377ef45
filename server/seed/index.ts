import type { Db, Sql } from '../db/connect.ts';
import { activityText } from '../domain/activity-text.ts';
import { buildCatalogue } from './catalogue.ts';
import { generateCustomer } from './customers.ts';
import { demoPlan, otherPlan, type TenantPlan } from './plans.ts';
import { emptyCustomerRows } from './rows.ts';
import { buildSchedule } from './schedule.ts';
import type { TenantContext } from './story.ts';
import { zoneOffset } from '../domain/calendar.ts';
import { createFormats } from './time.ts';
import { truncateAll, writeRows } from './writer.ts';

export const DEMO_TENANT = 'biz_demo';
export const OTHER_TENANT = 'biz_other';
/** The owner of biz_demo, with every capability: the staff member the demo acts as. */
export const DEMO_STAFF_ID = 'staff_demoowner0000001';
/** The owner of biz_other, for isolation tests. */
export const OTHER_STAFF_ID = 'staff_otherowner000001';
/** Customers of biz_other; `customers` in the options counts biz_demo's. */
export const OTHER_CUSTOMERS = 20;

export interface SeedOptions {
  /** Customers of biz_demo. */
  customers: number;
  seed: number;
  /** Empty every table first (all but schema_migrations). */
  reset?: boolean;
  /** Everything is generated relative to this instant; the same seed, count and `now` give the same data. */
  now?: Date;
  /** Called after each chunk of customers is written, with customers written so far and in all. */
  onProgress?: (done: number, total: number) => void;
}

export interface SeedResult {
  /** Rows written, over both tenants. */
  customers: number;
  passes: number;
  ledgerEntries: number;
  bookings: number;
}

// Customers are generated and written this many at a time, each chunk in its own transaction,
// so that memory stays flat however many customers there are.
const CHUNK = 500;

export async function isSeeded(sql: Db): Promise<boolean> {
  const [row] = await sql<{ seeded: boolean }[]>`select exists (select 1 from tenants where id = ${DEMO_TENANT}) as seeded`;
  return row.seeded;
}

/**
 * Writes a believable studio (biz_demo, `customers` customers) and a small second business
 * (biz_other), deterministically from `seed` and `now`. The catalogue and timetable go in one
 * transaction, then customers chunk by chunk; a failed run leaves what was written, so run it
 * again with `reset`.
 */
export async function seed(sql: Sql, options: SeedOptions): Promise<SeedResult> {
  const now = (options.now ?? new Date()).getTime();
  const tenants: [TenantPlan, number][] = [[demoPlan, options.customers], [otherPlan, OTHER_CUSTOMERS]];

  const contexts = await sql.begin(async (tx) => {
    // Two instances seeding an empty database at once: the second waits, then finds it seeded.
    await tx`select pg_advisory_xact_lock(hashtext('customer-kit:seed'))`;
    if (options.reset) await truncateAll(tx);
    if (await isSeeded(tx)) {
      throw new Error(`The database is already seeded (tenant ${DEMO_TENANT} exists): run seed --reset to start over.`);
    }
    const made: [TenantContext, number][] = [];
    for (const [plan, customers] of tenants) {
      const catalogue = buildCatalogue(plan, options.seed, now);
      const { schedule, rows: classes } = buildSchedule(plan, options.seed, now, customers);
      await writeRows(tx, catalogue.rows);
      await writeRows(tx, { classes });
      made.push([{
        seed: options.seed, now, catalogue, schedule, emails: new Set(), recentProfiles: [],
        formats: createFormats(plan.locale, plan.timezone, plan.currency), text: activityText(plan.locale),
        timezone: plan.timezone, utcOffset: zoneOffset(plan.timezone, now),
      }, customers]);
    }
    return made;
  });

  const result: SeedResult = { customers: 0, passes: 0, ledgerEntries: 0, bookings: 0 };
  const total = tenants.reduce((sum, [, n]) => sum + n, 0);
  let done = 0;
  for (const [ctx, customers] of contexts) {
    for (let from = 0; from < customers; from += CHUNK) {
      const rows = emptyCustomerRows();
      const to = Math.min(customers, from + CHUNK);
      for (let i = from; i < to; i++) generateCustomer(ctx, i, rows);
      await sql.begin((tx) => writeRows(tx, rows));
      result.customers += rows.customers.length;
      result.passes += rows.passes.length;
      result.ledgerEntries += rows.credit_ledger.length;
      result.bookings += rows.bookings.length;
      done += to - from;
      options.onProgress?.(done, total);
    }
  }
  // Fresh planner statistics: PGlite has no autovacuum, and without them the planner takes a
  // customer's few bookings for one row and walks every class of the studio to page them.
  await sql`analyze`;
  return result;
}
