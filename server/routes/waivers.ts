import { Hono } from 'hono';
import { z } from 'zod';
import { transaction } from '../db/transaction.ts';
import { requireScope } from '../auth/authenticate.ts';
import { acceptanceMethods, getPolicyVersion, listWaiverItems } from '../data/waivers.ts';
import { actorOf } from '../data/records.ts';
import { isCompliant, recordAcceptance } from '../domain/waivers.ts';
import { customerAccess, customerIdSchema, customerParam } from '../http/customer-access.ts';
import type { AppEnv } from '../http/env.ts';
import { notFound } from '../http/errors.ts';
import { idempotency } from '../http/idempotency.ts';
import { idSchema, noQuery } from '../http/schemas.ts';
import { responds, validate } from '../http/validate.ts';

const policyIdSchema = idSchema('pol', 'policy');
const versionSchema = z.coerce.number().int().min(1).max(100_000);

const acceptanceParam = z.strictObject({ id: customerIdSchema, policyId: policyIdSchema });
const versionParam = z.strictObject({ policyId: policyIdSchema, n: versionSchema });

export const acceptanceSchema = z.strictObject({
  /** Must be the policy's current version. */
  version: z.number().int().min(1).max(100_000),
  method: z.enum(acceptanceMethods),
});

export const waivers = new Hono<AppEnv>()
  .get('/customer/:id/waivers', requireScope('waivers:read'), validate('param', customerParam), validate('query', noQuery), customerAccess(), async (c) => {
    const { auth, sql } = c.var;
    const items = await listWaiverItems(sql, auth.tenant.id, c.req.valid('param').id);
    return c.json({ data: { compliant: isCompliant(items), items } }, 200);
  })
  .get('/policies/:policyId/versions/:n', requireScope('waivers:read'), validate('param', versionParam), validate('query', noQuery), async (c) => {
    const { auth, sql } = c.var;
    const { policyId, n } = c.req.valid('param');
    const version = await getPolicyVersion(sql, auth.tenant.id, policyId, n);
    if (!version) throw notFound('policy version');
    return c.json({ data: version }, 200);
  })
  .post('/customer/:id/waivers/:policyId/acceptances', requireScope('waivers:write'), validate('param', acceptanceParam), validate('query', noQuery),
    validate('json', acceptanceSchema), idempotency(), customerAccess(), responds(201), async (c) => {
      const { auth, sql } = c.var;
      const { id, policyId } = c.req.valid('param');
      const { version, method } = c.req.valid('json');
      const { acceptance, items } = await transaction(sql, (tx) => recordAcceptance(tx, {
        tenantId: auth.tenant.id, customerId: id, policyId, version, method, actor: actorOf(auth),
      }));
      return c.json({
        data: {
          acceptance: { ...acceptance, customer_id: id, recorded_by: { id: auth.actor.id, name: auth.actor.name } },
          compliant: isCompliant(items),
          items,
        },
      }, 201);
    });
