import { expect, fixture, html, nextFrame, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ContextProvider } from '@lit/context';
import { ApiClient } from '../../widgets/core/api-client.ts';
import type { CustomerSummary, KitSession } from '../../widgets/core/api-types.ts';
import { kitContext } from '../../widgets/core/context.ts';
import { configure } from '../../widgets/core/config.ts';
import { formatDate } from '../../widgets/core/format.ts';
import { CustomerList } from '../../widgets/customer-list/customer-list.component.ts';
import '../../widgets/customer-list/customer-list.ts';
import { api, holdRequests, outage, requestsTo, session, shadowQuery } from './support/fixtures.ts';

/** A page's own provider, as `<customer-detail>` is one: provides the kit context. */
class TestProvider extends HTMLElement {
  provider = new ContextProvider(this, { context: kitContext });
}
customElements.define('ck-test-provider', TestProvider);

const READ = ['customers:read'];
const READ_WRITE = ['customers:read', 'customers:write', 'profile:read'];

performance.setResourceTimingBufferSize(2000);

/** Renders a list with a fresh session and waits for its first answer (rows, empty or error). */
async function list(caps = READ_WRITE, attrs: { pageSize?: number; locale?: string; theme?: string } = {}) {
  const s = await session(caps);
  const el = await fixture<CustomerList>(html`<customer-list
    session-token=${s.token}
    page-size=${attrs.pageSize ?? 25}
    locale=${attrs.locale ?? 'en-GB'}
    theme=${attrs.theme ?? 'light'}
  ></customer-list>`);
  await settled(el);
  return { el, s };
}

async function settled(el: CustomerList) {
  await shadowQuery(el, 'tr[data-id], [part=empty], [part=error]');
  await el.updateComplete;
}

function rows(el: CustomerList): HTMLTableRowElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLTableRowElement>('tr[data-id]')];
}
const ids = (el: CustomerList) => rows(el).map((r) => r.dataset.id!);
/** Where focus is inside the element, as a short description (chai must never print DOM nodes: it hangs the page). */
function focusOf(el: CustomerList): string {
  return describeNode(el.shadowRoot!.activeElement);
}
function describeNode(node: Element | null | undefined): string {
  if (!node) return 'nothing';
  const id = node.id ? `#${node.id}` : '';
  const data = (node as HTMLElement).dataset?.id ? `[data-id=${(node as HTMLElement).dataset.id}]` : '';
  const part = node.getAttribute('part') ? `[part=${node.getAttribute('part')}]` : '';
  return `${node.localName}${id}${data}${part}`;
}
/** Waits for focus to reach `target` (focus moves after dialog close events and renders). */
async function expectFocus(el: CustomerList, target: Element | undefined, what: string) {
  await waitUntil(() => el.shadowRoot!.activeElement === target, `focus should be on ${what} (${describeNode(target)}), is on ${focusOf(el)}`, { timeout: 2000 });
}
const $ = <E extends Element = HTMLElement>(el: CustomerList, selector: string) => el.shadowRoot!.querySelector<E>(selector);

/** Every customer the API lists for a query, following the cursors. */
async function all(token: string, query: string): Promise<CustomerSummary[]> {
  const out: CustomerSummary[] = [];
  let cursor: string | null | undefined;
  do {
    const page = await api<CustomerSummary[]>(token, `customers?${query}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    out.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor);
  return out;
}

describe('<customer-list>', () => {
  it('renders the first page of active customers from the BFF', async () => {
    const { el, s } = await list();
    const expected = await api<CustomerSummary[]>(s.token, 'customers?archived=false&limit=25&include=customer_since');
    const { data: me } = await api<KitSession>(s.token, 'session');
    expect(expected.data.length).to.equal(25);
    expect(ids(el)).to.deep.equal(expected.data.map((c) => c.id));

    const headers = [...el.shadowRoot!.querySelectorAll('th')].map((th) => th.textContent!.trim());
    expect(headers).to.deep.equal(['Name', 'Email', 'Mobile', 'Customer since']);
    const first = expected.data[0];
    const cells = [...rows(el)[0].cells].map((td) => td.textContent!.replace(/\s+/g, ' ').trim());
    expect(cells[0]).to.equal(`${first.firstname} ${first.lastname}`);
    expect(cells[1]).to.equal(first.email);
    expect(cells[2]).to.equal(first.mobile ?? '—Not given'); // a dash for the eye, words for screen readers
    expect(cells[3]).to.equal(formatDate(first.customer_since, { locale: 'en-GB', timeZone: me.tenant.timezone }));
    expect(cells[3]).to.not.equal('');

    expect($(el, 'label[for=search]')!.textContent).to.equal('Search customers');
    expect($(el, '[part=table]')!.getAttribute('aria-busy')).to.equal('false');
    expect($(el, '[part=status]')!.textContent).to.equal('25 customers shown, more available.');
    await waitUntil(() => $(el, '[part=add-button]'), 'the add button appears for customers:write');
  });

  it('marks guest records, which read like their full profile, with a Guest badge', async () => {
    const { el, s } = await list();
    const guest = (await all(s.token, 'include=guest')).find((c) => c.guest);
    expect(guest, 'the test studio has a guest record').to.exist;
    el.query = guest!.email;
    await waitUntil(() => ids(el).includes(guest!.id), 'the search lists the guest');
    const listed = await all(s.token, `include=guest&q=${encodeURIComponent(guest!.email)}`);
    for (const row of rows(el)) {
      const badges = [...row.querySelectorAll('[part=badge]')].map((b) => b.textContent!.trim());
      expect(badges.includes('Guest'), row.dataset.id).to.equal(listed.find((c) => c.id === row.dataset.id)!.guest);
    }
  });

  it('is accessible', async () => {
    const { el } = await list();
    await expect(el).to.be.accessible();
  });

  it('is accessible in the dark theme, with a row selected', async () => {
    const { el } = await list(READ_WRITE, { theme: 'dark' });
    el.selectedId = ids(el)[1];
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });

  it('shows skeleton rows while the first page loads', async () => {
    const s = await session(READ);
    const el = await fixture<CustomerList>(html`<customer-list session-token=${s.token}></customer-list>`);
    const skeletons = el.shadowRoot!.querySelectorAll('tr[part~=row--skeleton]');
    expect(skeletons.length).to.be.greaterThan(0);
    expect(skeletons[0].getAttribute('aria-hidden')).to.equal('true');
    expect($(el, '[part=table]')!.getAttribute('aria-busy')).to.equal('true');
    await settled(el);
    expect(el.shadowRoot!.querySelectorAll('tr[part~=row--skeleton]').length).to.equal(0);
  });

  it('search narrows the list to the matching seeded customers, with one request once typing pauses', async () => {
    const { el, s } = await list();
    const active = await all(s.token, 'archived=false');
    const target = active[Math.floor(active.length / 2)];
    const query = target.lastname;
    const expected = await all(s.token, `archived=false&q=${encodeURIComponent(query)}`);
    expect(expected.length, 'the query narrows the seeded list').to.be.greaterThan(0).and.lessThan(active.length);

    const input = $<HTMLInputElement>(el, '#search')!;
    input.focus();
    const before = requestsTo('/api/customers').length;
    let renders = 0;
    const render = el.render.bind(el);
    el.render = () => (renders++, render());
    await sendKeys({ type: query });
    expect(renders, 'keystrokes alone render nothing').to.equal(0);
    await waitUntil(() => ids(el).join() === expected.slice(0, 25).map((c) => c.id).join(), 'the list shows the search result');

    expect(ids(el)).to.include(target.id);
    for (const row of rows(el)) {
      const c = expected.find((e) => e.id === row.dataset.id)!;
      expect(`${c.firstname} ${c.lastname} ${c.email} ${c.mobile ?? ''}`.toLowerCase()).to.contain(query.toLowerCase());
    }
    expect(requestsTo('/api/customers').length - before, 'typing fast makes one request').to.equal(1);
    expect(renders, 'one search renders a handful of times, not once per key').to.be.at.most(3);
    await expectFocus(el, input, 'the search box');
    expect(input.value).to.equal(query);

    // A query nothing matches: the empty state names it.
    input.value = 'zzqx-nobody';
    input.dispatchEvent(new InputEvent('input'));
    const empty = await shadowQuery(el, '[part=empty]');
    expect(empty.textContent).to.equal('No customers match “zzqx-nobody”.');
  });

  it('a search started while "Load more" loads drops that page: the result lists only matching customers', async () => {
    const { el, s } = await list(READ);
    const active = await all(s.token, 'archived=false');
    const query = active[Math.floor(active.length / 2)].lastname;
    const expected = await all(s.token, `archived=false&q=${encodeURIComponent(query)}`);
    // The next page of the unfiltered list, held back as on a slow network until the search has answered.
    const hold = holdRequests('cursor=');
    try {
      $<HTMLButtonElement>(el, '[part=load-more]')!.click();
      el.query = query;
      await waitUntil(() => ids(el).join() === expected.slice(0, 25).map((c) => c.id).join(), 'the list shows the search result');
      hold.release();
      // Longer than the held page takes to answer and render.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(ids(el)).to.deep.equal(expected.slice(0, 25).map((c) => c.id));
    } finally {
      hold.restore();
    }
  });

  it('filters active, archived and all customers', async () => {
    const { el, s } = await list(READ, { pageSize: 100 });
    const archived = await all(s.token, 'archived=true');
    const everyone = await all(s.token, '');
    expect(archived.length, 'the seed archives some customers').to.be.greaterThan(0);
    const badges = (r: HTMLTableRowElement) => [...r.querySelectorAll('[part=badge]')].map((b) => b.textContent);
    expect(rows(el).some((r) => badges(r).includes('Archived'))).to.equal(false);

    const select = $<HTMLSelectElement>(el, '#filter')!;
    expect(select.value).to.equal('active');
    select.value = 'archived';
    select.dispatchEvent(new Event('change'));
    await waitUntil(() => ids(el).join() === archived.slice(0, 100).map((c) => c.id).join(), 'archived customers shown');
    expect(rows(el).every((r) => badges(r).includes('Archived'))).to.equal(true);

    select.value = 'all';
    select.dispatchEvent(new Event('change'));
    await waitUntil(() => ids(el).join() === everyone.slice(0, 100).map((c) => c.id).join(), 'all customers shown');
    expect(everyone.length).to.be.greaterThan(archived.length);
  });

  it('takes a removed query or filter (null), or one set to undefined as React does with a dropped prop, as the default', async () => {
    const { el, s } = await list(READ);
    const first = ids(el);
    const active = await all(s.token, 'archived=false');
    const query = active[Math.floor(active.length / 2)].lastname;
    const found = (await all(s.token, `archived=false&q=${encodeURIComponent(query)}`)).map((c) => c.id).join();
    const search = $<HTMLInputElement>(el, '#search')!;
    const select = $<HTMLSelectElement>(el, '#filter')!;
    const unset: [string, () => void, () => void][] = [
      ['the query attribute', () => el.setAttribute('query', query), () => el.removeAttribute('query')],
      ['the query property', () => (el.query = query), () => (el.query = undefined as unknown as string)],
    ];
    for (const [what, set, drop] of unset) {
      set();
      await waitUntil(() => ids(el).join() === found, `${what}: the search result`);
      drop();
      await waitUntil(() => ids(el).join() === first.join(), `${what} dropped: the list without a search`);
      expect(search.value).to.equal('');
    }
    for (const drop of [() => el.removeAttribute('filter'), () => (el.filter = undefined as unknown as 'all')]) {
      el.setAttribute('filter', 'archived');
      await waitUntil(() => ids(el).join() !== first.join(), 'the archived customers');
      drop();
      await waitUntil(() => ids(el).join() === first.join(), 'the active customers again');
      expect(select.value).to.equal('active');
    }
  });

  it('shows the filter the page sets, also after the user chose another', async () => {
    const { el } = await list(READ);
    const select = $<HTMLSelectElement>(el, '#filter')!;
    for (const value of ['archived', 'active']) {
      select.value = value;
      select.dispatchEvent(new Event('change'));
      await el.updateComplete;
    }
    el.filter = 'archived';
    await el.updateComplete;
    expect(select.value).to.equal('archived');
  });

  it('selects rows by keyboard: Tab reaches the table, arrows move, Enter and Space fire ck-customer-select', async () => {
    const { el } = await list(READ);
    const list_ = ids(el);
    $<HTMLInputElement>(el, '#search')!.focus();
    await sendKeys({ press: 'Tab' }); // the filter
    await sendKeys({ press: 'Tab' }); // the first row (one tab stop for the whole table)
    await expectFocus(el, rows(el)[0], 'the first row');

    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    await expectFocus(el, rows(el)[2], 'the third row');
    // The event bubbles out of the shadow root to the document.
    let selected = oneEvent(document, 'ck-customer-select');
    await sendKeys({ press: 'Enter' });
    let event = await selected;
    expect(event.detail).to.deep.equal({ customerId: list_[2] });
    expect(event.composed && event.bubbles).to.equal(true);
    await el.updateComplete;
    expect(rows(el)[2].getAttribute('aria-selected')).to.equal('true');
    expect(rows(el).filter((r) => r.tabIndex === 0).map((r) => r.dataset.id)).to.deep.equal([list_[2]]);

    await sendKeys({ press: 'ArrowUp' });
    selected = oneEvent(el, 'ck-customer-select');
    await sendKeys({ press: 'Space' });
    event = await selected;
    expect(event.detail.customerId).to.equal(list_[1]);

    await sendKeys({ press: 'End' });
    await expectFocus(el, rows(el).at(-1), 'the last row');
    await sendKeys({ press: 'Home' });
    await expectFocus(el, rows(el)[0], 'the first row');

    selected = oneEvent(el, 'ck-customer-select');
    rows(el)[3].querySelector('td')!.click();
    expect((await selected).detail.customerId).to.equal(list_[3]);
  });

  it('setting selectedId highlights the row without firing an event', async () => {
    const { el } = await list(READ);
    let fired = 0;
    el.addEventListener('ck-customer-select', () => fired++);
    el.selectedId = ids(el)[4];
    await el.updateComplete;
    expect(rows(el)[4].getAttribute('aria-selected')).to.equal('true');
    expect(rows(el)[4].part.contains('row--selected')).to.equal(true);
    expect(fired).to.equal(0);
  });

  it('"Load more" appends the next pages without duplicates until the end', async () => {
    const { el, s } = await list(READ, { pageSize: 30 });
    const expected = await all(s.token, 'archived=false');
    expect(expected.length, 'more than one page').to.be.greaterThan(30);
    expect(ids(el).length).to.equal(30);

    let pages = 1;
    while ($(el, '[part=load-more]')) {
      const before = ids(el).length;
      $<HTMLButtonElement>(el, '[part=load-more]')!.click();
      await waitUntil(() => ids(el).length > before, 'the next page is appended');
      pages++;
      // Focus moves to the first new row, so keyboard users continue where the new rows start.
      await expectFocus(el, rows(el)[before], 'the first new row');
    }
    expect(pages).to.equal(Math.ceil(expected.length / 30));
    expect(ids(el)).to.deep.equal(expected.map((c) => c.id));
    expect(new Set(ids(el)).size).to.equal(ids(el).length);
    expect($(el, '[part=status]')!.textContent).to.equal(`${expected.length} customers shown.`);
  });

  it('the add dialog shows the server’s field errors, refuses a duplicate email and creates the customer', async () => {
    const { el, s } = await list(READ_WRITE);
    const addButton = await shadowQuery<HTMLButtonElement>(el, '[part=add-button]');
    const dialog = $<HTMLDialogElement>(el, 'dialog')!;
    const field = (name: string) => $<HTMLInputElement>(el, `#${name}`)!;
    const errorOf = (name: string) => $(el, `#${name}-error`)?.textContent ?? '';
    const submit = () => $<HTMLButtonElement>(el, '[part=submit-button]')!.click();

    addButton.click();
    expect(dialog.open).to.equal(true);
    await expectFocus(el, field('firstname'), 'the first name field');

    // Nothing filled in: the required fields say so, before any request.
    submit();
    await waitUntil(() => errorOf('email'), 'required errors');
    expect(errorOf('firstname')).to.equal('Fill in this field.');
    expect(errorOf('lastname')).to.equal('Fill in this field.');
    expect(errorOf('mobile')).to.equal('');
    await expectFocus(el, field('firstname'), 'the first name field');

    // Not an email at all: the browser's own check says so, and nothing is sent.
    field('firstname').value = 'Testa';
    field('lastname').value = 'Dialog';
    field('email').value = 'not-an-email';
    const sent = requestsTo('/api/customers').length;
    submit();
    await waitUntil(() => errorOf('email') === 'Enter an email address like name@example.com.', 'the email error');
    await expectFocus(el, field('email'), 'the email field');
    expect(requestsTo('/api/customers').length, 'nothing sent').to.equal(sent);

    // The browser accepts "a@b" and "call me"; the BFF does not: its 400 details.fields show per field, in the kit's words.
    field('email').value = 'a@b';
    field('mobile').value = 'call me';
    submit();
    await waitUntil(() => errorOf('email') && errorOf('mobile'), 'the server field errors');
    expect(errorOf('email')).to.equal('Enter an email address like name@example.com.');
    expect(errorOf('mobile')).to.equal('Enter a phone number like +44 7700 900123.');
    expect(errorOf('firstname')).to.equal('');
    expect(field('email').getAttribute('aria-invalid')).to.equal('true');
    expect(field('email').getAttribute('aria-describedby')).to.equal('email-error');
    expect($(el, '#form-error')!.textContent).to.equal('Check the highlighted fields.');
    await expect(el).to.be.accessible();

    // An email a seeded customer already has (in other letter case): 409 conflict on the email field.
    const [existing] = (await api<CustomerSummary[]>(s.token, 'customers?limit=1')).data;
    field('email').value = existing.email.toUpperCase();
    field('mobile').value = '';
    submit();
    await waitUntil(() => errorOf('email') === 'Another customer already has this email address.', 'the 409 conflict on email');
    expect(errorOf('mobile')).to.equal('');
    expect(dialog.open).to.equal(true);

    // A valid customer: the dialog closes, the event fires, the row shows, the live region announces.
    const email = `testa.dialog.${Date.now()}@example.com`;
    field('email').value = email;
    field('mobile').value = '+44 7700 900123';
    const created = oneEvent(el, 'ck-customer-created');
    submit();
    const { detail } = await created;
    expect(detail.customerId).to.match(/^cust_/);
    await el.updateComplete;
    expect(dialog.open).to.equal(false);
    await expectFocus(el, addButton, 'the add button');
    expect(ids(el)[0]).to.equal(detail.customerId);
    expect(rows(el)[0].part.contains('row--new')).to.equal(true);
    expect(rows(el)[0].textContent).to.contain('Testa Dialog').and.contain('New').and.contain(email);
    expect($(el, '[part=status]')!.textContent).to.equal('Testa Dialog was added.');

    const profile = await api<{ email: string; mobile: string }>(s.token, `customer/${detail.customerId}/profile`);
    expect(profile.data).to.include({ email, mobile: '+44 7700 900123' });

    // Opening the dialog again starts from an empty form.
    addButton.click();
    expect(field('email').value).to.equal('');
    expect(errorOf('email')).to.equal('');
    $<HTMLButtonElement>(el, '[part=cancel-button]')!.click();
    await el.updateComplete;
    expect(dialog.open).to.equal(false);
    await expectFocus(el, addButton, 'the add button');
  });

  it('shows a customer added through the dialog once, at the top, also when "Load more" reaches its place', async () => {
    const { el } = await list(READ_WRITE, { pageSize: 100 });
    (await shadowQuery<HTMLButtonElement>(el, '[part=add-button]')).click();
    const field = (name: string) => $<HTMLInputElement>(el, `#${name}`)!;
    // Last in the server's order (by last name), so that a later page holds it again.
    field('firstname').value = 'Paged';
    field('lastname').value = 'Zzyzx';
    field('email').value = `paged.zzyzx.${Date.now()}@example.com`;
    const created = oneEvent(el, 'ck-customer-created');
    $<HTMLButtonElement>(el, '[part=submit-button]')!.click();
    const { detail } = await created;
    while ($(el, '[part=load-more]')) {
      const before = ids(el).length;
      $<HTMLButtonElement>(el, '[part=load-more]')!.click();
      await waitUntil(() => ids(el).length > before || !$(el, '[part=load-more]'), 'the next page is appended');
    }
    expect(ids(el)[0]).to.equal(detail.customerId);
    expect(ids(el).filter((id) => id === detail.customerId), 'listed once').to.have.length(1);
  });

  it('words the server’s field errors in German, and limits each field to what the server takes', async () => {
    const { el, s } = await list(READ_WRITE, { locale: 'de-DE' });
    await waitUntil(() => $(el, 'label[for=search]')!.textContent === 'Kunden suchen', 'the German messages arrive');
    (await shadowQuery<HTMLButtonElement>(el, '[part=add-button]')).click();
    const field = (name: string) => $<HTMLInputElement>(el, `#${name}`)!;
    const errorOf = (name: string) => $(el, `#${name}-error`)?.textContent ?? '';
    const submit = () => $<HTMLButtonElement>(el, '[part=submit-button]')!.click();
    // The server's limits (server/routes/profile-schemas.ts): typing stops there.
    expect(['firstname', 'lastname', 'email'].map((f) => field(f).maxLength)).to.deep.equal([100, 100, 254]);

    // Set by script, past maxlength: the server's 400 (zod's "Too big: …") and a bad mobile, in German.
    field('firstname').value = 'N'.repeat(300);
    field('lastname').value = 'Kunde';
    field('email').value = `neu.kunde.${Date.now()}@example.com`;
    field('mobile').value = 'x'.repeat(60);
    submit();
    await waitUntil(() => errorOf('firstname') && errorOf('mobile'), 'the server field errors');
    expect(errorOf('firstname')).to.equal('Höchstens 100 Zeichen.');
    expect(errorOf('mobile')).to.equal('Geben Sie eine Telefonnummer wie +49 151 23456789 ein.');
    expect($(el, '#form-error')!.textContent).to.equal('Bitte prüfen Sie die markierten Felder.');

    // An email another customer has: the 409 in German.
    const [existing] = (await api<CustomerSummary[]>(s.token, 'customers?limit=1')).data;
    field('firstname').value = 'Neu';
    field('mobile').value = '';
    field('email').value = existing.email;
    submit();
    await waitUntil(() => errorOf('email') === 'Diese E-Mail-Adresse hat schon ein anderer Kunde.', 'the 409 in German');
    expect(errorOf('firstname')).to.equal('');
    await expect(el).to.be.accessible();
  });

  it('while a customer is being added, submit, Cancel and Escape do nothing: the dialog stays open for the outcome', async () => {
    const { el } = await list(READ_WRITE);
    (await shadowQuery<HTMLButtonElement>(el, '[part=add-button]')).click();
    const dialog = $<HTMLDialogElement>(el, 'dialog')!;
    const cancel = $<HTMLButtonElement>(el, '[part=cancel-button]')!;
    const field = (name: string) => $<HTMLInputElement>(el, `#${name}`)!;
    // Typed: keys reach the fields (the dialog stops only Escape, and only while saving).
    field('firstname').focus();
    await sendKeys({ type: 'Slow' });
    expect(field('firstname').value).to.equal('Slow');
    field('lastname').value = 'Network';
    field('email').value = `slow.network.${Date.now()}@example.com`;
    // The real request, held back a moment as on a slow network.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const realFetch = window.fetch;
    let posts = 0;
    window.fetch = async (input, init) => {
      if (init?.method === 'POST') {
        posts++;
        await held;
      }
      return realFetch(input, init);
    };
    try {
      const created = oneEvent(el, 'ck-customer-created');
      $<HTMLButtonElement>(el, '[part=submit-button]')!.click();
      await waitUntil(() => cancel.getAttribute('aria-disabled') === 'true', 'Cancel is disabled while saving');
      cancel.click();
      const refused = new Event('cancel', { cancelable: true });
      dialog.dispatchEvent(refused);
      expect(refused.defaultPrevented, 'the dialog’s cancel is prevented').to.equal(true);
      field('firstname').focus();
      for (let i = 0; i < 3; i++) await sendKeys({ press: 'Escape' });
      await nextFrame();
      expect(dialog.open, 'still open while saving').to.equal(true);
      // A second submit (an impatient double click) sends nothing: one change, one request.
      $<HTMLButtonElement>(el, '[part=submit-button]')!.click();
      await nextFrame();
      expect(posts, 'one request while saving').to.equal(1);
      release();
      await created;
      await waitUntil(() => !dialog.open, 'the saved change closes the dialog');
      expect($(el, '[part=status]')!.textContent).to.equal('Slow Network was added.');
      expect(cancel.getAttribute('aria-disabled')).to.equal('false');
    } finally {
      window.fetch = realFetch;
      release();
    }
  });

  it('treats any 401 as the end of the session: no retry, and ck-session-expired', async () => {
    // A token the server does not know, as after a revocation or a key rotation: 401 `unauthenticated`.
    const expired: Event[] = [];
    const listener = (e: Event) => expired.push(e);
    document.addEventListener('ck-session-expired', listener);
    try {
      const el = await fixture<CustomerList>(html`<customer-list session-token="ck_ses_revoked-or-rotated-token-00000000"></customer-list>`);
      const error = await shadowQuery(el, '[part=error]');
      expect(error.textContent!.replace(/\s+/g, ' ').trim()).to.equal(
        'The customers could not be loaded. Your session has ended. Sign in again to continue.');
      expect(error.querySelector('[part=retry-button]')).to.equal(null);
      await waitUntil(() => expired.length > 0, 'ck-session-expired reaches the page');
    } finally {
      document.removeEventListener('ck-session-expired', listener);
    }
  });

  it('gives each row its name as one text, so that it is read with its space', async () => {
    const { el } = await list(READ);
    for (const row of rows(el).slice(0, 5)) {
      const cell = row.cells[0];
      const name = [...cell.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim())!;
      expect(name.textContent, 'first and last name in one text node').to.match(/^\S+( \S+)+$/);
    }
  });

  it('marks its language as that of the words it shows: English where no catalogue has the locale’s', async () => {
    const { el } = await list(READ, { locale: 'fr-FR' });
    expect($(el, '[part=base]')!.getAttribute('lang')).to.equal('en');
    expect($(el, 'label[for=search]')!.textContent).to.equal('Search customers');
    const german = (await list(READ, { locale: 'de-DE' })).el;
    await waitUntil(() => $(german, 'label[for=search]')!.textContent === 'Kunden suchen', 'the German messages arrive');
    expect($(german, '[part=base]')!.getAttribute('lang')).to.equal('de-DE');
  });

  it('Escape closes the add dialog and returns focus to the button', async () => {
    const { el } = await list(READ_WRITE);
    const addButton = await shadowQuery<HTMLButtonElement>(el, '[part=add-button]');
    addButton.focus();
    await sendKeys({ press: 'Enter' });
    expect($<HTMLDialogElement>(el, 'dialog')!.open).to.equal(true);
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !$<HTMLDialogElement>(el, 'dialog')!.open);
    await el.updateComplete;
    await expectFocus(el, addButton, 'the add button');
  });

  it('shows an error with a retry when the BFF is unreachable, and recovers', async () => {
    const s = await session(READ);
    await outage(s.token, 2); // the session and the list request
    const el = await fixture<CustomerList>(html`<customer-list session-token=${s.token}></customer-list>`);
    const error = await shadowQuery(el, '[part=error]');
    expect(error.querySelector('[role=alert]')!.textContent).to.contain('The customers could not be loaded.')
      .and.contain('The service is unavailable right now.');
    await expect(el).to.be.accessible();

    $<HTMLButtonElement>(el, '[part=retry-button]')!.click();
    await waitUntil(() => ids(el).length === 25, 'the retry loads the list');
    expect($(el, '[part=error]') === null, 'the error is gone').to.equal(true);
  });

  it('says so when the session may not read customers (403 forbidden)', async () => {
    const { el } = await list(['profile:read']);
    const error = await shadowQuery(el, '[part=error]');
    expect(error.textContent).to.contain('You do not have permission to do this.');
  });

  it('hides "Add customer" from a read-only session', async () => {
    const writer = await list(READ_WRITE);
    await shadowQuery(writer.el, '[part=add-button]');

    const sessionsBefore = requestsTo('/api/session').length;
    const { el } = await list(READ);
    await waitUntil(() => requestsTo('/api/session').length > sessionsBefore, 'the session was read');
    await nextFrame();
    await el.updateComplete;
    expect(ids(el).length).to.equal(25);
    expect($(el, '[part=add-button]') === null, 'no add button').to.equal(true);
  });

  it('renews an expired session once through configure({ fetchSessionToken })', async () => {
    const expired = await session(READ, { expired: true });
    let renewals = 0;
    configure({
      sessionToken: expired.token,
      fetchSessionToken: async () => {
        renewals++;
        return (await session(READ)).token;
      },
    });
    try {
      const el = await fixture<CustomerList>(html`<customer-list></customer-list>`);
      await settled(el);
      expect(ids(el).length).to.equal(25);
      expect(renewals).to.equal(1);
    } finally {
      configure({ sessionToken: undefined, fetchSessionToken: undefined });
    }
  });

  it('renews a session-token attribute once through its own fetchSessionToken property, expired or no longer valid', async () => {
    const expired = (await session(READ, { expired: true })).token;
    // Revoked, or minted by a key since rotated: a 401 that is not `session_expired` is renewed as well.
    for (const dead of [expired, 'ck_ses_revoked-or-rotated-token-00000000']) {
      let renewals = 0;
      const el = await fixture<CustomerList>(html`<customer-list session-token=${dead}
        .fetchSessionToken=${async () => {
          renewals++;
          return (await session(READ)).token;
        }}></customer-list>`);
      await settled(el);
      expect(ids(el).length).to.equal(25);
      expect(renewals, dead).to.equal(1);
    }
  });

  it('takes its config from a context provider, else its attributes, else configure()', async () => {
    const s = await session(READ);
    configure({ locale: 'de-DE', sessionToken: 'ck_ses_this-token-is-not-valid-0000000' });
    try {
      // Attributes beat configure(): English, and the attribute's valid token.
      const own = await fixture<CustomerList>(html`<customer-list locale="en-GB" session-token=${s.token}></customer-list>`);
      await settled(own);
      expect($(own, 'label[for=search]')!.textContent).to.equal('Search customers');
      expect(ids(own).length).to.equal(25);

      // A provider beats both: its client (with the valid token) and its locale.
      const wrapper = await fixture<HTMLElement>(html`<ck-test-provider><customer-list locale="en-GB"></customer-list></ck-test-provider>`);
      const provided = wrapper.querySelector('customer-list')!;
      (wrapper as TestProvider).provider.setValue({ client: new ApiClient({ sessionToken: s.token }), locale: 'de-DE' });
      await waitUntil(() => ids(provided).length === 25, 'the provider’s client loads the list');
      expect($(provided, 'label[for=search]')!.textContent).to.equal('Kunden suchen');
      // …and says which language it speaks, for a screen reader's voice inside a page of another.
      expect($(provided, '[part=base]')!.lang).to.equal('de-DE');

      // Nothing of its own: configure() — here a token the BFF refuses.
      const global = await fixture<CustomerList>(html`<customer-list></customer-list>`);
      await settled(global);
      expect($(global, '[part=error]')!.textContent).to.contain('Ihre Sitzung ist beendet.');
    } finally {
      configure({ locale: undefined, sessionToken: undefined });
    }
  });

  it('speaks German with locale="de-DE", dates in the studio’s timezone', async () => {
    const { el, s } = await list(READ, { locale: 'de-DE' });
    // German loads on first use (English stands in meanwhile): the answer may come first.
    await waitUntil(() => $(el, 'label[for=search]')!.textContent === 'Kunden suchen', 'the German messages arrive');
    const { data: me } = await api<KitSession>(s.token, 'session');
    const [first] = (await api<CustomerSummary[]>(s.token, 'customers?archived=false&limit=1&include=customer_since')).data;
    expect($(el, 'label[for=search]')!.textContent).to.equal('Kunden suchen');
    expect([...el.shadowRoot!.querySelectorAll('th')].map((th) => th.textContent!.trim())).to.deep.equal([
      'Name', 'E-Mail', 'Mobilnummer', 'Kunde seit',
    ]);
    expect(rows(el)[0].cells[3].textContent!.trim()).to.equal(
      new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeZone: me.tenant.timezone }).format(new Date(first.customer_since!)),
    );
    expect($(el, '[part=load-more]')!.textContent!.trim()).to.equal('Mehr laden');
    await expect(el).to.be.accessible();
  });

  it('registering the tag twice warns instead of throwing', async () => {
    const warn = console.warn;
    const warnings: unknown[] = [];
    console.warn = (...args: unknown[]) => warnings.push(args[0]);
    try {
      CustomerList.define('customer-list', class extends CustomerList {});
      CustomerList.define('customer-list'); // the same class again: silently a no-op
    } finally {
      console.warn = warn;
    }
    expect(warnings).to.have.length(1);
    expect(String(warnings[0])).to.contain('<customer-list> is already defined');
  });
});
