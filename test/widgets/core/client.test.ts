import { ContextProvider } from '@lit/context';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { ApiClient, type RequestOptions } from '../../../widgets/core/api-client.ts';
import { ApiError } from '../../../widgets/core/api-error.ts';
import type { CustomerSummary } from '../../../widgets/core/api-types.ts';
import { configure, sharedClient } from '../../../widgets/core/config.ts';
import { kitContext } from '../../../widgets/core/context.ts';
import { fieldError } from '../../../widgets/core/field-errors.ts';
import { IdempotencyKey } from '../../../widgets/core/idempotency-key.ts';
import en from '../../../widgets/core/messages/en.ts';
import '../../../widgets/index.ts';
import type { CouponManager } from '../../../widgets/coupon-manager/coupon-manager.component.ts';
import type { CustomerList } from '../../../widgets/customer-list/customer-list.component.ts';
import type { WaiverStatus } from '../../../widgets/waiver-status/waiver-status.component.ts';
import { api, requestsTo, session, shadowQuery } from '../support/fixtures.ts';

const READ = ['customers:read', 'profile:read'];

performance.setResourceTimingBufferSize(5000);

// Each test gives its elements an API root of their own (`/tN/../api` is `/api`), so that no client
// (and its token) of an earlier test is shared with them.

class TestProvider extends HTMLElement {
  provider = new ContextProvider(this, { context: kitContext });
}
customElements.define('ck-client-test-provider', TestProvider);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A customer of the demo studio. */
async function someCustomer(): Promise<CustomerSummary> {
  const { token } = await session(['customers:read']);
  return (await api<CustomerSummary[]>(token, 'customers?limit=1')).data[0];
}

/**
 * Holds back the body of the real BFF's answers to the requests whose URL matches, as a slow network
 * does: status and headers arrive, the body once `release()`d. Aborting the request meanwhile errors
 * the body with the abort, as the browser does to a body still on its way.
 */
function stallBodies(match: RegExp) {
  const real = globalThis.fetch;
  const stalled: string[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  globalThis.fetch = async (input, init) => {
    const response = await real(input, init);
    const url = input instanceof Request ? input.url : String(input);
    if (!match.test(url)) return response;
    stalled.push(url);
    const signal = init?.signal;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const abort = () => controller.error(signal!.reason);
        signal?.addEventListener('abort', abort, { once: true });
        released.then(() => response.arrayBuffer()).then((bytes) => {
          signal?.removeEventListener('abort', abort);
          controller.enqueue(new Uint8Array(bytes));
          controller.close();
        }, () => {});
      },
    });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
  return { stalled, release, restore: () => (globalThis.fetch = real) };
}

/** Collects what the page throws and leaves uncaught (a render that crashed) until `stop()`. */
function uncaught() {
  const errors: string[] = [];
  const onError = (event: ErrorEvent) => errors.push(event.message);
  const onRejection = (event: PromiseRejectionEvent) => errors.push(String(event.reason?.message ?? event.reason));
  addEventListener('error', onError);
  addEventListener('unhandledrejection', onRejection);
  return {
    errors,
    stop: () => {
      removeEventListener('error', onError);
      removeEventListener('unhandledrejection', onRejection);
    },
  };
}

/** The same source module loaded a second time: what a second copy of the kit on the page has. */
const otherCopy = (file: string) => import(/* @vite-ignore */ `${new URL(`../../../widgets/core/${file}`, import.meta.url).pathname}?copy=2`);

describe('a request aborted while its body is on its way', () => {
  it('rejects with the abort; the same body, not aborted, still arrives', async () => {
    const s = await session(READ);
    const stall = stallBodies(/\/api\/customers\?/);
    try {
      const client = new ApiClient({ sessionToken: s.token });
      const controller = new AbortController();
      const aborted = client.get('customers', { query: { limit: 1 }, signal: controller.signal });
      await waitUntil(() => stall.stalled.length === 1, 'the answer’s headers arrive');
      controller.abort();
      const error = await aborted.then(() => 'resolved', (reason: unknown) => reason);
      expect(error instanceof DOMException && error.name).to.equal('AbortError');

      const kept = client.get<CustomerSummary[]>('customers', { query: { limit: 1 } });
      await waitUntil(() => stall.stalled.length === 2, 'the answer’s headers arrive');
      stall.release();
      expect((await kept).data).to.have.length(1);
    } finally {
      stall.release();
      stall.restore();
    }
  });

  it('leaves <coupon-manager> showing the history asked for meanwhile, not crashing', async () => {
    const [customer, s] = await Promise.all([someCustomer(), session(['coupons:read'])]);
    const stall = stallBodies(/\/coupons\?.*status=active/);
    const thrown = uncaught();
    try {
      const el = await fixture<CouponManager>(html`<coupon-manager customer-id=${customer.id} session-token=${s.token}></coupon-manager>`);
      await waitUntil(() => stall.stalled.length === 1, 'the active coupons’ headers arrive');
      el.showHistory = true;
      await shadowQuery(el, '[part~=coupon], [part=empty], [part=error]');
      await pause(100);
      expect(el.shadowRoot!.querySelector('[part=error]')).to.equal(null);
      expect(thrown.errors).to.deep.equal([]);
    } finally {
      thrown.stop();
      stall.release();
      stall.restore();
    }
  });
});

describe('configure() and element settings that change', () => {
  it('a locale-only configure() re-renders in that language, with no request and no new session', async () => {
    const [customer, s] = await Promise.all([someCustomer(), session(['waivers:read'])]);
    let minted = 0;
    configure({
      fetchSessionToken: async () => {
        minted++;
        return (await session([...READ, 'waivers:read'])).token;
      },
    });
    const stall = stallBodies(/\/waivers$/);
    const thrown = uncaught();
    try {
      const box = await fixture<HTMLDivElement>(html`<div>
        <customer-list api-base="/t1/../api"></customer-list>
        <waiver-status api-base="/t1/../api" session-token=${s.token} customer-id=${customer.id}></waiver-status>
      </div>`);
      const list = box.querySelector<CustomerList>('customer-list')!;
      const waivers = box.querySelector<WaiverStatus>('waiver-status')!;
      await shadowQuery(list, 'tr[data-id]');
      await waitUntil(() => stall.stalled.length === 1, 'the waivers’ headers arrive');
      await pause(200);
      const before = requestsTo('/api/').length;

      configure({ locale: 'de-DE' });
      await waitUntil(() => list.shadowRoot!.querySelector('label[for=search]')?.textContent === 'Kunden suchen', 'the list speaks German');
      await pause(200);
      expect(requestsTo('/api/').length - before, 'no request').to.equal(0);
      expect(minted, 'one session').to.equal(1);
      expect(stall.stalled.length, 'the waivers on their way are not asked for again').to.equal(1);
      stall.release();
      await shadowQuery(waivers, '[part~=item], [part=empty]');
      expect(thrown.errors).to.deep.equal([]);
    } finally {
      thrown.stop();
      stall.release();
      stall.restore();
      configure({ locale: undefined, fetchSessionToken: undefined });
    }
  });

  it('a new fetchSessionToken function (a React parent re-rendering) keeps the client and its token', async () => {
    const minted: string[] = [];
    const fetcher = () => async () => {
      const { token } = await session(READ);
      minted.push(token);
      return token;
    };
    const el = await fixture<CustomerList>(html`<customer-list api-base="/t2/../api" .fetchSessionToken=${fetcher()}></customer-list>`);
    await shadowQuery(el, 'tr[data-id]');
    await pause(200);
    const before = requestsTo('/api/').length;
    for (let i = 0; i < 3; i++) {
      el.fetchSessionToken = fetcher();
      await el.updateComplete;
    }
    await pause(300);
    expect(requestsTo('/api/').length - before, 'no request').to.equal(0);
    expect(minted.length, 'one session').to.equal(1);
    expect(el.shadowRoot!.querySelector('tr[data-id]')).to.not.equal(null);
  });

  it('renews through the latest fetchSessionToken given for the same settings; a new token or API root gets a client of its own', async () => {
    const expired = (await session(READ, { expired: true })).token;
    const asked: string[] = [];
    const settings = (name: string) => ({
      apiBase: '/t3/../api',
      sessionToken: expired,
      fetchSessionToken: async () => {
        asked.push(name);
        return (await session(READ)).token;
      },
    });
    const client = sharedClient(settings('first'));
    expect(sharedClient(settings('second')) === client, 'the same client').to.equal(true);
    expect((await client.get('session')).status).to.equal(200);
    expect(asked).to.deep.equal(['second']);
    expect(sharedClient({ ...settings('third'), sessionToken: 'ck_ses_another-token-0000000000000' }) === client).to.equal(false);
    expect(sharedClient({ ...settings('third'), apiBase: '/t3b/../api' }) === client).to.equal(false);
  });
});

describe('an element without credentials', () => {
  it('calls no API and shows it is loading until it is given a token or a way to get one', async () => {
    const before = requestsTo('/api/').length;
    const box = await fixture<HTMLDivElement>(html`<div>
      <customer-list api-base="/t4/../api"></customer-list>
      <customer-list api-base="/t4b/../api"></customer-list>
    </div>`);
    const [first, second] = box.querySelectorAll<CustomerList>('customer-list');
    await pause(300);
    expect(requestsTo('/api/').length - before, 'no request').to.equal(0);
    for (const el of [first, second]) {
      expect(el.shadowRoot!.querySelector('[part=error]')).to.equal(null);
      expect(el.shadowRoot!.querySelector('[part~=row--skeleton]')).to.not.equal(null);
    }

    const s = await session(READ);
    configure({ sessionToken: s.token });
    second.fetchSessionToken = async () => (await session(READ)).token;
    try {
      await shadowQuery(first, 'tr[data-id]');
      await shadowQuery(second, 'tr[data-id]');
      expect(first.shadowRoot!.querySelector('[part=error]')).to.equal(null);
    } finally {
      configure({ sessionToken: undefined });
    }
  });

  it('tells the page when its fetchSessionToken fails', async () => {
    const heard: Event[] = [];
    const el = await fixture<CustomerList>(html`<customer-list api-base="/t5/../api"
      .fetchSessionToken=${async () => {
        throw new Error('the visitor is not signed in');
      }}
      @ck-session-expired=${(event: Event) => heard.push(event)}></customer-list>`);
    expect((await shadowQuery(el, '[part=error]')).textContent).to.contain('Your session has ended.');
    await waitUntil(() => heard.length > 0, 'ck-session-expired is dispatched');
    await pause(100);
    expect(heard.length, 'once').to.equal(1);
  });
});

describe('two copies of the kit on one page', () => {
  let other: typeof import('../../../widgets/core/api-error.ts');
  /** A client whose errors are the other copy's, as an element gets when the other copy made the client it shares. */
  const otherCopyClient = (sessionToken: string) =>
    new (class extends ApiClient {
      override async request<T>(method: string, path: string, options?: RequestOptions) {
        try {
          return await super.request<T>(method, path, options);
        } catch (e) {
          throw e instanceof ApiError ? new other.ApiError(e.status, e.code, e.message, e.details) : e;
        }
      }
    })({ sessionToken });
  /** A `<customer-detail>` of this copy given that client, and its error once it shows one. */
  const detailError = async (client: ApiClient, customerId: string) => {
    const wrapper = await fixture<TestProvider>(html`<ck-client-test-provider></ck-client-test-provider>`);
    wrapper.provider.setValue({ client, locale: 'en-GB' });
    return shadowQuery<HTMLElement>(wrapper.appendChild(Object.assign(document.createElement('customer-detail'), { customerId })), '[part=error]');
  };

  before(async () => {
    other = await otherCopy('api-error.ts');
    expect(other.ApiError !== ApiError, 'a second copy').to.equal(true);
  });

  it('words the other copy’s 404 as a record that does not exist', async () => {
    const error = await detailError(otherCopyClient((await session(READ)).token), 'cust_doesnotexist00000');
    expect(error.textContent).to.contain('This record does not exist or was removed.');
  });

  it('takes the other copy’s 401 as the session having ended', async () => {
    const error = await detailError(otherCopyClient('ck_ses_revoked-or-rotated-token-00000000'), 'cust_any');
    expect(error.textContent).to.contain('Your session has ended.');
    expect(error.querySelector('[part=retry-button]') === null, 'no retry once the session ended').to.equal(true);
  });

  /** The other copy's reading of the real BFF's 400 for `limit=0`. */
  const refusal = async () => {
    const answer = await fetch('/api/customers?limit=0', { headers: { authorization: `Bearer ${(await session(READ)).token}` } });
    return other.ApiError.fromResponse(answer);
  };

  it('highlights the fields the other copy’s error names', async () => {
    const invalid = await refusal();
    const input = Object.assign(document.createElement('input'), { name: 'limit', value: '0' });
    expect(fieldError(invalid, input), 'the field is highlighted').to.equal(invalid.fields.find((f) => f.path === 'limit')?.message);
  });

  it('ends the Idempotency-Key on the other copy’s refusal', async () => {
    const invalid = await refusal();
    const key = new IdempotencyKey();
    const first = key.for('customers', {});
    key.settle(invalid);
    expect(key.for('customers', {}) === first, 'a new key after the refusal').to.equal(false);
  });

  it('shows the words the other copy registered', async () => {
    const other = (await otherCopy('localize.ts')) as typeof import('../../../widgets/core/localize.ts');
    const s = await session(READ);
    const el = await fixture<CustomerList>(html`<customer-list locale="xx" session-token=${s.token}></customer-list>`);
    await shadowQuery(el, 'tr[data-id]');
    other.registerMessages('xx', { ...en, list: { ...en.list, search: 'Xx customers' } });
    await waitUntil(() => el.shadowRoot!.querySelector('label[for=search]')?.textContent === 'Xx customers', 'the list uses the other copy’s words');
    expect(el.shadowRoot!.querySelector('[part=base]')!.getAttribute('lang')).to.equal('xx');
  });
});
