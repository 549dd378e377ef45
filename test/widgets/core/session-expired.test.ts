import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { configure } from '../../../widgets/core/config.ts';
import '../../../widgets/index.ts';
import type { CustomerDetail } from '../../../widgets/customer-detail/customer-detail.component.ts';
import type { CustomerList } from '../../../widgets/customer-list/customer-list.component.ts';
import { outage, session, shadowQuery } from '../support/fixtures.ts';

const READ = ['customers:read', 'profile:read'];

/**
 * Collects the `ck-session-expired` events that reach the document until `stop()`, with their targets as
 * the document saw them (an event from inside a shadow root has none once dispatched).
 */
function countExpiries(): { events: Event[]; targets: (EventTarget | null)[]; count: () => number; stop: () => void } {
  const events: Event[] = [];
  const targets: (EventTarget | null)[] = [];
  const listener = (event: Event) => (events.push(event), targets.push(event.target));
  document.addEventListener('ck-session-expired', listener);
  return { events, targets, count: () => events.length, stop: () => document.removeEventListener('ck-session-expired', listener) };
}

describe('an expired session without renewal', () => {
  it('shows "session expired" without a retry that cannot work, and tells the page once with an event that bubbles and is composed', async () => {
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
      expect(expiries.events[0].bubbles, 'bubbles').to.equal(true);
      expect(expiries.events[0].composed, 'composed').to.equal(true);
      await expect(el).to.be.accessible();
    } finally {
      expiries.stop();
    }
  });

  it('reaches the document from an element inside another element’s shadow root', async () => {
    // A page built of web components embeds the kit in shadow roots of its own (no context provider
    // among them): the element reports the expiry itself, and only a composed event leaves the root.
    // Inside <customer-detail> it would not show: the detail provides its client, so it reports for them.
    const expired = await session(READ, { expired: true });
    const expiries = countExpiries();
    try {
      const shell = await fixture<HTMLDivElement>(html`<div></div>`);
      const list = document.createElement('customer-list');
      list.sessionToken = expired.token;
      shell.attachShadow({ mode: 'open' }).append(list);
      await shadowQuery(list, '[part=error]');
      await waitUntil(() => expiries.count() > 0, 'ck-session-expired reaches the document');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(expiries.count()).to.equal(1);
      expect(expiries.targets[0] === shell, 'the document sees it come from the shadow host').to.equal(true);
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

  it('comes from the element whose request met the ended session, not from the first to share its client', async () => {
    const expired = await session(READ, { expired: true });
    // The list's two requests (its session, its page) fail as in an outage: it shares the client but
    // has not met the ended session.
    await outage(expired.token, 2);
    configure({ sessionToken: expired.token });
    const expiries = countExpiries();
    try {
      const box = await fixture<HTMLDivElement>(html`<div><customer-list></customer-list><customer-detail></customer-detail></div>`);
      const list = box.querySelector<CustomerList>('customer-list')!;
      const detail = box.querySelector<CustomerDetail>('customer-detail')!;
      await shadowQuery(list, '[part=retry-button]');
      const heard: Event[] = [];
      detail.addEventListener('ck-session-expired', (event) => heard.push(event));
      detail.customerId = 'cust_any';
      expect((await shadowQuery(detail, '[part=error]')).textContent).to.contain('Your session has ended.');
      await waitUntil(() => expiries.count() > 0, 'ck-session-expired reaches the page');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(expiries.count(), 'once per expiry').to.equal(1);
      expect(expiries.events[0].target === detail, 'the event comes from the detail').to.equal(true);
      expect(heard.length, 'a listener on the detail hears it').to.equal(1);
    } finally {
      expiries.stop();
      configure({ sessionToken: undefined });
    }
  });

  it('is told by the next element to meet the ended session when the first was removed meanwhile', async () => {
    const expired = await session(READ, { expired: true });
    configure({ sessionToken: expired.token });
    const expiries = countExpiries();
    try {
      const box = await fixture<HTMLDivElement>(html`<div></div>`);
      const first = box.appendChild(document.createElement('customer-list'));
      // Gone while its requests are on their way (removed on its first render, not a frame later, when
      // the answers may be back already): its 401s reach no page.
      await first.updateComplete;
      first.remove();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const later = document.createElement('customer-list');
      box.append(later);
      await shadowQuery(later, '[part=error]');
      await waitUntil(() => expiries.count() > 0, 'ck-session-expired reaches the page');
      expect(expiries.events[0].target === later, 'the event comes from the element still there').to.equal(true);
    } finally {
      expiries.stop();
      configure({ sessionToken: undefined });
    }
  });
});

describe('elements with settings of their own', () => {
  it('share one session when their settings resolve alike: one token fetched, one renewal', async () => {
    const expired = (await session(READ, { expired: true })).token;
    // No token yet (the README's CMS page: api-base on the element, fetchSessionToken in configure()), or an expired one.
    for (const sessionToken of [undefined, expired]) {
      const fetched: string[] = [];
      const fetchSessionToken = async () => {
        const { token } = await session(READ);
        fetched.push(token);
        return token;
      };
      configure({ sessionToken, fetchSessionToken });
      const box = await fixture<HTMLDivElement>(html`<div><customer-list api-base="/api"></customer-list></div>`);
      try {
        await shadowQuery(box.firstElementChild!, 'tr[data-id]');
        // A second element appended later, its API root written another way: the same settings.
        const second = document.createElement('customer-list');
        second.setAttribute('api-base', '/api/');
        box.append(second);
        await shadowQuery(second, 'tr[data-id]');
        expect(fetched.length, `one token serves both (${sessionToken ? 'expired' : 'none'} at first)`).to.equal(1);

        // A setting of its own changes: a session of its own, renewed on its own.
        second.sessionToken = 'ck_ses_revoked-or-rotated-token-00000000';
        await waitUntil(() => fetched.length === 2, 'the second list renews its own session');
        await shadowQuery(second, 'tr[data-id]');
        expect(second.shadowRoot!.querySelector('[part=error]')).to.equal(null);
      } finally {
        // Gone before the next round's configure(), which would give them sessions to fetch as well.
        box.remove();
        configure({ sessionToken: undefined, fetchSessionToken: undefined });
      }
    }
  });
});
