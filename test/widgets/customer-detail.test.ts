import { expect, fixture, html, oneEvent, waitUntil as wait } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { CustomerSummary } from '../../widgets/core/api-types.ts';
import { formatDate, formatDateTime, formatEnd, formatMoney, formatNumber } from '../../widgets/core/format.ts';
import type { CouponManager } from '../../widgets/coupon-manager/coupon-manager.component.ts';
import type { CreditUsage } from '../../widgets/credit-usage/credit-usage.component.ts';
import type { CustomerDetail } from '../../widgets/customer-detail/customer-detail.component.ts';
import type { Booking, CustomerDetailData, Product } from '../../widgets/customer-detail/customer-detail.types.ts';
import '../../widgets/customer-detail/customer-detail.ts';
import type { WaiverStatus } from '../../widgets/waiver-status/waiver-status.component.ts';
import { api, holdRequests, onRequest, outage, requestsTo, session, shadowQuery, type TestSession, write } from './support/fixtures.ts';

/** Everything the demo studio's owner may do. */
const OWNER = [
  'customers:read', 'profile:read', 'bookings:read', 'passes:read', 'coupons:read', 'waivers:read', 'activity:read', 'emails:read',
  'notes:read', 'customers:write', 'profile:write', 'bookings:write', 'credits:write', 'coupons:write', 'waivers:write', 'notes:write',
  'roles:read', 'attribution:read',
];
/** A manager: the same, without `roles:read`; and without `attribution:read` as the plan may hold it back. */
const NO_ROLES = OWNER.filter((c) => c !== 'roles:read' && c !== 'attribution:read');
/** Someone who may look, not change. */
const READ_ONLY = OWNER.filter((c) => c.endsWith(':read'));

performance.setResourceTimingBufferSize(5000);

let adminSession: Promise<TestSession> | undefined;
const admin = () => (adminSession ??= session(OWNER));

/** Waits for a condition, long enough for the real BFF on a busy machine. */
const waitUntil = (test: () => unknown, message?: string, options: { timeout?: number } = {}) =>
  wait(test, message, { timeout: 8000, ...options });

const $ = <E extends Element = HTMLElement>(el: Element, selector: string) => el.shadowRoot!.querySelector<E>(selector);
const $$ = <E extends Element = HTMLElement>(el: Element, selector: string) => [...el.shadowRoot!.querySelectorAll<E>(selector)];
const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const section = (el: Element, id: string) => $(el, `[part~=section--${id}]`);
const rows = (el: Element, id: string) => [...(section(el, id)?.querySelectorAll<HTMLElement>('[part~=item]') ?? [])];
const dialogOf = (el: Element) => $<HTMLDialogElement>(el, 'dialog')!;
const menuItem = (el: Element, action: string) => $<HTMLButtonElement>(el, `[role=menuitem][data-action=${action}]`)!;
/** Where focus is, through shadow roots, as text (chai must not print DOM nodes). */
function focused(): string {
  let a: Element | null = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a ? `${a.localName}${a.id ? `#${a.id}` : ''}${a.getAttribute('data-action') ? `[${a.getAttribute('data-action')}]` : ''} ${text(a).slice(0, 40)}` : 'nothing';
}

let customers: CustomerSummary[] = [];
async function allCustomers(token: string): Promise<CustomerSummary[]> {
  if (customers.length) return customers;
  let cursor: string | null | undefined;
  do {
    const page = await api<CustomerSummary[]>(token, `customers?limit=100&archived=false${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    customers.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor);
  return customers;
}

const aggregate = async (token: string, id: string) => (await api<CustomerDetailData>(token, `customer/${id}/detail`)).data;
/** The aggregates read while searching, so that each customer is read once per file (tests change only the ones they take). */
const seen = new Map<string, CustomerDetailData>();

/** Customers a test changes, so that no two tests change the same one. */
const taken: string[] = [];
/**
 * The first seeded customer whose aggregate satisfies `test`. `take` keeps it from the other tests, and
 * searches from the end of the alphabet, away from the first page the other files' tests look at.
 */
async function findCustomer(test: (d: CustomerDetailData) => boolean, take = false): Promise<CustomerDetailData> {
  const { token } = await admin();
  const all = await allCustomers(token);
  for (const c of take ? [...all].reverse() : all) {
    if (taken.includes(c.id)) continue;
    let d = seen.get(c.id);
    if (!d) seen.set(c.id, (d = await aggregate(token, c.id)));
    if (test(d)) {
      if (take) taken.push(c.id);
      return d;
    }
  }
  throw new Error('no seeded customer matches');
}

const rich = (d: CustomerDetailData) =>
  !!d.products?.data.some((p) => p.credits_total !== null) && !!d.activity?.data.length && !!d.emails?.data.length &&
  !!d.notes?.data.length && !!d.attribution && !!d.stats.bookings?.total && !!d.profile.mobile;

/** An active pass that counts its credits. */
const countedActive = (p: Product) => p.credits_total !== null && p.status === 'active' && !p.unlimited;

/** Renders a customer page with a fresh session, in a box `width` pixels wide, and waits for the customer. */
async function mount(id: string, options: { caps?: string[]; width?: number; locale?: string; theme?: string } = {}) {
  const s = await session(options.caps ?? OWNER);
  const box = await fixture<HTMLDivElement>(html`<div style="width:${options.width ?? 1000}px">
    <customer-detail customer-id=${id} session-token=${s.token} locale=${options.locale ?? 'en-GB'} theme=${options.theme ?? 'light'}></customer-detail>
  </div>`);
  const el = box.querySelector<CustomerDetail>('customer-detail')!;
  await shadowQuery(el, '[part=header] h2');
  await el.updateComplete;
  return { el, s, box };
}

/** Waits until the booking history and the children have answered. */
async function settled(el: CustomerDetail) {
  await waitUntil(() => {
    const history = section(el, 'history');
    const waivers = $<WaiverStatus>(el, 'waiver-status');
    const coupons = $<CouponManager>(el, 'coupon-manager');
    return (!history || history.querySelector('[part~=item], .box')) &&
      (!waivers || waivers.shadowRoot?.querySelector('[part=summary], [part=empty], [part=error]')) &&
      (!coupons || coupons.shadowRoot?.querySelector('[part~=coupon], [part=empty], [part=error]'));
  }, 'the sections finish loading', { timeout: 8000 });
  await el.updateComplete;
}

/** A `<customer-detail>` with a fresh session, not in the page yet, and two places in it. */
async function detached() {
  const s = await session(OWNER);
  const box = await fixture<HTMLDivElement>(html`<div><div></div><div></div></div>`);
  const [from, to] = box.children as unknown as [HTMLElement, HTMLElement];
  const el = Object.assign(document.createElement('customer-detail'), { sessionToken: s.token, locale: 'en-GB', theme: 'light' as const });
  return { from, to, el, s };
}

async function openMenu(el: CustomerDetail) {
  $<HTMLButtonElement>(el, '#menu-button')!.click();
  await waitUntil(() => !$(el, '[role=menu]')!.hidden, 'the menu opens');
}

describe('<customer-detail>', function () {
  // Finding the right seeded customer reads many aggregates.
  this.timeout(30000);

  it('renders every section from the aggregate and the sub-resources, as the API answers them', async () => {
    const d = await findCustomer(rich);
    const { el, s } = await mount(d.profile.id);
    await settled(el);
    const fmt = { locale: 'en-GB', timeZone: d.tenant.timezone, currency: d.tenant.currency };
    const p = d.profile;

    // Header: name, contact links, customer since, badges.
    const header = $(el, '[part=header]')!;
    expect(text(header.querySelector('h2'))).to.equal(`${p.firstname} ${p.lastname}`);
    expect(header.querySelector('a[href^=mailto]')!.getAttribute('href')).to.equal(`mailto:${p.email}`);
    expect(header.querySelector('a[href^=tel]')!.textContent).to.equal(p.mobile);
    expect(text(header)).to.contain(`Customer since ${formatDate(p.customer_since, fmt)}`);
    expect(text(header).includes('Waivers: action needed')).to.equal(!d.waivers!.compliant);

    // Stats tiles.
    const b = d.stats.bookings!;
    const tiles = $$(el, '[part=stats] > div').map((t) => [text(t.querySelector('dt')), text(t.querySelector('dd'))]);
    expect(tiles).to.deep.equal([
      ['Lifetime value', formatMoney(d.stats.lifetime_value!.amount, fmt)],
      ['Visits', String(b.attended)],
      ['Attendance rate', b.attendance_rate === null ? '–' : formatNumber(b.attendance_rate, fmt, { style: 'percent' })],
      ['No-shows', String(b.no_shows)],
    ]);

    // Products and credits, in the aggregate's order, each pass with its credits and expiry.
    expect(rows(el, 'products').map((r) => r.dataset.pass)).to.deep.equal(d.products!.data.map((x) => x.id));
    for (const x of d.products!.data) {
      const row = text(rows(el, 'products').find((r) => r.dataset.pass === x.id));
      expect(row).to.contain(x.product.name).and.contain(formatMoney(x.amount, fmt, x.currency));
      if (x.credits_total !== null) expect(row).to.contain(`${x.credits_left} of ${x.credits_total} credits left`);
      // The last day the pass covers (the server stores the next midnight).
      if (x.expires_at) expect(row).to.contain(formatEnd(x.expires_at, fmt));
    }

    // Booking history: the tab the customer's stats call for, as GET …/bookings answers it (upcoming soonest first).
    const past = !b.upcoming;
    expect($(el, `[role=tab][aria-selected=true]`)!.id).to.equal(`tab-${past}`);
    const bookings = await api<Booking[]>(s.token, `customer/${p.id}/bookings?limit=10&${past ? 'status=attended,no_show,cancelled_free,cancelled_late' : 'status=booked&order=asc'}`);
    expect(rows(el, 'history').map((r) => text(r.querySelector('strong')))).to.deep.equal(bookings.data.map((x) => x.class.name));
    if (bookings.data[0]) expect(text(rows(el, 'history')[0])).to.contain(formatDateTime(bookings.data[0].class.starts_at, fmt));
    expect(!!$(el, '[part~=section--history] .more')).to.equal(!!bookings.next_cursor);

    // Activity, emails and notes: the aggregate's first pages.
    expect(rows(el, 'activity').map((r) => text(r.querySelector('p')).replace(text(r.querySelector('[part=badge]')), '').trim())).to.deep.equal(
      d.activity!.data.map((a) => a.summary),
    );
    expect(rows(el, 'emails').map((r) => text(r.querySelector('p')))).to.deep.equal(d.emails!.data.map((e) => e.subject));
    expect(text(rows(el, 'emails')[0])).to.contain(formatDateTime(d.emails!.data[0]!.sent_at, fmt));
    expect(rows(el, 'notes').map((r) => text(r.querySelector('.note')))).to.deep.equal(d.notes!.data.map((n) => n.body.replace(/\s+/g, ' ').trim()));

    // Waivers and coupons: the kit's own elements, configured through the context (no attributes of their own).
    const waivers = $<WaiverStatus>(el, 'waiver-status')!;
    const coupons = $<CouponManager>(el, 'coupon-manager')!;
    for (const child of [waivers, coupons]) {
      expect(child.customerId).to.equal(p.id);
      expect(child.hasAttribute('session-token')).to.equal(false);
      expect(child.shadowRoot!.querySelector('[part=error]')).to.equal(null);
    }
    expect(text(waivers.shadowRoot!.querySelector('[part=summary]'))).to.contain(d.waivers!.compliant ? 'All required policies accepted' : 'Action needed');
    expect(coupons.shadowRoot!.querySelectorAll('[part~=coupon]').length).to.equal(d.coupons!.length);

    // Attribution with its facts; roles present as a section (this customer may have none).
    const attribution = text(section(el, 'attribution'));
    expect(attribution).to.contain(`Source${d.attribution!.source}`);
    if (d.attribution!.first_touch) expect(attribution).to.contain(formatDate(d.attribution!.first_touch, fmt));
    expect(section(el, 'roles')).to.not.equal(null);
  });

  it('is accessible, in light and dark, with the menu and a dialog open', async () => {
    const d = await findCustomer((c) => rich(c) && c.products!.data.some(countedActive));
    for (const theme of ['light', 'dark']) {
      const { el } = await mount(d.profile.id, { theme });
      await settled(el);
      await expect(el).to.be.accessible();
      await openMenu(el);
      await expect(el).to.be.accessible();
      menuItem(el, 'edit').click();
      await waitUntil(() => dialogOf(el).open, 'the edit dialog opens');
      await expect(el).to.be.accessible();
      dialogOf(el).close();
    }
    // The credit usage of a pass, with its "Adjust credits" dialog over the page: every landmark keeps a name of its
    // own (the dialog's evidence is not a second "Recent activity").
    const { el } = await mount(d.profile.id);
    await settled(el);
    const counted = d.products!.data.find(countedActive)!;
    $<HTMLButtonElement>(el, `[data-pass="${counted.id}"] button`)!.click();
    const usage = await shadowQuery<CreditUsage>(el, 'credit-usage');
    (await shadowQuery<HTMLButtonElement>(usage, '[part~=adjust-button]')).click();
    await waitUntil(() => usage.shadowRoot!.querySelector('[part=evidence] li'), 'the evidence shows');
    expect(text(usage.shadowRoot!.querySelector('#evidence-title'))).to.not.equal(text($(el, '#activity-title')));
    await expect(el).to.be.accessible();
  });

  it('walks through the actions menu by keyboard alone', async () => {
    const d = await findCustomer((x) => !!x.profile.mobile && !!x.coupons && x.actions.archive);
    const { el } = await mount(d.profile.id);
    await settled(el);
    // From the page: Tab to the email link, the phone link, then the menu button.
    for (let i = 0; i < 4 && !focused().startsWith('button#menu-button'); i++) await sendKeys({ press: 'Tab' });
    expect(focused()).to.match(/^button#menu-button Actions/);
    const button = $(el, '#menu-button')!;
    expect(button.getAttribute('aria-haspopup')).to.equal('menu');
    expect(button.getAttribute('aria-expanded')).to.equal('false');

    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => focused().startsWith('button[edit]'), 'ArrowDown opens the menu on its first item');
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    expect($$(el, '[role=menuitem]').map((i) => i.dataset.action)).to.deep.equal(['edit', 'add-coupon', 'coupons', 'archive', 'delete']);
    const steps: [string, string][] = [['ArrowDown', 'add-coupon'], ['ArrowDown', 'coupons'], ['End', 'delete'], ['ArrowDown', 'edit'],
      ['ArrowUp', 'delete'], ['Home', 'edit'], ['ArrowUp', 'delete']];
    for (const [key, action] of steps) {
      await sendKeys({ press: key });
      expect(focused(), key).to.contain(`[${action}]`);
    }
    await sendKeys({ press: 'Escape' });
    expect(focused()).to.match(/^button#menu-button/);
    expect($(el, '[role=menu]')!.hidden).to.equal(true);

    // Enter opens the menu too; Enter on "Edit details" opens the dialog, Escape closes it and focus comes back.
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => focused().startsWith('button[edit]'), 'Enter opens the menu');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => dialogOf(el).open, 'the edit dialog opens');
    expect(focused()).to.equal('input#firstname ');
    expect((focused() && ($(el, '#firstname') as HTMLInputElement).value)).to.equal(d.profile.firstname);
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialogOf(el).open && focused().startsWith('button#menu-button'), 'focus returns to the menu button');

    // "Manage coupons" takes focus to the coupon section.
    await sendKeys({ press: 'ArrowUp' });
    await waitUntil(() => focused().startsWith('button[delete]'), 'ArrowUp opens the menu on its last item');
    await sendKeys({ press: 'Home' });
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Enter' });
    expect(focused()).to.equal('h3#coupons-title Coupons');

    // "Add coupon" opens the coupon manager's own dialog; Escape returns to the menu button.
    button.focus();
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Enter' });
    const coupons = $<CouponManager>(el, 'coupon-manager')!;
    await waitUntil(() => coupons.shadowRoot!.querySelector<HTMLDialogElement>('dialog')?.open, 'the add coupon dialog opens');
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => focused().startsWith('button#menu-button'), 'focus returns to the menu button');

    // Tab leaves an open menu and closes it.
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Tab' });
    await waitUntil(() => $(el, '[role=menu]')!.hidden, 'Tab closes the menu');
  });

  it('offers only what the session may do', async () => {
    const d = await findCustomer(rich);
    const { el } = await mount(d.profile.id, { caps: READ_ONLY });
    await settled(el);
    expect($(el, '#menu-button')).to.equal(null);
    expect($(el, '#note')).to.equal(null);
    expect($$(el, 'button').map((b) => text(b))).to.not.include('Add coupon');
  });

  it('offers to cancel an upcoming booking only to a session with bookings:write', async () => {
    const d = await findCustomer((x) => (x.stats.bookings?.upcoming ?? 0) > 0 && x.actions.book);
    const cancels = (el: CustomerDetail) => rows(el, 'history').filter((r) => r.querySelector('button')).length;
    const owner = (await mount(d.profile.id)).el;
    await settled(owner);
    expect(cancels(owner), 'the owner may cancel').to.be.greaterThan(0);
    const reader = (await mount(d.profile.id, { caps: READ_ONLY })).el;
    await settled(reader);
    expect(cancels(reader)).to.equal(0);
  });

  it('saves "Edit details" with If-Match, and after a 412 explains and loads the other version (two elements, one customer)', async () => {
    const d = await findCustomer((x) => x.actions.edit_profile, true);
    const id = d.profile.id;
    const a = (await mount(id)).el;
    const b = (await mount(id)).el;
    const edit = async (el: CustomerDetail, lastname: string) => {
      await openMenu(el);
      menuItem(el, 'edit').click();
      await waitUntil(() => dialogOf(el).open, 'the edit dialog opens');
      $<HTMLInputElement>(el, '#lastname')!.value = lastname;
      $<HTMLButtonElement>(el, 'dialog [type=submit]')!.click();
    };

    const updated = oneEvent(a, 'ck-customer-updated');
    await edit(a, 'Firstedit');
    const event = await updated;
    expect(event.detail).to.deep.include({ customerId: id });
    expect(event.detail.profile.lastname).to.equal('Firstedit');
    await waitUntil(() => !dialogOf(a).open && text($(a, 'h2')).endsWith('Firstedit'), 'A shows the saved name');
    expect(text($(a, '[part=status]'))).to.equal('Saved.');

    // B still holds the version before A's edit.
    await edit(b, 'Secondedit');
    await waitUntil(() => $(b, 'dialog [role=alert].box'), 'B explains the conflict');
    expect(text($(b, 'dialog .box'))).to.contain('Someone else changed this customer since you opened it');
    expect(dialogOf(b).open).to.equal(true);
    const { token } = await admin();
    expect((await api<{ lastname: string }>(token, `customer/${id}/profile`)).data.lastname).to.equal('Firstedit');

    $<HTMLButtonElement>(b, 'dialog .box button')!.click();
    await waitUntil(() => !$(b, 'dialog .box') && $<HTMLInputElement>(b, '#lastname')!.value === 'Firstedit', 'B loads their version');
    $<HTMLInputElement>(b, '#lastname')!.value = 'Secondedit';
    $<HTMLButtonElement>(b, 'dialog [type=submit]')!.click();
    await waitUntil(() => !dialogOf(b).open && text($(b, 'h2')).endsWith('Secondedit'), 'B saves on the current version');
    expect((await api<{ lastname: string }>(token, `customer/${id}/profile`)).data.lastname).to.equal('Secondedit');

    // Put the name back for the other test files.
    const current = (await api<{ firstname: string; email: string; mobile: string | null }>(token, `customer/${id}/profile`)).data;
    await fetch(`/api/customer/${id}/profile`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ firstname: current.firstname, lastname: d.profile.lastname, email: current.email, mobile: current.mobile }),
    });
  });

  it('keeps the page usable when one section fails, and retries that section alone', async () => {
    const d = await findCustomer((x) => !!x.stats.bookings?.total && !!x.activity?.data.length);
    const { el, s } = await mount(d.profile.id);
    await settled(el);
    const other = $<HTMLButtonElement>(el, '[role=tab][aria-selected=false]')!;
    await outage(s.token, 1);
    other.click();
    const error = await shadowQuery(el, '[part~=section--history] [part=error]');
    expect(text(error)).to.contain('The service is unavailable right now.');
    // The rest still works: the activity filter reads its own page.
    const before = requestsTo('/api/customer/').length;
    const select = $<HTMLSelectElement>(el, '#kind')!;
    select.value = 'bookings';
    select.dispatchEvent(new Event('change'));
    await waitUntil(() => requestsTo('/api/customer/').length > before && rows(el, 'activity').length && !$(el, '[part~=section--activity] [aria-busy=true]'));
    const filtered = await api<{ type: string }[]>(s.token, `customer/${d.profile.id}/activity?limit=20&type=booked,cancelled,attended,no_show`);
    expect(rows(el, 'activity').length).to.equal(filtered.data.length);
    expect($(el, '[part~=section--activity] [part=error]')).to.equal(null);
    expect(text($(el, 'h2'))).to.equal(`${d.profile.firstname} ${d.profile.lastname}`);

    error.querySelector('button')!.click();
    await waitUntil(() => !$(el, '[part~=section--history] [part=error]') && section(el, 'history')!.querySelector('[part~=item], .box'), 'the retry loads the history');
  });

  it('shows an error with retry when the customer cannot be read at all', async () => {
    const d = await findCustomer(rich);
    const s = await session(OWNER);
    await outage(s.token, 1);
    const el = await fixture<CustomerDetail>(html`<customer-detail customer-id=${d.profile.id} session-token=${s.token} locale="en-GB"></customer-detail>`);
    const error = await shadowQuery(el, '[part=error]');
    expect(text(error)).to.contain('The customer could not be loaded.');
    await expect(el).to.be.accessible();
    error.querySelector('button')!.click();
    await shadowQuery(el, '[part=header] h2');
  });

  it('lays out in a narrow sidebar (320px) and on a wide page', async () => {
    const d = await findCustomer(rich);
    const columns = (node: Element) => getComputedStyle(node).gridTemplateColumns.split(' ').length;
    const lefts = (el: Element) => new Set($$(el, '[part~=section]').map((n) => Math.round(n.getBoundingClientRect().left)));

    const narrow = (await mount(d.profile.id, { width: 320 })).el;
    await settled(narrow);
    expect(narrow.getBoundingClientRect().width).to.equal(320);
    expect(columns($(narrow, '[part=stats]')!)).to.equal(2);
    expect(lefts(narrow).size, 'one column of sections').to.equal(1);
    const base = $(narrow, '[part=base]')!;
    expect(base.scrollWidth, 'nothing sticks out sideways').to.be.at.most(320);
    for (const node of $$(narrow, '[part~=section]')) expect(node.getBoundingClientRect().right).to.be.at.most(narrow.getBoundingClientRect().right + 0.5);

    const wide = (await mount(d.profile.id, { width: 1200 })).el;
    await settled(wide);
    expect(columns($(wide, '[part=stats]')!)).to.equal(4);
    expect(lefts(wide).size, 'two columns of sections').to.equal(2);
    expect($(wide, '[part=base]')!.scrollWidth).to.be.at.most(1200);
    // The actions menu sits beside the name.
    expect($(wide, '#menu-button')!.getBoundingClientRect().top).to.be.below($(wide, '[part=stats]')!.getBoundingClientRect().top);
    expect($(wide, '#menu-button')!.getBoundingClientRect().left).to.be.above(1000);
  });

  it('keeps the actions menu inside a narrow element, where the header wraps', async () => {
    const d = await findCustomer((x) => !!x.products?.data.length && x.actions.delete);
    // A 375px phone less the page's margins.
    const { el } = await mount(d.profile.id, { width: 340 });
    await openMenu(el);
    const box = el.getBoundingClientRect();
    expect($(el, '#menu-button')!.getBoundingClientRect().top, 'the header wraps').to.be.at.least($(el, '.who')!.getBoundingClientRect().bottom - 1);
    const menu = $(el, '[role=menu]')!.getBoundingClientRect();
    expect(menu.left, 'not past the left edge').to.be.at.least(box.left);
    expect(menu.right, 'not past the right edge').to.be.at.most(box.right + 0.5);
    expect(menu.width).to.be.at.least(150);
  });

  it('without a customer id, renders nothing and asks nothing, its children neither', async () => {
    const s = await session(OWNER);
    const before = requestsTo('/api/').length;
    const box = await fixture<HTMLDivElement>(html`<div>
      <customer-detail session-token=${s.token} locale="en-GB"></customer-detail>
      <waiver-status session-token=${s.token} locale="en-GB"></waiver-status>
      <waiver-status session-token=${s.token} locale="en-GB" compact></waiver-status>
      <coupon-manager session-token=${s.token} locale="en-GB"></coupon-manager>
    </div>`);
    const coupons = box.querySelector<CouponManager>('coupon-manager')!;
    // Not even through the page's own "Add coupon".
    await coupons.showAddDialog();
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const el of box.children) {
      expect(el.shadowRoot!.querySelector('*'), `<${el.localName}> is empty`).to.equal(null);
      expect(el.getBoundingClientRect().height).to.equal(0);
    }
    // Only the session (what it may do) is read, never a customer's anything nor the catalogue for nobody.
    expect(requestsTo('/api/').slice(before).filter((url) => !url.endsWith('/api/session'))).to.deep.equal([]);
  });

  it('moved in the page while a section loads, loads that section again', async () => {
    const d = await findCustomer((x) => !!x.stats.bookings?.total);
    const { from, to, el } = await detached();
    // The move comes as the bookings are asked for, before they answer.
    const restore = onRequest((path) => path.endsWith('/bookings') && el.parentElement === from && to.append(el));
    try {
      el.customerId = d.profile.id;
      from.append(el);
      await waitUntil(() => rows(el, 'history').length > 0, 'the bookings, asked for again after the move');
    } finally {
      restore();
    }
    expect(el.parentElement).to.equal(to);
    expect(text(section(el, 'history'))).to.not.contain('No bookings.');
  });

  it('removed while it loads, stops and asks nothing more; put back, it loads', async () => {
    const d = await findCustomer((x) => !!x.stats.bookings?.total);
    const { from, el, s } = await detached();
    const asked: string[] = [];
    let read: AbortSignal | null | undefined;
    const restore = onRequest((path, signal) => {
      // The first read of the customer, as it starts.
      if (path.endsWith('/detail') && !asked.length) {
        read = signal;
        el.remove();
      }
      asked.push(path);
    });
    try {
      el.customerId = d.profile.id;
      from.append(el);
      await waitUntil(() => asked.length && !el.isConnected, 'the customer is asked for, and the element removed');
      // Longer than the read would take to answer (and be followed by the bookings).
      await api(s.token, `customer/${d.profile.id}/detail`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(read?.aborted, 'the read is aborted').to.equal(true);
      expect(asked.filter((path) => !path.endsWith('/detail')), 'nothing asked while detached').to.deep.equal([]);

      from.append(el);
      await shadowQuery(el, '[part=header] h2');
      await waitUntil(() => rows(el, 'history').length > 0, 'the bookings');
    } finally {
      restore();
    }
  });

  it('lists upcoming classes soonest first', async () => {
    const d = await findCustomer((x) => (x.stats.bookings?.upcoming ?? 0) >= 2);
    const { el, s } = await mount(d.profile.id);
    await settled(el);
    expect($(el, '[role=tab][aria-selected=true]')!.id).to.equal('tab-false');
    const soonest = await api<Booking[]>(s.token, `customer/${d.profile.id}/bookings?limit=10&status=booked&order=asc`);
    const starts = soonest.data.map((x) => Date.parse(x.class.starts_at));
    expect(starts).to.deep.equal([...starts].sort((a, b) => a - b));
    expect(rows(el, 'history').map((r) => text(r.querySelector('strong')))).to.deep.equal(
      soonest.data.map((x) => x.class.name),
    );
  });

  it('switched back before the other tab answers, shows the tab chosen last: the older answer never overwrites it', async () => {
    const d = await findCustomer((x) => (x.stats.bookings?.upcoming ?? 0) >= 1 && (x.stats.bookings?.total ?? 0) > (x.stats.bookings?.upcoming ?? 0));
    const { el, s } = await mount(d.profile.id);
    await settled(el);
    const upcoming = (await api<Booking[]>(s.token, `customer/${d.profile.id}/bookings?limit=10&status=booked&order=asc`)).data.map((x) => x.class.name);
    const shown = () => rows(el, 'history').map((r) => text(r.querySelector('strong')));
    // The past bookings, held back as on a slow network until the upcoming ones are shown again.
    const hold = holdRequests('status=attended');
    try {
      $<HTMLButtonElement>(el, '#tab-true')!.click();
      await el.updateComplete;
      $<HTMLButtonElement>(el, '#tab-false')!.click();
      await waitUntil(() => shown().join() === upcoming.join(), 'the upcoming classes show again');
      hold.release();
      // Longer than the held answer takes to arrive and render.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect($(el, '[role=tab][aria-selected=true]')!.id).to.equal('tab-false');
      expect(shown()).to.deep.equal(upcoming);
    } finally {
      hold.restore();
    }
  });

  it('names a guest record’s profile, its linked guests and same-email records, and opens one on request', async () => {
    // A seeded guest record (linked already or not: it is linked here) and a full profile made for it through the API:
    // the seed may have no unlinked guest record.
    const { token } = await admin();
    const guest = await findCustomer((x) => x.profile.guest, true);
    const created = await write<{ id: string; firstname: string; lastname: string }>(token, 'POST', 'customers',
      { firstname: 'Rowan', lastname: 'Linkedprofile', email: `rowan.${crypto.randomUUID().slice(0, 8)}@example.com` });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const profile = created.body.data;
    expect((await fetch(`/__test/link-guest?guest=${guest.profile.id}&profile=${profile.id}`, { method: 'POST' })).status).to.equal(204);
    const { el } = await mount(guest.profile.id);
    const line = $$(el, '[part=related]').find((p) => p.textContent!.includes('Guest record of'))!;
    expect(line.textContent).to.contain(`${profile.firstname} ${profile.lastname}`);
    const chosen = oneEvent(el, 'ck-customer-select');
    // The page opens the record in the same element, as the demo does: focus follows to the new customer's name.
    el.addEventListener('ck-customer-select', (e) => (el.customerId = e.detail.customerId));
    const link = line.querySelector('button')!;
    link.focus();
    link.click();
    expect((await chosen).detail.customerId).to.equal(profile.id);
    await waitUntil(() => focused() === `h2 ${profile.firstname} ${profile.lastname}`, 'focus on the new customer’s name');

    // The profile's own page lists the guest record among its linked guests.
    const full = await mount(profile.id);
    const guests = $$(full.el, '[part=related]').find((p) => p.textContent!.includes('Linked guest records'))!;
    expect(guests.textContent).to.contain(`${guest.profile.firstname} ${guest.profile.lastname}`).and.contain('(Guest)');
    await expect(full.el).to.be.accessible();

    // Another record under the guest's email, not linked to it: a full profile made here with that email (a guest's email
    // may be a full profile's too, so this can be refused as taken, when that profile is such a record already).
    const twinned = await write(token, 'POST', 'customers', { firstname: 'Sam', lastname: 'Sameemail', email: guest.profile.email });
    expect([201, 409], JSON.stringify(twinned.body)).to.include(twinned.status);
    const same = await aggregate(token, guest.profile.id);
    expect(same.profile.possible_duplicates.length, 'the guest record has a same-email record').to.be.above(0);
    const twin = (await mount(same.profile.id)).el;
    const other = same.profile.possible_duplicates[0]!;
    expect($$(twin, '[part=related]').map((p) => p.textContent).join(' ')).to.contain('Same email as').and.contain(other.firstname);
  });

  it('lets the page style the composed elements through their passed-through parts', async () => {
    const d = await findCustomer(rich);
    const style = document.createElement('style');
    style.textContent = `
      customer-detail::part(coupons-add-button) { outline: 3px solid rgb(1, 2, 3); }
      customer-detail::part(waivers-summary) { outline: 3px dashed rgb(4, 5, 6); }
      customer-detail::part(usage-chip) { outline: 3px dotted rgb(7, 8, 9); }`;
    document.head.append(style);
    try {
      const { el } = await mount(d.profile.id);
      await settled(el);
      const coupons = $<CouponManager>(el, 'coupon-manager')!;
      const waivers = $<WaiverStatus>(el, 'waiver-status')!;
      expect(getComputedStyle(await shadowQuery(coupons, '[part=add-button]')).outlineColor).to.equal('rgb(1, 2, 3)');
      expect(getComputedStyle(await shadowQuery(waivers, '[part~=summary]')).outlineColor).to.equal('rgb(4, 5, 6)');
      const counted = d.products!.data.find((pass) => pass.credits_total !== null)!;
      $<HTMLButtonElement>(el, `[data-pass="${counted.id}"] button`)!.click();
      const usage = await shadowQuery(el, 'credit-usage');
      expect(getComputedStyle(await shadowQuery(usage, '[part~=chip]')).outlineColor).to.equal('rgb(7, 8, 9)');
    } finally {
      style.remove();
    }
  });

  it('switches to German at runtime, children included, with dates in German', async () => {
    const d = await findCustomer(rich);
    const { el } = await mount(d.profile.id);
    await settled(el);
    el.locale = 'de-DE';
    await waitUntil(() => text($(el, '#menu-button')) === 'Aktionen ▾', 'the German catalogue arrives');
    const fmt = { locale: 'de-DE', timeZone: d.tenant.timezone };
    expect(text($(el, '[part=header]'))).to.contain(`Kunde seit ${formatDate(d.profile.customer_since, fmt)}`);
    expect(text($(el, '#products-title'))).to.equal('Produkte und Credits');
    expect($(el, '[part=base]')!.getAttribute('lang')).to.equal('de-DE');
    const coupons = $<CouponManager>(el, 'coupon-manager')!;
    await waitUntil(() => text(coupons.shadowRoot!.querySelector('[part=history-button]')) !== 'Show history', 'the coupon manager follows');
    el.locale = 'en-GB';
    await waitUntil(() => text($(el, '#menu-button')) === 'Actions ▾');
  });

  it('shows roles and attribution only to sessions with roles:read and attribution:read', async () => {
    // A customer linked to a role here: the seed links few, and some days none.
    const { token } = await admin();
    const { profile } = await findCustomer((x) => !x.profile.guest, true);
    expect((await fetch(`/__test/role-link?customer=${profile.id}&role=instructor`, { method: 'POST' })).status).to.equal(204);
    const d = await aggregate(token, profile.id);
    expect(d.roles, 'the role is linked').to.have.length(1);
    const withScopes = (await mount(d.profile.id)).el;
    // The role in words, not its code ("instructor"), in the element's language.
    const roles = rows(withScopes, 'roles').map((r) => text(r));
    expect(roles).to.deep.equal([`Instructor · ${d.roles![0]!.business}`]);
    expect(section(withScopes, 'attribution')).to.not.equal(null);
    const german = (await mount(d.profile.id, { locale: 'de-DE' })).el;
    await waitUntil(() => text(rows(german, 'roles')[0]) === `Kursleitung · ${d.roles![0]!.business}`, 'the role in German');

    const without = (await mount(d.profile.id, { caps: NO_ROLES })).el;
    expect(section(without, 'roles')).to.equal(null);
    expect(section(without, 'attribution')).to.equal(null);
    expect(section(without, 'products')).to.not.equal(null);
  });

  it('adds a note, and announces it', async () => {
    const d = await findCustomer((x) => x.actions.add_note, true);
    const { el, s } = await mount(d.profile.id);
    const form = $<HTMLFormElement>(el, '[part~=section--notes] form')!;
    form.querySelector('button')!.click();
    await waitUntil(() => text($(el, '#note-error')) === 'Write the note first.');
    $<HTMLTextAreaElement>(el, '#note')!.value = 'Prefers the 7am class.\nAsk about the autumn course.';
    form.querySelector('button')!.click();
    await waitUntil(() => text($(el, '[part=status]')) === 'The note was added.');
    expect(text(rows(el, 'notes')[0]!.querySelector('.note'))).to.equal('Prefers the 7am class. Ask about the autumn course.');
    // The recent activity says so too, without a reload.
    expect(text(rows(el, 'activity')[0])).to.contain('Note added by');
    const notes = await api<{ body: string }[]>(s.token, `customer/${d.profile.id}/notes?limit=1`);
    expect(notes.data[0]!.body).to.equal('Prefers the 7am class.\nAsk about the autumn course.');
    expect($<HTMLTextAreaElement>(el, '#note')!.value).to.equal('');

    // A second note is announced too: the live region changes though the words are the same.
    const status = $(el, '[part=status]')!;
    const said: string[] = [];
    const watch = new MutationObserver(() => said.push(status.textContent!));
    watch.observe(status, { childList: true, characterData: true, subtree: true });
    $<HTMLTextAreaElement>(el, '#note')!.value = 'Second note.';
    form.querySelector('button')!.click();
    await waitUntil(() => said.length > 0 && rows(el, 'notes').length > 1 && text(rows(el, 'notes')[0]!.querySelector('.note')) === 'Second note.',
      'the second note is added and announced');
    watch.disconnect();
    expect(text(status)).to.equal('The note was added.');

    // The same words again are another note: a saved change ends its Idempotency-Key, or the server
    // would replay the first answer and add nothing.
    $<HTMLTextAreaElement>(el, '#note')!.value = 'Second note.';
    form.querySelector('button')!.click();
    const newest = () => rows(el, 'notes').slice(0, 2).map((row) => text(row.querySelector('.note')));
    await waitUntil(() => newest().join() === 'Second note.,Second note.', 'the same words make a third note');
    const onServer = await api<{ body: string }[]>(s.token, `customer/${d.profile.id}/notes?limit=2`);
    expect(onServer.data.map((n) => n.body)).to.deep.equal(['Second note.', 'Second note.']);
  });

  it('says what the server refused about a note, limited to what it takes', async () => {
    const d = await findCustomer((x) => x.actions.add_note);
    const { el } = await mount(d.profile.id);
    const note = $<HTMLTextAreaElement>(el, '#note')!;
    expect(note.maxLength, 'the server’s limit (server/routes/notes.ts)').to.equal(5000);
    // Set by script past maxlength: the server's 400 names the field `body`; it shows on the note, in words.
    note.value = 'x'.repeat(6000);
    $<HTMLFormElement>(el, '[part~=section--notes] form')!.querySelector('button')!.click();
    await waitUntil(() => text($(el, '#note-error')) === 'Use at most 5,000 characters.', 'the note’s limit');
    expect(note.getAttribute('aria-invalid')).to.equal('true');
    await openMenu(el);
    menuItem(el, 'archive').click();
    await waitUntil(() => dialogOf(el).open);
    expect($<HTMLTextAreaElement>(el, '#reason')!.maxLength, 'reasonSchema’s limit').to.equal(500);
  });

  it('while a change is saving, Cancel and Escape leave the dialog open, and it shows the outcome', async () => {
    const d = await findCustomer((x) => x.actions.archive && !x.profile.archived && !x.stats.bookings?.upcoming &&
      !x.products?.data.some((p) => p.product.kind === 'membership' && p.status === 'active'), true);
    const { el } = await mount(d.profile.id);
    const cancel = () => $<HTMLButtonElement>(el, '[part=cancel-button]')!;
    let release!: () => void;
    let hold = true;
    const realFetch = window.fetch;
    // The element's next real PATCH, held back until released, as on a slow network.
    window.fetch = async (input, init) => {
      if (hold && init?.method === 'PATCH') {
        hold = false;
        await new Promise<void>((resolve) => (release = resolve));
      }
      return realFetch(input, init);
    };
    try {
      // Refused: someone else archived the customer meanwhile (412); Cancel and Escape while saving do nothing.
      await openMenu(el);
      menuItem(el, 'archive').click();
      await waitUntil(() => dialogOf(el).open);
      $<HTMLTextAreaElement>(el, '#reason')!.value = 'Moved to another city';
      $<HTMLButtonElement>(el, 'dialog [type=submit]')!.click();
      await waitUntil(() => cancel().getAttribute('aria-disabled') === 'true' && release, 'Cancel is disabled while saving');
      cancel().click();
      const refused = new Event('cancel', { cancelable: true });
      dialogOf(el).dispatchEvent(refused);
      expect(refused.defaultPrevented, 'the dialog’s cancel is prevented').to.equal(true);
      $<HTMLTextAreaElement>(el, '#reason')!.focus();
      for (let i = 0; i < 3; i++) await sendKeys({ press: 'Escape' });
      expect(dialogOf(el).open, 'still open while saving').to.equal(true);
      const { token } = await admin();
      expect((await write(token, 'PATCH', `customer/${d.profile.id}`, { archived: true, reason: 'Archived at the desk' })).status).to.equal(200);
      release();
      await waitUntil(() => text($(el, 'dialog [role=alert] p')).startsWith('Someone else changed this customer'), 'the refusal shows');
      expect(dialogOf(el).open).to.equal(true);
      expect(cancel().getAttribute('aria-disabled')).to.equal('false');
      $<HTMLButtonElement>(el, 'dialog [role=alert] button')!.click();
      await waitUntil(() => text($(el, '[part=header]')).includes('Archived'), 'their version loads');
      cancel().click();
      await waitUntil(() => !dialogOf(el).open, 'Cancel closes it once nothing is saving');

      // Saved: Cancel pressed while saving changes nothing; the change lands and is announced with the dialog closed.
      await openMenu(el);
      menuItem(el, 'unarchive').click();
      await waitUntil(() => dialogOf(el).open);
      $<HTMLTextAreaElement>(el, '#reason')!.value = 'Came back after all';
      release = undefined!;
      hold = true;
      $<HTMLButtonElement>(el, 'dialog [type=submit]')!.click();
      await waitUntil(() => release, 'the change is on its way');
      cancel().click();
      expect(dialogOf(el).open).to.equal(true);
      const unarchived = oneEvent(el, 'ck-customer-archived');
      release();
      expect((await unarchived).detail.archived).to.equal(false);
      expect(dialogOf(el).open).to.equal(false);
      await waitUntil(() => text($(el, '[part=status]')) === 'Saved.', 'announced');
    } finally {
      window.fetch = realFetch;
      release?.();
    }
  });

  it('treats a 401 in a dialog as the session having ended, and drops that once a fresh token arrives', async () => {
    const d = await findCustomer((x) => x.actions.edit_profile);
    const { el } = await mount(d.profile.id);
    const expired: Event[] = [];
    el.addEventListener('ck-session-expired', (e) => expired.push(e));
    await openMenu(el);
    menuItem(el, 'edit').click();
    await waitUntil(() => dialogOf(el).open);
    // The session revoked meanwhile: a token the server no longer knows (401 `unauthenticated`).
    el.sessionToken = 'ck_ses_revoked-or-rotated-token-00000000';
    await el.updateComplete;
    $<HTMLButtonElement>(el, 'dialog [type=submit]')!.click();
    await waitUntil(() => text($(el, '#form-error')) === 'Your session has ended. Sign in again to continue.', 'the session has ended');
    await waitUntil(() => expired.length === 1, 'ck-session-expired reaches the page');
    expect(dialogOf(el).open).to.equal(true);
    // The page signs the user in again and sets a new token: the dialog is still there, the message gone.
    el.sessionToken = (await session(OWNER)).token;
    await el.updateComplete;
    expect(text($(el, '#form-error'))).to.equal('');
    expect(dialogOf(el).open).to.equal(true);
  });

  it('reads names, "View usage" and server text as they are: one name, a purchase date each, the studio’s language', async () => {
    // Names: one text each, so a screen reader hears "Noah Allen", not "NoahAllen".
    const guest = await findCustomer((x) => !!x.profile.linked_profile || x.profile.linked_guests.length > 0 || x.profile.possible_duplicates.length > 0);
    const related = (await mount(guest.profile.id)).el;
    for (const button of $$(related, '[part=related] button')) {
      const name = [...button.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim())!;
      expect(name.textContent!.trim()).to.match(/^\S+( \S+)+$/);
    }

    // "View usage": each names its product and purchase date, so that two passes of one product differ.
    const d = await findCustomer((x) => (x.products?.data.filter((p) => ['pass', 'membership', 'bundle'].includes(p.product.kind)).length ?? 0) > 1 &&
      !!x.activity?.data.length);
    const { el } = await mount(d.profile.id, { locale: 'fr-FR' });
    const fmt = { locale: 'fr-FR', timeZone: d.tenant.timezone };
    const names = $$(el, '[part~=section--products] [part=item] button').map((b) => text(b));
    expect(new Set(names).size, names.join(' | ')).to.equal(names.length);
    for (const x of d.products!.data.filter((p) => ['pass', 'membership', 'bundle'].includes(p.product.kind))) {
      expect(names).to.include(`View usage: ${x.product.name}, ${formatDate(x.purchased_at, fmt)}`);
    }
    // No French catalogue: English words, marked English; what the server wrote, in the studio's language.
    expect($(el, '[part=base]')!.getAttribute('lang')).to.equal('en');
    const summaries = rows(el, 'activity').map((r) => r.querySelector('p > span[lang]')?.getAttribute('lang'));
    expect(summaries).to.deep.equal(d.activity!.data.map(() => d.tenant.locale));
    expect(rows(el, 'emails').every((r) => r.querySelector('p > span[lang]')?.getAttribute('lang') === d.tenant.locale)).to.equal(true);
  });

  it('archives and unarchives with a reason, and deletes with a reason', async () => {
    const d = await findCustomer((x) => x.actions.archive && !x.stats.bookings?.upcoming && !x.products?.data.some((p) => p.product.kind === 'membership' && p.status === 'active'), true);
    const { el } = await mount(d.profile.id);
    await openMenu(el);
    menuItem(el, 'archive').click();
    await waitUntil(() => dialogOf(el).open);
    expect(text($(el, '#dialog-title'))).to.equal(`Archive: ${d.profile.firstname} ${d.profile.lastname}`);
    $<HTMLButtonElement>(el, 'dialog [type=submit]')!.click();
    await waitUntil(() => text($(el, '#reason-error')) === 'Give a reason of at least 5 characters.');
    expect(focused()).to.equal('textarea#reason ');
    $<HTMLTextAreaElement>(el, '#reason')!.value = 'Moved away, asked us to archive';
    const archived = oneEvent(el, 'ck-customer-archived');
    $<HTMLButtonElement>(el, 'dialog [type=submit]')!.click();
    expect((await archived).detail).to.deep.equal({ customerId: d.profile.id, archived: true });
    await waitUntil(() => text($(el, '[part=header]')).includes('Archived'), 'the archived badge shows');
    await openMenu(el);
    expect(menuItem(el, 'archive')).to.equal(null);
    menuItem(el, 'unarchive').click();
    await waitUntil(() => dialogOf(el).open);
    $<HTMLTextAreaElement>(el, '#reason')!.value = 'Came back for the summer';
    const unarchived = oneEvent(el, 'ck-customer-archived');
    $<HTMLButtonElement>(el, 'dialog [type=submit]')!.click();
    expect((await unarchived).detail.archived).to.equal(false);
    await waitUntil(() => !text($(el, '[part=header]')).includes('Archived'));

    await openMenu(el);
    menuItem(el, 'delete').click();
    await waitUntil(() => dialogOf(el).open);
    $<HTMLTextAreaElement>(el, '#reason')!.value = 'Asked for their data to be removed';
    const deleted = oneEvent(el, 'ck-customer-deleted');
    $<HTMLButtonElement>(el, 'dialog [type=submit]')!.click();
    expect((await deleted).detail).to.deep.equal({ customerId: d.profile.id });
    await waitUntil(() => text($(el, '[part=base] > .box')) === `${d.profile.firstname} ${d.profile.lastname} was deleted.`);
    // The menu that opened the dialog is gone: focus goes to the message that says what happened.
    await waitUntil(() => focused() === `p#gone ${d.profile.firstname} ${d.profile.lastname} was deleted.`, 'focus on the message');
  });

  it('cancels an upcoming booking: in time the credits go back; late they stay unless waived with a reason', async () => {
    const { token } = await admin();
    const moveClass = async (b: Booking, minutes: number) =>
      expect((await fetch(`/__test/class-start?class=${b.class.id}&minutes=${minutes}`, { method: 'POST' })).status).to.equal(204);
    // A customer with three upcoming bookings that spent credits of an active pass, booked here through the API (the
    // seed may have no customer with three such bookings): a full profile whose waivers let them book, with an active
    // pass that counts credits, has enough of them and lasts beyond the days the classes move to…
    const lasting = (p: Product) => countedActive(p) && p.credits_left! >= 6 && (!p.expires_at || Date.parse(p.expires_at) > Date.now() + 10 * 86_400_000);
    const d = await findCustomer((x) => !x.profile.guest && !x.profile.archived && !!x.waivers?.compliant && !!x.products?.data.some(lasting), true);
    const id = d.profile.id;
    const pass = d.products!.data.find(lasting)!;
    // …on classes other customers are booked on, hours away at least, that cost credits and that this pass covers.
    const bookedNow = async () => (await api<Booking[]>(token, `customer/${id}/bookings?status=booked&limit=100`)).data;
    const mine = new Set((await bookedNow()).map((b) => b.class.id));
    const booked: Booking[] = [];
    for (const c of await allCustomers(token)) {
      if (c.id === id) continue;
      for (const b of (await api<Booking[]>(token, `customer/${c.id}/bookings?status=booked&order=asc&limit=20`)).data) {
        if (booked.length === 3) break;
        if (mine.has(b.class.id) || Date.parse(b.class.starts_at) < Date.now() + 6 * 3600_000) continue;
        mine.add(b.class.id);
        const check = await api<{ can_book: boolean; class: { credit_cost: number } }>(token, `customer/${id}/can-book?class_id=${b.class.id}&pass_id=${pass.id}`);
        if (!check.data.can_book || check.data.class.credit_cost === 0) continue;
        const made = await write<Booking>(token, 'POST', `customer/${id}/bookings`, { class_id: b.class.id, pass_id: pass.id });
        expect(made.status, JSON.stringify(made.body)).to.equal(201);
        booked.push(made.body.data);
      }
      if (booked.length === 3) break;
    }
    expect(booked.length, 'three classes booked for the test').to.equal(3);
    // …whose classes start days from now, so each is free to cancel whatever the hour the suite runs at.
    for (const [i, b] of booked.entries()) await moveClass(b, (3 + i) * 24 * 60);
    const moved = await bookedNow();
    const [inTime, late, started] = booked.map((b) => moved.find((m) => m.id === b.id)!) as [Booking, Booking, Booking];
    expect(Date.parse(inTime.free_cancel_until!)).to.be.above(Date.now() + 24 * 3600_000);
    const fmt = { locale: 'en-GB', timeZone: d.tenant.timezone };
    const creditsOf = async (passId: string) => (await api<Product>(token, `customer/${id}/passes/${passId}`)).data.credits_left!;
    const row = (el: CustomerDetail, b: Booking) => rows(el, 'history').find((r) => r.querySelector('button')?.textContent?.includes(b.class.name) &&
      text(r).includes(formatDateTime(b.class.starts_at, fmt)));
    const submit = (el: CustomerDetail) => $<HTMLButtonElement>(el, 'dialog [type=submit]')!.click();

    // Someone who may only look sees no Cancel.
    const watcher = await mount(id, { caps: READ_ONLY });
    await settled(watcher.el);
    expect(rows(watcher.el, 'history').length).to.be.above(1);
    expect(section(watcher.el, 'history')!.querySelector('[part~=item] button')).to.equal(null);

    // A class that has started is attended or a no-show, not cancelled: its row offers no Cancel.
    await moveClass(started, -30);
    let { el } = await mount(id);
    await settled(el);
    const startedRow = rows(el, 'history').find((r) => text(r).startsWith(started.class.name) && !r.querySelector('button'));
    expect(startedRow, 'the started class is listed without Cancel').to.not.equal(undefined);
    // …and says why: it has begun and waits to be marked, where the others are still "Booked".
    expect(text(startedRow!.querySelector('.badge')!)).to.equal('Started, not yet marked');
    expect(text(row(el, inTime)!.querySelector('.badge')!)).to.equal('Booked');

    const before = await creditsOf(inTime.pass!.id);
    const button = row(el, inTime)!.querySelector('button')!;
    expect(text(button)).to.equal(`Cancel booking: ${inTime.class.name}, ${formatDateTime(inTime.class.starts_at, fmt)}`);
    button.click();
    await waitUntil(() => dialogOf(el).open, 'the cancel dialog opens');
    const dialog = text(dialogOf(el));
    expect(dialog).to.contain(`${inTime.class.name} · ${formatDateTime(inTime.class.starts_at, fmt)}`);
    expect(dialog).to.contain(`Free cancellation until ${formatDateTime(inTime.free_cancel_until!, fmt)}: the credits go back to the pass.`);
    expect(text($(el, 'dialog [part=cancel-button]'))).to.equal('Keep booking');
    expect($(el, 'dialog #waive')).to.equal(null);
    const freed = oneEvent(el, 'ck-booking-cancelled');
    submit(el);
    expect((await freed).detail).to.deep.equal({ customerId: id, bookingId: inTime.id, status: 'cancelled_free', creditsReturned: inTime.credits_used });
    await waitUntil(() => text($(el, '[part=status]')) === `Booking cancelled; ${inTime.credits_used === 1 ? '1 credit' : `${inTime.credits_used} credits`} returned to the pass.`,
      'the cancellation is announced');
    expect(await creditsOf(inTime.pass!.id)).to.equal(before + inTime.credits_used);
    await waitUntil(() => !row(el, inTime) && focused().startsWith('div#history-panel'), 'the row leaves Upcoming, focus stays in the list');

    // Shown as free, a cancellation is free or nothing: when the deadline passes with the dialog open (the class
    // moves to an hour from now), the server refuses, and the dialog now says it is late and offers the waiver.
    const lateBefore = await creditsOf(late.pass!.id);
    row(el, late)!.querySelector('button')!.click();
    await waitUntil(() => dialogOf(el).open);
    expect(text(dialogOf(el))).to.contain('Free cancellation until');
    await moveClass(late, 60);
    submit(el);
    await waitUntil(() => text($(el, '#form-error')) === 'Free cancellation has just ended: cancelling now keeps the credits.', 'the refusal shows');
    expect((await bookedNow()).map((b) => b.id)).to.include(late.id, 'nothing was cancelled');
    const lateNow = (await bookedNow()).find((b) => b.id === late.id)!;
    await waitUntil(() => text(dialogOf(el)).includes(
      `Late cancellation: free cancellation ended ${formatDateTime(lateNow.free_cancel_until!, fmt)}, so the credits are not returned.`), 'the dialog shows it late');
    await expect(el).to.be.accessible();
    // Staff who may change credits can give them back anyway, with a reason.
    expect($(el, 'dialog #reason')).to.equal(null);
    $<HTMLInputElement>(el, 'dialog #waive')!.click();
    await waitUntil(() => $(el, 'dialog #reason'), 'waiving asks for a reason');
    submit(el);
    await waitUntil(() => text($(el, '#reason-error')) === 'Give a reason of at least 5 characters.', 'a waiver needs a reason');
    $<HTMLTextAreaElement>(el, '#reason')!.value = 'Studio moved the class at short notice';
    const waived = oneEvent(el, 'ck-booking-cancelled');
    submit(el);
    expect((await waived).detail).to.deep.equal({ customerId: id, bookingId: late.id, status: 'cancelled_late', creditsReturned: late.credits_used });
    expect(await creditsOf(late.pass!.id)).to.equal(lateBefore + late.credits_used);
    const after = (await api<Booking[]>(token, `customer/${id}/bookings?status=cancelled_late&limit=10`)).data.find((b) => b.id === late.id)!;
    expect(after.late_fee_waived).to.equal(true);
  });

  it('"Load more" goes on at the first new row, also on the last page, where the button goes', async () => {
    const d = await findCustomer((x) => !!x.activity?.next_cursor);
    const { el } = await mount(d.profile.id);
    await settled(el);
    const more = () => $<HTMLButtonElement>(el, '[part~=section--activity] .more');
    for (let page = 0; more() && page < 20; page++) {
      const shown = rows(el, 'activity').length;
      more()!.focus();
      more()!.click();
      await waitUntil(() => rows(el, 'activity').length > shown && el.shadowRoot!.activeElement === rows(el, 'activity')[shown],
        `page ${page + 2}: focus on its first row`);
    }
    expect(more(), 'the last page').to.equal(null);
    expect(focused()).to.match(/^li /);
  });

  it('shows a changed expiry as the last day it covers, on the pass and in its usage', async () => {
    const d = await findCustomer((x) => !!x.products?.data.some(countedActive), true);
    const pass = d.products!.data.find(countedActive)!;
    const { el } = await mount(d.profile.id);
    $<HTMLButtonElement>(el, `[data-pass="${pass.id}"] button`)!.click();
    const usage = await shadowQuery<CreditUsage>(el, 'credit-usage');
    (await shadowQuery<HTMLButtonElement>(usage, '[part~=expiry-button]')).click();
    const field = (name: string) => usage.shadowRoot!.querySelector<HTMLInputElement>(`dialog [name=${name}]`)!;
    await waitUntil(() => field('expires_at'), 'the expiry dialog opens');
    for (const [name, value] of [['expires_at', '2031-03-31'], ['reason', 'Extended after an injury']]) {
      field(name).value = value;
      field(name).dispatchEvent(new Event('input'));
    }
    const changed = oneEvent(el, 'ck-pass-expiry-changed');
    usage.shadowRoot!.querySelector<HTMLButtonElement>('dialog [type=submit]')!.click();
    await changed;
    await waitUntil(() => text(usage.shadowRoot!.querySelector('[part=status]')).startsWith('Expiry changed'), 'the announcement');
    expect(text(usage.shadowRoot!.querySelector('[part=status]'))).to.equal('Expiry changed: valid until 31 Mar 2031, 23:59.');
    expect(text(usage.shadowRoot!.querySelector('[part=header]'))).to.contain('Valid until 31 Mar 2031, 23:59');
    await waitUntil(() => text($(el, `[data-pass="${pass.id}"]`)).includes('Valid until 31 Mar 2031'), 'the pass shows the last day');
    expect(text($(el, `[data-pass="${pass.id}"]`))).to.not.contain('1 Apr 2031');
  });

  it('opens <credit-usage> for a pass from "View usage", lets its events bubble out, and returns focus when it closes', async () => {
    const d = await findCustomer((x) => !!x.products?.data.some(countedActive), true);
    const pass = d.products!.data.find(countedActive)!;
    const { el, box } = await mount(d.profile.id);
    const button = $<HTMLButtonElement>(el, `[data-pass="${pass.id}"] button`)!;
    button.focus();
    button.click();
    await waitUntil(() => dialogOf(el).open, 'the usage dialog opens');
    // Focus moves into the dialog (its header has no field: its Close button), never to the page behind.
    await waitUntil(() => focused() === 'button Close', 'focus on the dialog’s Close');
    const usage = $<CreditUsage>(el, 'credit-usage')!;
    expect([usage.customerId, usage.passId]).to.deep.equal([d.profile.id, pass.id]);
    await waitUntil(() => usage.shadowRoot!.querySelector('[part=summary]'), 'the credit usage shows');
    expect(text($(el, '#dialog-title'))).to.equal(`Credit usage: ${pass.product.name}`);

    // An adjustment inside: its event reaches the page outside, and the pass behind the dialog follows.
    usage.shadowRoot!.querySelector<HTMLButtonElement>('[part~=adjust-button]')!.click();
    await waitUntil(() => usage.shadowRoot!.querySelector<HTMLDialogElement>('dialog')!.open, 'the adjust dialog opens');
    const field = (name: string) => usage.shadowRoot!.querySelector<HTMLInputElement>(`dialog [name=${name}]`)!;
    for (const [name, value] of [['delta', '1'], ['reason', 'Courtesy credit for a cancelled class']]) {
      field(name).value = value;
      field(name).dispatchEvent(new Event('input'));
    }
    const adjusted = oneEvent(box, 'ck-credits-adjusted');
    usage.shadowRoot!.querySelector<HTMLButtonElement>('dialog [type=submit]')!.click();
    expect((await adjusted).detail).to.deep.include({ passId: pass.id, delta: 1, creditsLeft: pass.credits_left! + 1 });
    await waitUntil(() => text($(el, `[data-pass="${pass.id}"]`)).includes(`${pass.credits_left! + 1} of ${pass.credits_total! + 1} credits left`),
      'the pass shows the new balance');

    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialogOf(el).open && focused().startsWith('button View usage'), 'focus returns to "View usage"');
  });
});
