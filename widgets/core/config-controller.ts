import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ApiClient } from './api-client.ts';
import { globalClient, globalOptions, onConfigure } from './config.ts';
import { kitContext, type KitContext } from './context.ts';

export interface KitConfigHost extends ReactiveControllerHost, HTMLElement {
  apiBase?: string;
  sessionToken?: string;
  locale?: string;
}

/**
 * Resolves an element's API client and locale: a context provider if there is one, else the
 * element's own attributes (`api-base`, `session-token`, `locale`), else the global `configure()`.
 * The client is memoized, so it can serve as a stable Task argument.
 */
export class KitConfigController implements ReactiveController {
  private provided: KitContext | undefined;
  private own: { key: string; client: ApiClient } | undefined;
  private unsubscribe: (() => void) | undefined;
  private configureCount = 0;

  constructor(private readonly host: KitConfigHost) {
    host.addController(this);
    new ContextConsumer(host, {
      context: kitContext,
      subscribe: true,
      callback: (value) => {
        this.provided = value;
        host.requestUpdate();
      },
    });
  }

  hostConnected(): void {
    this.unsubscribe = onConfigure(() => {
      this.configureCount++;
      this.host.requestUpdate();
    });
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
  }

  get client(): ApiClient {
    if (this.provided) return this.provided.client;
    const { apiBase, sessionToken } = this.host;
    if (!apiBase && !sessionToken) return globalClient();
    const key = JSON.stringify([apiBase, sessionToken, this.configureCount]);
    if (this.own?.key !== key) {
      const global = globalOptions();
      const client = new ApiClient({
        apiBase: apiBase || global.apiBase,
        sessionToken: sessionToken || global.sessionToken,
        fetchSessionToken: global.fetchSessionToken,
      });
      this.own = { key, client };
    }
    return this.own.client;
  }

  get locale(): string {
    return (
      this.host.locale ||
      this.provided?.locale ||
      globalOptions().locale ||
      this.host.closest('[lang]')?.getAttribute('lang') ||
      (typeof navigator === 'undefined' ? '' : navigator.language) ||
      'en'
    );
  }
}
