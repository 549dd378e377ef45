import type { MiddlewareHandler } from 'hono';
import { ApiError, forbidden } from '../http/errors.ts';
import type { AppEnv, Auth } from '../http/env.ts';
import { describe } from '../http/validate.ts';
import { hashSecret } from '../ids.ts';
import { withinRole } from './roles.ts';
import type { Scope } from './scopes.ts';

const unauthenticated = () =>
  new ApiError(401, 'unauthenticated', 'Send a valid API key or embed session token as a Bearer credential.');

interface CredentialRow {
  credential_id: string;
  principal: string;
  tenant_id: string;
  tenant_name: string;
  currency: string;
  timezone: string;
  locale: string;
  embed_origins: string[];
  scopes: Scope[];
  /** A session's staff member's role now (null for an API key). */
  role: string | null;
  actor_id: string;
  actor_name: string;
  customer_id: string | null;
  origin: string | null;
  expires_at: Date | null;
  revoked: boolean;
}

/**
 * Resolves the bearer credential (API key or embed session) into `c.var.auth`, or answers 401 — in
 * one query, as it runs before every request. A session is refused once it is revoked, its staff
 * member deactivated or the API key that minted it revoked; it may do what it was minted with and
 * its staff member's role still allows (a demotion narrows the sessions already handed out).
 */
export function authenticate(): MiddlewareHandler<AppEnv> {
  return async function authenticate(c, next) {
    const match = /^Bearer\s+(ck_(key|ses)_[\w-]{20,100})$/.exec(c.req.header('authorization') ?? '');
    if (!match) throw unauthenticated();
    const [, secret, kind] = match;
    const sql = c.var.sql;
    const hash = hashSecret(secret!);
    const [row]: [CredentialRow?] =
      kind === 'key'
        ? await sql`
            with key as (select * from api_keys where secret_hash = ${hash}),
            touched as (
              update api_keys set last_used_at = now() from key
              where api_keys.tenant_id = key.tenant_id and api_keys.id = key.id and key.revoked_at is null
                and (key.last_used_at is null or key.last_used_at < now() - interval '1 minute'))
            select key.id as credential_id, t.id as tenant_id, t.name as tenant_name, t.currency, t.timezone, t.locale, t.embed_origins,
              key.scopes, null as role, key.id as actor_id, key.name as actor_name, null as customer_id, null as origin, null as expires_at,
              key.revoked_at is not null as revoked, key.id as principal
            from key join tenants t on t.id = key.tenant_id`
        : await sql`
            select s.id as credential_id, t.id as tenant_id, t.name as tenant_name, t.currency, t.timezone, t.locale, t.embed_origins,
              s.capabilities as scopes, st.role, st.id as actor_id, st.name as actor_name, s.customer_id, s.origin, s.expires_at,
              s.revoked_at is not null or not st.active or k.revoked_at is not null as revoked,
              concat_ws(' ', s.created_by_key, s.staff_id) as principal
            from embed_sessions s
            join tenants t on t.id = s.tenant_id
            join staff st on st.tenant_id = s.tenant_id and st.id = s.staff_id
            join api_keys k on k.tenant_id = s.tenant_id and k.id = s.created_by_key
            where s.token_hash = ${hash}`;
    if (!row || row.revoked) throw unauthenticated();
    if (row.expires_at && row.expires_at.getTime() <= Date.now()) {
      throw new ApiError(401, 'session_expired', 'The embed session has expired; ask the host for a fresh token.');
    }
    const auth: Auth = {
      kind: kind === 'key' ? 'api_key' : 'session',
      credentialId: row.credential_id,
      principal: row.principal,
      tenant: { id: row.tenant_id, name: row.tenant_name, currency: row.currency.trim(), timezone: row.timezone, locale: row.locale,
        embedOrigins: row.embed_origins },
      scopes: new Set(kind === 'key' ? row.scopes : withinRole(row.scopes, row.role!)),
      actor: { type: kind === 'key' ? 'api_key' : 'staff', id: row.actor_id, name: row.actor_name },
      customerId: row.customer_id,
      origin: row.origin,
      expiresAt: row.expires_at,
    };
    c.set('auth', auth);
    await next();
  };
}

/** Refuses with 403 naming the scope unless the credential holds it. */
export function requireScope(scope: Scope): MiddlewareHandler<AppEnv> {
  const middleware: MiddlewareHandler<AppEnv> = async function requireScope(c, next) {
    if (!c.var.auth.scopes.has(scope)) throw forbidden(scope);
    await next();
  };
  return describe(middleware, { scope });
}
