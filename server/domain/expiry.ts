import type { Db, Sql } from '../db/connect.ts';
import { recordActivity } from '../data/records.ts';
import { activityText } from './activity-text.ts';
import { appendEntry, lockPass, type LockedPass } from './ledger.ts';
import { renewCycle } from './subscriptions.ts';

/**
 * The periodic credit jobs: renew membership cycles that are due (`subscriptions.ts`), then expire
 * the credits left on passes past their `expires_at` (one `expiry` entry each, written at the expiry
 * moment) and mark those passes `expired`.
 *
 * Safe on several BFF instances at once: each batch is one transaction that first takes
 * `pg_try_advisory_xact_lock` on the job's key — an instance that does not get it skips the run.
 * Idempotent: every pass is re-read under its row lock, and a pass already renewed or expired is
 * no longer due, so running twice changes nothing the second time.
 */

export const CREDIT_JOBS_LOCK = 'customer-kit:credit-jobs';

export interface JobResult {
  /** False when another instance held the lock. */
  ran: boolean;
  renewed: number;
  expiredPasses: number;
  expiredCredits: number;
}

export async function runCreditJobs(sql: Sql, options: { now?: Date; batch?: number } = {}): Promise<JobResult> {
  const now = options.now ?? new Date();
  const batch = options.batch ?? 200;
  const result: JobResult = { ran: true, renewed: 0, expiredPasses: 0, expiredCredits: 0 };
  for (;;) {
    const step = await sql.begin(async (tx) => {
      const [{ locked }] = await tx<{ locked: boolean }[]>`select pg_try_advisory_xact_lock(hashtext(${CREDIT_JOBS_LOCK})) as locked`;
      if (!locked) return null;
      const renewals = await dueRenewals(tx, now, batch);
      const expiries = await dueExpiries(tx, now, batch);
      // Every pass of the step is locked up front in id order, the order a booking locks a customer's
      // passes in: locked phase by phase, a renewed pass would be held while an expiring one of lower id
      // is taken, and a booking holding that one and waiting for the other would deadlock the job.
      await lockInIdOrder(tx, [...renewals, ...expiries]);
      return { due: renewals.length, cycles: await renew(tx, renewals, now), ...await expire(tx, expiries, now) };
    });
    if (!step) return { ...result, ran: result.renewed + result.expiredPasses > 0 };
    result.renewed += step.cycles;
    result.expiredPasses += step.passes;
    result.expiredCredits += step.credits;
    if (step.due < batch && step.passes < batch) return result;
  }
}

type PassKey = { tenant_id: string; id: string };

function dueRenewals(sql: Db, now: Date, batch: number) {
  return sql<PassKey[]>`
    select tenant_id, id from passes
    where status = 'active' and current_cycle is not null and next_billing_at <= ${now}
      and payment_status = 'paid' and (expires_at is null or expires_at > next_billing_at)
    order by next_billing_at limit ${batch}`;
}

function dueExpiries(sql: Db, now: Date, batch: number) {
  return sql<PassKey[]>`
    select tenant_id, id from passes
    where expires_at <= ${now} and ((status in ('active', 'expired') and credits_left > 0) or status = 'active')
    order by expires_at limit ${batch}`;
}

async function lockInIdOrder(sql: Db, passes: PassKey[]) {
  if (!passes.length) return;
  await sql`
    select 1 from passes p join unnest(${passes.map((p) => p.tenant_id)}::text[], ${passes.map((p) => p.id)}::text[]) as due (tenant_id, id)
      on p.tenant_id = due.tenant_id and p.id = due.id
    order by p.id for update of p`;
}

async function renew(sql: Db, due: PassKey[], now: Date) {
  let renewed = 0;
  for (const pass of due) {
    // An overdue membership catches up one cycle at a time (bounded, in case of a long outage).
    for (let i = 0; i < 60; i++) {
      const done = await renewCycle(sql, { tenantId: pass.tenant_id, passId: pass.id, now });
      if (!done) break;
      renewed++;
    }
  }
  return renewed;
}

async function expire(sql: Db, due: PassKey[], now: Date) {
  let credits = 0;
  for (const { tenant_id, id } of due) {
    const pass = await lockPass(sql, tenant_id, id);
    credits += await expireLockedPass(sql, pass, now);
  }
  return { passes: due.length, credits };
}

/**
 * Expires one pass locked by `lockPass` if its `expires_at` has passed: an `expiry` entry for the
 * credits left and status `expired`. Returns the credits expired. The job's entry is dated at the
 * expiry moment; one that a person's change sets off (`by`: staff moving the expiry into the past,
 * with their reason, or giving credits back to a pass already expired) is theirs and dated `now`, when
 * the credits really went — dated at the expiry, it would precede the change in the pass's history.
 */
export async function expireLockedPass(sql: Db, pass: LockedPass, now: Date, by?: { actor: string; reason?: string }): Promise<number> {
  if (!pass.expires_at || pass.expires_at.getTime() > now.getTime() || !['active', 'expired'].includes(pass.status)) return 0;
  const left = pass.credits_left ?? 0;
  if (left > 0) {
    const text = activityText(pass.tenant_locale);
    await appendEntry(sql, pass, {
      type: 'expiry', delta: -left, at: by ? now : pass.expires_at, actor: by?.actor, reason: by?.reason ?? text.pass_expired({}),
    });
    await recordActivity(sql, {
      tenantId: pass.tenant_id, customerId: pass.customer_id, type: 'credits_expired', actor: by?.actor ?? null,
      summary: text.credits_expired({ credits: left, passName: pass.product_name, cycle: null }),
      data: { pass_id: pass.id, expired: left },
    });
  }
  if (pass.status === 'active') {
    await sql`update passes set status = 'expired', version = version + 1 where tenant_id = ${pass.tenant_id} and id = ${pass.id}`;
    pass.status = 'expired';
  }
  return left;
}

/** Runs the jobs every `intervalMs` (default a minute) until the returned stop function is called. */
export function startCreditJobs(sql: Sql, options: { intervalMs?: number; log?: (message: string, error?: unknown) => void } = {}) {
  const log = options.log ?? console.error;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    runCreditJobs(sql)
      .catch((error) => log('credit jobs failed', error))
      .finally(() => { running = false; });
  }, options.intervalMs ?? 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
