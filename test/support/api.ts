import type { Hono } from 'hono';

export interface Reply {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  /** Sent as-is instead of JSON-encoding `body`. */
  raw?: string;
  headers?: Record<string, string>;
}

/** The origin `call` addresses: the app's own (its public origin unless told otherwise), the page origin of a test's sessions. */
export const OWN_ORIGIN = 'http://kit.test';

/** One request through the app's own fetch handler, as a client would send it. */
export async function call(app: Hono<any>, method: string, path: string, options: CallOptions = {}): Promise<Reply> {
  const headers = new Headers(options.headers);
  if (options.token) headers.set('authorization', `Bearer ${options.token}`);
  let body: string | undefined = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers.set('content-type', 'application/json');
  }
  const response = await app.fetch(new Request(`${OWN_ORIGIN}${path}`, { method, headers, body }));
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}
