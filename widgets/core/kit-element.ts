import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import type { FetchSessionToken } from './api-client.ts';
import { KitConfigController } from './config-controller.ts';
import { translate, type MessageKey, type MessageParams } from './localize.ts';

/** The `detail` type of a `ck-…` event declared in `GlobalEventHandlersEventMap`. */
export type KitEventDetail<K extends keyof GlobalEventHandlersEventMap> =
  GlobalEventHandlersEventMap[K] extends CustomEvent<infer D> ? D : never;

/**
 * The base of every kit element: configuration (provider, attributes or global `configure()`),
 * localized messages, `emit()` for `ck-…` events and a `define()` that tolerates a second load.
 */
export class KitElement extends LitElement {
  /** The API root, e.g. `https://bff.example.com/api`; overrides `configure({ apiBase })`. */
  @property({ attribute: 'api-base' }) apiBase?: string;

  /** An embed-session token; overrides `configure({ sessionToken })`. */
  @property({ attribute: 'session-token' }) sessionToken?: string;

  /**
   * Returns a fresh session token from the host's own server; called once when the session expires,
   * then the request is retried. Overrides `configure({ fetchSessionToken })`.
   */
  @property({ attribute: false }) fetchSessionToken?: FetchSessionToken;

  /** The UI locale (`en-GB`, `de-DE`) when no provider sets one; else `configure()`'s, `<html lang>` or the browser's. */
  @property() locale?: string;

  /** `light`, `dark` or `auto` (follow the operating system). */
  @property({ reflect: true }) theme: 'auto' | 'light' | 'dark' = 'auto';

  /** Resolves the API client and locale. */
  protected readonly kit = new KitConfigController(this);

  /** A message from the catalogue, in this element's locale. */
  protected t<K extends MessageKey>(key: K, ...params: MessageParams<K>): string {
    return translate(this.kit.locale, key, ...params);
  }

  /** Dispatches a `ck-…` CustomEvent that bubbles and crosses shadow roots; returns `!defaultPrevented`. */
  protected emit<K extends keyof GlobalEventHandlersEventMap & `ck-${string}`>(
    name: K,
    detail: KitEventDetail<K>,
    options: { cancelable?: boolean } = {},
  ): boolean {
    return this.dispatchEvent(
      new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable: options.cancelable ?? false }),
    );
  }

  /** Registers the element under `tag`; warns instead of throwing when the tag is already taken. */
  static define(tag: string, ctor: CustomElementConstructor = this): void {
    const existing = customElements.get(tag);
    if (existing) {
      if (existing !== ctor) console.warn(`customer-kit: <${tag}> is already defined by another script; keeping the first.`);
      return;
    }
    customElements.define(tag, ctor);
  }
}
