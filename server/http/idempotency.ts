import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { lockKey } from '../db/advisory-lock.ts';
import type { AppEnv } from './env.ts';
import { ruleViolation } from '../domain/rules.ts';
import { ApiError, invalidRequest } from './errors.ts';
import { describe } from './validate.ts';

interface KeyRow {
  fingerprint: string;
  response_status: number;
  response_body: string;
  response_headers: Record<string, string>;
}

/** The headers that describe an answer, stored with it and replayed (lower case, as `Headers` gives them). */
const replayedHeaders = ['content-type', 'etag', 'location'];

/** A JSON value with every object's keys in order, so that two spellings of one body serialise alike. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  return Object.fromEntries(Object.keys(object).sort().map((key) => [key, sortedKeys(object[key])]));
}

/**
 * What a request's body says rather than how it is spelled: JSON re-serialised with sorted keys and
 * no whitespace, so that a retry a client encodes anew is still the same request; any other body as sent.
 */
function canonicalBody(text: string): string {
  try {
    return JSON.stringify(sortedKeys(JSON.parse(text)));
  } catch {
    return text;
  }
}

/**
 * The `Idempotency-Key` header (IETF draft, as Stripe does it): the first request with a key runs
 * and its answer is stored; a replay gets that answer byte for byte and changes nothing; the same key
 * with another body is 422 (a JSON body is compared by what it says, whatever its key order or
 * spacing); a duplicate arriving while the first still runs is 409. Keys live 7 days.
 * A key belongs to the credential that sent it (`auth.principal` — an API key, or one staff member's
 * sessions from one key, so that a retry after renewing an expired token is recognised — and the
 * customer a session is held to): another credential of the studio using the same key neither
 * collides with it nor gets its answer. A replay carries the first answer's status, body and
 * descriptive headers (`ETag`, `Location`, `Content-Type`). Mounted ahead of `customerAccess()`, so
 * that a retry arriving after the customer was deleted still gets its answer, not a 404 that says the
 * change never happened. Never mount it on a route whose answer
 * holds a secret (minting a session): the answer is stored as it was sent.
 *
 * It relies on the request's own transaction (tenant-transaction.ts): the advisory lock that marks a
 * key as running lasts as long as it, and the stored answer commits with the change it describes —
 * or not at all, so a request that failed (a refused one included) may be retried with the same key.
 * Mount it after the validators, so that an invalid request never reaches it.
 */
export function idempotency(): MiddlewareHandler<AppEnv> {
  return describe(async function idempotency(c, next) {
    const key = c.req.header('idempotency-key');
    if (key === undefined) return next();
    if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
      throw invalidRequest([{ path: 'Idempotency-Key', message: 'Use 1–255 visible ASCII characters.' }]);
    }
    const { sql, auth } = c.var;
    const body = canonicalBody(await c.req.text());
    const fingerprint = createHash('sha256').update(`${c.req.method} ${c.req.path}\n${body}`).digest('hex');
    // Held to one customer, a session's keys are its own: the same key sent for another customer is another request.
    const credential = [auth.principal, auth.customerId].filter(Boolean).join(' ');
    const [{ free }] = await sql<[{ free: boolean }]>`
      select pg_try_advisory_xact_lock(${lockKey(sql, 'idempotency', auth.tenant.id, credential, key)}) as free`;
    if (!free) throw new ApiError(409, 'conflict', 'A request with this Idempotency-Key is still being processed.');
    const [prior]: [KeyRow?] = await sql`
      select fingerprint, response_status, response_body, response_headers from idempotency_keys
      where tenant_id = ${auth.tenant.id} and credential = ${credential} and key = ${key}
        and created_at > now() - interval '7 days'`;
    if (prior) {
      if (prior.fingerprint !== fingerprint) {
        throw ruleViolation([{ rule: 'idempotency_key_reuse', ok: false, message: 'An Idempotency-Key belongs to one request.' }],
          'This Idempotency-Key was used with a different request.');
      }
      c.header('Idempotent-Replayed', 'true');
      return c.body(prior.response_body, prior.response_status as 200, { 'content-type': 'application/json', ...prior.response_headers });
    }
    await next();
    if (c.error) return;
    const headers: Record<string, string> = {};
    for (const name of replayedHeaders) {
      const value = c.res.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    await sql`
      insert into idempotency_keys (tenant_id, key, credential, fingerprint, response_status, response_body, response_headers)
      values (${auth.tenant.id}, ${key}, ${credential}, ${fingerprint}, ${c.res.status},
        ${await c.res.clone().text()}, ${sql.json(headers)})
      on conflict (tenant_id, credential, key) do update set fingerprint = excluded.fingerprint, response_status = excluded.response_status,
        response_body = excluded.response_body, response_headers = excluded.response_headers, created_at = now()`;
  }, {
    header: {
      name: 'Idempotency-Key',
      description: 'A retry with the same key (1–255 visible ASCII characters) replays the first answer and changes nothing; '
        + 'the same key with another body is 422; while the first still runs, 409. Kept 7 days.',
    },
  });
}
