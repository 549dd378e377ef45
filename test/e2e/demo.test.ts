import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startServer, type StartedServer } from '../support/start-server.ts';

const root = join(import.meta.dirname, '..', '..');
const screenshot = join(root, 'docs', 'demo.png');
/** Screenshots to look at, not kept in git. */
const results = join(root, 'test-results');

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
  await mkdir(results, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A GET of the real API with the demo page's own kind of session. */
function apiGet<T>(path: string): Promise<T> {
  return page.evaluate(async (p) => {
    const session = await (await fetch('/demo/session')).json();
    const reply = await fetch(`/api/${p}`, { headers: { authorization: `Bearer ${session.data.token}` } });
    return (await reply.json()).data;
  }, path);
}

async function openCustomer(email: string) {
  await page.getByRole('searchbox').fill(email);
  await page.locator('customer-list').getByRole('row', { name: new RegExp(escape(email)) }).click();
  await page.locator('customer-detail').getByRole('heading', { level: 2 }).waitFor();
}

test('a staff member searches, opens a customer and edits the details', async () => {
  await page.goto(`${server.url}/`);
  const rows = page.locator('customer-list').getByRole('row');
  await rows.nth(1).waitFor();

  const [{ id, firstname, lastname, email }] = (await apiGet<{ id: string; firstname: string; lastname: string; email: string }[]>(
    'customers?archived=false&limit=5',
  )).slice(2, 3);
  await openCustomer(email);

  const detail = page.locator('customer-detail');
  assert.equal(await detail.getByRole('heading', { level: 2 }).textContent(), `${firstname} ${lastname}`);
  await detail.getByRole('button', { name: 'Actions' }).click();
  await detail.getByRole('menuitem', { name: 'Edit details' }).click();
  const dialog = detail.getByRole('dialog');
  const first = dialog.getByLabel('First name', { exact: true });
  assert.equal(await first.inputValue(), firstname);
  assert.equal(await dialog.getByLabel('Last name', { exact: true }).inputValue(), lastname);
  // A name a customer might ask to go by (the README's picture shows it).
  const edited = firstname === 'Juniper' ? 'June' : 'Juniper';
  await first.fill(edited);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await detail.getByRole('heading', { level: 2, name: `${edited} ${lastname}` }).waitFor();
  await detail.getByRole('status').getByText('Saved.').waitFor();
  // The list follows the customer page.
  await page.locator('customer-list').getByRole('row', { name: new RegExp(`${edited} ${lastname}`) }).waitFor();

  const check = await apiGet<{ firstname: string }>(`customer/${id}/profile`);
  assert.equal(check.firstname, edited);

  // The README's picture: the whole list beside the opened customer page.
  await page.getByRole('searchbox').fill('');
  await rows.nth(10).waitFor();
  await detail.getByRole('tab', { selected: true }).waitFor();
  await detail.locator('[part~=stats]').waitFor();
  await page.waitForTimeout(300);
  await mkdir(join(screenshot, '..'), { recursive: true });
  await page.screenshot({ path: screenshot });
});

test('a staff member adjusts credits with a reason through "View usage" and sees the ledger change', async () => {
  // A customer with a credit pass that has credits left, found through the demo's own session.
  const target = await page.evaluate(async () => {
    const session = await (await fetch('/demo/session')).json();
    const headers = { authorization: `Bearer ${session.data.token}` };
    for (let cursor = ''; ;) {
      const list = await (await fetch(`/api/customers?archived=false&limit=50${cursor}`, { headers })).json();
      for (const customer of list.data) {
        const passes = await (await fetch(`/api/customer/${customer.id}/passes?status=active`, { headers })).json();
        const pass = passes.data.find((p: any) => p.credits_left > 0 && p.credits_total !== null);
        if (pass) {
          return { id: customer.id as string, email: customer.email as string, passId: pass.id as string, left: pass.credits_left as number,
            total: pass.credits_total as number };
        }
      }
      if (!list.next_cursor) return null;
      cursor = `&cursor=${list.next_cursor}`;
    }
  });
  assert.ok(target, 'the demo studio has a customer with credits left');

  await openCustomer(target.email);
  const detail = page.locator('customer-detail');
  const product = detail.locator(`[data-pass="${target.passId}"]`);
  await product.getByText(`${target.left} of ${target.total} credits left`).waitFor();
  await product.getByRole('button', { name: /^View usage/ }).click();

  const usage = detail.locator('credit-usage');
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
  const usageReply = await apiGet<any>(`customer/${target.id}/passes/${target.passId}/credit-usage?limit=1`);
  assert.equal(usageReply.summary.credits_left, target.left + 2);
  assert.equal(usageReply.entries[0].type, 'manual');
  assert.equal(usageReply.entries[0].delta, 2);
  assert.equal(usageReply.entries[0].reason, 'Courtesy credit after a cancelled class');

  // Closing the usage: focus goes back to "View usage", and the pass behind it shows the new balance.
  await detail.getByRole('dialog').getByRole('button', { name: 'Close' }).last().click();
  await product.getByText(`${target.left + 2} of ${target.total + 2} credits left`).waitFor();
  assert.equal(await product.getByRole('button', { name: /^View usage/ }).evaluate((b) => b.matches(':focus')), true);
});

test('the customer page in German and dark, in a 320px sidebar and on a wide page (screenshots to look at)', async () => {
  // Same customer as before: the page is still open on it.
  const detail = page.locator('customer-detail');
  await page.locator('#theme').selectOption('dark');
  await page.locator('#language').selectOption('de-DE');
  await detail.getByRole('button', { name: 'Aktionen' }).waitFor();
  await detail.getByRole('heading', { name: 'Produkte und Credits' }).waitFor();
  await page.screenshot({ path: join(results, 'demo-de-dark.png') });
  await page.locator('#theme').selectOption('light');
  await page.locator('#language').selectOption('en-GB');
  await detail.getByRole('button', { name: 'Actions' }).waitFor();

  // The same element, alone on the page in a box of each width.
  const id = await detail.evaluate((el) => (el as HTMLElement & { customerId: string }).customerId);
  for (const [name, width] of [['narrow', 320], ['wide', 1200]] as const) {
    await page.setViewportSize({ width: width + 80, height: 900 });
    await page.evaluate(({ id, width }) => {
      document.body.innerHTML = `<div id="box" style="width:${width}px;margin:20px"><customer-detail theme="light" locale="en-GB"></customer-detail></div>`;
      (document.querySelector('#box customer-detail') as HTMLElement & { customerId: string }).customerId = id;
    }, { id, width });
    const box = page.locator('#box customer-detail');
    await box.getByRole('tab', { selected: true }).waitFor();
    await box.locator('coupon-manager').locator('[part~=empty], [part~=coupon]').first().waitFor();
    await box.locator('waiver-status').locator('[part~=summary], [part~=empty]').first().waitFor();
    const overflow = await box.evaluate((el) => el.shadowRoot!.querySelector('[part=base]')!.scrollWidth - el.clientWidth);
    assert.ok(overflow <= 0, `${name}: nothing sticks out (${overflow}px)`);
    await box.screenshot({ path: join(results, `customer-detail-${name}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
});

test('on a phone the customer list fits its box, and choosing a customer brings the record into view', async () => {
  const phone = await browser.newPage({ viewport: { width: 375, height: 740 } });
  try {
    await phone.goto(`${server.url}/`);
    const list = phone.locator('customer-list');
    await list.getByRole('row').nth(1).waitFor();
    // Long addresses wrap rather than push the table past its box.
    const overflow = await list.evaluate((el) => {
      const wrap = el.shadowRoot!.querySelector('.table-wrap')!;
      return wrap.scrollWidth - wrap.clientWidth;
    });
    assert.ok(overflow <= 0, `the table sticks out of its box by ${overflow}px`);
    await list.getByRole('row').nth(3).click();
    const heading = phone.locator('customer-detail').getByRole('heading', { level: 2 });
    await heading.waitFor();
    await phone.waitForFunction(() => {
      const top = document.querySelector('customer-detail')!.getBoundingClientRect().top;
      return top > -1 && top < innerHeight / 2;
    }, undefined, { timeout: 5000 });
    await phone.screenshot({ path: join(results, 'demo-phone-open.png') });
  } finally {
    await phone.close();
  }
});
