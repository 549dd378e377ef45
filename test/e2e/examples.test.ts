// The embedding examples of demo/examples/ in Chromium, against the real BFF on an embedded database:
// the CMS page, the third-party portal on another origin (at 127.0.0.1 and at localhost), the strict-CSP
// page, the React host, and the examples' folders reached without their slash.
// Needs `npm run build` first (the kit in dist/, and the React example's bundle in dist/examples/react/).
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createPortal } from '../../demo/examples/portal/server.ts';
import { createApp } from '../../server/app.ts';
import { openDatabase, type Database } from '../../server/db/connect.ts';
import { migrate } from '../../server/db/migrate.ts';
import { prepareDemo } from '../../server/demo-setup.ts';
import { strictCsp } from '../../server/routes/examples.ts';
import { DEMO_STAFF_ID, seed } from '../../server/seed/index.ts';

/** Both on the demo studio's embed-origin list (server/seed/plans.ts). */
const PORTAL_PORT = 8790;
const PORTAL_ORIGIN = `http://127.0.0.1:${PORTAL_PORT}`;
const PORTAL_LOCALHOST = `http://localhost:${PORTAL_PORT}`;

let db: Database;
let bff: ServerType;
let portalApp: ReturnType<typeof createPortal>;
let portal: ServerType;
let bffUrl: string;
let apiKey: string;
let browser: Browser;

function listen(fetch: (request: Request) => Response | Promise<Response>, port: number) {
  return new Promise<ServerType>((resolve) => {
    const server = serve({ fetch, hostname: '127.0.0.1', port }, () => resolve(server));
  });
}

before(async () => {
  const started = performance.now();
  // In process rather than `npm start`, so that the portal test can fast-forward the clock in the database.
  db = await openDatabase({ pgliteDir: 'memory://' });
  await migrate(db.sql);
  await seed(db.sql, { customers: 40, seed: 1 });
  const demo = (await prepareDemo(db.sql, { seedIfEmpty: false }))!;
  apiKey = demo.secret;
  bff = await listen(createApp({ sql: db.sql, demo: demo.host }).fetch, 0);
  bffUrl = `http://127.0.0.1:${(bff.address() as AddressInfo).port}`;
  portalApp = createPortal({
    kitUrl: bffUrl, apiKey, origins: [PORTAL_ORIGIN, PORTAL_LOCALHOST], staffId: DEMO_STAFF_ID, password: 'portal-demo', ttlSeconds: 30,
  });
  portal = await listen(portalApp.fetch, PORTAL_PORT);
  console.log(`# BFF and portal ready in ${Math.round(performance.now() - started)} ms`);
  browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  await new Promise((done) => portal ? portal.close(done) : done(undefined));
  await new Promise((done) => bff ? bff.close(done) : done(undefined));
  await db?.close();
});

/** A fresh browser context and page that fails the test on any uncaught page error. */
async function open(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { context, page, errors };
}

/** A customer of the demo studio with a pass, found through the API with a demo session. */
async function customerWithPass(page: Page) {
  return page.evaluate(async () => {
    const session = await (await fetch('/demo/session')).json();
    const headers = { authorization: `Bearer ${session.data.token}` };
    const list = await (await fetch('/api/customers?archived=false&limit=100', { headers })).json();
    for (const customer of list.data) {
      const passes = await (await fetch(`/api/customer/${customer.id}/passes?status=all`, { headers })).json();
      // An active pass that counts credits, which the strict-CSP page opens (and whose credits may be adjusted).
      const pass = passes.data.find((p: { status: string; credits_left: number | null }) => p.status === 'active' && p.credits_left !== null);
      if (pass) return { id: customer.id as string, email: customer.email as string, passId: pass.id as string };
    }
    throw new Error('no customer with an active pass that counts credits');
  });
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Signs in to the portal at one of its origins, as its user "desk". */
async function signInToPortal(page: Page, origin: string) {
  await page.goto(`${origin}/`);
  await page.getByLabel('User').fill('desk');
  await page.getByLabel('Password').fill('portal-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The status of a BFF request with an embed-session token, sent from a page at `origin`. */
async function statusWith(token: string, origin: string) {
  return (await fetch(`${bffUrl}/api/customers?limit=1`, { headers: { authorization: `Bearer ${token}`, origin } })).status;
}

const renewals = (page: Page) => page.evaluate(() => (window as unknown as { portalRenewals: number }).portalRenewals);

describe('1. CMS page', () => {
  test('one module script and one <customer-detail>, themed by the page with --ck-* tokens and ::part()', async () => {
    const { context, page, errors } = await open();
    const html = (await (await fetch(`${bffUrl}/examples/cms.html`)).text()).replace(/<!--[\s\S]*?-->/g, '');
    assert.equal(html.match(/<script\b/g)?.length, 1, 'exactly one script tag');
    assert.match(html, /<script type="module">\s*import \{ configure \} from '\/kit\/customer-kit\.js'/);
    assert.equal(html.match(/<customer-detail\b/g)?.length, 1, 'one element');
    assert.doesNotMatch(html, /ck_key_|ck_ses_/, 'no key or token in the page');

    await page.goto(`${bffUrl}/examples/cms.html`);
    await page.getByText('Open this page with ?customer=').waitFor();
    const target = await customerWithPass(page);
    await page.goto(`${bffUrl}/examples/cms.html?customer=${target.id}`);
    const detail = page.locator('customer-detail');
    await detail.getByRole('heading', { level: 2 }).first().waitFor();
    assert.equal(await page.locator('#no-customer').isVisible(), false, 'the hint only without a customer');
    await detail.getByRole('tab', { selected: true }).first().waitFor();

    // (No named helpers inside evaluate: tsx would wrap them in a `__name` call the page lacks.)
    const styles = await detail.evaluate((el) => {
      const root = el.shadowRoot!;
      return {
        // --ck-color-accent, set on the element by the page, colours the chosen tab inside.
        tabBorder: getComputedStyle(root.querySelector('[role="tab"][aria-selected="true"]')!).borderBottomColor,
        // ::part(header) and ::part(menu-button) from the page's style sheet.
        headerBackground: getComputedStyle(root.querySelector('[part~="header"]')!).backgroundColor,
        menuTransform: getComputedStyle(root.querySelector('[part~="menu-button"]')!).textTransform,
        // --ck-font-family.
        font: getComputedStyle(root.querySelector('[part~="base"]')!).fontFamily,
      };
    });
    assert.equal(styles.tabBorder, 'rgb(122, 31, 92)');
    assert.equal(styles.headerBackground, 'rgb(243, 228, 238)');
    assert.equal(styles.menuTransform, 'uppercase');
    assert.match(styles.font, /Georgia/);
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('2. Third-party portal on another origin', () => {
  test('signs in its user, mints server-side, and the widget keeps working past the session expiry', async () => {
    const { context, page, errors } = await open();
    // Not signed in: the login form, and no token for strangers.
    assert.equal((await fetch(`${PORTAL_ORIGIN}/embed-token`, { method: 'POST', headers: { origin: PORTAL_ORIGIN } })).status, 401);
    // A wrong password, of any length or alphabet, is told so (its bytes, not its letters, differ in length here).
    for (const password of ['wrong', 'portal-démo', 'ééééééééééé']) {
      const refused = await fetch(`${PORTAL_ORIGIN}/login`, { method: 'POST', body: new URLSearchParams({ user: 'desk', password }), redirect: 'manual' });
      assert.equal(refused.status, 401, password);
      assert.match(await refused.text(), /Wrong user or password/);
    }
    await signInToPortal(page, PORTAL_ORIGIN);

    const list = page.locator('customer-list');
    await list.getByRole('row').nth(1).waitFor();
    assert.equal(new URL(page.url()).origin, PORTAL_ORIGIN);
    assert.notEqual(new URL(bffUrl).origin, PORTAL_ORIGIN, 'the widget talks to another origin');

    // The secret never reaches the browser: not in the page, not in what the page can fetch.
    const pageHtml = await page.content();
    const served = await page.evaluate(async () => (await fetch('/', { credentials: 'same-origin' })).text());
    const renewal = await page.evaluate(async () => (await fetch('/embed-token', { method: 'POST' })).text());
    for (const text of [pageHtml, served, renewal]) {
      assert.ok(!text.includes('ck_key_'), 'no API key in what the browser sees');
      assert.ok(!text.includes(apiKey));
    }
    // The session is short (30 s) and bound to the portal's origin.
    const minted = JSON.parse(renewal) as { token: string; expires_at: string };
    const ttl = (Date.parse(minted.expires_at) - Date.now()) / 1000;
    assert.ok(ttl > 0 && ttl <= 31, `TTL ${ttl} s`);
    assert.equal(await statusWith(minted.token, 'http://127.0.0.1:8787'), 403, 'a portal session is refused from another origin');
    assert.equal(await renewals(page), 0);

    // A customer to search for later (read with the portal-minted token, as the portal's origin).
    // (One beyond the first page of 10, so that only the search can show it.)
    const [target] = ((await (await fetch(`${bffUrl}/api/customers?archived=false&limit=20`, {
      headers: { authorization: `Bearer ${minted.token}`, origin: PORTAL_ORIGIN },
    })).json()) as { data: { email: string }[] }).data.slice(15);
    const pageToken = /sessionToken: "(ck_ses_[\w-]+)"/.exec(pageHtml)?.[1];
    assert.ok(pageToken, 'the page holds only its embed-session token');

    // Fast-forward: every session minted for the portal is now past its expiry.
    await db.sql`update embed_sessions
      set created_at = now() - interval '10 minutes', expires_at = now() - interval '1 second'
      where origin = ${PORTAL_ORIGIN}`;
    const expired = await fetch(`${bffUrl}/api/customers?limit=1`, { headers: { authorization: `Bearer ${pageToken}`, origin: PORTAL_ORIGIN } });
    assert.equal(expired.status, 401);
    assert.equal(((await expired.json()) as { error: { code: string } }).error.code, 'session_expired');

    // The widget's next request (a search) meets 401 session_expired, renews once and succeeds.
    await list.getByRole('searchbox').fill(target.email);
    await list.getByRole('row', { name: new RegExp(escape(target.email)) }).waitFor();
    await list.getByRole('row').nth(2).waitFor({ state: 'detached' });
    assert.equal(await list.getByRole('row').count(), 2, 'the header and the one match');
    // …and <customer-detail>, sharing the page's configuration, opens that customer on the renewed session.
    await list.getByRole('row', { name: new RegExp(escape(target.email)) }).click();
    await page.locator('customer-detail').getByText(target.email).first().waitFor();
    assert.equal(await renewals(page), 1, 'fetchSessionToken was called once, without a reload');
    assert.equal(await list.getByText(/session expired/i).count(), 0);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('works at localhost too, on sessions for the origin the page is open at, and mints for no other site', async () => {
    const { context, page, errors } = await open();
    await signInToPortal(page, PORTAL_LOCALHOST);
    const list = page.locator('customer-list');
    await list.getByRole('row').nth(1).waitFor();
    assert.equal(new URL(page.url()).origin, PORTAL_LOCALHOST);

    // The page's token and a renewed one work from localhost, and only from there.
    const pageToken = /sessionToken: "(ck_ses_[\w-]+)"/.exec(await page.content())?.[1];
    const renewed = await page.evaluate(async () => (await (await fetch('/embed-token', { method: 'POST' })).json()).token);
    for (const token of [pageToken!, renewed as string]) {
      assert.equal(await statusWith(token, PORTAL_LOCALHOST), 200);
      assert.equal(await statusWith(token, PORTAL_ORIGIN), 403, 'not even from the portal\'s other origin');
    }

    // The user's cookie does not get a token for a page elsewhere: another site (CSRF), the portal's other
    // origin, no Origin at all, or a page whose name was rebound to the portal's address (DNS rebinding).
    const [{ value }] = await context.cookies(PORTAL_LOCALHOST);
    const cookie = `portal_session=${value}`;
    const mint = (host: string, headers: Record<string, string>) =>
      portalApp.fetch(new Request(`http://${host}/embed-token`, { method: 'POST', headers: { host, cookie, ...headers } }));
    const host = new URL(PORTAL_LOCALHOST).host;
    assert.equal((await mint(host, { origin: PORTAL_LOCALHOST })).status, 200, 'the cookie itself is good');
    for (const origin of ['https://evil.example', PORTAL_ORIGIN]) assert.equal((await mint(host, { origin })).status, 403, origin);
    assert.equal((await mint(host, {})).status, 403, 'no Origin');
    const rebound = 'rebound.example:8790';
    assert.equal((await mint(rebound, { origin: `http://${rebound}` })).status, 403, 'rebound');
    const reboundPage = await portalApp.fetch(new Request(`http://${rebound}/`, { headers: { host: rebound, cookie } }));
    assert.equal(reboundPage.status, 421, 'nor a page, whose token would be minted for it');

    // The widget keeps working past the session's expiry: the next customer opens on a renewed session.
    await list.getByRole('row').nth(1).click();
    await page.locator('customer-detail').getByRole('heading', { level: 2 }).first().waitFor();
    await db.sql`update embed_sessions
      set created_at = now() - interval '10 minutes', expires_at = now() - interval '1 second'
      where origin = ${PORTAL_LOCALHOST}`;
    const next = list.getByRole('row').nth(2);
    const email = (await next.getByRole('gridcell').nth(1).textContent())!.trim();
    await next.click();
    await page.locator('customer-detail').getByText(email).first().waitFor();
    assert.equal(await renewals(page), 1, 'renewed once, from localhost');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('with a key that is not live, the portal says so (502, naming CUSTOMER_KIT_API_KEY) instead of a bare 500', async () => {
    const host = new URL(PORTAL_ORIGIN).host;
    const stale = createPortal({ kitUrl: bffUrl, apiKey: `ck_key_${'x'.repeat(32)}`, origins: [PORTAL_ORIGIN], staffId: DEMO_STAFF_ID, password: 'pw' });
    const login = await stale.fetch(new Request(`${PORTAL_ORIGIN}/login`, {
      method: 'POST', headers: { host }, body: new URLSearchParams({ user: 'desk', password: 'pw' }),
    }));
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    for (const request of [
      new Request(`${PORTAL_ORIGIN}/`, { headers: { host, cookie } }),
      new Request(`${PORTAL_ORIGIN}/embed-token`, { method: 'POST', headers: { host, cookie, origin: PORTAL_ORIGIN } }),
    ]) {
      const reply = await stale.fetch(request);
      assert.equal(reply.status, 502, request.url);
      assert.match(await reply.text(), /session \(401\)\. CUSTOMER_KIT_API_KEY is not a live key/);
    }
  });
});

describe('3. Strict Content-Security-Policy', () => {
  test('every element renders and opens its dialog with zero CSP violations', async () => {
    const { context, page, errors } = await open();
    const reply = await page.goto(`${bffUrl}/examples/strict-csp.html`);
    assert.equal(reply!.headers()['content-security-policy'], strictCsp);
    const target = await customerWithPass(page);

    const list = page.locator('#elements > section > customer-list');
    await list.getByRole('searchbox').fill(target.email);
    await list.getByRole('row', { name: new RegExp(escape(target.email)) }).click();

    // customer-list: the add dialog.
    await list.getByRole('button', { name: 'Add customer' }).click();
    await list.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await list.getByRole('dialog').waitFor({ state: 'hidden' });

    // credit-usage: the ledger and the adjust dialog.
    const usage = page.locator('#elements > section > credit-usage');
    await usage.getByRole('table').first().waitFor();
    await usage.getByRole('button', { name: 'Adjust credits' }).click();
    await usage.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await usage.getByRole('dialog').waitFor({ state: 'hidden' });

    // coupon-manager: the add dialog with its picker.
    const coupons = page.locator('#elements > section > coupon-manager');
    await coupons.locator('[part~="add-button"]').click();
    await coupons.getByRole('dialog').getByRole('searchbox').or(coupons.getByRole('dialog').getByRole('textbox')).first().waitFor();
    await coupons.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await coupons.getByRole('dialog').waitFor({ state: 'hidden' });

    // waiver-status: a policy's text in its dialog.
    const waivers = page.locator('#elements > section > waiver-status');
    await waivers.getByRole('button', { name: /Read/ }).first().click();
    await waivers.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await waivers.getByRole('dialog').waitFor({ state: 'hidden' });

    // customer-detail: the record with its credit bars, the actions menu and the edit dialog.
    const detail = page.locator('customer-detail');
    await detail.getByText(target.email).first().waitFor();
    await detail.getByRole('button', { name: 'Actions' }).click();
    await detail.getByRole('menuitem', { name: 'Edit details' }).click();
    await detail.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await detail.getByRole('dialog').waitFor({ state: 'hidden' });

    const violations = await page.evaluate(() => (window as unknown as { cspViolations: unknown[] }).cspViolations);
    assert.deepEqual(violations, [], 'no CSP violation');
    assert.deepEqual(errors, []);

    // The probe works: an inline style attribute set now is refused and counted.
    await page.evaluate(() => document.body.setAttribute('style', 'color: red'));
    await page.waitForFunction(() => (window as unknown as { cspViolations: unknown[] }).cspViolations.length === 1);
    await context.close();
  });

  test('the error states, a failed load with "Try again" and an ended session, render with zero CSP violations too', async () => {
    const { context, page, errors } = await open();
    await page.goto(`${bffUrl}/examples/strict-csp.html`);
    // The screens above never fail, and the shared error box renders only when something does: two more lists,
    // one whose API root answers nothing the kit can read, and one whose session has ended and is not renewed.
    await page.evaluate(() => {
      const failing = document.createElement('customer-list');
      failing.setAttribute('api-base', '/examples/no-api');
      const ended = document.createElement('customer-list');
      ended.setAttribute('session-token', 'ck_ses_revoked-or-rotated-token-00000000');
      (ended as HTMLElement & { fetchSessionToken: () => Promise<string> }).fetchSessionToken = async () => {
        throw new Error('the page signed the user out');
      };
      document.body.append(failing, ended);
    });
    const [failing, ended] = [page.locator('body > customer-list').nth(0), page.locator('body > customer-list').nth(1)];
    await failing.locator('[part="error"]').getByRole('button', { name: 'Try again' }).waitFor();
    await ended.locator('[part="error"]').getByText('Your session has ended.').waitFor();

    const violations = await page.evaluate(() => (window as unknown as { cspViolations: unknown[] }).cspViolations);
    assert.deepEqual(violations, [], 'no CSP violation');
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('4. React host', () => {
  test('props become properties and ck- events reach React callbacks', async () => {
    const { context, page, errors } = await open();
    const reply = await page.goto(`${bffUrl}/examples/react/`);
    const status = page.locator('#selection');
    await status.getByText('No customer selected').waitFor();
    const list = page.locator('customer-list');
    const row = list.getByRole('row').nth(3);
    await row.waitFor();
    // pageSize={10} went in as a property.
    assert.equal(await list.evaluate((el) => (el as HTMLElement & { pageSize: number }).pageSize), 10);
    await row.click();

    const selected = await list.evaluate((el) => (el as HTMLElement & { selectedId: string }).selectedId);
    assert.match(selected, /^cust_/, 'React passed selectedId back down');
    await status.getByText(`Selected customer: ${selected}`).waitFor();
    await page.locator('.events').getByText(`ck-customer-select {"customerId":"${selected}"}`).waitFor();
    const detail = page.locator('customer-detail');
    assert.equal(await detail.evaluate((el) => (el as HTMLElement & { customerId: string }).customerId), selected);
    await detail.getByRole('heading', { level: 2 }).first().waitFor();
    assert.equal(reply!.headers()['content-security-policy'], strictCsp);
    assert.deepEqual(await page.evaluate(() => (window as unknown as { cspViolations: unknown[] }).cspViolations), [],
      'React and the kit run under the strict CSP too');
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('5. The examples as folders', () => {
  test('/examples/react without its slash redirects to the folder, and the page works there', async () => {
    const reply = await fetch(`${bffUrl}/examples/react?customer=cust_1`, { redirect: 'manual' });
    assert.equal(reply.status, 301);
    assert.equal(reply.headers.get('location'), '/examples/react/?customer=cust_1', 'the query goes along');
    // Only a folder with a page: the portal is not served here, strict-csp/ holds only the page's scripts.
    for (const path of ['/examples/portal', '/examples/strict-csp', '/examples/nothing']) {
      assert.equal((await fetch(`${bffUrl}${path}`, { redirect: 'manual' })).status, 404, path);
    }

    const { context, page, errors } = await open();
    await page.goto(`${bffUrl}/examples/react`);
    assert.equal(page.url(), `${bffUrl}/examples/react/`);
    await page.locator('customer-list').getByRole('row').nth(1).waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });
});
