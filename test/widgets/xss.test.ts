// XSS: a customer whose stored text is a corpus of script payloads, written through the real API,
// renders inert in every element. Lit puts data into text nodes and attribute values, never into
// markup; this proves it for every field a user or staff member can write, end to end, and for the
// text the studio's other systems write (coupon, product and staff names, policies, emails), which
// the test BFF puts in for them: no text is trusted as markup for coming from the studio.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { KitSession } from '../../widgets/core/api-types.ts';
import type { CatalogueCoupon } from '../../widgets/coupon-manager/coupon-manager.types.ts';
import type { Pass } from '../../widgets/credit-usage/credit-usage.api.ts';
import type { Waivers } from '../../widgets/waiver-status/waiver-status.types.ts';
import '../../widgets/coupon-manager/coupon-manager.ts';
import '../../widgets/credit-usage/credit-usage.ts';
import '../../widgets/customer-detail/customer-detail.ts';
import '../../widgets/customer-list/customer-list.ts';
import '../../widgets/waiver-status/waiver-status.ts';
import { api, session, shadowQuery, type TestSession } from './support/fixtures.ts';

declare global {
  interface Window {
    __xss?: number;
    __xssControl?: number;
  }
}

/** Script payloads, each of which runs when put into a page as HTML (the control test checks the first). */
const PAYLOADS = [
  '<img src=x onerror=window.__xss=1>',
  '<script>window.__xss=1</script>',
  '"><svg onload=window.__xss=1>',
  "'><iframe srcdoc=\"<script>parent.__xss=1</script>\">",
  'javascript:window.__xss=1//',
  '<a href="javascript:window.__xss=1">open</a>',
  '<details open ontoggle=window.__xss=1>',
  '<svg><animate onbegin=window.__xss=1 attributeName=x dur=1s>',
  '${window.__xss=1}{{constructor.constructor("window.__xss=1")()}}',
  '<style>*{background:url("javascript:window.__xss=1")}</style>',
] as const;

/** Names (1..100 characters), and the email the validator allows: a quote, a plus and a dot. */
const FIRSTNAME = PAYLOADS[0];
const LASTNAME = PAYLOADS[2];
const email = `o'neil.x+ss${Date.now()}@example.com`;
/** The names of the customer's two coupons. */
const COUPON_NAMES = [PAYLOADS[6], PAYLOADS[7]];
/**
 * Text the API has no write for: a policy, an email to the customer, the product of their pack and the staff
 * member who adjusts its credits. Each starts with a word of its own, so that the text shown is known to be its.
 */
const POLICY = { name: `Waiver ${PAYLOADS[8]}`, title: `Title ${PAYLOADS[0]}`, body: PAYLOADS.join('\n') };
const SUBJECT = `Subject ${PAYLOADS[5]}`;
const PRODUCT = `Pack ${PAYLOADS[3]}`;
const STAFF = `Staff ${PAYLOADS[2]}`;

const WRITE = ['customers:read', 'customers:write', 'profile:read', 'profile:write', 'bookings:read', 'emails:read', 'roles:read', 'attribution:read', 'notes:read', 'notes:write', 'coupons:read', 'coupons:write',
  'passes:read', 'credits:write', 'activity:read', 'waivers:read', 'waivers:write'];

interface Setup {
  s: TestSession;
  customerId: string;
  /** A seeded credit pack (not a membership: the credit-usage tests use those) holding the payload reasons. */
  pass: { customerId: string; id: string };
}

async function write(token: string, method: string, path: string, body: unknown) {
  const response = await fetch(`/api/${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} /api/${path} answered ${response.status}: ${JSON.stringify(json)}`);
  return json.data;
}

/** What the setup changed beyond its own customer (coupons, a policy, a product, a staff member): put back after, for the other test files. */
const putBack: (() => Promise<unknown>)[] = [];
async function renameCoupon(id: string, name: string) {
  const response = await fetch(`/__test/coupon-name?coupon=${id}&name=${encodeURIComponent(name)}`, { method: 'POST' });
  expect(response.status, `coupon ${id} renamed`).to.equal(204);
}

/** A test BFF write that answers what it replaced (`/__test/policy`, `/__test/name`). */
async function replace<T>(hook: string, params: Record<string, string>): Promise<T> {
  const response = await fetch(`/__test/${hook}?${new URLSearchParams(params)}`, { method: 'POST' });
  expect(response.status, `${hook} ${params.policy ?? params.id} replaced`).to.equal(200);
  return (await response.json()).data;
}

let prepared: Promise<Setup> | undefined;
function setup() {
  return (prepared ??= (async () => {
    const s = await session(WRITE);
    const customer = await write(s.token, 'POST', 'customers', { firstname: FIRSTNAME, lastname: LASTNAME, email });
    const customerId: string = customer.id;
    await write(s.token, 'POST', `customer/${customerId}/notes`, { body: PAYLOADS.join('\n') });

    // Two coupons the customer may have, named with payloads (as the studio's billing system might
    // name them) and added with payload reasons; the second removed with one.
    const { data: catalogue } = await api<CatalogueCoupon[]>(s.token, `coupons?customer_id=${customerId}&limit=100`);
    const eligible = catalogue.filter((c) => (c as CatalogueCoupon & { eligible?: boolean }).eligible !== false);
    expect(eligible.length, 'eligible coupons').to.be.at.least(2);
    for (const [i, name] of COUPON_NAMES.entries()) {
      const coupon = eligible[i];
      await renameCoupon(coupon.id, name);
      putBack.push(() => renameCoupon(coupon.id, coupon.name));
    }
    await write(s.token, 'POST', `customer/${customerId}/coupons`, { coupon_id: eligible[0].id, reason: PAYLOADS[1] });
    const second = await write(s.token, 'POST', `customer/${customerId}/coupons`, { coupon_id: eligible[1].id, reason: PAYLOADS[3] });
    await write(s.token, 'PATCH', `customer/${customerId}/coupons/${second.id}`, { status: 'removed', reason: PAYLOADS[4] });

    // A credit pack sold to the customer (through the test BFF: the API sells nothing), its credit changes given payload reasons.
    const sale = await fetch(`/__test/purchase?customer=${customerId}&product=pack`, { method: 'POST' });
    expect(sale.status, 'a credit pack sold').to.equal(201);
    const pass: Setup['pass'] = { customerId, id: (await sale.json()).data.pass_id };
    for (const reason of PAYLOADS.slice(5)) {
      await write(s.token, 'POST', `customer/${pass.customerId}/passes/${pass.id}/adjustments`, { delta: 1, reason });
    }

    // What the studio's other systems write: a policy (its name, and its current version's title and text),
    // an email sent to the customer, the pack's product name and the name of the staff member who adjusted it.
    const { data: waivers } = await api<Waivers>(s.token, `customer/${customerId}/waivers`);
    const policy = waivers.items[0].policy_id;
    const policyWas = await replace<typeof POLICY>('policy', { policy, ...POLICY });
    putBack.push(() => replace('policy', { policy, ...policyWas }));
    const sent = await fetch(`/__test/email?customer=${customerId}&subject=${encodeURIComponent(SUBJECT)}`, { method: 'POST' });
    expect(sent.status, 'an email recorded').to.equal(201);
    const { data: sold } = await api<Pass>(s.token, `customer/${customerId}/passes/${pass.id}`);
    const { data: me } = await api<KitSession>(s.token, 'session');
    for (const [of, id, name] of [['product', sold.product.id, PRODUCT], ['staff', me.actor.id, STAFF]]) {
      const was = await replace<{ name: string }>('name', { of, id, name });
      putBack.push(() => replace('name', { of, id, name: was.name }));
    }
    return { s, customerId, pass };
  })());
}

/** Markup that data must never have produced inside an element's shadow root. */
const INJECTED = 'script, iframe, img, details, a[href^="javascript"], [onerror], [onload], [ontoggle], [onbegin]';

/** An element's shadow root and those of the elements inside it (`<customer-detail>` composes the others). */
function shadowRoots(root: ShadowRoot): ShadowRoot[] {
  return [root, ...[...root.querySelectorAll('*')].flatMap((n) => (n.shadowRoot ? shadowRoots(n.shadowRoot) : []))];
}

function assertInert(el: Element, expected: string[]) {
  const roots = shadowRoots(el.shadowRoot!);
  const injected = roots.flatMap((root) => [...root.querySelectorAll(INJECTED)].map((n) => n.outerHTML.slice(0, 80)));
  expect(injected, 'elements made from data').to.deep.equal([]);
  const shown = roots.map((root) => root.textContent ?? '').join('\n');
  for (const text of expected) expect(shown, 'the payload is shown as text').to.contain(text);
  expect(window.__xss, 'no payload ran').to.equal(undefined);
}

/** Lets any event handler a payload might have planted fire (image errors, animations, toggles). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('XSS: stored payloads render as text', () => {
  after(async () => {
    try {
      expect(window.__xss).to.equal(undefined);
    } finally {
      for (const undo of putBack) await undo();
    }
  });

  it('the payloads are live when written as HTML (the control)', async () => {
    const probe = document.createElement('div');
    probe.innerHTML = PAYLOADS[0].replace('__xss', '__xssControl');
    document.body.append(probe);
    await waitUntil(() => window.__xssControl === 1, 'the control payload ran');
    probe.remove();
  });

  it('customer-list shows the names and email as text', async () => {
    const { s } = await setup();
    const el = await fixture(html`<customer-list session-token=${s.token} locale="en-GB" .query=${email}></customer-list>`);
    const row = await shadowQuery<HTMLElement>(el, '[part~=row]:not([part~=row--skeleton]):not([part~=header])', 'the customer row');
    await waitUntil(() => el.shadowRoot!.textContent!.includes(FIRSTNAME), 'the payload name');
    row.click();
    // The add dialog echoes nothing, but it is the element's other template.
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part~=add-button]')?.click();
    await settle();
    assertInert(el, [FIRSTNAME, LASTNAME, email]);
  });

  it('coupon-manager shows the coupon names and reasons, removal included, as text', async () => {
    const { s, customerId } = await setup();
    const el = await fixture(html`<coupon-manager session-token=${s.token} locale="en-GB" customer-id=${customerId}
      show-history></coupon-manager>`);
    await shadowQuery(el, '[part~=coupon--removed]', 'the removed coupon');
    await waitUntil(() => el.shadowRoot!.textContent!.includes(PAYLOADS[4]), 'the removal reason');
    // The remove dialog of the active coupon.
    (await shadowQuery<HTMLButtonElement>(el, '[part~=coupon--active] [data-action=remove]')).click();
    await shadowQuery(el, 'dialog[open]');
    await settle();
    assertInert(el, [PAYLOADS[1], PAYLOADS[3], PAYLOADS[4]]);
    el.shadowRoot!.querySelector<HTMLDialogElement>('dialog[open]')!.close();
    // Coupon names show in the add dialog's picker, which lists the catalogue.
    (await shadowQuery<HTMLButtonElement>(el, '[part~=add-button]')).click();
    const picker = await shadowQuery(el, 'dialog[open] [part~=picker]', 'the coupon picker');
    await waitUntil(() => COUPON_NAMES.every((name) => picker.textContent!.includes(name)), 'the payload names in the picker');
    await settle();
    assertInert(el, COUPON_NAMES);
  });

  it('credit-usage shows the product name, the adjustment reasons and who made them as text, in the ledger and the dialog evidence', async () => {
    const { s, pass } = await setup();
    const el = await fixture(html`<credit-usage session-token=${s.token} locale="en-GB" customer-id=${pass.customerId}
      pass-id=${pass.id} filter="manual"></credit-usage>`);
    await waitUntil(() => PAYLOADS.slice(5).every((p) => el.shadowRoot!.textContent!.includes(p)), 'every payload reason');
    (await shadowQuery<HTMLButtonElement>(el, '[part~=adjust-button]')).click();
    await shadowQuery(el, 'dialog[open]');
    await settle();
    assertInert(el, [...PAYLOADS.slice(5), PRODUCT, STAFF]);
  });

  it('customer-detail shows name, email, notes, coupon names and reasons, email subjects, product, staff and policy names as text, and its edit dialog holds them as values', async () => {
    const { s, customerId } = await setup();
    const el = await fixture(html`<customer-detail session-token=${s.token} locale="en-GB" customer-id=${customerId}></customer-detail>`);
    const deepText = () => shadowRoots(el.shadowRoot!).map((root) => root.textContent ?? '').join('\n');
    const shown = [FIRSTNAME, LASTNAME, email, ...PAYLOADS, SUBJECT, PRODUCT, STAFF, POLICY.name];
    const missing = () => shown.filter((p) => !deepText().includes(p));
    await waitUntil(() => !missing().length, 'the names, the email, the note, the coupon reasons and the studio’s texts', { timeout: 8000 })
      .catch(() => expect(missing(), 'not shown').to.deep.equal([]));
    (await shadowQuery<HTMLButtonElement>(el, '[part~=menu-button]')).click();
    const edit = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~=menu-item]')].find((b) => b.textContent!.includes('Edit details'));
    expect(edit, 'an "Edit details" action').to.exist;
    edit!.click();
    await shadowQuery(el, 'dialog[open]');
    const values = [...el.shadowRoot!.querySelectorAll<HTMLInputElement>('dialog[open] input')].map((i) => i.value);
    expect(values).to.include.members([FIRSTNAME, LASTNAME, email]);
    await settle();
    assertInert(el, shown);
    el.shadowRoot!.querySelector<HTMLDialogElement>('dialog[open]')!.close();
    // "Add coupon" from the menu opens the coupons section's picker (the note holds every payload too,
    // so the names are looked for in that picker itself).
    (await shadowQuery<HTMLButtonElement>(el, '[part~=menu-button]')).click();
    (await shadowQuery<HTMLButtonElement>(el, '[part~=menu-item][data-action=add-coupon]')).click();
    const coupons = await shadowQuery(el, 'coupon-manager');
    const picker = await shadowQuery(coupons, 'dialog[open] [part~=picker]', 'the coupon picker');
    await waitUntil(() => COUPON_NAMES.every((name) => picker.textContent!.includes(name)), 'the payload names in the picker');
    await settle();
    assertInert(el, COUPON_NAMES);
  });

  it('waiver-status shows a policy’s name, and its title and text when opened, as text', async () => {
    const { s, customerId } = await setup();
    const el = await fixture(html`<waiver-status session-token=${s.token} locale="en-GB" customer-id=${customerId}></waiver-status>`);
    await waitUntil(() => el.shadowRoot!.textContent!.includes(POLICY.name), 'the payload policy name');
    const item = [...el.shadowRoot!.querySelectorAll('[part~=item]')].find((li) => li.textContent!.includes(POLICY.name))!;
    item.querySelector<HTMLButtonElement>('[part~=read-button]')!.click();
    await shadowQuery(el, 'dialog[open] [part~=policy-text] .body', 'the policy text');
    await settle();
    assertInert(el, [POLICY.name, POLICY.title, POLICY.body]);
  });
});
