import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ApiClient, FetchSessionToken } from './api-client.ts';
import { globalOptions, onConfigure, sharedClient } from './config.ts';
import { kitContext, type KitContext } from './context.ts';
import { languageOf, onMessages } from './localize.ts';

export interface KitConfigHost extends ReactiveControllerHost, HTMLElement {
  apiBase?: string;
  sessionToken?: string;
  fetchSessionToken?: FetchSessionToken;
  locale?: string;
}

/**
 * Resolves an element's API client and locale: what a context provider gives wins; what it leaves
 * out comes from the element's own settings (`api-base`, `session-token`, `fetchSessionToken`, `locale`), then the
 * global `configure()` (attributes and `configure()` combine field by field, so a `session-token`
 * attribute still renews through `configure({ fetchSessionToken })`). Elements whose settings resolve
 * alike share one session (`sharedClient`), each through a client of its own (`share()`), so that the
 * one whose request meets the session's end reports it. The client is memoized, so it can serve as a
 * stable Task argument.
 */
export class KitConfigController implements ReactiveController {
  private provided: KitContext | undefined;
  private own: ApiClient | undefined;
  private unsubscribe: (() => void)[] = [];
  /**
   * The client whose `session-expired` this element passes on to the page as `ck-session-expired`:
   * its own, which reports only its own requests; taking the event keeps the session's others quiet.
   */
  private watched: ApiClient | undefined;
  private readonly onExpired = (event: Event) => {
    event.preventDefault();
    this.host.dispatchEvent(new CustomEvent('ck-session-expired', { detail: null, bubbles: true, composed: true }));
  };

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
    this.unsubscribe = [
      onConfigure(() => this.host.requestUpdate()),
      // A language loaded on first use re-renders the elements showing it.
      onMessages(() => this.host.requestUpdate()),
    ];
  }

  hostDisconnected(): void {
    for (const unsubscribe of this.unsubscribe) unsubscribe();
    this.unsubscribe = [];
    this.watch(undefined);
  }

  /**
   * The provider's client, else the element's own on the session of its settings (`api-base`,
   * `session-token`, `fetchSessionToken`, each falling back to `configure()`'s).
   */
  get client(): ApiClient {
    const client = this.resolveClient();
    // A provided client is the provider's to report: the page hears one event, not one per child.
    if (this.host.isConnected) this.watch(this.provided ? undefined : client);
    return client;
  }

  private watch(client: ApiClient | undefined): void {
    if (client === this.watched) return;
    this.watched?.removeEventListener('session-expired', this.onExpired);
    client?.addEventListener('session-expired', this.onExpired);
    this.watched = client;
  }

  private resolveClient(): ApiClient {
    if (this.provided) return this.provided.client;
    const { apiBase, sessionToken, fetchSessionToken } = this.host;
    const global = globalOptions();
    const shared = sharedClient({
      apiBase: apiBase || global.apiBase,
      sessionToken: sessionToken || global.sessionToken,
      fetchSessionToken: fetchSessionToken ?? global.fetchSessionToken,
    });
    if (this.own?.root !== shared) this.own = shared.share();
    return this.own;
  }

  /** The language the element's words are in, for its `lang`: its locale, or `en` where English stands in for it. */
  get lang(): string {
    return languageOf(this.locale);
  }

  /** The provider's locale, else the element's `locale`, else `configure()`'s, else `<html lang>`, else the browser's. */
  get locale(): string {
    return (
      this.provided?.locale ||
      this.host.locale ||
      globalOptions().locale ||
      this.host.closest('[lang]')?.getAttribute('lang') ||
      globalThis.navigator?.language ||
      'en'
    );
  }
}
