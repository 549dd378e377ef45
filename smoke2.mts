import { createApp } from './server/app.ts';
import { createApiKey } from './server/auth/api-keys.ts';
import { scopes } from './server/auth/scopes.ts';
import { openDatabase } from './server/db/connect.ts';
import { migrate } from './server/db/migrate.ts';
import { seed } from './server/seed/index.ts';
import { call } from './test/support/api.ts';
import { countingClient } from './test/support/round-trips.ts';
for (const opts of [{ url: 'postgres://postgres@127.0.0.1:5432/ck_probe_seed' }, { pgliteDir: 'memory://' }]) {
  const db = await openDatabase(opts);
  await migrate(db.sql);
  if (!opts.url) { const t = performance.now(); await seed(db.sql, { customers: 200, seed: 3 }); console.log('seed 200 pglite', performance.now() - t); }
  await db.sql.end();
  const wire = await countingClient(db.sql);
  const key = (await createApiKey(wire.sql, { tenantId: 'biz_demo', name: 'smoke', scopes })).secret;
  const app = createApp({ sql: wire.sql });
  const [{ customer_id }] = await wire.sql`select customer_id from bookings where tenant_id = 'biz_demo' group by 1 order by count(*) desc limit 1`;
  for (let i = 0; i < 3; i++) {
    wire.reset();
    const t = performance.now();
    const r = await call(app, 'GET', `/api/customer/${customer_id}/detail`, { token: key });
    console.log(r.status, (performance.now() - t).toFixed(1), 'ms', wire.trips.map((t) => t.sql.map((s) => s.replace(/\s+/g, ' ').slice(0, 50))));
  }
  await wire.close();
  await db.close();
}
