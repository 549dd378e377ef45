import { Hono } from 'hono';
import { z } from 'zod';
import { transaction } from '../db/transaction.ts';
import { requireScope } from '../auth/authenticate.ts';
import type { Db } from '../db/connect.ts';
import {
  customerName, getPass, holdPass, lastEntryNo, listEntries, listPasses, publicPass, type PassRow,
} from '../data/passes.ts';
import { actorOf } from '../data/records.ts';
import type { EntryType } from '../data/replies.ts';
import { adjustCredits, changeExpiry } from '../domain/adjustments.ts';
import { reportText } from '../domain/credit-report.ts';
import { dateTime } from '../domain/format.ts';
import { scopeSummary, usageSummary } from '../domain/summary.ts';
import { cursorOf, encodeCursor, limitSchema, pageQuery } from '../http/cursor.ts';
import { customerAccess, customerIdSchema, customerParam } from '../http/customer-access.ts';
import type { AppEnv } from '../http/env.ts';
import { notFound } from '../http/errors.ts';
import { ifMatch } from '../http/etag.ts';
import { idempotency } from '../http/idempotency.ts';
import { idSchema, instantOrDateSchema, instantSchema, noQuery, reasonSchema, text } from '../http/schemas.ts';
import { responds, validate } from '../http/validate.ts';

export const passIdSchema = idSchema('pass', 'pass');

const passParam = z.strictObject({ id: customerIdSchema, passId: passIdSchema });

const passListQuery = z.strictObject({
  status: z.enum(['active', 'expired', 'all']).default('all'),
  /** Sort key (`purchaseOrder`): in use '1' or '0', purchased_at (UTC text to the microsecond), id. */
  ...pageQuery(z.tuple([z.enum(['1', '0']), text, text])),
});

/** The filter chips of seed 001 ("All usage", "Credits used to book sessions", …) plus grants and voids. */
export const usageTypes = ['all', 'booking', 'free_cancellation', 'manual', 'rollover', 'expiry', 'grant', 'void'] as const;

const usageFilter = {
  type: z.enum(usageTypes).default('all'),
  cycle: z.coerce.number().int().min(1).max(100_000).optional(),
  as_of: instantSchema.transform((s) => new Date(s)).optional(),
};

/** `[entry_no]` of the last entry shown: a positive int4, as the column is. */
const entryCursor = cursorOf(z.tuple([z.int().min(1).max(2_147_483_647)]));

const usageQuery = z.strictObject({ ...usageFilter, limit: limitSchema, cursor: entryCursor.optional() });
const csvQuery = z.strictObject(usageFilter);

export const adjustmentSchema = z.strictObject({
  delta: z.number().int().min(-10_000).max(10_000).refine((d) => d !== 0, 'A change of 0 credits changes nothing.'),
  reason: reasonSchema,
});

/**
 * The body of `PATCH …/passes/{passId}`. The change honours `If-Match` with the pass's `etag` (every
 * write moves it, a credit change too): stale → 412 `precondition_failed`, nothing written; the answer's
 * `ETag` is the new one. Without the header the change goes ahead.
 */
export const expiryChangeSchema = z.strictObject({
  /** An instant with its offset, or a date: valid through that day in the studio's timezone. */
  expires_at: instantOrDateSchema,
  reason: reasonSchema,
});

type UsageFilter = { type: (typeof usageTypes)[number]; cycle?: number; as_of?: Date };

async function passOr404(sql: Db, tenantId: string, customerId: string, passId: string): Promise<PassRow> {
  const pass = await getPass(sql, tenantId, customerId, passId);
  if (!pass) throw notFound('pass');
  return pass;
}

const filterType = (type: UsageFilter['type']) => (type === 'all' ? null : type as EntryType);

/** A CSV field: quoted when needed, and defused when a spreadsheet would read it as a formula. */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const csvLine = (fields: readonly unknown[]) => `${fields.map(csvField).join(',')}\r\n`;

interface CsvRow {
  entry_no: number;
  occurred_at: string;
  occurred_local: string;
  type: EntryType;
  delta: number;
  balance_after: number;
  cycle: number | null;
  class_name: string | null;
  class_local: string | null;
  booking_id: string | null;
  reason: string | null;
  actor: string | null;
  id: string;
}

/** One batch of export rows, formatted by the database (UTC and the tenant's wall clock). */
function csvBatch(sql: Db, args: { tenantId: string; passId: string; timezone: string; filter: UsageFilter; below: number; size: number }) {
  const { filter } = args;
  const type = filterType(filter.type);
  return sql<CsvRow[]>`
    select l.entry_no, to_char(l.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as occurred_at,
      to_char(l.occurred_at at time zone ${args.timezone}, 'YYYY-MM-DD HH24:MI') as occurred_local,
      l.type, l.delta, l.balance_after, l.cycle, c.name as class_name,
      to_char(c.starts_at at time zone ${args.timezone}, 'YYYY-MM-DD HH24:MI') as class_local,
      l.booking_id, l.reason, coalesce(s.name, k.name, l.actor) as actor, l.id
    from credit_ledger l
    left join bookings b on b.tenant_id = l.tenant_id and b.id = l.booking_id
    left join classes c on c.tenant_id = b.tenant_id and c.id = b.class_id
    left join staff s on s.tenant_id = l.tenant_id and s.id = l.actor
    left join api_keys k on k.tenant_id = l.tenant_id and k.id = l.actor
    where l.tenant_id = ${args.tenantId} and l.pass_id = ${args.passId} and l.entry_no < ${args.below}
      ${type ? sql`and l.type = ${type}` : sql``}
      ${filter.cycle ? sql`and l.cycle = ${filter.cycle}` : sql``}
      ${filter.as_of ? sql`and l.occurred_at <= ${filter.as_of}` : sql``}
    order by l.entry_no desc
    limit ${args.size}`;
}

export const passes = new Hono<AppEnv>()
  .get('/customer/:id/passes', requireScope('passes:read'), validate('param', customerParam), validate('query', passListQuery),
    customerAccess(), async (c) => {
      const { auth, sql } = c.var;
      const { status, limit, cursor } = c.req.valid('query');
      const rows = await listPasses(sql, { tenantId: auth.tenant.id, customerId: c.req.valid('param').id, status, limit, after: cursor });
      const data = rows.slice(0, limit);
      const last = data.at(-1);
      return c.json({ data: data.map(publicPass), next_cursor: rows.length > limit && last ? encodeCursor(last.sort) : null }, 200);
    })
  .get('/customer/:id/passes/:passId', requireScope('passes:read'), validate('param', passParam), validate('query', noQuery), customerAccess(), async (c) => {
    const { auth, sql } = c.var;
    const { id, passId } = c.req.valid('param');
    const pass = publicPass(await passOr404(sql, auth.tenant.id, id, passId));
    c.header('ETag', pass.etag);
    return c.json({ data: pass }, 200);
  })
  .get('/customer/:id/passes/:passId/credit-usage', requireScope('passes:read'), validate('param', passParam),
    validate('query', usageQuery), customerAccess(), async (c) => {
      const { auth, sql } = c.var;
      const { id, passId } = c.req.valid('param');
      const { type, cycle, as_of, limit, cursor } = c.req.valid('query');
      // The pass and its ledger as one state, so the summary's identity holds while credits change.
      await holdPass(sql, auth.tenant.id, passId);
      const pass = await passOr404(sql, auth.tenant.id, id, passId);
      const [usage, rows] = await Promise.all([
        usageSummary(sql, auth.tenant, pass, as_of),
        listEntries(sql, {
          tenantId: auth.tenant.id, passId, type: filterType(type), cycle, asOf: as_of,
          beforeEntryNo: cursor?.[0] ?? null, limit: limit + 1,
        }),
      ]);
      const entries = rows.slice(0, limit);
      return c.json({
        data: {
          pass: publicPass(pass),
          as_of: usage.as_of,
          filter: { type, cycle: cycle ?? null },
          // The summary of what the filter's scope covers: the whole pass, or the chosen cycle.
          summary: scopeSummary(usage, cycle),
          pass_summary: usage.summary,
          cycles: usage.cycles,
          entries: entries.map(({ entry_no: _n, ...entry }) => entry),
        },
        next_cursor: rows.length > limit ? encodeCursor([entries.at(-1)!.entry_no]) : null,
      }, 200);
    })
  .get('/customer/:id/passes/:passId/credit-usage.csv', requireScope('passes:read'), validate('param', passParam),
    validate('query', csvQuery), customerAccess(),
    responds(200, { description: 'The credit usage as a CSV download (an attachment).', content: { 'text/csv': z.string() } }), async (c) => {
      const { auth, sql, inStudio } = c.var;
      const { id, passId } = c.req.valid('param');
      const filter = c.req.valid('query');
      // The pass held while its summary and newest entry are read, so the two describe one state.
      await holdPass(sql, auth.tenant.id, passId);
      const [pass, name, newest] = await Promise.all([
        passOr404(sql, auth.tenant.id, id, passId),
        customerName(sql, auth.tenant.id, id),
        lastEntryNo(sql, auth.tenant.id, passId),
      ]);
      const usage = await usageSummary(sql, auth.tenant, pass, filter.as_of);
      const words = reportText(auth.tenant.locale);
      const scope = scopeSummary(usage, filter.cycle);
      const head = [
        [words.title],
        [words.studio, auth.tenant.name],
        [words.customer, `${name} (${id})`],
        [words.pass, `${pass.product.name} (${passId})`],
        [words.filter, `${words.filters[filter.type]}; ${filter.cycle ? words.cycle(filter.cycle) : words.allCycles}`],
        [words.asOf, `${dateTime(usage.as_of, auth.tenant)} (${auth.tenant.timezone})`],
        // The summary of the pass, or of the chosen cycle, as the screen shows it (none for unlimited passes).
        ...(scope.credits_left === null ? [] : Object.entries(scope).map(([field, value]) => [words.summary[field as keyof typeof scope], value])),
        [],
        words.columns,
      ];
      const encoder = new TextEncoder();
      // Pinned at the newest entry when the export started: the ledger is append-only, so the entries
      // below it are one consistent snapshot, paged by entry number, whichever transaction reads them.
      let below = newest + 1;
      let started = false;
      const size = 2500;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (!started) {
            started = true;
            controller.enqueue(encoder.encode(head.map(csvLine).join('')));
            return;
          }
          // Each part in a transaction of its own: a slow download holds no connection between them.
          const rows = await inStudio((tx) =>
            csvBatch(tx, { tenantId: auth.tenant.id, passId, timezone: auth.tenant.timezone, filter, below, size }));
          let chunk = '';
          for (const r of rows) {
            chunk += csvLine([r.entry_no, r.occurred_at, r.occurred_local, words.types[r.type], r.delta, r.balance_after, r.cycle, r.class_name,
              r.class_local, r.booking_id, r.reason, r.actor, r.id]);
          }
          if (chunk) controller.enqueue(encoder.encode(chunk));
          if (rows.length < size) controller.close();
          else below = rows.at(-1)!.entry_no;
        },
      });
      const file = `credit-usage_${passId}_${filter.type}${filter.cycle ? `_cycle-${filter.cycle}` : ''}.csv`;
      return c.body(body, 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${file}"`,
        'Cache-Control': 'no-store',
      });
    })
  .post('/customer/:id/passes/:passId/adjustments', requireScope('credits:write'), validate('param', passParam), validate('query', noQuery),
    validate('json', adjustmentSchema), idempotency(), customerAccess(), responds(201), async (c) => {
      const { auth, sql } = c.var;
      const { id, passId } = c.req.valid('param');
      const { delta, reason } = c.req.valid('json');
      const result = await transaction(sql, async (tx) => {
        const { entry } = await adjustCredits(tx, {
          tenantId: auth.tenant.id, customerId: id, passId, delta, reason, actor: actorOf(auth),
          idempotencyKey: c.req.header('idempotency-key') ?? null,
        });
        const pass = await passOr404(tx, auth.tenant.id, id, passId);
        const usage = await usageSummary(tx, auth.tenant, pass);
        return { entry, pass, usage };
      });
      const { entry, pass, usage } = result;
      return c.json({
        data: {
          entry: {
            id: entry.id, type: entry.type, delta: entry.delta, balance_after: entry.balance_after, occurred_at: entry.occurred_at,
            cycle: entry.cycle, booking: null, reason: entry.reason, actor: { id: auth.actor.id, name: auth.actor.name },
          },
          pass: publicPass(pass),
          summary: usage.summary,
        },
      }, 201);
    })
  .patch('/customer/:id/passes/:passId', requireScope('credits:write'), validate('param', passParam), validate('query', noQuery),
    validate('json', expiryChangeSchema), ifMatch(), idempotency(), customerAccess(), async (c) => {
      const { auth, sql } = c.var;
      const { id, passId } = c.req.valid('param');
      const { expires_at, reason } = c.req.valid('json');
      const pass = await transaction(sql, async (tx) => {
        await changeExpiry(tx, {
          tenantId: auth.tenant.id, customerId: id, passId, reason, actor: actorOf(auth),
          expiresAt: expires_at.length === 10 ? { date: expires_at } : new Date(expires_at),
          ifMatch: c.req.header('if-match'),
        });
        return passOr404(tx, auth.tenant.id, id, passId);
      });
      c.header('ETag', pass.etag);
      return c.json({ data: publicPass(pass) }, 200);
    });
