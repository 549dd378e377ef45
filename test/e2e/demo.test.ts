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

test('a staff member adjusts credits with a reason and sees the ledger change', async () => {
  // A customer with a credit pass that has credits left, found through the demo's own session.
  const target = await page.evaluate(async () => {
    const session = await (await fetch('/demo/session')).json();
    const headers = { authorization: `Bearer ${session.data.token}` };
    for (let cursor = ''; ;) {
      const list = await (await fetch(`/api/customers?archived=false&limit=50${cursor}`, { headers })).json();
      for (const customer of list.data) {
        const passes = await (await fetch(`/api/customer/${customer.id}/passes?status=active`, { headers })).json();
        const pass = passes.data.find((p: any) => p.credits_left > 0);
        if (pass) return { id: customer.id as string, email: customer.email as string, passId: pass.id as string, left: pass.credits_left as number };
      }
      if (!list.next_cursor) return null;
      cursor = `&cursor=${list.next_cursor}`;
    }
  });
  assert.ok(target, 'the demo studio has a customer with credits left');

  await page.getByRole('searchbox').fill(target.email);
  await page.locator('customer-list').getByRole('row', { name: new RegExp(target.email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }).click();
  await page.locator(`#passes-body button[data-pass-id="${target.passId}"]`).click();

  const usage = page.locator('credit-usage');
  await usage.getByRole('button', { name: 'Adjust credits' }).click();
  const dialog = usage.getByRole('dialog');
  await dialog.getByLabel('Credits to add or remove').fill('2');
  await dialog.getByText(`New balance: ${target.left} → ${target.left + 2}`).waitFor();
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await dialog.getByText('Give a reason of at least 5 characters.').waitFor();
  await dialog.getByLabel('Reason', { exact: true }).fill('Courtesy credit after a cancelled class');
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await usage.getByText(`2 credits added; ${target.left + 2} left.`).waitFor();
  await usage.getByRole('cell', { name: 'Courtesy credit after a cancelled class' }).first().waitFor();

  // The server's ledger agrees with what the page shows.
  const usageReply = await page.evaluate(async ({ id, passId }) => {
    const session = await (await fetch('/demo/session')).json();
    const reply = await fetch(`/api/customer/${id}/passes/${passId}/credit-usage?limit=1`, {
      headers: { authorization: `Bearer ${session.data.token}` },
    });
    return (await reply.json()).data;
  }, target);
  assert.equal(usageReply.summary.credits_left, target.left + 2);
  assert.equal(usageReply.entries[0].type, 'manual');
  assert.equal(usageReply.entries[0].delta, 2);
  assert.equal(usageReply.entries[0].reason, 'Courtesy credit after a cancelled class');
});
