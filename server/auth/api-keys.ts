import type { Db } from '../db/connect.ts';
import { hashSecret, newId, newSecret } from '../ids.ts';
import type { Scope } from './scopes.ts';

/** Creates an API key; the secret is returned once and only its hash is stored. */
export async function createApiKey(sql: Db, args: { tenantId: string; name: string; scopes: readonly Scope[] }) {
  const id = newId('key');
  const secret = newSecret('key');
  await sql`
    insert into api_keys (tenant_id, id, name, secret_hash, scopes)
    values (${args.tenantId}, ${id}, ${args.name}, ${hashSecret(secret)}, ${args.scopes as string[]})`;
  return { id, secret };
}

export interface ApiKeyListing {
  id: string;
  name: string;
  scopes: string[];
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

/** A studio's API keys, newest first, revoked ones included (never a secret: only its hash is kept). */
export function listApiKeys(sql: Db, tenantId: string) {
  return sql<ApiKeyListing[]>`
    select id, name, scopes, created_at, last_used_at, revoked_at from api_keys
    where tenant_id = ${tenantId} order by created_at desc, id`;
}

/**
 * Revokes a studio's API key, and with it every embed session the key minted (authentication refuses
 * them); revoking it again keeps the first time. `undefined` when the studio has no such key.
 */
export async function revokeApiKey(sql: Db, tenantId: string, id: string): Promise<Date | undefined> {
  const [row] = await sql<{ revoked_at: Date }[]>`
    update api_keys set revoked_at = coalesce(revoked_at, now()) where tenant_id = ${tenantId} and id = ${id}
    returning revoked_at`;
  return row?.revoked_at;
}
