// Browser-side helpers for the widget tests: sessions from the real BFF (through the test-only
// routes of test-bff.ts) and direct API reads to compare the widgets with.
import { waitUntil } from '@open-wc/testing';

export interface TestSession {
  id: string;
  token: string;
  expires_at: string;
}

/** A fresh embed session for the demo studio's owner with exactly these capabilities. */
export async function session(caps: string[], options: { expired?: boolean } = {}): Promise<TestSession> {
  const params = new URLSearchParams({ caps: caps.join(',') });
  if (options.expired) params.set('expired', '1');
  const response = await fetch(`/__test/session?${params}`);
  if (!response.ok) throw new Error(`minting a test session failed: ${response.status} ${await response.text()}`);
  return (await response.json()).data;
}

/** The next `count` API requests with this token fail as an unreachable BFF behind a gateway would (503). */
export async function outage(token: string, count = 1): Promise<void> {
  await fetch(`/__test/outage?token=${encodeURIComponent(token)}&count=${count}`, { method: 'POST' });
}

/** A direct call to the real API, to know what the widget should show. */
export async function api<T = unknown>(token: string, path: string): Promise<{ data: T; next_cursor?: string | null }> {
  const response = await fetch(`/api/${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET /api/${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** A direct write to the real API (to set up data, or to race a widget): its status and body, whatever they are. */
export async function write<T = any>(token: string, method: string, path: string, body: unknown): Promise<{ status: number; body: { data: T } & Record<string, any> }> {
  const response = await fetch(`/api/${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** Waits until the element's shadow root matches a selector, and returns the match. */
export async function shadowQuery<E extends Element = Element>(host: Element, selector: string, message?: string): Promise<E> {
  await waitUntil(() => host.shadowRoot!.querySelector(selector), message ?? `no ${selector}`, { timeout: 8000 });
  return host.shadowRoot!.querySelector<E>(selector)!;
}

/** How many requests the page has made to an API path so far (from the resource timing buffer). */
export function requestsTo(pathPrefix: string): string[] {
  return performance
    .getEntriesByType('resource')
    .map((e) => e.name)
    .filter((name) => new URL(name).pathname.startsWith(pathPrefix));
}

/**
 * Calls `seen` with the path and signal of every request the page starts, as it starts it (the request
 * still goes to the BFF); returns what puts `fetch` back.
 */
export function onRequest(seen: (path: string, signal?: AbortSignal | null) => unknown): () => void {
  const real = window.fetch;
  window.fetch = (input, init) => {
    seen(new URL(input instanceof Request ? input.url : String(input), location.href).pathname, init?.signal);
    return real(input, init);
  };
  return () => (window.fetch = real);
}

/**
 * Holds back the requests whose URL contains `part`, as a slow network would, until `release()`;
 * `restore()` releases them and puts `fetch` back.
 */
export function holdRequests(part: string): { release: () => void; restore: () => void } {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const real = window.fetch;
  window.fetch = async (input, init) => {
    if (String(input instanceof Request ? input.url : input).includes(part)) await held;
    return real(input, init);
  };
  return {
    release,
    restore: () => {
      window.fetch = real;
      release();
    },
  };
}
