import type { Sql } from 'postgres';
import { createApiKey } from './auth/api-keys.ts';
import { scopes } from './auth/scopes.ts';
import { progressBar } from './progress.ts';
import { DEMO_STAFF_ID, DEMO_TENANT, isSeeded, seed } from './seed/index.ts';
import type { DemoHost } from './routes/demo.ts';

export const demoCustomers = 300;
const demoKeyName = 'demo key (printed at start)';

/**
 * Revokes the all-scopes key the previous start printed. Every start calls it, the demo on or off: a
 * secret that went to a terminal or a log lives for one run of the server.
 */
export async function revokeDemoKey(sql: Sql): Promise<void> {
  await sql`update api_keys set revoked_at = now()
    where tenant_id = ${DEMO_TENANT} and name = ${demoKeyName} and revoked_at is null`;
}

/**
 * Makes the demo ready: seeds an empty embedded database, and issues a fresh all-scopes API key for
 * the demo studio, which the demo page's host side mints sessions with. Returns null when the
 * database holds no demo studio (a real server nobody seeded).
 */
export async function prepareDemo(sql: Sql, { seedIfEmpty }: { seedIfEmpty: boolean }) {
  if (!(await isSeeded(sql))) {
    if (!seedIfEmpty) return null;
    await seed(sql, { customers: demoCustomers, seed: 1, onProgress: progressBar('Seeding the demo studio') });
  }
  const key = await createApiKey(sql, { tenantId: DEMO_TENANT, name: demoKeyName, scopes });
  const host: DemoHost = { tenantId: DEMO_TENANT, staffId: DEMO_STAFF_ID, apiKeyId: key.id };
  return { host, secret: key.secret };
}
