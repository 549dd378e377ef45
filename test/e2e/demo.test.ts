import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startServer, type StartedServer } from '../support/start-server.ts';

const screenshot = join(import.meta.dirname, '..', '..', 'docs', 'demo.png');

let server: StartedServer;
let browser: Browser;
let page: Page;

before(async () => {
  server = await startServer();
  console.log(`# server ready in ${Math.round(server.startupMs)} ms on a fresh embedded database (seeded on start)`);
  browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a staff member searches, opens a customer and edits the profile', async () => {
  await page.goto(`${server.url}/`);
  const rows = page.locator('customer-list').getByRole('row');
  await rows.nth(1).waitFor();

  const [{ lastname, email }] = await page.evaluate(async () => {
    const session = await (await fetch('/demo/session')).json();
    const reply = await fetch('/api/customers?archived=false&limit=5', { headers: { authorization: `Bearer ${session.data.token}` } });
    return (await reply.json()).data.slice(2, 3) as { lastname: string; email: string }[];
  });
  await page.getByRole('searchbox').fill(email);
  await page.locator('customer-list').getByRole('row', { name: new RegExp(email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }).click();

  const profile = page.locator('#profile-form');
  const firstname = profile.getByLabel('First name', { exact: true });
  await firstname.waitFor();
  assert.equal(await profile.getByLabel('Last name', { exact: true }).inputValue(), lastname);
  await firstname.fill('Edited');
  await profile.getByRole('button', { name: 'Save profile' }).click();
  await profile.getByRole('status').getByText('Profile updated successfully').waitFor();

  // The README's picture: the whole list beside the edited profile.
  await page.getByRole('searchbox').fill('');
  await rows.nth(10).waitFor();
  await mkdir(join(screenshot, '..'), { recursive: true });
  await page.screenshot({ path: screenshot });

  const check = await page.evaluate(async (mail) => {
    const session = await (await fetch('/demo/session')).json();
    const reply = await fetch(`/api/customers?q=${encodeURIComponent(mail)}`, { headers: { authorization: `Bearer ${session.data.token}` } });
    return (await reply.json()).data[0];
  }, email);
  assert.equal(check.firstname, 'Edited');
});
