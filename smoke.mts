import { createApp } from './server/app.ts';
import { createApiKey } from './server/auth/api-keys.ts';
import { scopes } from './server/auth/scopes.ts';
import { openDatabase } from './server/db/connect.ts';
import { migrate } from './server/db/migrate.ts';
import { call } from './test/support/api.ts';
const db = await openDatabase({ url: 'postgres://postgres@127.0.0.1:5432/ck_probe_seed' });
console.log(await migrate(db.sql));
const key = (await createApiKey(db.sql, { tenantId: 'biz_demo', name: 'smoke', scopes })).secret;
const app = createApp({ sql: db.sql });
const [{ customer_id }] = await db.sql`select customer_id from bookings where tenant_id = 'biz_demo' group by 1 order by count(*) desc limit 1`;
const r = await call(app, 'GET', `/api/customer/${customer_id}/detail`, { token: key });
console.log(r.status, JSON.stringify(r.body, null, 1).slice(0, 6000));
for (const sub of ['subscriptions', 'appointments', 'videos', 'notes', 'emails', 'activity?type=booked,cancelled&limit=3']) {
  const s = await call(app, 'GET', `/api/customer/${customer_id}/${sub}`, { token: key });
  console.log(sub, s.status, JSON.stringify(s.body).slice(0, 600));
}
await db.close();
