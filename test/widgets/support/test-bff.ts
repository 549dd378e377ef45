// The real BFF inside the test runner's dev server: the Hono app over an embedded PostgreSQL
// (PGlite, in memory), migrated and seeded once, reached by the widgets on the same origin.
// Loaded by web-test-runner.config.mjs through tsx; runs in node, never in the browser.
import type { Context, Middleware } from 'koa';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { createApp } from '../../../server/app.ts';
import { createApiKey } from '../../../server/auth/api-keys.ts';
import { scopes } from '../../../server/auth/scopes.ts';
import { openDatabase } from '../../../server/db/connect.ts';
import { creditKinds } from '../../../server/data/passes.ts';
import { migrate } from '../../../server/db/migrate.ts';
import { purchasePass } from '../../../server/domain/purchases.ts';
import { newId } from '../../../server/ids.ts';
import { DEMO_STAFF_ID, DEMO_TENANT, seed } from '../../../server/seed/index.ts';

export interface TestBff {
  /** Koa middleware: `/api/*` to the Hono app, `/__test/*` to the fixtures below. */
  middleware: Middleware;
  stop(): Promise<void>;
}

type Fetch = (request: Request) => Response | Promise<Response>;

/**
 * Opens, migrates and seeds the database, builds the app and an `embed:create` API key, and
 * returns the middleware that serves them.
 *
 * Test-only routes (never part of the product):
 * - `GET /__test/session?caps=customers:read,customers:write[&expired=1]` mints an embed session
 *   for the demo owner through the real `POST /api/embed/sessions`; `expired=1` then backdates it,
 *   so the real API answers `401 session_expired`.
 * - `POST /__test/outage?token=…&count=1` makes the next `count` API requests carrying that bearer
 *   token fail as an unreachable BFF behind a gateway would: `503` with an HTML page. The BFF itself is
 *   not involved, so nothing about its answers is faked; the retry then reaches the real BFF.
 * - `POST /__test/link-guest?guest=cust_…&profile=cust_…` links a guest record to a full profile, as
 *   the front desk does (the small test studio's seed may have no linked pair).
 * - `POST /__test/coupon-name?coupon=coup_…&name=…` renames a catalogue coupon: the catalogue comes
 *   from the studio's billing system, and the API has no write for it.
 * - `POST /__test/policy?policy=pol_…&name=…&title=…&body=…` renames a policy and rewrites its current
 *   version's title and text (the studio's settings write policies; the API only reads them); answers
 *   the previous ones, `{ data: { name, title, body } }`, to be put back.
 * - `POST /__test/name?of=product|staff&id=…&name=…` renames a product (the billing system's) or a staff
 *   member (the staff directory's), neither of which the API writes; answers the previous `{ data: { name } }`.
 * - `POST /__test/email?customer=cust_…&subject=…` records an email sent to the customer, as the mail
 *   service does (the API only reads them).
 * - `POST /__test/class-start?class=cls_…&minutes=60` moves a class to start that many minutes from now
 *   (its bookings follow), as the timetable, which has no write in the API either, would.
 * - `POST /__test/role-link?customer=cust_…&role=front_desk` links the customer to a role at the studio,
 *   as the staff directory, which has no write in the API, does (the seed links few: some days none).
 * - `POST /__test/purchase?customer=cust_…&product=pack|unlimited|no-credits` sells the customer the
 *   studio's first product of that sort, paid at the desk, through the domain's `purchasePass` (sales come
 *   from the billing system; the API has no write for them), and answers `{ data: { pass_id } }`.
 */
export async function startTestBff(options: { customers?: number; log?: (line: string) => void } = {}): Promise<TestBff> {
  const log = options.log ?? ((line: string) => console.log(line));
  const started = performance.now();
  const db = await openDatabase({ pgliteDir: 'memory://' });
  await migrate(db.sql);
  await seed(db.sql, { customers: options.customers ?? 120, seed: 7 });
  // Every test acts as the demo owner through one key — one principal, at a machine's pace (over 600
  // requests in some minutes): the product's limit of 600 a minute is for people; the server tests test it.
  const app = createApp({ sql: db.sql, log: (message, error) => log(`[bff] ${message} ${error ?? ''}`), rateLimitPerMinute: 100_000 });
  // A key hands out only what it holds itself: every scope, so that each test picks the capabilities it needs.
  const key = await createApiKey(db.sql, { tenantId: DEMO_TENANT, name: 'widget tests', scopes: [...scopes] });
  log(`[bff] embedded database migrated and seeded in ${Math.round(performance.now() - started)} ms`);

  const outages = new Map<string, number>();

  /** A session for the test page's origin, which is the BFF's own: the widgets reach it on the page's origin. */
  async function mintSession(capabilities: string[], expired: boolean, origin: string) {
    const response = await app.fetch(
      new Request(`${origin}/api/embed/sessions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key.secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ staff_id: DEMO_STAFF_ID, capabilities, origin }),
      }),
    );
    const body = (await response.json()) as { data?: { id: string; token: string; expires_at: string } };
    if (response.status !== 201 || !body.data) return { status: response.status, body };
    if (expired) {
      await db.sql`update embed_sessions
        set created_at = now() - interval '20 minutes', expires_at = now() - interval '10 minutes'
        where tenant_id = ${DEMO_TENANT} and id = ${body.data.id}`;
    }
    return { status: 200, body: { data: { ...body.data, expired } } };
  }

  const middleware: Middleware = async function testBff(ctx, next) {
    if (ctx.path === '/__test/session' && ctx.method === 'GET') {
      const caps = String(ctx.query.caps ?? 'customers:read').split(',').filter(Boolean);
      const { status, body } = await mintSession(caps, ctx.query.expired === '1', ctx.origin);
      ctx.status = status;
      ctx.set('cache-control', 'no-store');
      ctx.body = body;
      return;
    }
    if (ctx.path === '/__test/outage' && ctx.method === 'POST') {
      outages.set(String(ctx.query.token), Number(ctx.query.count ?? 1));
      ctx.status = 204;
      return;
    }
    if (ctx.path === '/__test/link-guest' && ctx.method === 'POST') {
      const linked = await db.sql`update customers set linked_profile_id = ${String(ctx.query.profile)}
        where tenant_id = ${DEMO_TENANT} and id = ${String(ctx.query.guest)} and is_guest returning id`;
      ctx.status = linked.length ? 204 : 404;
      return;
    }
    if (ctx.path === '/__test/coupon-name' && ctx.method === 'POST') {
      const renamed = await db.sql`update coupons set name = ${String(ctx.query.name)}
        where tenant_id = ${DEMO_TENANT} and id = ${String(ctx.query.coupon)} returning id`;
      ctx.status = renamed.length ? 204 : 404;
      return;
    }
    if (ctx.path === '/__test/policy' && ctx.method === 'POST') {
      const policy = String(ctx.query.policy);
      const previous = await db.sql.begin(async (sql) => {
        const [was]: [{ name: string; title: string; body: string }?] = await sql`
          select p.name, v.title, v.body from policies p
          join policy_versions v on v.tenant_id = p.tenant_id and v.policy_id = p.id and v.version = p.current_version
          where p.tenant_id = ${DEMO_TENANT} and p.id = ${policy}`;
        if (!was) return undefined;
        await sql`update policies set name = ${String(ctx.query.name)} where tenant_id = ${DEMO_TENANT} and id = ${policy}`;
        await sql`update policy_versions v set title = ${String(ctx.query.title)}, body = ${String(ctx.query.body)} from policies p
          where p.tenant_id = v.tenant_id and p.id = v.policy_id and v.version = p.current_version
            and v.tenant_id = ${DEMO_TENANT} and v.policy_id = ${policy}`;
        return was;
      });
      ctx.status = previous ? 200 : 404;
      ctx.body = previous ? { data: previous } : '';
      return;
    }
    if (ctx.path === '/__test/name' && ctx.method === 'POST') {
      const tables: Record<string, string> = { product: 'products', staff: 'staff' };
      const table = tables[String(ctx.query.of)];
      const [was]: [{ name: string }?] = table ? await db.sql`
        update ${db.sql(table)} t set name = ${String(ctx.query.name)} from ${db.sql(table)} was
        where was.tenant_id = t.tenant_id and was.id = t.id and t.tenant_id = ${DEMO_TENANT} and t.id = ${String(ctx.query.id)}
        returning was.name` : [];
      ctx.status = was ? 200 : 404;
      ctx.body = was ? { data: was } : '';
      return;
    }
    if (ctx.path === '/__test/email' && ctx.method === 'POST') {
      const sent = await db.sql`insert into emails (tenant_id, id, customer_id, subject, template, status, sent_at)
        select tenant_id, ${newId('email')}, id, ${String(ctx.query.subject)}, 'reminder', 'delivered', now() from customers
        where tenant_id = ${DEMO_TENANT} and id = ${String(ctx.query.customer)} returning id`;
      ctx.status = sent.length ? 201 : 404;
      return;
    }
    if (ctx.path === '/__test/class-start' && ctx.method === 'POST') {
      const moved = await db.sql`update classes set starts_at = now() + make_interval(mins => ${Number(ctx.query.minutes)}::int)
        where tenant_id = ${DEMO_TENANT} and id = ${String(ctx.query.class)} returning id`;
      ctx.status = moved.length ? 204 : 404;
      return;
    }
    if (ctx.path === '/__test/role-link' && ctx.method === 'POST') {
      const linked = await db.sql`update customers c set role_links = jsonb_build_array(jsonb_build_object('business', t.name, 'role', ${String(ctx.query.role)}::text))
        from tenants t where t.id = c.tenant_id and c.tenant_id = ${DEMO_TENANT} and c.id = ${String(ctx.query.customer)} returning c.id`;
      ctx.status = linked.length ? 204 : 404;
      return;
    }
    if (ctx.path === '/__test/purchase' && ctx.method === 'POST') {
      const sorts: Record<string, ReturnType<typeof db.sql>> = {
        pack: db.sql`kind = 'pass' and credits is not null`,
        unlimited: db.sql`kind in ${db.sql(creditKinds)} and credits is null`,
        'no-credits': db.sql`kind in ('retail', 'gift_card')`,
      };
      const sort = sorts[String(ctx.query.product)];
      const [product] = sort ? await db.sql<{ id: string }[]>`
        select id from products where tenant_id = ${DEMO_TENANT} and ${sort} order by id limit 1` : [];
      if (!product) {
        ctx.status = 404;
        return;
      }
      const { pass } = await db.sql.begin((sql) => purchasePass(sql, {
        tenantId: DEMO_TENANT, customerId: String(ctx.query.customer), productId: product.id,
        channel: 'admin', paymentStatus: 'paid', actor: DEMO_STAFF_ID,
      }));
      ctx.status = 201;
      ctx.body = { data: { pass_id: pass.id } };
      return;
    }
    if (ctx.path === '/api' || ctx.path.startsWith('/api/')) {
      const token = /^Bearer\s+(\S+)$/.exec(ctx.get('authorization'))?.[1];
      const left = token ? outages.get(token) ?? 0 : 0;
      if (left > 0) {
        outages.set(token!, left - 1);
        ctx.status = 503;
        ctx.type = 'text/html';
        ctx.body = '<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>';
        return;
      }
      await forward(ctx, app.fetch);
      return;
    }
    await next();
  };

  return {
    middleware,
    async stop() {
      await db.close();
    },
  };
}

/** Hands a koa request to a fetch handler as a standard Request and writes its Response back, streaming both bodies. */
export async function forward(ctx: Context, fetchHandler: Fetch): Promise<void> {
  const url = new URL(ctx.originalUrl, `${ctx.protocol}://${ctx.host}`);
  const headers = new Headers();
  for (const [name, value] of Object.entries(ctx.req.headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const abort = new AbortController();
  // The browser gave up (a stale search aborted): stop reading the handler's answer.
  ctx.res.once('close', () => {
    if (!ctx.res.writableFinished) abort.abort();
  });
  const hasBody = ctx.method !== 'GET' && ctx.method !== 'HEAD';
  const request = new Request(url, {
    method: ctx.method,
    headers,
    body: hasBody ? (Readable.toWeb(ctx.req) as unknown as ReadableStream<Uint8Array>) : undefined,
    signal: abort.signal,
    // Node's fetch needs this for a streamed request body.
    ...(hasBody ? { duplex: 'half' } : {}),
  } as RequestInit);

  const response = await fetchHandler(request);
  ctx.status = response.status;
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') ctx.set(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) ctx.set('set-cookie', cookies);
  ctx.body = response.body ? Readable.fromWeb(response.body as unknown as NodeReadableStream<Uint8Array>) : '';
}
