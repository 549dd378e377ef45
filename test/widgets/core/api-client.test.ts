import { expect } from '@open-wc/testing';
import { ApiClient } from '../../../widgets/core/api-client.ts';
import { ApiError } from '../../../widgets/core/api-error.ts';
import type { CustomerProfile, CustomerSummary } from '../../../widgets/core/api-types.ts';
import { outage, session } from '../support/fixtures.ts';

const CAPS = ['customers:read', 'profile:read', 'profile:write'];

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('ApiClient against the real BFF', () => {
  it('unwraps { data, next_cursor } and sends the bearer token and query', async () => {
    const s = await session(CAPS);
    const client = new ApiClient({ sessionToken: s.token });
    const page = await client.get<CustomerSummary[]>('customers', { query: { limit: 3, archived: false, q: '' } });
    expect(page.status).to.equal(200);
    expect(page.data).to.have.length(3);
    expect(page.data[0].id).to.match(/^cust_/);
    expect(page.nextCursor).to.be.a('string');
    const next = await client.get<CustomerSummary[]>('/customers', { query: { limit: 3, archived: false, cursor: page.nextCursor } });
    expect(next.data.map((c) => c.id)).to.not.include.members(page.data.map((c) => c.id));
  });

  it('turns error bodies into typed ApiErrors', async () => {
    const s = await session(CAPS);
    const client = new ApiClient({ sessionToken: s.token });

    const missing = (await rejection(client.get('customer/cust_doesnotexist00000/profile'))) as ApiError;
    expect(missing).to.be.instanceOf(ApiError);
    expect([missing.status, missing.code]).to.deep.equal([404, 'not_found']);

    const invalid = (await rejection(client.get('customers', { query: { limit: 0 } }))) as ApiError;
    expect([invalid.status, invalid.code]).to.deep.equal([400, 'invalid_request']);
    expect(invalid.fields.map((f) => f.path)).to.include('limit');

    const forbidden = (await rejection(client.post('customers', { firstname: 'A', lastname: 'B', email: 'a@example.com' }))) as ApiError;
    expect([forbidden.status, forbidden.code]).to.deep.equal([403, 'forbidden']);
    expect(forbidden.details?.scope).to.equal('customers:write');

    const anonymous = (await rejection(new ApiClient({ sessionToken: 'ck_ses_not-a-real-token-at-all-0000' }).get('session'))) as ApiError;
    expect([anonymous.status, anonymous.code]).to.deep.equal([401, 'unauthenticated']);
  });

  it('reads a gateway’s non-JSON 503 as unavailable', async () => {
    const s = await session(CAPS);
    await outage(s.token, 1);
    const error = (await rejection(new ApiClient({ sessionToken: s.token }).get('session'))) as ApiError;
    expect([error.status, error.code]).to.deep.equal([503, 'unavailable']);
  });

  it('renews an expired session once, shared by concurrent requests, and retries', async () => {
    const expired = await session(CAPS, { expired: true });
    let renewals = 0;
    const client = new ApiClient({
      sessionToken: expired.token,
      fetchSessionToken: async () => {
        renewals++;
        return (await session(CAPS)).token;
      },
    });
    const [a, b] = await Promise.all([client.get('session'), client.get('customers', { query: { limit: 1 } })]);
    expect([a.status, b.status]).to.deep.equal([200, 200]);
    expect(renewals).to.equal(1);
  });

  it('fetches a token first when it has none, and gives up after one renewal that does not help', async () => {
    let calls = 0;
    const fresh = new ApiClient({ fetchSessionToken: async () => (calls++, (await session(CAPS)).token) });
    expect((await fresh.get('session')).status).to.equal(200);
    expect(calls).to.equal(1);

    // Every token it is given has expired too. Starting with an expired one it renews once; starting
    // with none, the first token it fetches is no renewal: one more call.
    const expired = async () => (await session(CAPS, { expired: true })).token;
    const stale = await session(CAPS, { expired: true });
    let renewals = 0;
    const stuck = new ApiClient({ sessionToken: stale.token, fetchSessionToken: async () => (renewals++, expired()) });
    const error = (await rejection(stuck.get('session'))) as ApiError;
    expect([error.status, error.code]).to.deep.equal([401, 'session_expired']);
    expect(renewals, 'one renewal').to.equal(1);

    let fetched = 0;
    const stuckFromNone = new ApiClient({ fetchSessionToken: async () => (fetched++, expired()) });
    const none = (await rejection(stuckFromNone.get('session'))) as ApiError;
    expect([none.status, none.code]).to.deep.equal([401, 'session_expired']);
    expect(fetched, 'the first token, then one renewal').to.equal(2);
  });

  it('passes the AbortSignal to fetch', async () => {
    const s = await session(CAPS);
    const controller = new AbortController();
    const pending = new ApiClient({ sessionToken: s.token }).get('customers', { signal: controller.signal });
    controller.abort();
    const error = await rejection(pending);
    expect((error as DOMException).name).to.equal('AbortError');
  });

  it('exposes the profile ETag, and a stale If-Match is refused with 412', async () => {
    const s = await session(CAPS);
    const client = new ApiClient({ sessionToken: s.token });
    const [c] = (await client.get<CustomerSummary[]>('customers', { query: { limit: 1, q: 'a' } })).data;
    const read = await client.get<CustomerProfile>(`customer/${c.id}/profile`);
    expect(read.etag).to.match(/^"\d+"$/);
    const { id: _id, type: _type, ...profile } = read.data;
    const saved = await client.put(`customer/${c.id}/profile`, profile, { headers: { 'If-Match': read.etag! } });
    expect(saved.message).to.equal('Profile updated successfully');
    expect(saved.etag).to.not.equal(read.etag);
    const stale = (await rejection(client.put(`customer/${c.id}/profile`, profile, { headers: { 'If-Match': read.etag! } }))) as ApiError;
    expect([stale.status, stale.code]).to.deep.equal([412, 'precondition_failed']);
  });
});
