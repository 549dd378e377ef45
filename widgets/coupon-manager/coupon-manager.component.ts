import { Task, TaskStatus } from '@lit/task';
import { html, nothing, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ApiError, isAbortError } from '../core/api-error.ts';
import { DebounceController } from '../core/debounce-controller.ts';
import { dialogStyles } from '../core/dialog-styles.ts';
import { formatDate } from '../core/format.ts';
import { IdempotencyKey } from '../core/idempotency-key.ts';
import { KitElement } from '../core/kit-element.ts';
import { errorKey, messagesFor } from '../core/localize.ts';
import { can, loadSession } from '../core/session.ts';
import { shared, tokens } from '../core/styles.ts';
import { describeDiscount } from './coupon-discount.ts';
import type {} from './coupon-manager.events.ts';
import styles from './coupon-manager.styles.ts';
import type { CatalogueCoupon, CustomerCoupon, Rule } from './coupon-manager.types.ts';

/** The server's minimum reason length (`server/routes/coupons.ts`). */
const MIN_REASON = 5;

type Mode = 'add' | 'extend' | 'remove';
type Field = 'coupon' | 'expiry' | 'reason';

/**
 * @summary A customer's coupons: the active ones in plain words with expiry and uses left, "Add
 * coupon" through a searchable picker that explains why a coupon cannot be added, "Extend expiry"
 * and "Remove" with a reason, and the history of removed, expired and redeemed coupons.
 *
 * @tag coupon-manager
 *
 * @fires ck-coupon-added - A coupon was put on the customer. `detail: { customerId, coupon }`.
 * @fires ck-coupon-updated - A coupon's expiry was changed. `detail: { customerId, coupon }`.
 * @fires ck-coupon-removed - A coupon was removed. `detail: { customerId, coupon }`.
 *
 * @csspart base - The wrapper of everything.
 * @csspart toolbar - The bar holding the add and history buttons.
 * @csspart add-button - "Add coupon" (shown with the `coupons:write` capability).
 * @csspart history-button - The "Show history" toggle.
 * @csspart list - A list of coupons (the active ones; the history).
 * @csspart coupon - One coupon; also `coupon--active`, `coupon--expired`, `coupon--redeemed`, `coupon--removed`.
 * @csspart badge - A history coupon's status ("Removed", "Expired", "Redeemed").
 * @csspart action-button - "Extend expiry" and "Remove" on a coupon.
 * @csspart empty - The message shown when there are no coupons.
 * @csspart error - The error message and its retry button.
 * @csspart status - The visually hidden live region that announces changes.
 * @csspart dialog - The native `<dialog>` of adding, extending and removing.
 * @csspart form - The dialog's form.
 * @csspart search-input - The picker's search field.
 * @csspart picker - The list of catalogue coupons to choose from.
 * @csspart option - One catalogue coupon; also `option--disabled` for one that cannot be added.
 * @csspart submit-button - The dialog's submit button.
 * @csspart cancel-button - The dialog's cancel button.
 *
 * @cssproperty --ck-font-family - The font. Default: the system UI font.
 * @cssproperty --ck-font-size - The base text size. Default: `0.9375rem`.
 * @cssproperty --ck-radius - The corner radius. Default: `6px`.
 * @cssproperty --ck-space - The base spacing unit. Default: `0.5rem`.
 * @cssproperty --ck-color-surface - The background.
 * @cssproperty --ck-color-text - The text colour.
 * @cssproperty --ck-color-text-muted - Secondary text (expiry, who added it).
 * @cssproperty --ck-color-border - Outlines of the coupons.
 * @cssproperty --ck-color-border-strong - Field, button and badge borders.
 * @cssproperty --ck-color-accent - The primary button.
 * @cssproperty --ck-color-on-accent - Text on the accent colour.
 * @cssproperty --ck-color-danger - Errors and the remove button.
 * @cssproperty --ck-color-hover - A hovered button or option.
 * @cssproperty --ck-color-focus - The focus ring.
 * @cssproperty --ck-color-skeleton - Loading placeholders.
 * @cssproperty --ck-color-backdrop - Behind the open dialog.
 */
export class CouponManager extends KitElement {
  static override styles = [tokens, shared, dialogStyles, styles];

  /** The customer whose coupons are shown (`cust_…`). */
  @property({ attribute: 'customer-id' }) customerId = '';

  /** Also lists removed, expired and redeemed coupons; the "Show history" button toggles it. */
  @property({ type: Boolean, attribute: 'show-history' }) showHistory = false;

  /** The coupons loaded for `rowsFor`, updated from the server's answer after each change. */
  @state() private rows: CustomerCoupon[] = [];
  @state() private rowsFor = '';
  @state() private announcement = '';
  /** The open dialog's purpose, and the coupon it changes. */
  @state() private mode: Mode | undefined;
  @state() private target: CustomerCoupon | undefined;
  /** The picker's search text (debounced) and the chosen catalogue coupon. */
  @state() private q = '';
  @state() private picked: CatalogueCoupon | undefined;
  @state() private invalid: Partial<Record<Field, string>> = {};
  @state() private errors: string[] = [];
  @state() private saving = false;

  @query('dialog') private dialog?: HTMLDialogElement;
  @query('form') private form?: HTMLFormElement;

  private readonly search = new DebounceController<string>(this, (q) => (this.q = q.trim()), 250);
  private readonly key = new IdempotencyKey();
  /** The button that opened the dialog, to return focus to. */
  private opener: HTMLElement | undefined;

  private readonly session = new Task(this, {
    task: ([client]) => loadSession(client),
    args: () => [this.kit.client] as const,
  });

  private readonly list = new Task(this, {
    task: async ([client, id, all], { signal }) => {
      const { data } = id
        ? await client.get<CustomerCoupon[]>(`customer/${encodeURIComponent(id)}/coupons`, {
            query: { status: all ? 'all' : 'active', limit: 100 },
            signal,
          })
        : { data: [] };
      this.rows = data;
      this.rowsFor = id;
      return data;
    },
    args: () => [this.kit.client, this.customerId, this.showHistory] as const,
  });

  /** The catalogue with this customer's eligibility, while the add dialog is open. */
  private readonly catalogue = new Task(this, {
    task: async ([client, id, q, open], { signal }) =>
      open
        ? (await client.get<CatalogueCoupon[]>('coupons', { query: { customer_id: id, q, limit: 50 }, signal })).data
        : [],
    args: () => [this.kit.client, this.customerId, this.q, this.mode === 'add'] as const,
  });

  override render(): TemplateResult {
    const write = this.canWrite;
    return html`
      <div part="base" class="base">
        <div part="toolbar" class="toolbar">
          ${write
            ? html`<button id="add" part="add-button" class="button button--primary" type="button" @click=${() => this.open('add')}>
                ${this.t('coupon.add')}
              </button>`
            : nothing}
          <button
            part="history-button"
            class="button"
            type="button"
            aria-pressed=${this.showHistory ? 'true' : 'false'}
            @click=${() => (this.showHistory = !this.showHistory)}
          >
            ${this.t('coupon.showHistory')}
          </button>
        </div>
        ${this.renderBody(write)}
        <p part="status" class="visually-hidden" role="status">${this.announcement}</p>
        ${write ? this.renderDialog() : nothing}
      </div>
    `;
  }

  /** Loads the coupons (and the session) again. */
  reload(): void {
    this.session.run();
    this.list.run();
  }

  /**
   * Opens the "Add coupon" dialog, as a page's own "Add coupon" action does (`<customer-detail>`'s
   * actions menu); focus returns to `opener` when it closes. Does nothing without `coupons:write`.
   */
  async showAddDialog(opener?: HTMLElement): Promise<void> {
    await this.session.taskComplete.catch(() => undefined);
    await this.open('add');
    if (opener) this.opener = opener;
  }

  private get canWrite(): boolean {
    return this.session.status === TaskStatus.COMPLETE && can(this.session.value, 'coupons:write');
  }

  private get fmt() {
    return { locale: this.kit.locale, timeZone: this.session.value?.tenant.timezone };
  }

  private renderBody(write: boolean): TemplateResult {
    const error = this.list.status === TaskStatus.ERROR && !isAbortError(this.list.error) ? this.list.error : undefined;
    if (error) {
      return html`<div part="error" class="box">
        <p role="alert"><strong>${this.t('coupon.error')}</strong> ${this.errorText(error)}</p>
        <button class="button" type="button" @click=${() => this.reload()}>${this.t('error.retry')}</button>
      </div>`;
    }
    if (this.rowsFor !== this.customerId || this.list.status === TaskStatus.INITIAL) {
      return html`<ul part="list" class="list" aria-busy="true" aria-label=${this.t('coupon.loading')}>
        ${[70, 55].map((w) => html`<li class="item" aria-hidden="true"><span class="skeleton" .style=${`width:${w}%`}></span></li>`)}
      </ul>`;
    }
    const active = this.rows.filter((c) => c.status === 'active');
    const past = this.rows.filter((c) => c.status !== 'active');
    const busy = this.list.status === TaskStatus.PENDING ? 'true' : 'false';
    return html`
      ${active.length
        ? html`<ul part="list" class="list" aria-label=${this.t('coupon.active')} aria-busy=${busy}>
            ${active.map((c) => this.renderCoupon(c, write))}
          </ul>`
        : html`<p part="empty" class="box">${this.t('coupon.empty')}</p>`}
      ${this.showHistory
        ? html`<h3 class="history-title">${this.t('coupon.history')}</h3>
            ${past.length
              ? html`<ul part="list" class="list" aria-label=${this.t('coupon.history')} aria-busy=${busy}>
                  ${past.map((c) => this.renderCoupon(c, write))}
                </ul>`
              : html`<p part="empty" class="box">${this.t(busy === 'true' ? 'coupon.loading' : 'coupon.historyEmpty')}</p>`}`
        : nothing}
    `;
  }

  private renderCoupon(c: CustomerCoupon, write: boolean): TemplateResult {
    const fmt = this.fmt;
    const date = (iso: string | null) => formatDate(iso, fmt);
    const who = (p: { name: string | null } | null) => p?.name ?? this.t('coupon.someone');
    const facts =
      c.status === 'removed'
        ? [this.t('coupon.removedBy', { name: who(c.removed_by), date: date(c.removed_at), reason: c.removed_reason ?? '' })]
        : c.status === 'redeemed'
          ? [this.t('coupon.usedUp')]
          : [
              this.expiryText(c),
              c.uses_left === null ? this.t('coupon.unlimited') : this.t('coupon.usesLeft', { count: c.uses_left }),
            ];
    const added = this.t('coupon.addedBy', { name: who(c.added_by), date: date(c.added_at) });
    const changeable = write && (c.status === 'active' || c.status === 'expired');
    return html`<li part="coupon coupon--${c.status}" class="item" data-id=${c.id}>
      <p class="head">
        <strong>${c.code}</strong>
        <span>${describeDiscount(c, fmt.locale)}</span>
        ${c.status === 'active' ? nothing : html`<span part="badge" class="badge">${this.t(`coupon.status.${c.status}`)}</span>`}
      </p>
      <p>${facts.join(' · ')}</p>
      <p class="muted">${added}${c.reason ? ` — ${this.t('coupon.quote', { text: c.reason })}` : ''}</p>
      ${changeable
        ? html`<p class="row-actions">
            <button part="action-button" class="button" type="button" data-action="extend"
              @click=${() => this.open('extend', c)}>
              ${this.t('coupon.extend')}<span class="visually-hidden"> ${c.code}</span>
            </button>
            <button part="action-button" class="button button--danger" type="button" data-action="remove"
              @click=${() => this.open('remove', c)}>
              ${this.t('coupon.remove')}<span class="visually-hidden"> ${c.code}</span>
            </button>
          </p>`
        : nothing}
    </li>`;
  }

  private renderDialog(): TemplateResult {
    const { mode, target } = this;
    const add = mode === 'add';
    const title = add
      ? this.t('coupon.addTitle')
      : this.t(mode === 'extend' ? 'coupon.extendTitle' : 'coupon.removeTitle', { code: target?.code ?? '' });
    const submit = add ? 'coupon.add' : mode === 'extend' ? 'coupon.saveExpiry' : 'coupon.remove';
    // Only an API key adding a coupon on its standard terms may leave the reason out; staff always give one.
    const reasonOptional = add && this.session.value?.actor.type !== 'staff';
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: this.fmt.timeZone }).format(new Date());
    const expiry = html`<input id="expiry" name="expiry" class="input" type="date" min=${today}
      aria-invalid=${this.invalid.expiry ? 'true' : 'false'} aria-describedby=${this.describedBy('expiry', add)} />`;
    const reason = html`<textarea id="reason" name="reason" class="input" rows="2" ?required=${!reasonOptional}
      aria-invalid=${this.invalid.reason ? 'true' : 'false'} aria-describedby=${this.describedBy('reason', true)}></textarea>`;
    return html`
      <dialog part="dialog" aria-labelledby="title" @close=${this.onClose}>
        <form part="form" novalidate @submit=${this.onSubmit}>
          <h2 id="title">${title}</h2>
          ${target ? html`<p class="muted">${describeDiscount(target, this.fmt.locale)} · ${this.expiryText(target)}</p>` : nothing}
          <div id="form-error" class="form-error error-text" role="alert">${this.errors.map((e) => html`<p>${e}</p>`)}</div>
          ${add ? this.renderPicker() : nothing}
          ${mode === 'remove'
            ? nothing
            : this.renderField('expiry', this.t(add ? 'coupon.customExpiry' : 'coupon.newExpiry'), add, expiry,
                add ? this.t('coupon.expiryHint') : '')}
          ${this.renderField('reason', this.t('coupon.reason'), reasonOptional, reason, this.t('coupon.reasonHint'))}
          <div class="actions">
            <button part="cancel-button" class="button" type="button" @click=${() => this.dialog?.close()}>${this.t('form.cancel')}</button>
            <button
              part="submit-button"
              class="button ${mode === 'remove' ? 'button--danger' : 'button--primary'}"
              type="submit"
              aria-disabled=${this.saving ? 'true' : 'false'}
            >
              ${this.t(this.saving ? 'coupon.saving' : submit)}
            </button>
          </div>
        </form>
      </dialog>
    `;
  }

  /** "Valid through 12 Mar 2026" (the last day it applies) or "No expiry". */
  private expiryText(c: CustomerCoupon): string {
    // An expiry is the instant the coupon stops applying (a date from the form ends at the next midnight).
    const lastDay = c.expires_at && formatDate(new Date(Date.parse(c.expires_at) - 1), this.fmt);
    return lastDay ? this.t('coupon.expires', { date: lastDay }) : this.t('coupon.noExpiry');
  }

  /** A field's `aria-describedby`: its hint, then its error. */
  private describedBy(field: Field, hint: boolean) {
    return [hint ? `${field}-hint` : '', this.invalid[field] ? `${field}-error` : ''].filter(Boolean).join(' ') || nothing;
  }

  private renderField(field: Field, label: string, optional: boolean, control: TemplateResult, hint: string): TemplateResult {
    const error = this.invalid[field];
    return html`<div class="field" data-field=${field}>
      <label for=${field}>${label} ${optional ? html`<span class="muted">${this.t('form.optional')}</span>` : nothing}</label>
      ${control}
      ${hint ? html`<p id="${field}-hint" class="hint muted">${hint}</p>` : nothing}
      ${error ? html`<p id="${field}-error" class="field-error">${error}</p>` : nothing}
    </div>`;
  }

  private renderPicker(): TemplateResult {
    const locale = this.kit.locale;
    const items = this.catalogue.value ?? [];
    const pending = this.catalogue.status === TaskStatus.PENDING;
    const failed = this.catalogue.status === TaskStatus.ERROR && !isAbortError(this.catalogue.error);
    return html`
      <div class="field">
        <label for="q">${this.t('coupon.search')}</label>
        <input id="q" part="search-input" class="input" type="search" autocomplete="off" spellcheck="false"
          placeholder=${this.t('coupon.searchHint')} @input=${this.onSearch} @keydown=${this.onSearchKey} />
      </div>
      <fieldset part="picker" class="picker" aria-busy=${pending ? 'true' : 'false'}
        aria-describedby=${this.invalid.coupon ? 'coupon-error' : nothing}>
        <legend>${this.t('coupon.choose')}</legend>
        ${failed
          ? html`<p class="error-text">${this.errorText(this.catalogue.error)}
              <button class="button" type="button" @click=${() => this.catalogue.run()}>${this.t('error.retry')}</button></p>`
          : items.length === 0
            ? html`<p class="muted">
                ${pending ? this.t('coupon.loading') : this.q ? this.t('coupon.noMatch', { query: this.q }) : this.t('coupon.noCoupons')}
              </p>`
            : items.map((c, i) => {
                const why = c.eligible === false ? (c.ineligible_reasons ?? []) : [];
                return html`<div part="option${why.length ? ' option--disabled' : ''}" class="option">
                  <input type="radio" id="opt-${i}" name="coupon" value=${c.id} ?disabled=${why.length > 0}
                    .checked=${c.id === this.picked?.id} aria-describedby=${why.length ? `why-${i}` : nothing}
                    @change=${() => (this.picked = c)} />
                  <label for="opt-${i}">
                    <strong>${c.code}</strong> ${c.name} <span class="muted">· ${describeDiscount(c, locale)}</span>
                  </label>
                  ${why.length ? html`<p id="why-${i}" class="why">${why.map((r) => this.ruleText(r, c)).join(' ')}</p>` : nothing}
                </div>`;
              })}
      </fieldset>
      ${this.invalid.coupon ? html`<p id="coupon-error" class="field-error">${this.invalid.coupon}</p>` : nothing}
    `;
  }

  private errorText(error: unknown): string {
    return this.t(errorKey(error instanceof ApiError ? error.code : 'generic'));
  }

  /** A failed rule in the UI's language (from the catalogue, with the coupon's facts); else the server's words. */
  private ruleText(r: Rule, c: { code: string; valid_until?: string | null; max_redemptions?: number | null }): string {
    const message = (messagesFor(this.kit.locale) as unknown as Record<string, unknown>)[`coupon.rule.${r.rule}`];
    const params = { code: c.code, date: formatDate(c.valid_until, this.fmt), max: c.max_redemptions ?? 0 };
    return typeof message === 'function' ? message(params) : typeof message === 'string' ? message : r.message;
  }

  private async open(mode: Mode, target?: CustomerCoupon): Promise<void> {
    this.opener = (this.renderRoot as ShadowRoot).activeElement as HTMLElement | undefined;
    this.search.cancel();
    Object.assign(this, { mode, target, q: '', picked: undefined, invalid: {}, errors: [] });
    await this.updateComplete;
    this.form?.reset();
    this.dialog?.showModal();
  }

  /** Also after Escape. Focus goes back to the button that opened the dialog, or "Add coupon". */
  private async onClose(): Promise<void> {
    // The close event comes a task later: the dialog may have been opened again meanwhile.
    if (this.dialog?.open) return;
    this.mode = undefined;
    this.target = undefined;
    await this.updateComplete;
    (this.opener?.isConnected ? this.opener : this.renderRoot.querySelector<HTMLElement>('#add'))?.focus();
  }

  private onSearch(event: InputEvent): void {
    this.search.call((event.target as HTMLInputElement).value);
  }

  /** Enter searches now (instead of submitting); ArrowDown moves to the first coupon that can be chosen. */
  private onSearchKey(event: KeyboardEvent): void {
    if (event.key === 'Enter') {
      event.preventDefault();
      this.search.flush((event.target as HTMLInputElement).value);
    } else if (event.key === 'ArrowDown') {
      const radio =
        this.renderRoot.querySelector<HTMLInputElement>('input[name=coupon]:checked:enabled') ??
        this.renderRoot.querySelector<HTMLInputElement>('input[name=coupon]:enabled');
      if (radio) {
        event.preventDefault();
        radio.focus();
      }
    }
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const { mode, form } = this;
    if (this.saving || !mode || !form) return;
    const value = (name: Field) => (form.elements.namedItem(name) as HTMLInputElement | null)?.value.trim() ?? '';
    const expiry = value('expiry');
    const reason = value('reason');
    const invalid: Partial<Record<Field, string>> = {};
    if (mode === 'add' && !this.picked) invalid.coupon = this.t('coupon.pick');
    if (mode === 'extend' && !expiry) invalid.expiry = this.t('form.required');
    const reasonRequired = mode !== 'add' || this.session.value?.actor.type === 'staff';
    if (reason ? reason.length < MIN_REASON : reasonRequired) invalid.reason = this.t('coupon.reasonShort');
    this.invalid = invalid;
    this.errors = [];
    if (Object.keys(invalid).length) return this.focusInvalid();

    const customer = `customer/${encodeURIComponent(this.customerId)}/coupons`;
    const subject = mode === 'add' ? this.picked! : this.target!;
    const path = mode === 'add' ? customer : `${customer}/${encodeURIComponent(this.target!.id)}`;
    const body =
      mode === 'add'
        ? { coupon_id: this.picked!.id, ...(expiry ? { expires_at: expiry } : {}), ...(reason ? { reason } : {}) }
        : { ...(mode === 'remove' ? { status: 'removed' } : { expires_at: expiry }), reason };
    this.saving = true;
    try {
      const { data } = await this.kit.client.request<CustomerCoupon>(mode === 'add' ? 'POST' : 'PATCH', path, {
        body,
        headers: { 'Idempotency-Key': this.key.for(path, body) },
      });
      this.key.reset();
      this.rows = mode === 'add' ? [data, ...this.rows] : this.rows.map((c) => (c.id === data.id ? data : c));
      const done = mode === 'add' ? 'coupon.added' : mode === 'extend' ? 'coupon.extended' : 'coupon.removed';
      this.announcement = this.t(done, { code: data.code });
      this.dialog?.close();
      const detail = { customerId: this.customerId, coupon: data };
      if (mode === 'add') this.emit('ck-coupon-added', detail);
      else if (mode === 'extend') this.emit('ck-coupon-updated', detail);
      else this.emit('ck-coupon-removed', detail);
    } catch (error) {
      this.key.settle(error);
      const rules = error instanceof ApiError && Array.isArray(error.details?.rules) ? (error.details.rules as Rule[]) : [];
      this.errors = rules.length
        ? rules.map((r) => this.ruleText(r, subject))
        : error instanceof ApiError && error.fields.length
          ? error.fields.map((f) => `${f.path}: ${f.message}`)
          : [this.errorText(error)];
      if (mode === 'add' && rules.length) this.catalogue.run();
    } finally {
      this.saving = false;
    }
  }

  private async focusInvalid(): Promise<void> {
    await this.updateComplete;
    const selector = this.invalid.coupon ? 'input[name=coupon]:enabled' : '[aria-invalid=true]';
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }
}
