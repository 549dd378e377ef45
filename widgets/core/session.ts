import type { ApiClient } from './api-client.ts';
import type { KitSession } from './api-types.ts';

const sessions = new WeakMap<ApiClient, Promise<KitSession>>();

/**
 * `GET /api/session`, once per session: every element on the page whose client shares it (see
 * `ApiClient.share`) shares the answer. A failed load is forgotten, so the next call tries again.
 */
export function loadSession(client: ApiClient): Promise<KitSession> {
  const { root } = client;
  let session = sessions.get(root);
  if (!session) {
    session = client.get<KitSession>('session').then((r) => r.data);
    session.catch(() => sessions.delete(root));
    sessions.set(root, session);
  }
  return session;
}

/** Whether the session has a capability such as `customers:write`. */
export function can(session: KitSession | undefined, capability: string): boolean {
  return !!session?.capabilities.includes(capability);
}
