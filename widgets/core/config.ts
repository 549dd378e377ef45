import { ApiClient, apiRoot, type ApiClientOptions, type FetchSessionToken } from './api-client.ts';

/** Page-wide settings for every kit element that has no provider and no attributes of its own. */
export interface KitOptions {
  /** The API root, `/api` by default. */
  apiBase?: string;
  /** An embed-session token minted by the host page's server. */
  sessionToken?: string;
  /** Returns a fresh token; called when there is none and when the session expires or is revoked (a 401). */
  fetchSessionToken?: FetchSessionToken;
  /** A BCP 47 locale such as `en-GB` or `de-DE`; defaults to `<html lang>`. */
  locale?: string;
}

interface GlobalState {
  options: Readonly<KitOptions>;
  client: ApiClient | undefined;
  listeners: Set<() => void>;
  /**
   * The client of each set of settings since the last {@link configure}: by `fetchSessionToken` (else
   * the state itself), then API root and token. Held weakly: one that no element uses any more can go.
   */
  clients?: WeakMap<object, Map<string, WeakRef<ApiClient>>>;
}

// Kept on globalThis so that the whole-kit bundle and per-element bundles on one page share it.
const key = Symbol.for('customer-kit/global-config');
const state: GlobalState = ((globalThis as Record<symbol, unknown>)[key] as GlobalState | undefined) ??
  ((globalThis as Record<symbol, unknown>)[key] = { options: {}, client: undefined, listeners: new Set() } as GlobalState);

/**
 * Sets the page-wide defaults (merged into what was set before) and updates every element that
 * uses them.
 *
 * ```js
 * configure({ apiBase: '/api', fetchSessionToken: () => fetch('/my/session').then(…) });
 * ```
 */
export function configure(options: KitOptions): void {
  state.options = { ...state.options, ...options };
  state.client = state.clients = undefined;
  for (const listener of [...state.listeners]) listener();
}

/** The settings given to {@link configure}. */
export function globalOptions(): Readonly<KitOptions> {
  return state.options;
}

/** The API client built from the global settings (one per {@link configure} call). */
export function globalClient(): ApiClient {
  return (state.client ??= sharedClient(state.options));
}

/**
 * The client for these settings, the same for every element whose settings resolve to the same API
 * root, token and `fetchSessionToken`: one session, one renewal for them all. A new one after {@link configure}.
 */
export function sharedClient(options: ApiClientOptions): ApiClient {
  const byFetch = (state.clients ??= new WeakMap());
  const fetcher = options.fetchSessionToken ?? state;
  const clients = byFetch.get(fetcher) ?? new Map<string, WeakRef<ApiClient>>();
  const key = `${apiRoot(options.apiBase)} ${options.sessionToken || ''}`;
  let client = clients.get(key)?.deref();
  if (!client) {
    for (const [k, ref] of clients) if (!ref.deref()) clients.delete(k);
    byFetch.set(fetcher, clients.set(key, new WeakRef((client = new ApiClient(options)))));
  }
  return client;
}

/** Calls `listener` after every {@link configure}; returns the unsubscribe function. */
export function onConfigure(listener: () => void): () => void {
  state.listeners.add(listener);
  return () => state.listeners.delete(listener);
}
