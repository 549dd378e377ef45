import { Hono } from 'hono';
import { z } from 'zod';
import { transaction } from '../db/transaction.ts';
import { requireScope } from '../auth/authenticate.ts';
import { actorOf } from '../data/records.ts';
import { setArchived, softDelete } from '../domain/customer-status.ts';
import { etagOf, ifMatch } from '../http/etag.ts';
import { customerAccess, customerParam } from '../http/customer-access.ts';
import type { AppEnv } from '../http/env.ts';
import { idempotency } from '../http/idempotency.ts';
import { noQuery, reasonSchema } from '../http/schemas.ts';
import { validate } from '../http/validate.ts';

export const archiveSchema = z.strictObject({ archived: z.boolean(), reason: reasonSchema });
export const deleteSchema = z.strictObject({ reason: reasonSchema });

/**
 * `PATCH /api/customer/{id}` `{ archived, reason }` (customers:write): archive or unarchive; 200 with the
 * customer as `GET /api/customers` lists it and its new `ETag`. `DELETE /api/customer/{id}` `{ reason }`
 * (customers:write): soft delete; 200 `{ data: { id, type, deleted: true, deleted_at } }`. Both take an
 * optional `If-Match` (412 when stale) and `Idempotency-Key`; the rules are in domain/customer-status.ts.
 * The idempotency record is consulted before the customer guard, so that replaying a delete returns the
 * stored answer rather than the 404 of a customer who is now gone.
 */
export const customersAdmin = new Hono<AppEnv>()
  .patch('/customer/:id', requireScope('customers:write'), validate('param', customerParam), validate('query', noQuery), validate('json', archiveSchema),
    ifMatch(), idempotency(), customerAccess(), async (c) => {
      const { auth, sql } = c.var;
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const { customer } = await transaction(sql, (tx) => setArchived(tx, {
        tenantId: auth.tenant.id, locale: auth.tenant.locale, customerId: id, archived: body.archived, reason: body.reason, actor: actorOf(auth),
        ifMatch: c.req.header('if-match'),
      }));
      const { version, ...summary } = customer;
      c.header('ETag', etagOf(version));
      return c.json({ data: summary }, 200);
    })
  .delete('/customer/:id', requireScope('customers:write'), validate('param', customerParam), validate('query', noQuery), validate('json', deleteSchema),
    ifMatch(), idempotency(), customerAccess(), async (c) => {
      const { auth, sql } = c.var;
      const { id } = c.req.valid('param');
      const { reason: why } = c.req.valid('json');
      const deleted = await transaction(sql, (tx) => softDelete(tx, {
        tenantId: auth.tenant.id, locale: auth.tenant.locale, customerId: id, reason: why, actor: actorOf(auth), ifMatch: c.req.header('if-match'),
      }));
      return c.json({ data: { id: deleted.id, type: 'customer' as const, deleted: true, deleted_at: deleted.deleted_at } }, 200);
    });
