import { html, LitElement, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { FetchSessionToken } from './api-client.ts';
import { ApiError } from './api-error.ts';
import { KitConfigController } from './config-controller.ts';
import type { FormDialog } from './form-dialog.ts';
import { errorKey, textAt, translate, type MessageKey, type MessageParams } from './localize.ts';

/** A field of a form: its control, label, hint and error (see `KitElement.field`). */
export interface FieldOptions {
  /** The input's `type`, or `textarea`. Default: `text`. */
  type?: string;
  hint?: string;
  /** Marks the label "(optional)"; otherwise the field is `required`. */
  optional?: boolean;
  autocomplete?: string;
  min?: string;
  /** The initial value (the value a form reset returns to). */
  value?: string;
  input?: (event: Event) => void;
}

/**
 * The longest value the server takes for each field of that name (server/routes/profile-schemas.ts,
 * notes.ts, http/schemas.ts `reasonSchema`), as each field's `maxlength`.
 */
const MAX_LENGTH: Record<string, number> = { firstname: 100, lastname: 100, email: 254, reason: 500, note: 5000 };

/** Whether an API call failed with a 401: expired, revoked, its key rotated or its staff deactivated, the session has ended. */
const ended = (error: unknown) => error instanceof ApiError && error.status === 401;

/** A rule the server names in a 422 `rule_violation` (`details.rules`). */
export interface Rule {
  rule: string;
  message: string;
}

/** The `detail` type of a `ck-…` event declared in `GlobalEventHandlersEventMap`. */
export type KitEventDetail<K extends keyof GlobalEventHandlersEventMap> =
  GlobalEventHandlersEventMap[K] extends CustomEvent<infer D> ? D : never;

declare global {
  interface GlobalEventHandlersEventMap {
    'ck-session-expired': CustomEvent<null>;
  }
}

/**
 * The base of every kit element: configuration (provider, attributes or global `configure()`),
 * localized messages, `emit()` for `ck-…` events and a `define()` that tolerates a second load.
 *
 * @fires ck-session-expired - The session ended (the API answered 401: expired, revoked, its key rotated,
 * its staff member deactivated) and could not be renewed (no `fetchSessionToken`, or it failed): sign the
 * user in again and set a new token. Once per session.
 */
export class KitElement extends LitElement {
  // Reactive properties are declared here rather than with decorators, whose emitted helper calls
  // cost the bundle about 0.7 KB; `{ state: true }` marks an element's internal reactive state.
  static override properties: PropertyDeclarations = {
    apiBase: { attribute: 'api-base' },
    sessionToken: { attribute: 'session-token' },
    fetchSessionToken: { attribute: false },
    locale: {},
    theme: { reflect: true },
    announcement: { state: true },
  };

  /** The API root, e.g. `https://bff.example.com/api`; overrides `configure({ apiBase })`. */
  apiBase?: string;

  /** An embed-session token; overrides `configure({ sessionToken })`. */
  sessionToken?: string;

  /**
   * Returns a fresh session token from the host's own server; called once when the session expires or
   * is no longer valid (any 401), then the request is retried. Overrides `configure({ fetchSessionToken })`.
   */
  fetchSessionToken?: FetchSessionToken;

  /** The UI locale (`en-GB`, `de-DE`) when no provider sets one; else `configure()`'s, `<html lang>` or the browser's. */
  locale?: string;

  /** `light`, `dark` or `auto` (follow the operating system). */
  theme: 'auto' | 'light' | 'dark' = 'auto';

  /** Resolves the API client and locale. */
  protected readonly kit = new KitConfigController(this);

  /** What the live region (`renderStatus`) says: the outcome of the last action. */
  protected announcement = '';

  /**
   * Says `text` in the live region. Said again after itself (a second note added), it still changes
   * the region — by a trailing no-break space — or screen readers would stay silent.
   */
  protected announce(text: string): void {
    this.announcement = this.announcement === text ? `${text}\u00a0` : text;
  }

  protected renderStatus(): TemplateResult {
    return html`<p part="status" class="visually-hidden" role="status">${this.announcement}</p>`;
  }

  /** A message from the catalogue, in this element's locale. */
  protected t<K extends MessageKey>(key: K, ...params: MessageParams<K>): string {
    return translate(this.kit.locale, key, ...params);
  }

  /** The localized message for an API error's code; every 401 says that the session has ended. */
  protected errorText(error: unknown): string {
    return this.t(errorKey(ended(error) ? 'session_expired' : error instanceof ApiError ? error.code : 'generic'));
  }

  /** Each rule in this language (`rule.<name>` of the catalogue, given `params`), else in the server's words. */
  protected rulesText(rules: Rule[], params?: object): string {
    return rules.map((r) => textAt(this.kit.locale, `rule.${r.rule}`, params) ?? r.message).join(' ');
  }

  /**
   * A failed change in words: the rules the server names (see `rulesText`); else "Check the
   * highlighted fields" when fields are; else the error code's message.
   */
  protected explain(error: unknown, fields: boolean, params?: object): string {
    const rules = error instanceof ApiError && Array.isArray(error.details?.rules) ? (error.details.rules as Rule[]) : [];
    return rules.length ? this.rulesText(rules, params) : fields ? this.t('form.checkFields') : this.errorText(error);
  }

  /** What could not be loaded, why, and "Try again" (not once the session has ended: the page must sign in again). */
  protected failed(error: unknown, retry: () => void, what?: MessageKey): TemplateResult {
    return html`<div part="error" class="box">
      <p role="alert">${what ? html`<strong>${this.t(what)}</strong>` : nothing} ${this.errorText(error)}</p>
      ${ended(error)
        ? nothing
        : html`<button part="retry-button" class="button" type="button" @click=${retry}>${this.t('error.retry')}</button>`}
    </div>`;
  }

  /** Once the next render is done, focuses the `n`th match of `selector` in `root`: where reading goes on after a change. */
  protected async focusAfter(selector: string, n = 0, root: ParentNode = this.renderRoot): Promise<void> {
    await this.updateComplete;
    root.querySelectorAll<HTMLElement>(selector)[n]?.focus();
  }

  /** Loading placeholders: one bar per width (in %). */
  protected bars(widths: number[]): TemplateResult[] {
    return widths.map((w) => html`<span class="skeleton" aria-hidden="true" .style=${`width:${w}%`}></span>`);
  }

  /** A labelled field of a dialog's form, with its hint and error wired to it for assistive technology. */
  protected field(name: string, label: string, error: string | undefined, o: FieldOptions = {}): TemplateResult {
    const described = [o.hint && `${name}-hint`, error && `${name}-error`].filter(Boolean).join(' ') || nothing;
    return html`<div part="field" class="field">
      <label for=${name}>${label} ${o.optional ? html`<span class="muted">${this.t('form.optional')}</span>` : nothing}</label>
      ${o.type === 'textarea'
        ? html`<textarea id=${name} name=${name} part="input" class="input" rows="2" ?required=${!o.optional}
            maxlength=${MAX_LENGTH[name] ?? nothing} aria-invalid=${!!error} aria-describedby=${described}></textarea>`
        : html`<input id=${name} name=${name} part="input" class="input" type=${o.type ?? 'text'} autocomplete=${o.autocomplete ?? 'off'}
            min=${o.min ?? nothing} maxlength=${MAX_LENGTH[name] ?? nothing} value=${o.value ?? nothing} ?required=${!o.optional} aria-invalid=${!!error} aria-describedby=${described}
            @input=${o.input} />`}
      ${o.hint ? html`<p id="${name}-hint" class="hint muted">${o.hint}</p>` : nothing}
      ${error ? html`<p id="${name}-error" part="field-error" class="field-error">${error}</p>` : nothing}
    </div>`;
  }

  /**
   * A dialog's form: title, error summary, `body`, and Cancel (or `dismiss`) beside the submit button.
   * While a change is saving, Cancel does nothing (as Escape does not: see `FormDialog.open`), so that the
   * dialog shows how the change ended.
   */
  protected dialogForm(
    form: FormDialog,
    o: { title: string; submit: string; danger?: boolean; dismiss?: string; onSubmit: (event: SubmitEvent) => void },
    body: unknown,
  ): TemplateResult {
    form.renewed(this.kit.client);
    return html`<form part="form" novalidate @submit=${o.onSubmit}>
      <h2 id="dialog-title">${o.title}</h2>
      <p id="form-error" class="form-error error-text" role="alert">${form.summary}</p>
      ${body}
      <div class="actions">
        <button part="cancel-button" class="button" type="button" aria-disabled=${form.saving} @click=${() => form.saving || form.close()}>
          ${o.dismiss ?? this.t('form.cancel')}
        </button>
        <button part="submit-button" class="button button--${o.danger ? 'danger' : 'primary'}" type="submit" aria-disabled=${form.saving}>
          ${form.saving ? this.t('form.saving') : o.submit}
        </button>
      </div>
    </form>`;
  }

  /** Dispatches a `ck-…` CustomEvent that bubbles and crosses shadow roots (none of the kit's events is cancelable). */
  protected emit<K extends keyof GlobalEventHandlersEventMap & `ck-${string}`>(name: K, detail: KitEventDetail<K>): boolean {
    return this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
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
