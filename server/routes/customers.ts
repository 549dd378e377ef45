import { Hono } from 'hono';
import { z } from 'zod';
import { transaction } from '../db/transaction.ts';
import { requireScope } from '../auth/authenticate.ts';
import { emailTaken, listCustomers } from '../data/customers.ts';
import { actorOf, recordActivity } from '../data/records.ts';
import { activityText } from '../domain/activity-text.ts';
import { notHeldToOneCustomer } from '../http/customer-access.ts';
import { pageQuery, page } from '../http/cursor.ts';
import type { AppEnv } from '../http/env.ts';
import { conflict } from '../http/errors.ts';
import { idempotency } from '../http/idempotency.ts';
import { noQuery, text } from '../http/schemas.ts';
import { responds, validate } from '../http/validate.ts';
import { newId } from '../ids.ts';
import { newCustomerSchema } from './profile-schemas.ts';

export const listQuery = z.strictObject({
  q: text.trim().max(100).optional(),
  archived: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  /** Fields beyond seed 002's, asked for by name: `customer_since`, `guest` (comma-separated). */
  include: text.transform((v) => v.split(',')).pipe(z.array(z.enum(['customer_since', 'guest']))).optional(),
  /** Sort key: lower(lastname), lower(firstname), id. */
  ...pageQuery(z.tuple([text, text, text])),
});

export const customers = new Hono<AppEnv>()
  .get('/customers', requireScope('customers:read'), validate('query', listQuery), async (c) => {
    const { q, archived, include, limit, cursor } = c.req.valid('query');
    const { auth, sql } = c.var;
    const rows = await listCustomers(sql, {
      tenantId: auth.tenant.id, q: q || undefined, archived, limit, after: cursor, onlyId: auth.customerId,
    });
    const { data, next_cursor } = page(rows, limit, (row) => row.sort);
    return c.json({
      data: data.map(({ sort: _sort, customer_since, guest, ...summary }) => ({
        ...summary,
        ...(include?.includes('customer_since') && { customer_since }),
        ...(include?.includes('guest') && { guest }),
      })),
      next_cursor,
    }, 200);
  })
  .post('/customers', requireScope('customers:write'), validate('query', noQuery), notHeldToOneCustomer(), validate('json', newCustomerSchema), idempotency(),
    responds(201), async (c) => {
    const body = c.req.valid('json');
    const { auth, sql } = c.var;
    const id = newId('cust');
    const profile = await transaction(sql, async (tx) => {
      // Serializes creations per tenant and email so that two at once cannot both pass the check.
      await tx`select pg_advisory_xact_lock(hashtext(${auth.tenant.id}), hashtext(lower(${body.email})))`;
      if (await emailTaken(tx, auth.tenant.id, body.email)) {
        throw conflict('A customer with this email already exists.', [{ path: 'email', message: 'This email is already in use.' }]);
      }
      const [row] = await tx`
        insert into customers (tenant_id, id, firstname, lastname, email, mobile)
        values (${auth.tenant.id}, ${id}, ${body.firstname}, ${body.lastname}, ${body.email}, ${body.mobile ?? null})
        returning 'customer' as type, id, firstname, lastname, email, mobile`;
      await recordActivity(tx, {
        tenantId: auth.tenant.id, customerId: id, type: 'customer_created', actor: actorOf(auth),
        summary: activityText(auth.tenant.locale).customer_created({ by: auth.actor.name, guest: false }),
      });
      return row;
    });
    return c.json({ data: profile }, 201);
  });
