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
  listeners: Set<() => void>;
  /**
   * The client of each API root and token (and whether it can fetch one), until {@link configure} changes
   * those of the page. Held weakly: one that no element uses any more can go (its key stays till then).
   */
  clients: Map<string, WeakRef<ApiClient>>;
}

// Kept on globalThis so that the whole-kit bundle and per-element bundles on one page share it.
const key = Symbol.for('customer-kit/global-config');
const state = ((globalThis as Record<symbol, unknown>)[key] ??= { options: {}, listeners: new Set(), clients: new Map() }) as GlobalState;

/** What tells clients apart: the API root, the token, and whether one can be fetched (not by which function). */
const keyOf = (options: ApiClientOptions) => `${apiRoot(options.apiBase)} ${options.sessionToken || ''} ${!options.fetchSessionToken}`;

/**
 * Sets the page-wide defaults (merged into what was set before) and updates every element that
 * uses them. A new API root or token (or `fetchSessionToken` where there was none) starts every
 * element afresh; a locale, or a new `fetchSessionToken` function, keeps their clients and sessions.
 *
 * ```js
 * configure({ apiBase: '/api', fetchSessionToken: () => fetch('/my/session').then(…) });
 * ```
 */
export function configure(options: KitOptions): void {
  const before = keyOf(state.options);
  state.options = { ...state.options, ...options };
  if (keyOf(state.options) !== before) state.clients.clear();
  for (const listener of [...state.listeners]) listener();
}

/** The settings given to {@link configure}. */
export function globalOptions(): Readonly<KitOptions> {
  return state.options;
}

/**
 * The client for these settings, the same for every element whose settings resolve to the same API
 * root and token, with or without `fetchSessionToken`: one session, one renewal for them all. A new
 * `fetchSessionToken` function (a framework's re-render makes one) keeps the client and its token,
 * and gets the next token. Credentials where there were none give a new client, which loads.
 */
export function sharedClient(options: ApiClientOptions): ApiClient {
  const { clients } = state;
  const key = keyOf(options);
  let client = clients.get(key)?.deref();
  if (client) client.fetchSessionToken = options.fetchSessionToken;
  else clients.set(key, new WeakRef((client = new ApiClient(options))));
  return client;
}

/** Calls `listener` after every {@link configure}; returns the unsubscribe function. */
export function onConfigure(listener: () => void): () => void {
  state.listeners.add(listener);
  return () => state.listeners.delete(listener);
}
