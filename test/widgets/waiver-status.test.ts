import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { CustomerSummary, KitSession } from '../../widgets/core/api-types.ts';
import { formatDate } from '../../widgets/core/format.ts';
import '../../widgets/coupon-manager/coupon-manager.ts';
import type { WaiverStatus } from '../../widgets/waiver-status/waiver-status.component.ts';
import type { PolicyVersion, WaiverItem, Waivers } from '../../widgets/waiver-status/waiver-status.types.ts';
import '../../widgets/waiver-status/waiver-status.ts';
import { api, outage, session, shadowQuery, type TestSession } from './support/fixtures.ts';

const READ = ['waivers:read'];
const WRITE = ['waivers:read', 'waivers:write'];

let adminSession: Promise<TestSession> | undefined;
/** A session to look up data with (it may read customers, unlike the sessions under test). */
const admin = () => (adminSession ??= session(['customers:read', 'waivers:read']));

/** Renders a waiver status with a fresh session and waits for its first answer. */
async function status(customerId: string, caps = WRITE, attrs: { locale?: string; theme?: string; compact?: boolean } = {}) {
  const s = await session(caps);
  const el = await fixture<WaiverStatus>(html`<waiver-status
    customer-id=${customerId}
    session-token=${s.token}
    locale=${attrs.locale ?? 'en-GB'}
    theme=${attrs.theme ?? 'light'}
    ?compact=${attrs.compact ?? false}
  ></waiver-status>`);
  await shadowQuery(el, attrs.compact ? '.badge--ok, .badge--warn' : '[part~=item], [part=empty], [part=error]');
  await el.updateComplete;
  return { el, s };
}

const $ = <E extends Element = HTMLElement>(el: Element, selector: string) => el.shadowRoot!.querySelector<E>(selector);
const $$ = <E extends Element = HTMLElement>(el: Element, selector: string) => [...el.shadowRoot!.querySelectorAll<E>(selector)];
const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const itemOf = (el: Element, policyId: string) => $(el, `li[data-policy="${policyId}"]`)!;
const dialogOf = (el: Element) => $<HTMLDialogElement>(el, 'dialog')!;
const focused = (el: Element) => {
  const a = el.shadowRoot!.activeElement as HTMLElement | null;
  return a ? `${a.localName}[part=${a.getAttribute('part')}]${text(a).slice(0, 60)}` : 'nothing';
};

const waiversOf = async (token: string, id: string) => (await api<Waivers>(token, `customer/${id}/waivers`)).data;
const blocking = (w: Waivers) => w.items.filter((i) => i.required && i.status !== 'accepted');

const used: string[] = [];
/** The first unused seeded customer whose waivers satisfy `test`. */
async function findCustomer(test: (w: Waivers) => boolean): Promise<{ id: string; waivers: Waivers }> {
  const { token } = await admin();
  let cursor: string | null | undefined;
  do {
    const page = await api<CustomerSummary[]>(token, `customers?limit=100&archived=false${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    for (const c of page.data) {
      if (used.includes(c.id)) continue;
      const waivers = await waiversOf(token, c.id);
      if (test(waivers)) {
        used.push(c.id);
        return { id: c.id, waivers };
      }
    }
    cursor = page.next_cursor;
  } while (cursor);
  throw new Error('no seeded customer matches');
}

const compliant = (w: Waivers) => w.compliant && w.items.some((i) => i.status === 'accepted');
/** Exactly one required policy not accepted: recording it makes the customer compliant. */
const oneMissing = (w: Waivers) => blocking(w).length === 1;

describe('<waiver-status>', () => {
  it('renders the one-glance answer and every policy with a status that is not colour alone', async () => {
    const found = await findCustomer((w) => !w.compliant);
    const { el, s } = await status(found.id, READ);
    const { data: me } = await api<KitSession>(s.token, 'session');
    const names = blocking(found.waivers).map((i) => `${i.name} v${i.current_version}`);
    const list = new Intl.ListFormat('en-GB').format(names);
    expect(text($(el, '[part=summary]'))).to.equal(`! Action needed: ${list} not accepted`);
    expect($(el, '[part=summary] [aria-hidden=true]')).to.not.equal(null);

    expect($$(el, '[part~=item]').map((li) => li.dataset.policy)).to.deep.equal(found.waivers.items.map((i) => i.policy_id));
    for (const i of found.waivers.items) {
      const li = itemOf(el, i.policy_id);
      const badge = li.querySelector('[part=badge]')!;
      // An icon (hidden from screen readers) and the status in words.
      expect(text(badge)).to.equal(`${{ accepted: '✓', outdated: '!', missing: '✗' }[i.status]} ${{ accepted: 'Accepted', outdated: 'Outdated', missing: 'Missing' }[i.status]}`);
      expect(badge.querySelector('[aria-hidden=true]')).to.not.equal(null);
      expect(text(li)).to.contain(i.required ? 'Required' : 'Optional');
      if (i.accepted_version !== null) {
        const method = { in_person: 'In person', paper: 'On paper', online: 'Online' }[i.method!];
        const date = formatDate(i.accepted_at, { locale: 'en-GB', timeZone: me.tenant.timezone });
        expect(text(li)).to.contain(`v${i.accepted_version} accepted ${date} · ${method}`);
      } else {
        expect(text(li)).to.contain('Never accepted');
      }
      if (i.status !== 'accepted') expect(text(li)).to.contain(`current version v${i.current_version}`);
    }
  });

  it('says "All required policies accepted" for a compliant customer', async () => {
    const found = await findCustomer(compliant);
    const { el } = await status(found.id, READ);
    expect(text($(el, '[part=summary]'))).to.equal('✓ All required policies accepted');
  });

  it('is accessible, in both themes and with the policy dialog open', async () => {
    const found = await findCustomer((w) => !w.compliant);
    const { el } = await status(found.id);
    await expect(el).to.be.accessible();
    const dark = await status(found.id, WRITE, { theme: 'dark' });
    await expect(dark.el).to.be.accessible();

    $<HTMLButtonElement>(el, '[part=read-button]')!.click();
    await waitUntil(() => dialogOf(el).open && $(el, '.body'), 'the policy text shows');
    await expect(el).to.be.accessible();
    dialogOf(el).close();

    $<HTMLButtonElement>(el, '[part~=record-button]')!.click();
    await waitUntil(() => dialogOf(el).open && $(el, '.body'), 'the record dialog shows');
    await expect(el).to.be.accessible();
  });

  it('shows the policy text of the current version in a dialog, and returns focus', async () => {
    const found = await findCustomer(compliant);
    const { el, s } = await status(found.id, READ);
    const policy = found.waivers.items[0];
    const version = (await api<PolicyVersion>(s.token, `policies/${policy.policy_id}/versions/${policy.current_version}`)).data;
    const read = itemOf(el, policy.policy_id).querySelector<HTMLButtonElement>('[part=read-button]')!;
    expect(text(read)).to.equal(`Read policy ${policy.name}`);
    read.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $(el, '.body'), 'the text loads');
    expect(text($(el, '#dialog-title'))).to.equal(`${policy.name} v${policy.current_version}`);
    expect(text($(el, '[part=policy-text]'))).to.contain(version.title).and.contain(text({ textContent: version.body } as Element));
    expect($(el, '[part=submit-button]')).to.equal(null);
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialogOf(el).open);
    await waitUntil(() => focused(el).startsWith('button[part=read-button]'), `focus returns, is on ${focused(el)}`);
  });

  it('records an acceptance of the current version: the list and the answer update, ck-waiver-accepted fires', async () => {
    const found = await findCustomer(oneMissing);
    const { el, s } = await status(found.id);
    const target = blocking(found.waivers)[0];
    expect(text($(el, '[part=summary]'))).to.equal(`! Action needed: ${target.name} v${target.current_version} not accepted`);

    const record = itemOf(el, target.policy_id).querySelector<HTMLButtonElement>('[part~=record-button]')!;
    expect(text(record)).to.equal(`Record acceptance ${target.name}`);
    record.click();
    await waitUntil(() => dialogOf(el).open && $(el, '.body'), 'the dialog shows the text');
    expect(text($(el, '#dialog-title'))).to.equal(`Record acceptance of ${target.name} v${target.current_version}`);

    // No method chosen: refused before anything is sent.
    $<HTMLButtonElement>(el, '[part~=submit-button]')!.click();
    await waitUntil(() => $(el, '#method-error'));
    expect(text($(el, '#method-error'))).to.equal('Choose how the customer accepted.');
    expect(focused(el), 'focus moves to the first method').to.match(/^input/);

    $$<HTMLInputElement>(el, 'input[name=method]').find((r) => r.value === 'paper')!.click();
    const accepted = oneEvent(el, 'ck-waiver-accepted');
    $<HTMLButtonElement>(el, '[part~=submit-button]')!.click();
    const { detail } = await accepted;
    expect(detail).to.deep.equal({ customerId: found.id, policyId: target.policy_id, version: target.current_version, method: 'paper', compliant: true });

    await waitUntil(() => !dialogOf(el).open);
    await el.updateComplete;
    expect(text($(el, '[part=summary]'))).to.equal('✓ All required policies accepted');
    const li = itemOf(el, target.policy_id);
    expect(li.part.contains('item--accepted')).to.equal(true);
    expect(text(li.querySelector('[part=badge]'))).to.equal('✓ Accepted');
    expect(text(li)).to.contain(`v${target.current_version} accepted`).and.contain('On paper');
    expect(li.querySelector('[part~=record-button]')).to.equal(null);
    expect(text($(el, '[part=status]'))).to.equal(`${target.name} v${target.current_version} recorded as accepted.`);
    await waitUntil(() => focused(el).startsWith('button[part=read-button]'), `focus goes to the policy, is on ${focused(el)}`);

    // The server agrees.
    const after = await waiversOf(s.token, found.id);
    expect(after.compliant).to.equal(true);
    expect(after.items.find((i) => i.policy_id === target.policy_id)).to.include({ status: 'accepted', accepted_version: target.current_version, method: 'paper' });
  });

  it('compact mode is a small badge that names the state in text', async () => {
    const blocked = await findCustomer((w) => !w.compliant);
    const ok = await findCustomer(compliant);
    const a = await status(blocked.id, READ, { compact: true });
    const badge = $(a.el, '[part~=badge]')!;
    expect(text(badge)).to.equal('! Waivers: action needed');
    expect(badge.getAttribute('title')).to.match(/^Action needed: .+ not accepted$/);
    expect($(a.el, '[part~=item]')).to.equal(null);
    await expect(a.el).to.be.accessible();

    const b = await status(ok.id, READ, { compact: true, theme: 'dark' });
    expect(text($(b.el, '[part~=badge]'))).to.equal('✓ Waivers: all accepted');
    await expect(b.el).to.be.accessible();
  });

  it('hides "Record acceptance" from a read-only session (and coupon actions too)', async () => {
    const found = await findCustomer((w) => !w.compliant);
    const s = await session(['coupons:read', 'waivers:read']);
    const wrapper = await fixture<HTMLElement>(html`<div>
      <waiver-status customer-id=${found.id} session-token=${s.token} locale="en-GB"></waiver-status>
      <coupon-manager customer-id=${found.id} session-token=${s.token} locale="en-GB"></coupon-manager>
    </div>`);
    const waivers = wrapper.querySelector('waiver-status')!;
    const coupons = wrapper.querySelector('coupon-manager')!;
    await shadowQuery(waivers, '[part~=item]');
    await shadowQuery(coupons, '[part~=coupon], [part=empty]');
    await waivers.updateComplete;
    expect($$(waivers, '[part=read-button]').length).to.equal(found.waivers.items.length);
    expect($$(waivers, '[part~=record-button]').length).to.equal(0);
    expect($(coupons, '[part=add-button]')).to.equal(null);
    expect($$(coupons, '[part=action-button]').length).to.equal(0);
  });

  it('shows an error with a retry when the BFF is unreachable, and recovers', async () => {
    const found = await findCustomer(() => true);
    const s = await session(READ);
    await outage(s.token, 2);
    const el = await fixture<WaiverStatus>(html`<waiver-status customer-id=${found.id} session-token=${s.token} locale="en-GB"></waiver-status>`);
    const error = await shadowQuery(el, '[part=error]');
    expect(text(error)).to.contain('The waivers could not be loaded.').and.contain('The service is unavailable right now.');
    await expect(el).to.be.accessible();
    error.querySelector('button')!.click();
    await shadowQuery(el, '[part~=item]');
  });

  it('speaks German with locale="de-DE"', async () => {
    const found = await findCustomer((w) => !w.compliant);
    const { el } = await status(found.id, WRITE, { locale: 'de-DE' });
    // German loads on first use (English stands in meanwhile): the answer may come first.
    await waitUntil(() => text($(el, '[part=read-button]')).includes('Text lesen'), 'the German messages arrive');
    expect(text($(el, '[part=summary]'))).to.match(/^! Handlungsbedarf: .+ nicht akzeptiert$/);
    const item: WaiverItem = found.waivers.items[0];
    expect(text(itemOf(el, item.policy_id))).to.contain(item.required ? 'Erforderlich' : 'Optional');
    expect(text($(el, '[part=read-button]'))).to.contain('Text lesen');
    await expect(el).to.be.accessible();
  });
});
