import type { ApiClient } from './api-client.ts';
import type { KitSession } from './api-types.ts';

const sessions = new WeakMap<ApiClient, Promise<KitSession>>();

/**
 * `GET /api/session`, once per client: every element on the page that shares a client shares the
 * answer. A failed load is forgotten, so the next call tries again.
 */
export function loadSession(client: ApiClient): Promise<KitSession> {
  let session = sessions.get(client);
  if (!session) {
    session = client.get<KitSession>('session').then((r) => r.data);
    session.catch(() => sessions.delete(client));
    sessions.set(client, session);
  }
  return session;
}

/** Whether the session has a capability such as `customers:write`. */
export function can(session: KitSession | undefined, capability: string): boolean {
  return !!session?.capabilities.includes(capability);
}
