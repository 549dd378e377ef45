import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { join } from 'node:path';
import type { Sql } from 'postgres';
import { authenticate } from './auth/authenticate.ts';
import { apiHeaders } from './http/api-headers.ts';
import { cors, requireAllowedOrigin } from './http/cors.ts';
import { rateLimit } from './http/rate-limit.ts';
import { tenantTransaction } from './http/tenant-transaction.ts';
import type { AppEnv } from './http/env.ts';
import { errorBody, errorHandler } from './http/errors.ts';
import { openApiDocument } from './openapi.ts';
import { customers } from './routes/customers.ts';
import { demoRoutes, type DemoHost } from './routes/demo.ts';
import { exampleRoutes } from './routes/examples.ts';
import { health } from './routes/health.ts';
import { kitAssets } from './routes/kit.ts';
import { bookings } from './routes/bookings.ts';
import { coupons } from './routes/coupons.ts';
import { passes } from './routes/passes.ts';
import { profile } from './routes/profile.ts';
import { sessions } from './routes/sessions.ts';
import { activity } from './routes/activity.ts';
import { appointments } from './routes/appointments.ts';
import { audit } from './routes/audit.ts';
import { customerDetailRoutes } from './routes/customer-detail.ts';
import { customersAdmin } from './routes/customers-admin.ts';
import { emails } from './routes/emails.ts';
import { notes } from './routes/notes.ts';
import { subscriptions } from './routes/subscriptions.ts';
import { videos } from './routes/videos.ts';
import { waivers } from './routes/waivers.ts';

const root = join(import.meta.dirname, '..');

/**
 * Whether the server serves the demo (its staff page, and `/demo/session`, which mints an owner
 * session for whoever asks): `DEMO=1` turns it on, `DEMO=0` off; unset, only on the embedded
 * database — a local trial — never on a `DATABASE_URL` server, whatever it holds.
 */
export function demoEnabled(setting: string | undefined, database: 'embedded' | 'server'): boolean {
  if (setting === '1') return true;
  if (setting === '0') return false;
  return database === 'embedded';
}

export interface AppOptions {
  sql: Sql;
  /**
   * Serve the demo staff page and mint its sessions (off in the API-only tests). Unauthenticated by
   * design: give it only where {@link demoEnabled} says so.
   */
  demo?: DemoHost;
  log?: (message: string, error?: unknown) => void;
  /** Requests per minute one credential may make (default: RATE_LIMIT_PER_MINUTE, else 600). */
  rateLimitPerMinute?: number;
  /**
   * The origin pages reach the BFF at (`PUBLIC_ORIGIN`, see http/public-origin.ts): same-origin
   * checks compare with it, never with the Host header. `server/main.ts` always sets it; left out,
   * each request's own URL stands in, which only a test or an in-process host calling `fetch` may rely on.
   */
  publicOrigin?: string;
}

/**
 * The API under /api: every route behind CORS, the body limit, the bearer credential, its rate limit
 * and its studio's transaction. CORS comes first so that every refusal after it, the 413 included,
 * is readable by an allowed page.
 */
function api(perMinute: number) {
  return new Hono<AppEnv>()
    .use(cors())
    .use(bodyLimit({
      maxSize: 64 * 1024,
      onError: (c) => c.json(errorBody('payload_too_large', 'The request body is larger than 64 KB.'), 413),
    }))
    .use(authenticate())
    .use(requireAllowedOrigin())
    .use(rateLimit({ perMinute }))
    .use(tenantTransaction())
    .route('/', sessions)
    .route('/', customers)
    .route('/', profile)
    .route('/', passes)
    .route('/', bookings)
    .route('/', customerDetailRoutes)
    .route('/', customersAdmin)
    .route('/', subscriptions)
    .route('/', appointments)
    .route('/', videos)
    .route('/', notes)
    .route('/', emails)
    .route('/', activity)
    .route('/', coupons)
    .route('/', waivers)
    .route('/', audit);
}

export function createApp({
  sql, demo, log = console.error, rateLimitPerMinute = Number(process.env.RATE_LIMIT_PER_MINUTE || 600), publicOrigin,
}: AppOptions) {
  const app = new Hono<AppEnv>();
  // A client's own X-Request-Id is echoed and written in the logs: kept only when short and plain
  // (letters, digits, _, - and =), else replaced by a fresh one.
  app.use(requestId({ limitLength: 64 }));
  app.use(async function requestContext(c, next) {
    c.set('sql', sql);
    c.set('publicOrigin', publicOrigin ?? new URL(c.req.url).origin);
    await next();
  });
  app.use('/api/*', apiHeaders());
  app.route('/', health);
  app.get('/api/openapi.json', (c) => c.json(openApiDocument(app), 200));
  app.route('/api', api(rateLimitPerMinute));
  app.route('/', kitAssets(join(root, 'dist')));
  if (demo) {
    app.route('/', demoRoutes(demo));
    app.route('/', exampleRoutes({ dir: join(root, 'demo', 'examples'), built: join(root, 'dist', 'examples') }));
    app.use('/*', serveStatic({ root: join(root, 'demo') }));
  }

  app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}.`), 404));
  app.onError(errorHandler({ log }));
  return app;
}

export type AppType = ReturnType<typeof createApp>;
