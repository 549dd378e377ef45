import { buildLongPass } from './credit-usage.ts';
import { databaseTargets } from '../test/support/databases.ts';
import { usageSummary } from '../server/domain/summary.ts';
import { getPass, listEntries } from '../server/data/passes.ts';
import { createApp } from '../server/app.ts';
for (const target of await databaseTargets()) {
  const db = await target.open();
  const { studio, passId, customer, key } = await buildLongPass(db);
  const t = studio.tenantId;
  const pass = (await getPass(db.sql, t, customer, passId))!;
  const timeit = async (name: string, f: () => Promise<unknown>) => {
    for (let i = 0; i < 10; i++) await f();
    const s = performance.now(); for (let i = 0; i < 50; i++) await f();
    console.log(target.name ?? '', name, ((performance.now() - s) / 50).toFixed(2), 'ms');
  };
  await timeit('getPass', () => getPass(db.sql, t, customer, passId));
  await timeit('summary', () => usageSummary(db.sql, t, pass));
  await timeit('entries', () => listEntries(db.sql, { tenantId: t, passId, type: null, limit: 25 } as any));
  const app = createApp({ sql: db.sql });
  await timeit('GET /api/session', async () => (await app.fetch(new Request('http://x/api/session', { headers: { authorization: `Bearer ${key}` } }))).text());
  await timeit('GET credit-usage', async () => (await app.fetch(new Request(`http://x/api/customer/${customer}/passes/${passId}/credit-usage?limit=25`, { headers: { authorization: `Bearer ${key}` } }))).text());
  await db.close();
}
