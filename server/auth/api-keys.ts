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
