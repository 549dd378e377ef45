import { expect, fixture, waitUntil } from '@open-wc/testing';
import { html, unsafeStatic } from 'lit/static-html.js';
import '../../../widgets/coupon-manager/coupon-manager.component.ts';
import '../../../widgets/credit-usage/credit-usage.component.ts';
import '../../../widgets/customer-detail/customer-detail.component.ts';
import { CustomerList } from '../../../widgets/customer-list/customer-list.component.ts';
import '../../../widgets/waiver-status/waiver-status.component.ts';
import { session } from '../support/fixtures.ts';

// The `…component.js` entries of package.json: the classes alone, for a host that picks its own tag names
// (another library on the page has `<customer-list>`, or each micro-frontend has its own registry).
describe('the element classes without their registration', () => {
  it('define no tag', () => {
    for (const tag of ['customer-list', 'customer-detail', 'credit-usage', 'coupon-manager', 'waiver-status']) {
      expect(customElements.get(tag), tag).to.equal(undefined);
    }
  });

  it('work under the tag name the page gives them', async () => {
    customElements.define('studio-customers', CustomerList);
    const { token } = await session(['customers:read']);
    const tag = unsafeStatic('studio-customers');
    const el = await fixture<CustomerList>(html`<${tag} session-token=${token} locale="en-GB"></${tag}>`);
    expect(el).to.be.instanceOf(CustomerList);
    await waitUntil(() => el.shadowRoot!.querySelector('[part~=row]:not([part~=row--skeleton])'), 'customers listed', { timeout: 8000 });
    expect(customElements.get('customer-list'), 'the kit’s own name stays free').to.equal(undefined);
  });
});
