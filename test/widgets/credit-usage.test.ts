import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { CustomerSummary, KitSession } from '../../widgets/core/api-types.ts';
import { formatDateTime, formatEnd, localDate } from '../../widgets/core/format.ts';
import type { CreditSummary, CreditUsageReply, LedgerEntry, Pass } from '../../widgets/credit-usage/credit-usage.api.ts';
import { CreditUsage } from '../../widgets/credit-usage/credit-usage.component.ts';
import '../../widgets/credit-usage/credit-usage.ts';
import { api, holdRequests, outage, requestsTo, session, shadowQuery } from './support/fixtures.ts';

const READ = ['customers:read', 'passes:read'];
const WRITE = [...READ, 'credits:write', 'activity:read'];

performance.setResourceTimingBufferSize(5000);

interface Found {
  customerId: string;
  pass: Pass;
}

/**
 * Seeded passes found through the API: `rich`, a membership several cycles long with no manual
 * changes and a ledger of every kind longer than three pages (read-only tests), and `target`, another
 * customer's membership the adjustment tests write to.
 */
let found: Promise<{ rich: Found; target: Found }> | undefined;
function seeded() {
  return (found ??= (async () => {
    const { token } = await session(READ);
    const memberships: Found[] = [];
    let rich: Found | undefined;
    let cursor: string | null | undefined;
    do {
      const page = await api<CustomerSummary[]>(token, `customers?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      for (const c of page.data) {
        const { data: passes } = await api<Pass[]>(token, `customer/${c.id}/passes?status=all`);
        for (const pass of passes) {
          const candidate = pass.product.kind === 'membership' && !pass.unlimited && pass.status === 'active' &&
            (pass.current_cycle ?? 0) >= 4 && (pass.credits_left ?? 0) >= 2;
          if (!candidate) continue;
          const usage = await api<CreditUsageReply>(token, usagePath({ customerId: c.id, pass }, 'limit=31'));
          const summary = usage.data.pass_summary;
          if (summary.manual_changes === 0 && summary.rollover_credits > 0) {
            memberships.push({ customerId: c.id, pass });
            // What the read-only tests page and filter through: a ledger longer than three pages of ten, with
            // bookings, free cancellations, rollovers and expiries in it.
            if (!rich && usage.data.entries.length > 30 && summary.total_booked > 0 && summary.free_cancellations > 0 && summary.expired > 0) {
              rich = { customerId: c.id, pass };
            }
          }
        }
        // Another customer's: the tests tell the two apart by customer (a 404 for a pass of another customer, requests per customer).
        const target = memberships.find((m) => m.customerId !== rich?.customerId);
        if (rich && target) return { rich, target };
      }
      cursor = page.next_cursor;
    } while (cursor);
    throw new Error(`the seed has ${memberships.length} memberships with rollovers and no manual changes (${rich ? 'one' : 'none'} with a long, varied ledger)`);
  })());
}

/** A pass of `product` sold now to a customer of the seed, through the test BFF (the API sells nothing). */
async function sold(product: 'unlimited' | 'no-credits'): Promise<Found> {
  const { token } = await session(READ);
  const { data: [customer] } = await api<CustomerSummary[]>(token, 'customers?limit=1');
  const reply = await fetch(`/__test/purchase?customer=${customer!.id}&product=${product}`, { method: 'POST' });
  expect(reply.status, `a ${product} product to sell`).to.equal(201);
  const { data } = await reply.json();
  return { customerId: customer!.id, pass: (await api<Pass>(token, `customer/${customer!.id}/passes/${data.pass_id}`)).data };
}

function usagePath({ customerId, pass }: Found, query = ''): string {
  return `customer/${customerId}/passes/${pass.id}/credit-usage${query ? `?${query}` : ''}`;
}

/** Every entry the API lists for a query, following the cursors. */
async function allEntries(token: string, f: Found, query = ''): Promise<LedgerEntry[]> {
  const out: LedgerEntry[] = [];
  let cursor: string | null | undefined;
  do {
    const page = await api<CreditUsageReply>(token, usagePath(f, `${query}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`));
    out.push(...page.data.entries);
    cursor = page.next_cursor;
  } while (cursor);
  return out;
}

async function render(f: Found, caps = WRITE, attrs: { pageSize?: number; locale?: string; theme?: string; width?: number } = {}) {
  const s = await session(caps);
  const el = await fixture<CreditUsage>(html`<credit-usage
    style=${attrs.width ? `width:${attrs.width}px` : ''}
    session-token=${s.token}
    customer-id=${f.customerId}
    pass-id=${f.pass.id}
    page-size=${attrs.pageSize ?? 25}
    locale=${attrs.locale ?? 'en-GB'}
    theme=${attrs.theme ?? 'light'}
  ></credit-usage>`);
  await settled(el);
  return { el, s };
}

/** Waits for the list (rows or empty) or an error, and for the element to finish rendering. */
async function settled(el: CreditUsage) {
  await waitUntil(
    () => !el.shadowRoot!.querySelector('[aria-busy=true]') && el.shadowRoot!.querySelector('tr[data-id], [part=empty], [part=error]'),
    'the credit usage loads',
    { timeout: 8000 },
  );
  await el.updateComplete;
}

const $ = <E extends Element = HTMLElement>(el: CreditUsage, selector: string) => el.shadowRoot!.querySelector<E>(selector);
const $$ = <E extends Element = HTMLElement>(el: CreditUsage, selector: string) => [...el.shadowRoot!.querySelectorAll<E>(selector)];
const rows = (el: CreditUsage) => $$<HTMLTableRowElement>(el, 'tr[data-id]');
const ids = (el: CreditUsage) => rows(el).map((r) => r.dataset.id!);
const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

/** The summary cards as shown: term, operator word (for screen readers), symbol and number. */
function cards(el: CreditUsage) {
  return $$(el, '[part~=card]').map((li) => ({
    term: li.dataset.term!,
    label: text(li.querySelector('.label')),
    op: li.querySelector<HTMLElement>('.op')?.dataset.op ?? '',
    spoken: text(li.querySelector('.op .visually-hidden')),
    symbol: text(li.querySelector('.op [aria-hidden]')),
    value: Number(text(li.querySelector('.value')).replace(/[^\d-]/g, '')),
  }));
}
const card = (el: CreditUsage, term: string) => cards(el).find((c) => c.term === term)!.value;

/** The equation computed from the numbers on screen: the total card must equal the rest combined. */
function addsUp(el: CreditUsage): { computed: number; shown: number } {
  let computed = 0;
  let shown = NaN;
  for (const c of cards(el)) {
    if (c.op === 'equals') shown = c.value;
    else computed += c.op === 'minus' ? -c.value : c.value;
  }
  return { computed, shown };
}

function expectSummary(el: CreditUsage, s: CreditSummary) {
  expect(card(el, 'starting')).to.equal(s.starting_credits);
  expect(card(el, 'booked')).to.equal(s.total_booked);
  expect(card(el, 'free')).to.equal(s.free_cancellations);
  expect(card(el, 'rollover')).to.equal(s.rollover_credits);
  expect(cards(el).find((c) => c.term === 'manual')!.value * (cards(el).find((c) => c.term === 'manual')!.op === 'minus' ? -1 : 1))
    .to.equal(s.manual_changes);
  expect(card(el, 'expired')).to.equal(s.expired);
  expect(card(el, 'left')).to.equal(s.credits_left);
}

function chip(el: CreditUsage, label: string): HTMLButtonElement {
  const found = $$<HTMLButtonElement>(el, '[part=chip]').find((b) => text(b) === label);
  if (!found) throw new Error(`no chip “${label}”`);
  return found;
}

/** A minimal CSV reader (quoted fields, doubled quotes, CRLF). */
function parseCsv(csv: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const ch = csv[i];
    if (quoted) {
      if (ch === '"' && csv[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\n') row.push(field.replace(/\r$/, '')), out.push(row), (row = []), (field = '');
    else field += ch;
  }
  if (field || row.length) out.push([...row, field]);
  return out;
}

async function post(token: string, path: string, body: unknown, method = 'POST') {
  const response = await fetch(`/api/${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

function describeNode(node: Element | null | undefined): string {
  if (!node) return 'nothing';
  return `${node.localName}${node.id ? `#${node.id}` : ''}${node.getAttribute('part') ? `[part=${node.getAttribute('part')}]` : ''}`;
}
async function expectFocus(el: CreditUsage, target: Element | null | undefined, what: string) {
  await waitUntil(() => el.shadowRoot!.activeElement === target, `focus should be on ${what}, is on ${describeNode(el.shadowRoot!.activeElement)}`, {
    timeout: 2000,
  });
}

describe('<credit-usage>', function () {
  before(async function () {
    this.timeout(60000);
    await seeded();
  });

  it('renders the summary, the filter chips and the newest entries of a membership from the BFF', async () => {
    const { rich } = await seeded();
    const { el, s } = await render(rich);
    const { data } = await api<CreditUsageReply>(s.token, usagePath(rich, 'limit=25'));
    const { data: me } = await api<KitSession>(s.token, 'session');

    expect(text($(el, '.title'))).to.equal(rich.pass.product.name);
    expect(cards(el).map((c) => c.label)).to.deep.equal([
      'Starting credits', 'Total booked', 'Free cancellations', 'Rollover credits', 'Manual changes', 'Expired', 'Credits left',
    ]);
    expectSummary(el, data.summary);
    expect($$(el, '[part=chip]').map(text)).to.deep.equal([
      'All usage', 'Credits used to book sessions', 'Added by free cancellations', 'Added or removed manually', 'Rolled over', 'Expired',
    ]);
    expect($$(el, '[part=chip]').map((b) => b.getAttribute('aria-pressed'))).to.deep.equal(['true', 'false', 'false', 'false', 'false', 'false']);
    expect($(el, '[part=filters]')!.getAttribute('role')).to.equal('group');

    expect(ids(el)).to.deep.equal(data.entries.map((e) => e.id));
    const headers = $$(el, 'thead th').map(text);
    expect(headers).to.deep.equal(['Date', 'Type', 'Change', 'Balance', 'Details']);
    // Every row: the time in the studio's timezone, type, signed change, running balance, class and cycle.
    rows(el).forEach((row, i) => {
      const e = data.entries[i];
      const cells = [...row.cells].map(text);
      expect(cells[0]).to.equal(formatDateTime(e.occurred_at, { locale: 'en-GB', timeZone: me.tenant.timezone }));
      expect(row.dataset.type).to.equal(e.type);
      expect(cells[2]).to.equal(e.delta > 0 ? `+${e.delta}` : String(e.delta));
      expect(cells[3]).to.equal(String(e.balance_after));
      if (e.booking) expect(cells[4]).to.contain(`${e.booking.class_name}, class on ${formatDateTime(e.booking.class_starts_at, { locale: 'en-GB', timeZone: me.tenant.timezone })}`);
      expect(cells[4]).to.contain(`Cycle ${e.cycle}`);
    });
    const bookingRow = rows(el).find((r) => r.dataset.type === 'booking')!;
    expect(text(bookingRow.cells[1])).to.equal('Booked');

    // A membership: one option per cycle plus "All cycles", and the chart with its table.
    const options = $$<HTMLOptionElement>(el, '#cycle option');
    expect(options.length).to.equal(data.cycles.length + 1);
    expect(text(options[0])).to.equal('All cycles');
    expect(text(options[1])).to.contain(`Cycle ${data.cycles[0].number}:`).and.contain('(current)');
    expect($(el, '[part=chart] svg')!.getAttribute('aria-hidden')).to.equal('true');
    expect(text($(el, '[part=status]'))).to.equal(`25 entries shown, older ones available.`);
    expect(text($(el, '[part=load-more]'))).to.equal('Load older entries');
  });

  it('is accessible', async () => {
    const { rich } = await seeded();
    const { el } = await render(rich);
    await expect(el).to.be.accessible();
  });

  it('is accessible in the dark theme with a cycle chosen', async () => {
    const { rich } = await seeded();
    const { el } = await render(rich, WRITE, { theme: 'dark' });
    el.cycle = rich.pass.current_cycle! - 1;
    await settled(el);
    await expect(el).to.be.accessible();
  });

  it('stacks each entry in a narrow element (375px), with a visible balance label, and stays a table when wide', async () => {
    const { rich } = await seeded();
    const narrow = (await render(rich, READ, { width: 375 })).el;
    const box = narrow.getBoundingClientRect();
    expect(box.width).to.equal(375);
    const wrap = $(narrow, '.table-wrap')!;
    expect(wrap.scrollWidth, 'no sideways scrolling').to.be.at.most(wrap.clientWidth);
    const rect = (node: Element) => node.getBoundingClientRect();
    for (const row of rows(narrow).slice(0, 5)) {
      const [date, type, change, balance, details] = [...row.cells];
      for (const cell of row.cells) {
        const r = rect(cell);
        expect(cell.checkVisibility(), `${cell.className || cell.cellIndex} is visible`).to.equal(true);
        expect(r.left, 'inside the element').to.be.at.least(box.left);
        expect(r.right, 'inside the element').to.be.at.most(box.right + 0.5);
        expect(r.width).to.be.above(0);
      }
      // First line: the date, and the change at the end; second: the type and the balance; then the details across.
      expect(Math.abs(rect(change).top - rect(date).top)).to.be.below(4);
      expect(rect(change).left).to.be.above(rect(date).right);
      expect(rect(type).top).to.be.at.least(rect(date).bottom - 1);
      expect(Math.abs(rect(balance).top - rect(type).top)).to.be.below(4);
      expect(rect(balance).right).to.be.closeTo(rect(change).right, 1);
      expect(rect(details).top).to.be.at.least(rect(type).bottom - 1);
      expect(rect(details).width).to.be.at.least(rect(row).width - 40);
      // The headers are hidden visually: the balance says what it is.
      expect(getComputedStyle(balance, '::before').content, 'the balance is labelled').to.match(/^"Balance "/);
      expect(text(balance)).to.match(/^\d+$/);
    }
    // Hidden visually only: screen readers still name each cell by its column.
    expect(rect($(narrow, 'thead')!).height).to.be.at.most(1);
    expect($$(narrow, 'thead th').filter((th) => th.checkVisibility()).map(text)).to.deep.equal(['Date', 'Type', 'Change', 'Balance', 'Details']);
    await expect(narrow).to.be.accessible();

    const wide = (await render(rich, READ, { width: 1000 })).el;
    const first = rows(wide)[0];
    expect($$(wide, 'thead th').map((th) => rect(th).height > 20)).to.deep.equal([true, true, true, true, true]);
    expect(getComputedStyle(first).display).to.equal('table-row');
    expect(new Set([...first.cells].map((td) => rect(td).top)).size, 'one line per entry').to.equal(1);
    expect(getComputedStyle(first.cells[3], '::before').content).to.equal('none');
  });

  it('fits the dialog on a 320 px phone (232px): change and balance inside the box, nothing scrolls sideways', async () => {
    const { rich } = await seeded();
    for (const locale of ['en-GB', 'de-DE']) {
      const { el } = await render(rich, READ, { width: 232, locale });
      const box = el.getBoundingClientRect();
      const wrap = $(el, '.table-wrap')!;
      expect(wrap.scrollWidth, `${locale}: the ledger fits`).to.be.at.most(wrap.clientWidth);
      expect($(el, '.base')!.scrollWidth, `${locale}: the element fits (the chart's hidden table too)`).to.be.at.most(232);
      for (const cell of $$(el, 'td.col-change, td.col-balance').slice(0, 10)) {
        expect(cell.getBoundingClientRect().right, `${locale}: ${cell.className} inside`).to.be.at.most(box.right + 0.5);
      }
    }
  });

  it('renders nothing and asks nothing without a customer or a pass', async () => {
    const { rich } = await seeded();
    const s = await session(READ);
    const before = requestsTo('/api/').length;
    const box = await fixture<HTMLDivElement>(html`<div>
      <credit-usage session-token=${s.token}></credit-usage>
      <credit-usage session-token=${s.token} customer-id=${rich.customerId}></credit-usage>
      <credit-usage session-token=${s.token} pass-id=${rich.pass.id}></credit-usage>
    </div>`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const el of box.querySelectorAll<CreditUsage>('credit-usage')) {
      expect(el.shadowRoot!.querySelector('*'), 'an empty element').to.equal(null);
      expect(el.getBoundingClientRect().height).to.equal(0);
    }
    expect(requestsTo('/api/').slice(before)).to.deep.equal([]);
  });

  it('shows a skeleton while loading, then the data', async () => {
    const { rich } = await seeded();
    const s = await session(READ);
    const el = await fixture<CreditUsage>(html`<credit-usage session-token=${s.token} customer-id=${rich.customerId} pass-id=${rich.pass.id}></credit-usage>`);
    expect($(el, '.loading')!.getAttribute('aria-busy')).to.equal('true');
    expect($$(el, '.skeleton').length).to.be.greaterThan(3);
    await settled(el);
    expect($(el, '.loading')).to.equal(null);
  });

  it('lays the summary out as an equation whose numbers add up, for the pass and for each cycle', async () => {
    const { rich } = await seeded();
    const { el, s } = await render(rich);
    const { computed, shown } = addsUp(el);
    expect(computed).to.equal(shown);
    expect(shown).to.equal((await api<Pass>(s.token, `customer/${rich.customerId}/passes/${rich.pass.id}`)).data.credits_left);
    // The operators are visible symbols and words for screen readers.
    expect(cards(el).map((c) => c.symbol).filter(Boolean).join(' ')).to.equal('− + + + − =');
    expect(cards(el).map((c) => c.spoken).filter(Boolean).join(' ')).to.equal('minus plus plus plus minus equals');
    expect($(el, '[part=summary]')!.getAttribute('aria-label')).to.equal('Credit usage summary');
    expect(cards(el).some((c) => c.term === 'voided'), '"Voided (refund)" only when non-zero').to.equal(false);

    // A finished cycle: its own summary adds up to 0.
    const select = $<HTMLSelectElement>(el, '#cycle')!;
    const finished = rich.pass.current_cycle! - 1;
    const { data } = await api<CreditUsageReply>(s.token, usagePath(rich, `cycle=${finished}`));
    select.value = String(finished);
    select.dispatchEvent(new Event('change'));
    await waitUntil(() => ids(el).join() === data.entries.map((e) => e.id).join(), 'the cycle’s entries');
    expectSummary(el, data.summary);
    expect(addsUp(el)).to.deep.equal({ computed: 0, shown: 0 });
    expect(ids(el)).to.deep.equal(data.entries.map((e) => e.id));
    expect(data.entries.every((e) => e.cycle === finished)).to.equal(true);
    expect($(el, '.picked'), 'the chart marks the chosen cycle').to.not.equal(null);
  });

  it('the chart has a text alternative: a table of every cycle', async () => {
    const { rich } = await seeded();
    const { el, s } = await render(rich);
    const { data } = await api<CreditUsageReply>(s.token, usagePath(rich, 'limit=1'));
    const table = $(el, '[part=chart] table')!;
    // Hidden visually by a wrapper: a table's own overflow does not clip it, so it widened a narrow dialog.
    expect(table.parentElement!.classList.contains('visually-hidden')).to.equal(true);
    expect(text(table.querySelector('caption'))).to.equal('Credits per cycle');
    expect([...table.querySelectorAll('tr')[0].children].map(text))
      .to.deep.equal(['Cycle', 'Starting credits', 'Total booked', 'Rollover credits', 'Expired']);
    const body = [...table.querySelectorAll('tr')].slice(1).map((tr) => [...tr.children].map((c) => Number(text(c))));
    const expected = [...data.cycles].reverse().map((c) => [c.number, c.summary.starting_credits, c.summary.total_booked, c.summary.rollover_credits, c.summary.expired]);
    expect(body).to.deep.equal(expected);
    expect($$(el, '[part=chart] rect.bar').length).to.equal(data.cycles.length * 4);
  });

  it('filter chips change the list to entries of that type', async () => {
    const { rich } = await seeded();
    const { el, s } = await render(rich, READ, { pageSize: 100 });
    const chips: [string, string][] = [
      ['Credits used to book sessions', 'booking'],
      ['Added by free cancellations', 'free_cancellation'],
      ['Rolled over', 'rollover'],
      ['Expired', 'expiry'],
    ];
    for (const [label, type] of chips) {
      const expected = (await api<CreditUsageReply>(s.token, usagePath(rich, `type=${type}&limit=100`))).data.entries;
      expect(expected.length, `the seeded pass has ${type} entries`).to.be.greaterThan(0);
      chip(el, label).click();
      await waitUntil(() => ids(el).join() === expected.map((e) => e.id).join(), `the ${type} entries`);
      expect(rows(el).every((r) => r.dataset.type === type)).to.equal(true);
      expect(chip(el, label).getAttribute('aria-pressed')).to.equal('true');
      expect($$(el, '[part=chip][aria-pressed=true]').length).to.equal(1);
      expect(text($(el, '[part=table] caption'))).to.equal(label);
    }
    // The chips are a keyboard-operable toggle group: Space on a focused chip applies it.
    chip(el, 'All usage').focus();
    await sendKeys({ press: 'Space' });
    await waitUntil(() => new Set(rows(el).map((r) => r.dataset.type)).size > 2, 'all types again');
    expect(el.filter).to.equal('all');

    // Nothing of that type: the empty state.
    expect((await api<CreditUsageReply>(s.token, usagePath(rich, 'type=manual'))).data.entries).to.deep.equal([]);
    chip(el, 'Added or removed manually').click();
    const empty = await shadowQuery(el, '[part=empty]');
    expect(text(empty)).to.equal('No credit usage of this kind.');
  });

  it('a filter chosen while older entries load drops that page: the list holds only entries of that type', async () => {
    const { rich } = await seeded();
    const { el, s } = await render(rich, READ, { pageSize: 10 });
    const expected = (await api<CreditUsageReply>(s.token, usagePath(rich, 'type=expiry&limit=10'))).data.entries;
    // The older page of all usage, held back as on a slow network until the filtered list is shown.
    const hold = holdRequests('cursor=');
    try {
      $<HTMLButtonElement>(el, '[part=load-more]')!.click();
      chip(el, 'Expired').click();
      await waitUntil(() => ids(el).join() === expected.map((e) => e.id).join(), 'the expiry entries');
      hold.release();
      // Longer than the held page takes to answer and render.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(ids(el)).to.deep.equal(expected.map((e) => e.id));
    } finally {
      hold.restore();
    }
  });

  it('takes a removed filter attribute (null), or a filter set to undefined as React does with a dropped prop, as all usage', async () => {
    const { rich } = await seeded();
    const { el } = await render(rich, READ, { pageSize: 100 });
    const all = ids(el).join();
    for (const drop of [() => el.removeAttribute('filter'), () => (el.filter = undefined as unknown as 'all')]) {
      el.setAttribute('filter', 'rollover');
      await waitUntil(() => ids(el).join() !== all && rows(el).every((r) => r.dataset.type === 'rollover'), 'the rollovers');
      drop();
      await el.updateComplete;
      await settled(el);
      expect($$(el, '[part=chip][aria-pressed=true]').map(text)).to.deep.equal(['All usage']);
      expect(text($(el, '[part=table] caption'))).to.equal('All usage');
      expect(ids(el).join()).to.equal(all);
      expect(el.filter).to.equal('all');
    }
  });

  it('shows the cycle the page sets in the picker, also after the user chose others', async () => {
    const { rich } = await seeded();
    const { el } = await render(rich, READ);
    const select = $<HTMLSelectElement>(el, '#cycle')!;
    const cycle = rich.pass.current_cycle! - 1;
    for (const value of [cycle, 0]) {
      select.value = String(value);
      select.dispatchEvent(new Event('change'));
      await el.updateComplete;
      await settled(el);
    }
    el.cycle = cycle;
    await el.updateComplete;
    await settled(el);
    expect(select.value).to.equal(String(cycle));
    expect(text(select.selectedOptions[0])).to.contain(`Cycle ${cycle}:`);
  });

  it('Export downloads the CSV of the current filter, the same rows as the list', async () => {
    const { rich } = await seeded();
    const { el, s } = await render(rich, READ, { pageSize: 100 });
    chip(el, 'Credits used to book sessions').click();
    await waitUntil(() => rows(el).length && rows(el).every((r) => r.dataset.type === 'booking'), 'the booking entries');
    // The export holds every entry of the filter: the list loads them all first (a long ledger has more than a page of them).
    while ($(el, '[part=load-more]')) {
      const before = ids(el).length;
      $<HTMLButtonElement>(el, '[part=load-more]')!.click();
      await waitUntil(() => ids(el).length > before, 'the older page is appended');
    }

    const blobs: Blob[] = [];
    const create = URL.createObjectURL;
    const clicks: string[] = [];
    const click = HTMLAnchorElement.prototype.click;
    URL.createObjectURL = (blob: Blob) => (blobs.push(blob), create.call(URL, blob));
    // Record the download instead of letting headless Chromium save a file.
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      clicks.push(this.download);
    };
    try {
      $<HTMLButtonElement>(el, '[part=export-button]')!.click();
      await waitUntil(() => blobs.length === 1 && clicks.length === 1, 'the export is downloaded');
    } finally {
      URL.createObjectURL = create;
      HTMLAnchorElement.prototype.click = click;
    }
    expect(clicks[0]).to.equal(`credit-usage_${rich.pass.id}_booking.csv`);
    const csv = parseCsv(await blobs[0].text());
    expect(csv[0]).to.deep.equal(['Credit usage report']);
    const field = (label: string) => csv.find((r) => r[0] === label)?.[1];
    expect(field('Filter')).to.equal('Credits used to book sessions; All cycles');
    // The report carries the summary on screen: the same credits left.
    expect(field('Credits left')).to.equal(text($(el, '[data-term=left] .value')));
    const start = csv.findIndex((r) => r[0] === 'Entry');
    const header = csv[start];
    const body = csv.slice(start + 1).filter((r) => r.length > 1);
    const col = (name: string) => header.indexOf(name);
    expect(body.map((r) => r[col('Entry ID')])).to.deep.equal(ids(el));
    expect(body.every((r) => r[col('Type')] === 'Booked')).to.equal(true);
    rows(el).forEach((row, i) => {
      expect(body[i][col('Change')]).to.equal(text(row.cells[2]));
      expect(body[i][col('Balance')]).to.equal(text(row.cells[3]));
    });
    expect(text($(el, '[part=status]'))).to.equal(`Downloaded credit-usage_${rich.pass.id}_booking.csv.`);

    // The same export fetched directly with the same token: the same rows.
    const direct = await fetch(`/api/${usagePath(rich).replace('credit-usage', 'credit-usage.csv')}?type=booking`, {
      headers: { authorization: `Bearer ${s.token}` },
    });
    expect(direct.status).to.equal(200);
    expect(parseCsv(await direct.text()).slice(1)).to.deep.equal(csv.slice(1));
  });

  it('pages older entries with “Load older entries”, without duplicates, until the end', async () => {
    const { rich } = await seeded();
    const { el, s } = await render(rich, READ, { pageSize: 10 });
    const expected = await allEntries(s.token, rich, 'type=all');
    expect(expected.length, 'a ledger longer than three pages').to.be.greaterThan(30);
    let pages = 1;
    while ($(el, '[part=load-more]')) {
      const before = ids(el).length;
      $<HTMLButtonElement>(el, '[part=load-more]')!.click();
      await waitUntil(() => ids(el).length > before, 'the older page is appended');
      pages++;
      // Focus moves to the first older entry, where reading continues.
      await expectFocus(el, rows(el)[before], 'the first older entry');
    }
    expect(pages).to.equal(Math.ceil(expected.length / 10));
    expect(ids(el)).to.deep.equal(expected.map((e) => e.id));
    expect(new Set(ids(el)).size).to.equal(ids(el).length);
    expect(text($(el, '[part=status]'))).to.equal(`${expected.length} entries shown.`);
  });

  it('adjusts credits with a reason: preview, evidence, summary and list from the answer, event and announcement', async () => {
    const { target } = await seeded();
    const { el, s } = await render(target);
    const before = (await api<CreditUsageReply>(s.token, usagePath(target, 'limit=1'))).data.summary;
    const button = await shadowQuery<HTMLButtonElement>(el, '[part=adjust-button]');
    expect(text(button)).to.equal('Adjust credits');
    button.click();
    const dialog = $<HTMLDialogElement>(el, 'dialog')!;
    expect(dialog.open).to.equal(true);
    await expectFocus(el, await shadowQuery(el, '#delta'), 'the credits field');
    expect(text($(el, '#dialog-title'))).to.equal(`Adjust credits: ${target.pass.product.name}`);

    // This pass's recent activity, as evidence: none of the customer's other passes'.
    await waitUntil(() => $$(el, '[part=evidence] li').length > 0, 'the recent activity');
    const types = 'booked,cancelled,attended,no_show,purchased,refunded,credits_added,credits_removed,credits_expired,credits_rolled_over,expiry_changed';
    const activity = (await api<{ summary: string }[]>(s.token, `customer/${target.customerId}/activity?limit=5&type=${types}&pass_id=${target.pass.id}`)).data;
    expect($$(el, '[part=evidence] li').map((li) => text(li))).to.have.length(activity.length);
    $$(el, '[part=evidence] li').forEach((li, i) => expect(text(li)).to.contain(activity[i].summary));
    const asked = requestsTo(`/api/customer/${target.customerId}/activity`).map((url) => new URL(url).searchParams.get('pass_id'));
    expect(asked, 'the evidence asks for this pass only').to.include(target.pass.id).and.satisfy((ids: unknown[]) => ids.every((id) => id === target.pass.id));

    // The live preview follows the typing.
    await sendKeys({ type: '3' });
    await waitUntil(() => text($(el, '[part=preview]')) === `New balance: ${before.credits_left} → ${before.credits_left! + 3}`, 'the preview');
    expect($(el, '[part=preview]')!.localName).to.equal('output');

    const reason = $<HTMLInputElement>(el, '#reason')!;
    reason.value = 'Goodwill: studio closed for a burst pipe';
    const adjusted = oneEvent(el, 'ck-credits-adjusted');
    const posts = requestsTo(`/api/customer/${target.customerId}/passes/${target.pass.id}/adjustments`).length;
    $<HTMLButtonElement>(el, '[part=submit-button]')!.click();
    const { detail } = await adjusted;
    expect(detail).to.deep.equal({ passId: target.pass.id, creditsLeft: before.credits_left! + 3, delta: 3 });
    await waitUntil(() => !dialog.open, 'the dialog closes');
    await el.updateComplete;
    await expectFocus(el, button, 'the adjust button');
    expect(requestsTo(`/api/customer/${target.customerId}/passes/${target.pass.id}/adjustments`).length - posts).to.equal(1);

    // Summary and list come from the server's answer, and still add up.
    expect(card(el, 'manual')).to.equal(before.manual_changes + 3);
    expect(card(el, 'left')).to.equal(before.credits_left! + 3);
    expect(addsUp(el).computed).to.equal(addsUp(el).shown);
    const first = rows(el)[0];
    expect(first.dataset.type).to.equal('manual');
    expect(text(first.cells[1])).to.equal('Manual change');
    expect(text(first.cells[2])).to.equal('+3');
    expect(text(first.cells[3])).to.equal(String(before.credits_left! + 3));
    expect(text(first.cells[4])).to.contain('Goodwill: studio closed for a burst pipe').and.contain('by ');
    expect(text($(el, '[part=status]'))).to.equal(`3 credits added; ${before.credits_left! + 3} left.`);

    // The server agrees: one manual entry, the new balance.
    const after = (await api<CreditUsageReply>(s.token, usagePath(target, 'type=manual'))).data;
    expect(after.entries.map((e) => e.id)).to.deep.equal([first.dataset.id]);
    expect(after.pass.credits_left).to.equal(before.credits_left! + 3);
    await expect(el).to.be.accessible();
  });

  it('refuses a missing reason and a balance below zero in the dialog, and the API refuses them too', async () => {
    const { target } = await seeded();
    const { el, s } = await render(target);
    const left = card(el, 'left');
    (await shadowQuery<HTMLButtonElement>(el, '[part=adjust-button]')).click();
    const posts = () => requestsTo(`/api/customer/${target.customerId}/passes/${target.pass.id}/adjustments`).length;
    const before = posts();
    const value = await shadowQuery<HTMLInputElement>(el, '#delta');

    // Below zero: the preview refuses live, and so does Confirm.
    value.value = String(-(left + 1));
    value.dispatchEvent(new Event('input'));
    await waitUntil(() => text($(el, '[part=preview]')).startsWith('Credits cannot go below zero'), 'the preview refuses');
    expect($(el, '[part=preview]')!.classList.contains('error-text')).to.equal(true);
    $<HTMLButtonElement>(el, '[part=submit-button]')!.click();
    await waitUntil(() => $(el, '#reason-error'), 'the field errors');
    expect(text($(el, '#delta-error'))).to.equal(`Credits cannot go below zero: this pass has ${left} left.`);
    expect(text($(el, '#reason-error'))).to.equal('Give a reason of at least 5 characters.');
    expect($(el, '#reason')!.getAttribute('aria-invalid')).to.equal('true');
    expect($(el, '#reason')!.getAttribute('aria-describedby')).to.equal('reason-hint reason-error');
    await expectFocus(el, value, 'the credits field');

    // A short reason is refused as well.
    value.value = '-1';
    value.dispatchEvent(new Event('input'));
    $<HTMLInputElement>(el, '#reason')!.value = ' ok ';
    $<HTMLButtonElement>(el, '[part=submit-button]')!.click();
    await waitUntil(() => !$(el, '#delta-error') && $(el, '#reason-error'), 'only the reason error');
    expect(posts() - before, 'nothing was sent').to.equal(0);
    await expect(el).to.be.accessible();

    // The API refuses them too: 400 for the reason, 422 below zero.
    const path = `customer/${target.customerId}/passes/${target.pass.id}/adjustments`;
    const noReason = await post(s.token, path, { delta: 1 });
    expect(noReason.status).to.equal(400);
    expect(noReason.body.error.details.fields.map((f: { path: string }) => f.path)).to.include('reason');
    const short = await post(s.token, path, { delta: 1, reason: 'abc' });
    expect(short.status).to.equal(400);
    expect(short.body.error.details.fields[0]).to.deep.equal({ path: 'reason', message: 'Give a reason of at least 5 characters.' });
    const below = await post(s.token, path, { delta: -(left + 1), reason: 'Trying to go below zero' });
    expect(below.status).to.equal(422);

    // The server's refusal shows in the dialog: credits spent elsewhere since the view loaded.
    const spent = await post(s.token, path, { delta: -1, reason: 'Spent at the front desk' });
    expect(spent.status).to.equal(201);
    value.value = String(-left);
    value.dispatchEvent(new Event('input'));
    $<HTMLInputElement>(el, '#reason')!.value = 'Remove all remaining credits';
    $<HTMLButtonElement>(el, '[part=submit-button]')!.click();
    await waitUntil(() => text($(el, '.form-error')).includes('credits left'), 'the server’s 422 message');
    expect(text($(el, '.form-error'))).to.contain(`it has ${left - 1} credits left`);
    // In another language, the rule in that language's words, not the server's English.
    el.locale = 'de-DE';
    await waitUntil(() => text($(el, '[part=submit-button]')) === 'Bestätigen', 'the German messages arrive');
    $<HTMLButtonElement>(el, '[part=submit-button]')!.click();
    await waitUntil(() => text($(el, '.form-error')) === 'So viele Credits hat dieser Pass nicht mehr.', 'the same refusal in German');
    expect($<HTMLDialogElement>(el, 'dialog')!.open).to.equal(true);
    $<HTMLButtonElement>(el, '[part=cancel-button]')!.click();
    await expectFocus(el, $(el, '[part=adjust-button]'), 'the adjust button');
  });

  it('changes the expiry with a reason and shows the new date', async () => {
    const { target } = await seeded();
    const { el, s } = await render(target);
    const button = await shadowQuery<HTMLButtonElement>(el, '[part=expiry-button]');
    button.focus();
    await sendKeys({ press: 'Enter' });
    const value = $<HTMLInputElement>(el, '#expires_at')!;
    expect(value.type).to.equal('date');
    await expectFocus(el, value, 'the date field');
    value.value = '2031-03-31';
    value.dispatchEvent(new Event('input'));
    await waitUntil(() => text($(el, '[part=preview]')).includes('31 Mar 2031'), 'the expiry preview');
    $<HTMLInputElement>(el, '#reason')!.value = 'Extended after injury (doctor’s note)';
    const changed = oneEvent(el, 'ck-pass-expiry-changed');
    $<HTMLButtonElement>(el, '[part=submit-button]')!.click();
    const { detail } = await changed;
    const { data: pass } = await api<Pass>(s.token, `customer/${target.customerId}/passes/${target.pass.id}`);
    const { data: me } = await api<KitSession>(s.token, 'session');
    expect(detail).to.deep.equal({ passId: target.pass.id, expiresAt: pass.expires_at });
    // The server stores the first instant after the last day (the next midnight): shown is the last moment the pass covers.
    const until = formatEnd(pass.expires_at, { locale: 'en-GB', timeZone: me.tenant.timezone }, true);
    await waitUntil(() => text($(el, '[part=header]')).includes(`Valid until ${until}`), 'the new expiry in the header');
    expect(until).to.equal('31 Mar 2031, 23:59');
    expect(text($(el, '[part=header]'))).to.not.contain('1 Apr 2031');
    await expectFocus(el, button, 'the expiry button');
    expect(text($(el, '[part=status]'))).to.contain(`Expiry changed: valid until ${until}.`);

    // Escape closes the dialog and focus goes back too.
    button.click();
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !$<HTMLDialogElement>(el, 'dialog')!.open);
    await expectFocus(el, button, 'the expiry button');
  });

  it('offers no expiry before the pass starts: the date field’s minimum, a field error, and the API’s 422', async () => {
    const { target } = await seeded();
    const { el, s } = await render(target);
    const { data: me } = await api<KitSession>(s.token, 'session');
    const start = localDate(new Date(target.pass.starts_at), me.tenant.timezone);
    (await shadowQuery<HTMLButtonElement>(el, '[part=expiry-button]')).click();
    const value = await shadowQuery<HTMLInputElement>(el, '#expires_at');
    expect(value.min).to.equal(start);
    const path = `customer/${target.customerId}/passes/${target.pass.id}`;
    const patches = () => requestsTo(`/api/${path}`).length;
    const before = patches();
    const dayBefore = localDate(new Date(Date.parse(`${start}T12:00:00Z`) - 86_400_000), 'UTC');
    value.value = dayBefore;
    value.dispatchEvent(new Event('input'));
    await waitUntil(() => text($(el, '[part=preview]')) === 'The expiry must be on or after the day the pass starts.', 'the preview refuses');
    $<HTMLInputElement>(el, '#reason')!.value = 'Backdating by mistake';
    $<HTMLButtonElement>(el, '[part=submit-button]')!.click();
    await waitUntil(() => $(el, '#expires_at-error'), 'the field error');
    expect(text($(el, '#expires_at-error'))).to.equal('The expiry must be on or after the day the pass starts.');
    expect(patches() - before, 'nothing was sent').to.equal(0);
    // The server holds the same line, and names the rule the widget words.
    const refused = await post(s.token, path, { expires_at: dayBefore, reason: 'Backdating by mistake' }, 'PATCH');
    expect(refused.status).to.equal(422);
    expect(refused.body.error.details.rules.map((r: { rule: string }) => r.rule)).to.deep.equal(['expiry_after_start']);
  });

  it('a new expiry over a pass someone else changed meanwhile is refused (412): it says so, shows the pass as it is now, overwrites nothing', async () => {
    const { target } = await seeded();
    const { el, s } = await render(target);
    const { data: me } = await api<KitSession>(s.token, 'session');
    const fmt = { locale: 'en-GB', timeZone: me.tenant.timezone };
    const path = `customer/${target.customerId}/passes/${target.pass.id}`;
    (await shadowQuery<HTMLButtonElement>(el, '[part=expiry-button]')).click();
    const value = await shadowQuery<HTMLInputElement>(el, '#expires_at');

    // Behind the widget's back, another member of staff changes the expiry.
    const theirs = await post(s.token, path, { expires_at: '2031-05-31', reason: 'Changed at the desk' }, 'PATCH');
    expect(theirs.status).to.equal(200);
    const theirsShown = formatEnd(theirs.body.data.expires_at, fmt, true);

    value.value = '2031-06-30';
    value.dispatchEvent(new Event('input'));
    $<HTMLInputElement>(el, '#reason')!.value = 'Extended after injury (doctor’s note)';
    $<HTMLButtonElement>(el, '[part=submit-button]')!.click();
    await waitUntil(() => text($(el, '#form-error')), 'the refusal shows');
    expect(text($(el, '#form-error'))).to.equal('Someone else changed this record in the meantime.');
    expect($<HTMLDialogElement>(el, 'dialog')!.open, 'the dialog stays open').to.equal(true);
    expect((await api<Pass>(s.token, path)).data.expires_at, 'theirs stands').to.equal(theirs.body.data.expires_at);
    // The pass as it is now: in the header, and in the dialog's preview of the change.
    await waitUntil(() => text($(el, '[part=header]')).includes(`Valid until ${theirsShown}`), 'the header shows their expiry');
    await waitUntil(() => text($(el, '[part=preview]')).includes(theirsShown), 'the preview starts from their expiry');

    // Confirming again, over what is shown now, saves.
    const changed = oneEvent(el, 'ck-pass-expiry-changed');
    $<HTMLButtonElement>(el, '[part=submit-button]')!.click();
    const { detail } = await changed;
    expect(formatEnd(detail.expiresAt, fmt, true)).to.equal('30 Jun 2031, 23:59');
    expect((await api<Pass>(s.token, path)).data.expires_at).to.equal(detail.expiresAt);

    // The element's own credit change moves the pass's ETag too: the expiry after it is no conflict.
    await waitUntil(() => !$<HTMLDialogElement>(el, 'dialog')!.open && el.shadowRoot!.activeElement, 'the dialog closes');
    (await shadowQuery<HTMLButtonElement>(el, '[part=adjust-button]')).click();
    await expectFocus(el, await shadowQuery(el, '#delta'), 'the credits field');
    await sendKeys({ type: '1' });
    $<HTMLInputElement>(el, '#reason')!.value = 'Goodwill: one more class';
    const adjusted = oneEvent(el, 'ck-credits-adjusted');
    $<HTMLButtonElement>(el, '[part=submit-button]')!.click();
    await adjusted;
    await waitUntil(() => !$<HTMLDialogElement>(el, 'dialog')!.open && el.shadowRoot!.activeElement, 'the dialog closes');
    (await shadowQuery<HTMLButtonElement>(el, '[part=expiry-button]')).click();
    const later = await shadowQuery<HTMLInputElement>(el, '#expires_at');
    later.value = '2031-07-31';
    later.dispatchEvent(new Event('input'));
    $<HTMLInputElement>(el, '#reason')!.value = 'Extended after injury (doctor’s note)';
    const again = oneEvent(el, 'ck-pass-expiry-changed');
    $<HTMLButtonElement>(el, '[part=submit-button]')!.click();
    expect(formatEnd((await again).detail.expiresAt, fmt, true)).to.equal('31 Jul 2031, 23:59');
  });

  it('without activity:read, the dialog shows the pass’s own newest entries as evidence', async () => {
    const { rich } = await seeded();
    const { el, s } = await render(rich, [...READ, 'credits:write']);
    (await shadowQuery<HTMLButtonElement>(el, '[part=adjust-button]')).click();
    await waitUntil(() => $$(el, '[part=evidence] li').length > 0, 'the evidence');
    const { data } = await api<CreditUsageReply>(s.token, usagePath(rich, 'limit=5'));
    const items = $$(el, '[part=evidence] li').map(text);
    expect(items).to.have.length(data.entries.length);
    const newest = data.entries[0];
    expect(items[0]).to.contain(`${text(rows(el)[0].cells[1])} ${text(rows(el)[0].cells[2])} → ${newest.balance_after}`);
    expect(requestsTo(`/api/customer/${rich.customerId}/activity`).length, 'the activity feed is not asked for').to.equal(0);
    $<HTMLButtonElement>(el, '[part=cancel-button]')!.click();
  });

  it('hides the staff actions from a read-only session, and the API refuses them', async () => {
    const { rich } = await seeded();
    const sessionsBefore = requestsTo('/api/session').length;
    const { el, s } = await render(rich, READ);
    expect(requestsTo('/api/session').length).to.be.greaterThan(sessionsBefore);
    expect($(el, '[part=export-button]')).to.not.equal(null);
    expect($(el, '[part=adjust-button]')).to.equal(null);
    expect($(el, '[part=expiry-button]')).to.equal(null);
    const refused = await post(s.token, `customer/${rich.customerId}/passes/${rich.pass.id}/adjustments`, { delta: 1, reason: 'Not allowed here' });
    expect(refused.status).to.equal(403);
  });

  it('shows an error with a retry when the BFF is unreachable, and recovers', async () => {
    const { rich } = await seeded();
    const s = await session(READ);
    await outage(s.token, 2); // the session and the credit usage
    const el = await fixture<CreditUsage>(html`<credit-usage session-token=${s.token} customer-id=${rich.customerId} pass-id=${rich.pass.id}></credit-usage>`);
    const error = await shadowQuery(el, '[part=error]');
    expect(text(error)).to.contain('The credit usage could not be loaded.').and.contain('The service is unavailable right now.');
    await expect(el).to.be.accessible();
    $<HTMLButtonElement>(el, '[part=retry-button]')!.click();
    await waitUntil(() => rows(el).length === 25, 'the retry loads the entries');
    expect($(el, '[part=error]')).to.equal(null);
  });

  it('says so for a pass of another customer (404), an unlimited pass and a product without credits', async () => {
    const { rich, target } = await seeded();
    const { el } = await render({ customerId: target.customerId, pass: rich.pass });
    expect(text($(el, '[part=error]'))).to.contain('This record does not exist or was removed.');

    const { el: open } = await render(await sold('unlimited'));
    expect(text($(open, '[part=empty]'))).to.equal('This pass is unlimited: it has no credits to count.');
    expect($(open, '[part=summary]')).to.equal(null);
    expect($(open, '[part=adjust-button]')).to.equal(null);

    const { el: card } = await render(await sold('no-credits'));
    expect(text($(card, '[part=empty]'))).to.equal('This product carries no credits.');
    expect($(card, '[part=adjust-button]')).to.equal(null);
  });

  it('speaks German with locale="de-DE"', async () => {
    const { rich } = await seeded();
    const { el } = await render(rich, READ, { locale: 'de-DE' });
    // German loads on first use (English stands in meanwhile): the answer may come first.
    await waitUntil(() => cards(el)[0]?.label === 'Start-Credits', 'the German messages arrive');
    expect(cards(el).map((c) => c.label)).to.deep.equal([
      'Start-Credits', 'Insgesamt gebucht', 'Kostenlose Stornierungen', 'Übertragene Credits', 'Manuelle Änderungen', 'Verfallen', 'Verbleibende Credits',
    ]);
    expect(text($$(el, '[part=chip]')[0])).to.equal('Gesamter Verbrauch');
    expect(text($(el, '[part=load-more]'))).to.equal('Ältere Einträge laden');
    expect(text($(el, '[part=export-button]'))).to.equal('CSV exportieren');
    expect(rows(el)[0].cells[3].dataset.label).to.equal('Saldo');
    await expect(el).to.be.accessible();
  });
});
