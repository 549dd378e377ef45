import type { Db } from '../db/connect.ts';
import type { RuleName } from '../domain/rules.ts';
import { ApiError, notFound } from '../http/errors.ts';
import { hashSecret, newId, newSecret } from '../ids.ts';
import { roleCapabilities, type StaffRole } from './roles.ts';
import type { Scope } from './scopes.ts';

export const defaultTtlSeconds = 10 * 60;
export const maxTtlSeconds = 60 * 60;

export interface MintArgs {
  tenantId: string;
  createdByKey: string;
  staffId: string;
  capabilities: readonly Scope[];
  customerId?: string | null;
  origin?: string | null;
  ttlSeconds?: number;
}

/**
 * Mints a short-lived widget session for one staff member, with at most that member's
 * capabilities (and, through the API, at most the minting key's: {@link assertKeyMayGrant}).
 * The token is returned once; only its hash is stored. The session also remembers the key that
 * minted it: authentication refuses it once that key is revoked, and holds it to its staff
 * member's current role (server/auth/authenticate.ts).
 */
export async function mintEmbedSession(sql: Db, args: MintArgs) {
  const [staff]: [{ role: StaffRole; active: boolean }?] = await sql`
    select role, active from staff where tenant_id = ${args.tenantId} and id = ${args.staffId}`;
  if (!staff || !staff.active) {
    throw mintRefused('staff_active', 'The staff member must exist and be active.', 'No active staff member has this id.');
  }
  const allowed = new Set<Scope>(roleCapabilities[staff.role]);
  const excess = args.capabilities.filter((capability) => !allowed.has(capability));
  if (excess.length > 0) {
    throw mintRefused('capabilities_within_role', `Not allowed for the role ${staff.role}.`,
      `${/^[aeiou]/.test(staff.role) ? 'An' : 'A'} ${staff.role} may not be given: ${excess.join(', ')}.`, { capabilities: excess });
  }
  if (args.customerId) {
    const [customer] = await sql`
      select 1 from customers where tenant_id = ${args.tenantId} and id = ${args.customerId} and deleted_at is null`;
    if (!customer) throw notFound('customer');
  }
  const id = newId('ses');
  const token = newSecret('ses');
  const ttl = args.ttlSeconds ?? defaultTtlSeconds;
  const [row]: [{ expires_at: Date }?] = await sql`
    insert into embed_sessions (tenant_id, id, token_hash, staff_id, capabilities, customer_id, origin, created_by_key, expires_at)
    values (${args.tenantId}, ${id}, ${hashSecret(token)}, ${args.staffId}, ${[...new Set(args.capabilities)]},
      ${args.customerId ?? null}, ${args.origin ?? null}, ${args.createdByKey}, now() + make_interval(secs => ${ttl}))
    returning expires_at`;
  return { id, token, expires_at: row!.expires_at };
}

/**
 * A session that may not be minted: 422 `rule_violation` with the rule written as the domain writes
 * every rule (domain/rules.ts: `rule`, `ok: false`, `message`), plus the facts that say what to change.
 */
export function mintRefused(rule: RuleName, message: string, summary: string, facts: Record<string, unknown> = {}): ApiError {
  return new ApiError(422, 'rule_violation', summary, { rules: [{ rule, ok: false, message, ...facts }] });
}

/**
 * A key cannot hand out what it does not hold: refuses with 403, naming them, the capabilities
 * beyond the minting key's own scopes (the staff member's role bounds them too, in {@link mintEmbedSession}).
 */
export function assertKeyMayGrant(keyScopes: ReadonlySet<Scope>, capabilities: readonly Scope[]) {
  const excess = [...new Set(capabilities)].filter((capability) => !keyScopes.has(capability));
  if (excess.length > 0) {
    throw new ApiError(403, 'forbidden', `This API key may not hand out what it does not hold: ${excess.join(', ')}.`, {
      scope: excess[0], capabilities: excess,
    });
  }
}

export async function revokeEmbedSession(sql: Db, tenantId: string, id: string) {
  const rows = await sql`
    update embed_sessions set revoked_at = coalesce(revoked_at, now())
    where tenant_id = ${tenantId} and id = ${id} returning id`;
  if (rows.length === 0) throw notFound('session');
}
