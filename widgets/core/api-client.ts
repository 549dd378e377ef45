import { ApiError } from './api-error.ts';

/** Returns a fresh embed-session token; the host page's own server mints it. */
export type FetchSessionToken = () => Promise<string>;

export interface ApiClientOptions {
  /** The API root: `/api` (the default, same origin) or e.g. `https://bff.example.com/api`. */
  apiBase?: string;
  /** The embed-session token sent as `Authorization: Bearer …`. */
  sessionToken?: string;
  /**
   * Called when there is no token yet, and once when the API answers 401 (expired, revoked). With
   * neither, the client sends nothing: its requests wait until aborted.
   */
  fetchSessionToken?: FetchSessionToken;
  /** The fetch to use (defaults to the global one). */
  fetch?: typeof fetch;
}

/** An API root without its trailing slashes; `/api` when none is given. */
export const apiRoot = (apiBase?: string): string => (apiBase || '/api').replace(/\/+$/, '');

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  /** Query parameters; `null`, `undefined` and `''` are left out. */
  query?: Record<string, QueryValue>;
  /** A JSON body. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** A successful answer: the `data` of the envelope and what lists and profiles add to it. */
export interface ApiResponse<T> {
  status: number;
  data: T;
  /** The cursor of the next page for lists; `null` at the end. */
  nextCursor: string | null;
  /** The `message` of replies such as `{ "message": "Profile updated successfully" }`. */
  message: string | null;
  /** The `ETag` header (profiles), to send back as `If-Match`. */
  etag: string | null;
  headers: Headers;
}

/**
 * The kit's fetch wrapper: resolves paths against the API root, sends the bearer session token,
 * unwraps the `{ data }` envelope, turns error bodies into {@link ApiError}, passes the
 * AbortSignal through, and renews an expired session once through `fetchSessionToken`. When a
 * session has ended for good (any 401 with no renewal, or the renewal failed) the client whose
 * request met it dispatches a cancelable `session-expired`, once for that session; for a `share()`d
 * client, once a listener takes it (`preventDefault()`, as an element passing it on to the page does).
 */
export class ApiClient extends EventTarget {
  readonly apiBase: string;
  /** The client whose session (token, renewal) this one uses: itself, or the one it was `share()`d from. */
  readonly root: ApiClient = this;
  /** Gets the next token (see {@link ApiClientOptions}); a new function takes over from the next renewal. */
  fetchSessionToken?: FetchSessionToken;
  /** The session token; `''` while there is none. */
  private token: string;
  private readonly fetchImpl: typeof fetch;
  private renewing: Promise<string> | undefined;
  /** The token whose end was reported (`''` when there was none, as when `fetchSessionToken` failed first). */
  private expired?: string;

  constructor(options: ApiClientOptions = {}) {
    super();
    this.apiBase = apiRoot(options.apiBase);
    this.token = options.sessionToken || '';
    this.fetchSessionToken = options.fetchSessionToken;
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  get<T>(path: string, options?: Omit<RequestOptions, 'body'>): Promise<ApiResponse<T>> {
    return this.request<T>('GET', path, options);
  }

  post<T>(path: string, body: unknown, options?: Omit<RequestOptions, 'body'>): Promise<ApiResponse<T>> {
    return this.request<T>('POST', path, { ...options, body });
  }

  put<T>(path: string, body: unknown, options?: Omit<RequestOptions, 'body'>): Promise<ApiResponse<T>> {
    return this.request<T>('PUT', path, { ...options, body });
  }

  /** The absolute URL of an API path such as `customers` or `/customer/cust_1/profile`. */
  url(path: string, query?: Record<string, QueryValue>): URL {
    const base = typeof location === 'undefined' ? 'http://localhost/' : location.href;
    const url = new URL(`${this.apiBase}/${path.replace(/^\/+/, '')}`, base);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, String(value));
    }
    return url;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const response = await this.fetch(method, path, options);
    // A body that is no JSON reads as none, unless the request was aborted while it arrived.
    const body = response.status === 204 ? undefined : await response.json().catch(() => options.signal?.throwIfAborted());
    const envelope = (body ?? {}) as { data?: T; next_cursor?: string | null; message?: string };
    return {
      status: response.status,
      data: envelope.data as T,
      nextCursor: envelope.next_cursor ?? null,
      message: envelope.message ?? null,
      etag: response.headers.get('ETag'),
      headers: response.headers,
    };
  }

  /**
   * A client on this one's session (its token, its renewal, once per expiry) that dispatches
   * `session-expired` itself when one of its own requests meets the session's end: each element
   * sharing a session has one, so that the element whose request failed tells the page.
   */
  share(): ApiClient {
    return Object.assign(new ApiClient({ apiBase: this.apiBase }), { root: this.root });
  }

  /** The successful raw `Response` (for non-JSON answers such as CSV), with the same auth and renewal. */
  async fetch(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const root = this.root;
    try {
      return await root.authorizedFetch(method, path, options);
    } catch (error) {
      // Any 401 (expired, revoked, its key rotated, its staff member deactivated) ends the session.
      if (error instanceof ApiError && error.status === 401 && root.expired !== root.token) {
        // Untaken (its element removed meanwhile), it is left to the next request that meets the end.
        const taken = !this.dispatchEvent(new Event('session-expired', { cancelable: true }));
        if (taken || root === this) root.expired = root.token;
      }
      throw error;
    }
  }

  private async authorizedFetch(method: string, path: string, options: RequestOptions): Promise<Response> {
    const url = this.url(path, options.query);
    if (!this.token && this.fetchSessionToken) await this.renew('');
    let sentWith = this.token;
    let response = await this.send(method, url, options, sentWith);
    // Expired, or no longer valid (revoked; the key that minted it rotated): one fresh token, one retry.
    if (response.status === 401 && this.fetchSessionToken) {
      // Another request may already have renewed the token while this one was in flight.
      if (this.token === sentWith) await this.renew(sentWith);
      sentWith = this.token;
      response = await this.send(method, url, options, sentWith);
    }
    if (!response.ok) throw await ApiError.fromResponse(response);
    return response;
  }

  private async send(method: string, url: URL, options: RequestOptions, token: string): Promise<Response> {
    const headers = new Headers(options.headers);
    headers.set('Accept', 'application/json');
    headers.set('Authorization', `Bearer ${token}`);
    let body: string | undefined;
    if (options.body !== undefined) {
      headers.set('Content-Type', 'application/json');
      body = JSON.stringify(options.body);
    }
    try {
      // No token, and no way to get one: a request that can only fail waits instead, until aborted (its
      // element shows it is loading until given credentials, and a new client then).
      if (!token) await new Promise((_, reject) => options.signal?.addEventListener('abort', reject));
      return await this.fetchImpl(url, { method, headers, body, signal: options.signal });
    } catch (error) {
      // The abort itself (AbortError), not the event or the failed fetch it ended.
      options.signal?.throwIfAborted();
      throw new ApiError(0, 'network_error', error instanceof Error ? error.message : String(error));
    }
  }

  /** One renewal at a time: concurrent requests that hit an expired session share it. */
  private async renew(expired: string): Promise<void> {
    if (!this.renewing) {
      this.renewing = Promise.resolve()
        .then(() => this.fetchSessionToken!())
        .catch((error: unknown) => {
          if (error instanceof ApiError) throw error;
          const reason = error instanceof Error ? error.message : String(error);
          throw new ApiError(401, 'session_expired', `The session could not be renewed: ${reason}`);
        })
        .finally(() => (this.renewing = undefined));
    }
    const token = await this.renewing;
    if (!token || token === expired) throw new ApiError(401, 'session_expired', 'The session could not be renewed');
    this.token = token;
  }
}
