import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.ts';
import { ApiError, invalidRequest } from './errors.ts';

interface KeyRow {
  credential: string;
  fingerprint: string;
  state: 'running' | 'done';
  response_status: number | null;
  response_body: string | null;
}

/**
 * The `Idempotency-Key` header (IETF draft, as Stripe does it): the first request with a key runs
 * and its answer is stored; a replay gets that answer byte for byte and changes nothing; the same key
 * with another body is 422; a duplicate arriving while the first still runs is 409. Keys live 7 days.
 * Mount it after the validators: a request refused as invalid stores nothing and may be fixed and
 * retried with the same key. Server errors are not stored either, so they can be retried.
 */
export function idempotency(): MiddlewareHandler<AppEnv> {
  return async function idempotency(c, next) {
    const key = c.req.header('idempotency-key');
    if (key === undefined) return next();
    if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
      throw invalidRequest([{ path: 'Idempotency-Key', message: 'Use 1–255 visible ASCII characters.' }]);
    }
    const { sql, auth } = c.var;
    const body = await c.req.text();
    const fingerprint = createHash('sha256').update(`${c.req.method} ${c.req.path}\n${body}`).digest('hex');
    const [claimed] = await sql`
      insert into idempotency_keys (tenant_id, key, credential, fingerprint, state)
      values (${auth.tenant.id}, ${key}, ${auth.credentialId}, ${fingerprint}, 'running')
      on conflict (tenant_id, key) do update set
        credential = excluded.credential, fingerprint = excluded.fingerprint, state = 'running',
        response_status = null, response_body = null, created_at = now()
        where idempotency_keys.created_at < now() - interval '7 days'
      returning key`;
    if (!claimed) {
      const [prior]: [KeyRow?] = await sql`
        select credential, fingerprint, state, response_status, response_body
        from idempotency_keys where tenant_id = ${auth.tenant.id} and key = ${key}`;
      if (!prior || prior.state === 'running') {
        throw new ApiError(409, 'conflict', 'A request with this Idempotency-Key is still being processed.');
      }
      if (prior.fingerprint !== fingerprint) {
        throw new ApiError(422, 'rule_violation', 'This Idempotency-Key was used with a different request.', {
          rules: [{ rule: 'idempotency_key_reuse', message: 'An Idempotency-Key belongs to one request.' }],
        });
      }
      c.header('Idempotent-Replayed', 'true');
      return c.body(prior.response_body ?? '', prior.response_status as 200, { 'Content-Type': 'application/json' });
    }
    try {
      await next();
    } finally {
      const status = c.res.status;
      if (status >= 500) {
        await sql`delete from idempotency_keys where tenant_id = ${auth.tenant.id} and key = ${key}`;
      } else {
        const stored = await c.res.clone().text();
        await sql`
          update idempotency_keys set state = 'done', response_status = ${status}, response_body = ${stored}
          where tenant_id = ${auth.tenant.id} and key = ${key}`;
      }
    }
  };
}
