import { serve } from '@hono/node-server';
import { createApp, demoEnabled } from './app.ts';
import { databaseOptionsFromEnv, openDatabase } from './db/connect.ts';
import { migrate } from './db/migrate.ts';
import { publicOriginFrom } from './http/public-origin.ts';
import { prepareDemo, revokeDemoKey } from './demo-setup.ts';
import { startCreditJobs } from './domain/expiry.ts';
import { startHousekeeping } from './domain/housekeeping.ts';

const started = performance.now();
const host = process.env.HOST || '127.0.0.1';
const port = Number(process.env.PORT || 8787);
// Checked before anything starts: a malformed PUBLIC_ORIGIN stops the server here, in one line.
try {
  publicOriginFrom(process.env.PUBLIC_ORIGIN, host, port);
} catch (error) {
  console.error(`customer-kit: ${(error as Error).message}`);
  process.exit(1);
}

const db = await openDatabase({
  ...databaseOptionsFromEnv(),
  statementTimeoutMs: Number(process.env.STATEMENT_TIMEOUT_MS || 5000),
});
await migrate(db.sql);
await revokeDemoKey(db.sql);
// The demo page mints owner sessions for anyone who asks: only on the embedded database, or on request.
const demo = demoEnabled(process.env.DEMO, db.kind) ? await prepareDemo(db.sql, { seedIfEmpty: db.kind === 'embedded' }) : null;
// Renewals and expiries; safe on several instances at once (advisory lock per batch).
const stopJobs = startCreditJobs(db.sql);
// Idempotency answers, expired sessions and stale rate-limit windows, hourly.
const stopHousekeeping = startHousekeeping(db.sql);
// PGlite has no autovacuum: refresh the planner's statistics now and then, as a server would itself.
const analyze = db.kind === 'embedded'
  ? setInterval(() => db.sql`analyze`.catch((error) => console.error('analyze failed', error)), 60 * 60_000).unref()
  : undefined;

// The app is made once the server listens, as its public origin defaults to the port it got (PORT=0
// picks a free one); Node runs this callback before it accepts the first connection.
let app: ReturnType<typeof createApp>;
const server = serve({ fetch: (request, env) => app.fetch(request, env), hostname: host, port }, (info) => {
  const publicOrigin = publicOriginFrom(process.env.PUBLIC_ORIGIN, host, info.port);
  app = createApp({ sql: db.sql, demo: demo?.host, publicOrigin });
  const where = db.kind === 'embedded' ? `embedded PostgreSQL in ${process.env.PGLITE_DIR || '.data/pglite'}` : 'DATABASE_URL';
  console.log(`customer-kit is serving on ${where} (ready in ${Math.round(performance.now() - started)} ms)`);
  if (!process.env.PUBLIC_ORIGIN && /^(0\.0\.0\.0|::|\[::\])$/.test(host)) {
    console.log(`  Warning: HOST=${host} listens on every address, but the BFF takes ${publicOrigin} for its own origin; set PUBLIC_ORIGIN to the one browsers use.`);
  }
  if (demo) {
    console.log(`  Demo staff page:  ${publicOrigin}/`);
    console.log(`  API:              ${publicOrigin}/api  (OpenAPI: ${publicOrigin}/api/openapi.json)`);
    console.log(`  Demo API key (every scope, revoked at the next start):\n  ${demo.secret}`);
    if (!/^(127\.|::1$|localhost$)/.test(host)) {
      console.log(`  Warning: HOST=${host} — anyone who reaches this port gets an owner session from /demo/session; DEMO=0 turns the demo off.`);
    }
  } else if (demoEnabled(process.env.DEMO, db.kind)) {
    console.log(`  API: ${publicOrigin}/api — no demo studio in this database; run \`npm run kit -- seed\` for one.`);
  } else {
    console.log(`  API: ${publicOrigin}/api — the demo is off (DEMO=1 serves it on a database holding the demo studio).`);
  }
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  stopJobs();
  stopHousekeeping();
  clearInterval(analyze);
  console.log(`${signal}: finishing open requests, then closing the database`);
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    if ('closeIdleConnections' in server) server.closeIdleConnections();
    setTimeout(resolve, 5000).unref();
  });
  await db.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
