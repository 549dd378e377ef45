// Example 2 — a third-party admin portal that embeds customer-kit from ANOTHER origin.
//
// The portal is its own small server (Hono on its own port). It signs in its own user with a cookie,
// mints embed sessions server-side with its customer-kit API key (the key never reaches the browser),
// hands only the short-lived token to the page, and answers the page's `fetchSessionToken` with a
// fresh token from the same endpoint. Its origins must be on the studio's embed-origin list, and
// each session is minted for the one the page is open at, so the token is useless on any other site.
//
//   CUSTOMER_KIT_API_KEY=ck_key_… npx tsx demo/examples/portal/server.ts
//   → http://127.0.0.1:8790 or http://localhost:8790 (sign in as "desk" / "portal-demo")
//
// Environment: CUSTOMER_KIT_API_KEY (an API key with `embed:create` and every capability below — a key
// hands out only what it holds; `npm start` prints the demo's, which has every scope),
// CUSTOMER_KIT_URL (the BFF, default http://127.0.0.1:8787), PORTAL_PORT (8790), PORTAL_ORIGIN (the one
// origin browsers reach the portal at, e.g. https://portal.example.com behind a proxy that passes the Host
// header through; default http://127.0.0.1:PORT and http://localhost:PORT), PORTAL_STAFF_ID,
// PORTAL_PASSWORD, EMBED_TTL_SECONDS (30..3600, default 600).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { html, raw } from 'hono/html';

export interface PortalOptions {
  /** The customer-kit BFF's origin, e.g. `http://127.0.0.1:8787`. */
  kitUrl: string;
  /** The portal's customer-kit API key (`embed:create` and the capabilities it hands out). Server-side only. */
  apiKey: string;
  /** The portal's own origins, each on the studio's embed-origin list: a session is minted for the one the page is open at. */
  origins: string[];
  /** The studio staff member the portal acts as. */
  staffId: string;
  /** The portal user's password (a demo: one user, "desk"). */
  password: string;
  /** Embed-session lifetime in seconds (30..3600); short, since the page renews it. */
  ttlSeconds?: number;
}

/** What the embedded elements may do in the portal: a subset of the staff member's role and of the key's scopes. */
const capabilities = [
  'customers:read', 'customers:write', 'profile:read', 'passes:read', 'credits:write', 'activity:read',
  'coupons:read', 'coupons:write', 'waivers:read', 'waivers:write', 'notes:read', 'bookings:read',
];

const cookieName = 'portal_session';

/** customer-kit did not mint: the portal's key, its scopes or its origins are not what the studio has. */
class MintRefused extends Error {
  constructor(readonly status: number, reply: string) {
    super(`customer-kit refused the embed session: ${status} ${reply}`);
  }
}

/** The portal's minting call, server to server with the API key: what a host copies into its backend. */
export async function mintEmbedToken(options: PortalOptions, origin: string): Promise<{ token: string; expires_at: string }> {
  const reply = await fetch(`${options.kitUrl}/api/embed/sessions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      staff_id: options.staffId,
      capabilities,
      origin,
      ttl_seconds: options.ttlSeconds ?? 600,
    }),
  });
  if (reply.status !== 201) throw new MintRefused(reply.status, await reply.text());
  const { data } = (await reply.json()) as { data: { token: string; expires_at: string } };
  return { token: data.token, expires_at: data.expires_at };
}

/** Compares in time that tells nothing of either value, not even its length (digests are of one size, whatever the text). */
const digest = (text: string) => createHash('sha256').update(text).digest();
const same = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

/** A value for an inline `<script>` (raw text, not HTML-escaped): JSON with `<` escaped so that it cannot close the script. */
const scriptValue = (value: unknown) => raw(JSON.stringify(value).replace(/</g, '\\u003c'));

const loginPage = (error = '') => html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Acme Studio Portal — sign in</title></head>
<body>
  <h1>Acme Studio Portal</h1>
  <form method="post" action="/login">
    ${error ? html`<p role="alert">${error}</p>` : ''}
    <p><label for="user">User</label> <input id="user" name="user" autocomplete="username" required></p>
    <p><label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password" required></p>
    <button>Sign in</button>
  </form>
</body>
</html>`;

function portalPage(options: PortalOptions, user: string, token: string) {
  const kit = `${options.kitUrl}/kit/customer-kit.js`;
  return html`<!doctype html>
<html lang="en-GB">
<head>
  <meta charset="utf-8"><link rel="icon" href="data:,">
  <title>Acme Studio Portal — customers</title>
  <style>
    body { margin: 0; font-family: system-ui, sans-serif; }
    header { display: flex; justify-content: space-between; padding: 0.75rem 1.5rem; background: #123047; color: #fff; }
    main { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); gap: 1.5rem; padding: 1.5rem; }
    customer-list, customer-detail { --ck-color-accent: #123047; }
  </style>
</head>
<body>
  <header><strong>Acme Studio Portal</strong> <form method="post" action="/logout">Signed in as ${user} <button>Sign out</button></form></header>
  <main>
    <customer-list page-size="10"></customer-list>
    <customer-detail></customer-detail>
  </main>
  <script type="module">
    import { configure } from ${scriptValue(kit)};

    window.portalRenewals = 0;
    configure({
      apiBase: ${scriptValue(`${options.kitUrl}/api`)},
      // Minted by the portal's server for this page; only the token is in the page.
      sessionToken: ${scriptValue(token)},
      // Called when the session expires: the portal's own endpoint mints a fresh one.
      fetchSessionToken: async () => {
        window.portalRenewals++;
        const reply = await fetch('/embed-token', { method: 'POST', credentials: 'same-origin' });
        if (!reply.ok) throw new Error('portal sign-in expired');
        return (await reply.json()).token;
      },
    });
    document.querySelector('customer-list').addEventListener('ck-customer-select', (event) => {
      event.target.selectedId = event.detail.customerId;
      document.querySelector('customer-detail').customerId = event.detail.customerId;
    });
  </script>
</body>
</html>`;
}

/** The portal as a Hono app (the test runs it; {@link startPortal} serves it). */
export function createPortal(options: PortalOptions) {
  const signedIn = new Map<string, string>();
  const userOf = (cookie: string | undefined) => (cookie ? signedIn.get(cookie) : undefined);
  // Which of the portal's origins the browser asked for. A Host header is the client's say, so it only
  // picks from the list: a page on another name (DNS rebinding) gets no session at all.
  const originAt = (host: string | undefined) => options.origins.find((origin) => new URL(origin).host === host);

  return new Hono()
    // Said to the portal's user and its operator, not a bare 500: most often a key npm start revoked.
    .onError((error, c) => {
      console.error(error instanceof MintRefused ? error.message : error);
      if (!(error instanceof MintRefused)) return c.text('Internal Server Error', 500);
      const hint = error.status === 401 ? ' CUSTOMER_KIT_API_KEY is not a live key (npm start revokes the key it printed at its next start).' : '';
      return c.text(`The portal could not get a customer-kit session (${error.status}).${hint}`, 502);
    })
    .use(async function noStore(c, next) {
      await next();
      c.header('Cache-Control', 'no-store');
    })
    .get('/', async (c) => {
      const user = userOf(getCookie(c, cookieName));
      if (!user) return c.html(loginPage(), 200);
      const origin = originAt(c.req.header('host'));
      if (!origin) return c.text('Not one of the portal\'s origins (PORTAL_ORIGIN).', 421);
      const { token } = await mintEmbedToken(options, origin);
      return c.html(portalPage(options, user, token), 200);
    })
    .post('/login', async (c) => {
      const form = await c.req.parseBody();
      if (form.user !== 'desk' || typeof form.password !== 'string' || !same(form.password, options.password)) {
        return c.html(loginPage('Wrong user or password.'), 401);
      }
      const id = randomBytes(24).toString('base64url');
      signedIn.set(id, 'desk');
      setCookie(c, cookieName, id, { httpOnly: true, sameSite: 'Strict', path: '/' });
      return c.redirect('/', 303);
    })
    .post('/logout', (c) => {
      const id = getCookie(c, cookieName);
      if (id) signedIn.delete(id);
      deleteCookie(c, cookieName, { path: '/' });
      return c.redirect('/', 303);
    })
    // The page's fetchSessionToken: a fresh token for a signed-in user, asked by the portal's own page
    // (browsers send Origin on a POST; another site's is refused) and minted for that page's origin.
    .post('/embed-token', async (c) => {
      if (!userOf(getCookie(c, cookieName))) return c.json({ error: 'not signed in' }, 401);
      const origin = originAt(c.req.header('host'));
      if (!origin || c.req.header('origin') !== origin) return c.json({ error: 'wrong origin' }, 403);
      return c.json(await mintEmbedToken(options, origin), 200);
    });
}

/** Serves the portal on its own port; resolves once it listens. */
export function startPortal(options: PortalOptions, port: number) {
  return new Promise<{ close(): Promise<void> }>((resolve) => {
    const server = serve({ fetch: createPortal(options).fetch, hostname: '127.0.0.1', port }, () =>
      resolve({ close: () => new Promise<void>((done) => server.close(() => done())) }),
    );
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const apiKey = process.env.CUSTOMER_KIT_API_KEY;
  if (!apiKey) throw new Error('Set CUSTOMER_KIT_API_KEY to an API key with embed:create (npm start prints the demo key).');
  const kitUrl = process.env.CUSTOMER_KIT_URL || 'http://127.0.0.1:8787';
  // Told at start rather than at the first sign-in.
  const check = await fetch(`${kitUrl}/api/session`, { headers: { authorization: `Bearer ${apiKey}` } }).catch(() => null);
  if (!check) console.warn(`customer-kit does not answer at ${kitUrl} (CUSTOMER_KIT_URL): is npm start running?`);
  else if (check.status === 401) console.warn('CUSTOMER_KIT_API_KEY is not a live key: npm start revokes the key it printed at its next start.');
  const port = Number(process.env.PORTAL_PORT || 8790);
  // Each must be on the studio's embed-origin list (the demo studio's has both defaults for port 8790).
  const origins = process.env.PORTAL_ORIGIN ? [process.env.PORTAL_ORIGIN] : [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
  await startPortal({
    kitUrl,
    apiKey,
    origins,
    staffId: process.env.PORTAL_STAFF_ID || 'staff_demoowner0000001',
    password: process.env.PORTAL_PASSWORD || 'portal-demo',
    ttlSeconds: Number(process.env.EMBED_TTL_SECONDS || 600),
  }, port);
  console.log(`Acme Studio Portal on ${origins.join(' and ')} (user "desk")`);
}
