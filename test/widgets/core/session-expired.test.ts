import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { configure } from '../../../widgets/core/config.ts';
import '../../../widgets/index.ts';
import type { CustomerDetail } from '../../../widgets/customer-detail/customer-detail.component.ts';
import type { CustomerList } from '../../../widgets/customer-list/customer-list.component.ts';
import { session, shadowQuery } from '../support/fixtures.ts';

const READ = ['customers:read', 'profile:read'];

/** Collects the `ck-session-expired` events that reach the document until `stop()`. */
function countExpiries(): { events: Event[]; count: () => number; stop: () => void } {
  const events: Event[] = [];
  const listener = (event: Event) => events.push(event);
  document.addEventListener('ck-session-expired', listener);
  return { events, count: () => events.length, stop: () => document.removeEventListener('ck-session-expired', listener) };
}

describe('an expired session without renewal', () => {
  it('shows "session expired" without a retry that cannot work, and tells the page once', async () => {
    const expired = await session(READ, { expired: true });
    const expiries = countExpiries();
    try {
      const el = await fixture<CustomerList>(html`<customer-list session-token=${expired.token}></customer-list>`);
      const error = await shadowQuery(el, '[part=error]');
      expect(error.textContent).to.contain('Your session has ended.');
      expect(error.querySelector('[part=retry-button]')).to.equal(null);
      await waitUntil(() => expiries.count() > 0, 'ck-session-expired reaches the page');
      // The list and its session read both failed with this token: still one event.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(expiries.count()).to.equal(1);
      await expect(el).to.be.accessible();
    } finally {
      expiries.stop();
    }
  });

  it('tells the page when fetchSessionToken fails too', async () => {
    const expired = await session(READ, { expired: true });
    const expiries = countExpiries();
    let asked = 0;
    try {
      const el = await fixture<CustomerDetail>(html`<customer-detail customer-id="cust_any" session-token=${expired.token}
        .fetchSessionToken=${async () => {
          asked++;
          throw new Error('the portal signed the user out');
        }}></customer-detail>`);
      await waitUntil(() => expiries.count() > 0, 'ck-session-expired reaches the page');
      expect(expiries.events[0].target === el, 'the event comes from the element').to.equal(true);
      expect(asked).to.equal(1);
      expect((await shadowQuery(el, '[part=error]')).textContent).to.contain('Your session has ended.');
      expect(expiries.count()).to.equal(1);
    } finally {
      expiries.stop();
    }
  });

  it('takes any 401 (a revoked session, a rotated key: `unauthenticated`) as the session having ended', async () => {
    const expiries = countExpiries();
    try {
      const el = await fixture<CustomerList>(html`<customer-list session-token="ck_ses_revoked-or-rotated-token-00000000"></customer-list>`);
      const error = await shadowQuery(el, '[part=error]');
      expect(error.textContent).to.contain('Your session has ended.');
      expect(error.querySelector('[part=retry-button]')).to.equal(null);
      await waitUntil(() => expiries.count() > 0, 'ck-session-expired reaches the page');
    } finally {
      expiries.stop();
    }
  });

  it('tells the page once when two elements share the global client', async () => {
    const expired = await session(READ, { expired: true });
    const expiries = countExpiries();
    configure({ sessionToken: expired.token });
    try {
      const box = await fixture<HTMLDivElement>(html`<div><customer-list></customer-list><customer-list page-size="5"></customer-list></div>`);
      const lists = [...box.querySelectorAll<CustomerList>('customer-list')];
      for (const el of lists) await shadowQuery(el, '[part=error]');
      await waitUntil(() => expiries.count() > 0, 'ck-session-expired reaches the page');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(expiries.count(), 'one event per expiry, not one per element').to.equal(1);
      expect(lists.includes(expiries.events[0].target as CustomerList), 'the event comes from one of the elements').to.equal(true);
    } finally {
      expiries.stop();
      configure({ sessionToken: undefined });
    }
  });
});
