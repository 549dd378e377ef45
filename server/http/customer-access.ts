import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { AppEnv } from './env.ts';
import { ApiError, notFound } from './errors.ts';

export const customerIdSchema = z.string().regex(/^cust_[0-9a-z]{1,40}$/, 'A customer id looks like cust_…');

/** The `{id}` of every `/customer/{id}/…` route. */
export const customerParam = z.strictObject({ id: customerIdSchema });

/**
 * Guards `/customer/:id/…`: the customer must exist in the caller's tenant, not be deleted (unless
 * `deleted` allows it: the audit trail outlives the record, so that staff can read who deleted it
 * and why), and be the one a restricted session was minted for. Every miss is the same 404, so ids
 * of other tenants reveal nothing.
 */
export function customerAccess({ deleted = false } = {}): MiddlewareHandler<AppEnv> {
  return async function customerAccess(c, next) {
    const id = c.req.param('id');
    const { auth, sql } = c.var;
    if (!id || !customerIdSchema.safeParse(id).success) throw notFound('customer');
    if (auth.customerId && auth.customerId !== id) throw notFound('customer');
    const [row] = await sql`
      select 1 from customers where tenant_id = ${auth.tenant.id} and id = ${id} ${deleted ? sql`` : sql`and deleted_at is null`}`;
    if (!row) throw notFound('customer');
    await next();
  };
}

/** Guards a route beyond one customer's records (creating a customer): a session held to one is refused. */
export function notHeldToOneCustomer(): MiddlewareHandler<AppEnv> {
  return async function notHeldToOneCustomer(c, next) {
    if (c.var.auth.customerId) throw new ApiError(403, 'forbidden', 'This session is held to one customer; it cannot do this.');
    await next();
  };
}
