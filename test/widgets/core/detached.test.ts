import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { CustomerSummary } from '../../../widgets/core/api-types.ts';
import type { CustomerCoupon } from '../../../widgets/coupon-manager/coupon-manager.types.ts';
import '../../../widgets/index.ts';
import { api, onRequest, session, type TestSession } from '../support/fixtures.ts';

const READ = ['customers:read', 'profile:read', 'passes:read', 'coupons:read', 'waivers:read', 'activity:read'];

/** A customer of the seed with an active coupon and a pass that has credit usage. */
async function customerWithAll(s: TestSession): Promise<{ customerId: string; passId: string }> {
  const { data: customers } = await api<CustomerSummary[]>(s.token, 'customers?limit=100&archived=false');
  for (const { id } of customers) {
    const [coupons, passes] = await Promise.all([
      api<CustomerCoupon[]>(s.token, `customer/${id}/coupons?limit=1`),
      api<{ id: string; credits_total: number | null }[]>(s.token, `customer/${id}/passes?limit=50`),
    ]);
    const pass = passes.data.find((p) => p.credits_total);
    if (coupons.data.length && pass) return { customerId: id, passId: pass.id };
  }
  throw new Error('no customer of the seed has both an active coupon and a pass with credits');
}

/** Each element, what it reads first (a path's ending), and what it shows once that has answered. */
const elements = [
  { tag: 'customer-list', read: '/api/customers', shown: '[part~=row]:not([part~=row--skeleton])' },
  { tag: 'credit-usage', read: '/credit-usage', shown: '[part~=entry]' },
  { tag: 'coupon-manager', read: '/coupons', shown: '[part~=coupon]' },
  { tag: 'waiver-status', read: '/waivers', shown: '[part~=item]' },
];

describe('an element taken out of the page while it loads', function () {
  this.timeout(30000);

  for (const { tag, read, shown } of elements) {
    it(`<${tag}> aborts its read, asks nothing while out, and loads when put back`, async () => {
      const s = await session(READ);
      const { customerId, passId } = await customerWithAll(s);
      const box = await fixture<HTMLDivElement>(html`<div></div>`);
      const el = Object.assign(document.createElement(tag), { sessionToken: s.token, locale: 'en-GB', customerId, passId });
      const asked: string[] = [];
      let signal: AbortSignal | null | undefined;
      const restore = onRequest((path, requestSignal) => {
        if (path.endsWith(read) && !signal) {
          signal = requestSignal;
          el.remove();
        }
        asked.push(path);
      });
      try {
        box.append(el);
        await waitUntil(() => signal && !el.isConnected, `<${tag}> asks for ${read}, and is removed`, { timeout: 8000 });
        const whileOut = asked.length;
        // Longer than the read would take to answer (and be followed by what comes after it).
        await new Promise((resolve) => setTimeout(resolve, 800));
        expect(signal!.aborted, 'the read is aborted').to.equal(true);
        expect(asked.slice(whileOut), 'nothing asked while out of the page').to.deep.equal([]);
        expect(el.shadowRoot?.querySelector(shown) ?? null, 'nothing shown from the aborted read').to.equal(null);

        box.append(el);
        await waitUntil(() => el.shadowRoot!.querySelector(shown), `<${tag}> shows what it read once back`, { timeout: 8000 });
        expect(asked.slice(whileOut).filter((path) => path.endsWith(read)), 'read again once').to.have.length(1);
        expect(el.shadowRoot!.querySelector('[part=error]'), 'no error').to.equal(null);
      } finally {
        restore();
      }
    });
  }
});
