import postgres from 'postgres';
import { customerDetail } from './server/data/customer-detail.ts';
let captured: { q: string; p: unknown[] } | null = null;
const sql = postgres('postgres://postgres@127.0.0.1:5432/ck_probe_seed', { max: 1, debug: (_c, q, p) => { if (q.includes('linked_guests')) captured = { q, p: p as unknown[] }; } });
const [{ customer_id }] = await sql`select customer_id from bookings where tenant_id = 'biz_demo' group by 1 order by count(*) desc limit 1`;
const all = { products: true, bookingStats: true, coupons: true, waivers: true, activity: true, emails: true, notes: true, roles: true, attribution: true };
for (let i = 0; i < 30; i++) { const t = performance.now(); await customerDetail(sql, { tenantId: 'biz_demo', customerId: customer_id, sections: all }); console.log((performance.now() - t).toFixed(1)); }
const plan = await sql.unsafe('explain (analyze, buffers) ' + captured!.q, captured!.p as any[]);
console.log(plan.map((r: any) => r['QUERY PLAN']).join('\n'));
await sql.end();
