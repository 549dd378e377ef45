import { Hono } from 'hono';
import { z } from 'zod';
import { lockKey } from '../db/advisory-lock.ts';
import { transaction } from '../db/transaction.ts';
import { requireScope } from '../auth/authenticate.ts';
import { emailTaken, getProfile, type Profile } from '../data/customers.ts';
import { actorOf, recordActivity, recordAudit } from '../data/records.ts';
import { activityText } from '../domain/activity-text.ts';
import { customerAccess, customerParam } from '../http/customer-access.ts';
import type { AppEnv } from '../http/env.ts';
import { conflict, notFound } from '../http/errors.ts';
import { assertIfMatch, etagOf, ifMatch } from '../http/etag.ts';
import { idempotency } from '../http/idempotency.ts';
import { noQuery } from '../http/schemas.ts';
import { responds, validate } from '../http/validate.ts';
import { profileUpdateSchema } from './profile-schemas.ts';

const publicProfile = ({ version: _version, is_guest: _guest, ...profile }: Profile) => profile;

export const profile = new Hono<AppEnv>()
  .get('/customer/:id/profile', requireScope('profile:read'), validate('param', customerParam), validate('query', noQuery), customerAccess(), async (c) => {
    const { auth, sql } = c.var;
    const row = await getProfile(sql, auth.tenant.id, c.req.valid('param').id);
    if (!row) throw notFound('customer');
    c.header('ETag', etagOf(row.version));
    return c.json({ data: publicProfile(row) }, 200);
  })
  .put(
    '/customer/:id/profile',
    requireScope('profile:write'),
    validate('param', customerParam),
    validate('query', noQuery),
    validate('json', profileUpdateSchema),
    ifMatch(),
    idempotency(),
    customerAccess(),
    responds(200, {
      description: 'Saved; the new ETag is in the `ETag` header.',
      content: { 'application/json': z.strictObject({ message: z.string() }) },
    }),
    async (c) => {
      const { auth, sql } = c.var;
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const version = await transaction(sql, async (tx) => {
        const before = await getProfile(tx, auth.tenant.id, id, true);
        if (!before) throw notFound('customer');
        assertIfMatch(c.req.header('if-match'), before.version, 'customer');
        // A guest record may share a full profile's email (the unique index leaves guests out).
        if (!before.is_guest && body.email.toLowerCase() !== before.email.toLowerCase()) {
          await tx`select pg_advisory_xact_lock(${lockKey(tx, 'email', auth.tenant.id, tx`lower(${body.email})`)})`;
          if (await emailTaken(tx, auth.tenant.id, body.email, id)) {
            throw conflict('Another customer already uses this email.', [{ path: 'email', message: 'This email is already in use.' }]);
          }
        }
        const mobile = body.mobile === undefined ? before.mobile : body.mobile;
        const [after]: [Profile] = await tx`
          update customers set firstname = ${body.firstname}, lastname = ${body.lastname}, email = ${body.email},
            mobile = ${mobile}, version = version + 1, updated_at = now()
          where tenant_id = ${auth.tenant.id} and id = ${id}
          returning 'customer' as type, id, firstname, lastname, email, mobile, version, is_guest`;
        const changed = (Object.keys(body) as (keyof typeof body)[]).filter((k) => before[k] !== after[k]);
        await recordAudit(tx, {
          tenantId: auth.tenant.id, actor: actorOf(auth), action: 'profile.update', targetType: 'customer',
          targetId: id, customerId: id, before: publicProfile(before), after: publicProfile(after),
        });
        await recordActivity(tx, {
          tenantId: auth.tenant.id, customerId: id, type: 'profile_edited', actor: actorOf(auth),
          summary: activityText(auth.tenant.locale).profile_edited({ fields: changed }),
          data: { fields: changed },
        });
        return after.version;
      });
      c.header('ETag', etagOf(version));
      return c.json({ message: 'Profile updated successfully' }, 200);
    },
  );
