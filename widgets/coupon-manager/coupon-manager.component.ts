import { TaskStatus } from '@lit/task';
import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { ApiError, isAbortError } from '../core/api-error.ts';
import { DebounceController } from '../core/debounce-controller.ts';
import { FormDialog } from '../core/form-dialog.ts';
import { formatDate, formatEnd, localDate } from '../core/format.ts';
import { KitElement } from '../core/kit-element.ts';
import { KitTask } from '../core/kit-task.ts';
import type { MessageKey } from '../core/localize.ts';
import { can, loadSession } from '../core/session.ts';
import { shared, tokens } from '../core/styles.ts';
import { describeDiscount } from './coupon-discount.ts';
import type {} from './coupon-manager.events.ts';
import styles from './coupon-manager.styles.ts';
import type { CatalogueCoupon, CustomerCoupon } from './coupon-manager.types.ts';

/** What each dialog's submit button says, and what a saved change announces and fires. */
const MODES = {
  add: ['coupon.add', 'coupon.added', 'ck-coupon-added'],
  extend: ['coupon.saveExpiry', 'coupon.extended', 'ck-coupon-updated'],
  remove: ['coupon.remove', 'coupon.removed', 'ck-coupon-removed'],
} as const;
type Mode = keyof typeof MODES;
type Field = 'coupon' | 'expiry' | 'reason';

/**
 * @summary A customer's coupons: the active ones in plain words with expiry and uses left, "Add
 * coupon" through a searchable picker that explains why a coupon cannot be added, "Extend expiry"
 * and "Remove" with a reason, and the history of removed, expired and redeemed coupons.
 *
 * @tag coupon-manager
 *
 * @fires {CustomEvent<CouponEventDetail>} ck-coupon-added - A coupon was put on the customer. `detail: { customerId, coupon }`.
 * @fires {CustomEvent<CouponEventDetail>} ck-coupon-updated - A coupon's expiry was changed. `detail: { customerId, coupon }`.
 * @fires {CustomEvent<CouponEventDetail>} ck-coupon-removed - A coupon was removed. `detail: { customerId, coupon }`.
 *
 * @csspart base - The wrapper of everything.
 * @csspart toolbar - The bar holding the add and history buttons.
 * @csspart add-button - "Add coupon" (shown with the `coupons:write` capability).
 * @csspart history-button - The "Show history" toggle.
 * @csspart list - A list of coupons (the active ones; the history).
 * @csspart coupon - One coupon; also `coupon--active`, `coupon--expired`, `coupon--redeemed`, `coupon--removed`.
 * @csspart badge - A history coupon's status ("Removed", "Expired", "Redeemed").
 * @csspart action-button - "Extend expiry" (on a coupon that has an expiry) and "Remove" on a coupon.
 * @csspart empty - The message shown when there are no coupons.
 * @csspart error - What could not be loaded (the coupons, the picker's catalogue) and its retry button.
 * @csspart retry-button - The "Try again" button.
 * @csspart status - The visually hidden live region that announces changes.
 * @csspart dialog - The native `<dialog>` of adding, extending and removing.
 * @csspart form - The dialog's form.
 * @csspart search-input - The picker's search field.
 * @csspart picker - The list of catalogue coupons to choose from.
 * @csspart option - One catalogue coupon; also `option--disabled` for one that cannot be added.
 * @csspart field - The expiry or reason field (label, input, hint and error).
 * @csspart input - The expiry or reason input.
 * @csspart field-error - A field's error message (also the picker's).
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
  static override styles = [tokens, shared, styles];

  static override properties: PropertyDeclarations = {
    customerId: { attribute: 'customer-id' },
    showHistory: { type: Boolean, attribute: 'show-history' },
    rows: { state: true },
    rowsFor: { state: true },
    mode: { state: true },
    target: { state: true },
    q: { state: true },
    picked: { state: true },
  };

  /** The customer whose coupons are shown (`cust_…`); without one the element is empty. */
  customerId = '';

  /** Also lists removed, expired and redeemed coupons; the "Show history" button toggles it. */
  showHistory = false;

  /** The coupons loaded for `rowsFor`, updated from the server's answer after each change. */
  private rows: CustomerCoupon[] = [];
  private rowsFor = '';
  /** The open dialog's purpose, and the coupon it changes. */
  private mode: Mode | undefined;
  private target: CustomerCoupon | undefined;
  /** The picker's search text (debounced) and the chosen catalogue coupon. */
  private q = '';
  private picked: CatalogueCoupon | undefined;

  private readonly search = new DebounceController<string>(this, (q) => (this.q = q.trim()));
  /** Focus returns to the button that opened the dialog, else to "Add coupon". */
  private readonly dialog = new FormDialog<Field>(this, () => this.renderRoot.querySelector<HTMLElement>('[part=add-button]'));

  private readonly session = new KitTask(this, {
    task: ([client]) => loadSession(client),
    args: () => [this.kit.client] as const,
  });

  private readonly list = new KitTask(this, {
    task: async ([client, id, all], { signal }) => {
      const { data } = id
        ? await client.get<CustomerCoupon[]>(`customer/${encodeURIComponent(id)}/coupons`, {
            query: { status: all ? 'all' : 'active', limit: 100 },
            signal,
          })
        : { data: [] };
      this.rows = data;
      this.rowsFor = id;
      // The open dialog's coupon as listed now, so that after a 412 a change goes over what is shown.
      this.target &&= data.find((c) => c.id === this.target!.id) ?? this.target;
    },
    args: () => [this.kit.client, this.customerId, this.showHistory] as const,
  });

  /** The catalogue with this customer's eligibility, while the add dialog is open. */
  private readonly catalogue = new KitTask(this, {
    task: async ([client, id, q, open], { signal }) =>
      open
        ? (await client.get<CatalogueCoupon[]>('coupons', { query: { customer_id: id, q, limit: 50 }, signal })).data
        : [],
    args: () => [this.kit.client, this.customerId, this.q, this.mode === 'add'] as const,
  });

  override render(): unknown {
    // No customer: nothing to show or do (the list makes no request).
    return this.customerId && html`
      <div part="base" class="base" lang=${this.kit.lang}>
        <div part="toolbar" class="toolbar">
          ${this.canWrite
            ? html`<button part="add-button" class="button button--primary" type="button" @click=${() => this.open('add')}>
                ${this.t('coupon.add')}
              </button>`
            : nothing}
          <button part="history-button" class="button" type="button" aria-pressed=${this.showHistory}
            @click=${() => (this.showHistory = !this.showHistory)}>
            ${this.t('coupon.showHistory')}
          </button>
        </div>
        ${this.renderBody()}
        ${this.renderStatus()}
        ${this.canWrite ? this.renderDialog() : nothing}
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
    if (this.canWrite) await this.open('add', undefined, opener);
  }

  private get canWrite(): boolean {
    return !!this.customerId && this.session.status === TaskStatus.COMPLETE && can(this.session.value, 'coupons:write');
  }

  /** Staff (an embed session) always give a reason; an API key adding a coupon on its standard terms may leave it out. */
  private get reasonOptional(): boolean {
    return this.mode === 'add' && this.session.value?.actor.type !== 'staff';
  }

  private get fmt() {
    return { locale: this.kit.locale, timeZone: this.session.value?.tenant.timezone };
  }

  private renderBody(): TemplateResult {
    const task = this.list;
    if (task.status === TaskStatus.ERROR && !isAbortError(task.error)) return this.failed(task.error, () => this.reload(), 'coupon.error');
    // Busy while loading, which it always is while the rows are another customer's (the skeleton below).
    const busy = task.status === TaskStatus.PENDING;
    const list = (label: MessageKey, items: unknown) =>
      html`<ul part="list" class="list" aria-label=${this.t(label)} aria-busy=${busy}>${items}</ul>`;
    if (this.rowsFor !== this.customerId) {
      return list('coupon.loading', this.bars([70, 55]).map((bar) => html`<li class="item" aria-hidden="true">${bar}</li>`));
    }
    const coupons = (label: MessageKey, rows: CustomerCoupon[], empty: MessageKey) =>
      rows.length ? list(label, rows.map((c) => this.renderCoupon(c))) : html`<p part="empty" class="box">${this.t(empty)}</p>`;
    return html`
      ${coupons('coupon.active', this.rows.filter((c) => c.status === 'active'), 'coupon.empty')}
      ${this.showHistory
        ? html`<h4>${this.t('coupon.history')}</h4>
            ${coupons('coupon.history', this.rows.filter((c) => c.status !== 'active'), busy ? 'coupon.loading' : 'coupon.historyEmpty')}`
        : nothing}
    `;
  }

  private renderCoupon(c: CustomerCoupon): TemplateResult {
    const date = (iso: string | null) => formatDate(iso, this.fmt);
    const who = (p: { name: string | null } | null) => p?.name ?? this.t('coupon.someone');
    const uses = c.uses_left === null ? this.t('coupon.unlimited') : this.t('coupon.usesLeft', { count: c.uses_left });
    const facts =
      c.status === 'removed'
        ? this.t('coupon.removedBy', { name: who(c.removed_by), date: date(c.removed_at), reason: c.removed_reason ?? '' })
        : c.status === 'redeemed'
          ? this.t('coupon.usedUp')
          : `${this.expiryText(c)} · ${uses}`;
    const added = this.t('coupon.addedBy', { name: who(c.added_by), date: date(c.added_at) });
    return html`<li part="coupon coupon--${c.status}" class="item" data-id=${c.id}>
      <p class="head">
        <strong>${c.code}</strong>
        <span>${describeDiscount(c, this.kit.locale)}</span>
        ${c.status === 'active' ? nothing : html`<span part="badge" class="badge">${this.t(`coupon.status.${c.status}`)}</span>`}
      </p>
      <p>${facts}</p>
      <p class="muted">${added}${c.reason ? ` — ${this.t('coupon.quote', { text: c.reason })}` : ''}</p>
      ${this.canWrite && (c.status === 'active' || c.status === 'expired')
        ? // "Extend" only moves an expiry: a coupon without one would be limited by it, not extended.
          html`<p class="row-actions">
            ${(c.expires_at ? (['extend', 'remove'] as const) : (['remove'] as const)).map(
              (action) => html`<button part="action-button" class=${action === 'remove' ? 'button button--danger' : 'button'}
                type="button" data-action=${action} @click=${() => this.open(action, c)}>
                ${this.t(`coupon.${action}`)}<span class="visually-hidden"> ${c.code}</span>
              </button>`,
            )}
          </p>`
        : nothing}
    </li>`;
  }

  private renderDialog(): TemplateResult {
    const { mode = 'remove', target, dialog } = this;
    const add = mode === 'add';
    const title = add ? this.t('coupon.addTitle') : this.t(`coupon.${mode}Title`, { code: target?.code ?? '' });
    return html`<dialog part="dialog" aria-labelledby="dialog-title" @close=${this.onClose}>
      ${this.dialogForm(
        dialog,
        { title, submit: this.t(MODES[mode][0]), danger: mode === 'remove', onSubmit: this.onSubmit },
        html`
          ${target ? html`<p class="muted">${describeDiscount(target, this.kit.locale)} · ${this.expiryText(target)}</p>` : nothing}
          ${add ? this.renderPicker() : nothing}
          ${mode === 'remove'
            ? nothing
            : this.field('expiry', this.t(add ? 'coupon.customExpiry' : 'coupon.newExpiry'), dialog.errors.expiry, {
                type: 'date',
                // Today in the studio's timezone.
                min: localDate(new Date(), this.fmt.timeZone),
                optional: add,
                hint: add ? this.t('coupon.expiryHint') : undefined,
              })}
          ${this.field('reason', this.t('form.reason'), dialog.errors.reason, {
            type: 'textarea',
            hint: this.t('form.reasonHint'),
            optional: this.reasonOptional,
          })}
        `,
      )}
    </dialog>`;
  }

  /** "Valid through 12 Mar 2026" (the last day it applies) or "No expiry". */
  private expiryText(c: CustomerCoupon): string {
    const lastDay = formatEnd(c.expires_at, this.fmt);
    return lastDay ? this.t('coupon.expires', { date: lastDay }) : this.t('coupon.noExpiry');
  }

  /** The facts a `rule.*` message names about a coupon. */
  private ruleParams(c: { code: string; valid_until?: string | null; max_redemptions?: number | null }) {
    return { code: c.code, date: formatDate(c.valid_until, this.fmt), max: c.max_redemptions ?? 0 };
  }

  private renderPicker(): TemplateResult {
    const { catalogue, q } = this;
    const items = catalogue.value ?? [];
    const pending = catalogue.status === TaskStatus.PENDING;
    const error = this.dialog.errors.coupon;
    return html`
      <div class="field">
        <label for="search">${this.t('coupon.search')}</label>
        <input id="search" part="search-input" class="input" type="search" autocomplete="off" spellcheck="false"
          placeholder=${this.t('coupon.searchHint')} @input=${this.onSearchInput} @keydown=${this.onSearchKeydown} />
      </div>
      <fieldset part="picker" aria-busy=${pending} aria-describedby=${error ? 'coupon-error' : nothing}>
        <legend>${this.t('coupon.choose')}</legend>
        ${catalogue.status === TaskStatus.ERROR && !isAbortError(catalogue.error)
          ? this.failed(catalogue.error, () => catalogue.run())
          : items.length === 0
            ? html`<p class="muted">
                ${pending ? this.t('coupon.loading') : q ? this.t('coupon.noMatch', { query: q }) : this.t('coupon.noCoupons')}
              </p>`
            : items.map((c, i) => {
                // The rules an add would be refused by (none when eligible), worded as a refusal is.
                const why = this.rulesText(c.ineligible_reasons ?? [], this.ruleParams(c));
                return html`<div part="option${why ? ' option--disabled' : ''}" class="option">
                  <input type="radio" id="opt-${i}" name="coupon" value=${c.id} ?disabled=${!!why}
                    .checked=${c.id === this.picked?.id} aria-invalid=${!!error && !why}
                    aria-describedby=${why ? `why-${i}` : nothing} @change=${() => (this.picked = c)} />
                  <label for="opt-${i}">
                    <strong>${c.code}</strong> ${c.name} <span class="muted">· ${describeDiscount(c, this.kit.locale)}</span>
                  </label>
                  ${why ? html`<p id="why-${i}" class="why">${why}</p>` : nothing}
                </div>`;
              })}
      </fieldset>
      ${error ? html`<p id="coupon-error" part="field-error" class="field-error">${error}</p>` : nothing}
    `;
  }

  private open(mode: Mode, target?: CustomerCoupon, opener?: HTMLElement): Promise<void> {
    this.search.cancel();
    Object.assign(this, { mode, target, q: '', picked: undefined });
    return this.dialog.open(opener);
  }

  /** Also after Escape: the dialog forgets its purpose (so the catalogue is asked afresh next time). */
  private async onClose(): Promise<void> {
    if (await this.dialog.closed()) this.mode = this.target = undefined;
  }

  private onSearchInput(event: InputEvent): void {
    this.search.call((event.target as HTMLInputElement).value);
  }

  /** Enter searches now (instead of submitting); ArrowDown moves to the first coupon that can be chosen. */
  private onSearchKeydown(event: KeyboardEvent): void {
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
    const { mode, dialog, picked, target } = this;
    if (!mode) return;
    const add = mode === 'add';
    const expiry = dialog.value('expiry');
    const reason = dialog.value('reason');
    const errors: Partial<Record<Field, string>> = {};
    if (add && !picked) errors.coupon = this.t('coupon.pick');
    if (mode === 'extend' && !expiry) errors.expiry = this.t('form.required');
    // 5 characters: the server's minimum (`server/routes/coupons.ts`).
    if (reason ? reason.length < 5 : !this.reasonOptional) errors.reason = this.t('form.reasonShort');
    if (Object.keys(errors).length) return dialog.invalid(errors, '');

    const path = `customer/${encodeURIComponent(this.customerId)}/coupons${add ? '' : `/${encodeURIComponent(target!.id)}`}`;
    // Only what this dialog asks for: JSON leaves out the undefined members.
    const body = {
      coupon_id: picked?.id,
      expires_at: expiry || undefined,
      status: mode === 'remove' ? 'removed' : undefined,
      reason: reason || undefined,
    };
    const answer = await dialog.send(
      path,
      body,
      // A change or removal only of the coupon as listed (If-Match).
      (headers) => this.kit.client.request<CustomerCoupon>(add ? 'POST' : 'PATCH', path, { body, headers: add ? headers : { ...headers, 'If-Match': target!.etag } }),
      (error, fields) => {
        if (error instanceof ApiError) {
          // A refused add means the picker is out of date: show what can be added now.
          if (add && error.code === 'rule_violation') this.catalogue.run();
          // Someone changed (412) or removed (422) the coupon since it was listed: list it as it is now.
          else if (error.status === 412 || error.code === 'rule_violation') this.list.run();
        }
        return this.explain(error, fields, this.ruleParams(add ? picked! : target!));
      },
    );
    if (!answer) return;
    const { data } = answer;
    const [, done, name] = MODES[mode];
    this.rows = add ? [data, ...this.rows] : this.rows.map((c) => (c.id === data.id ? data : c));
    this.announce(this.t(done, { code: data.code }));
    this.emit(name, { customerId: this.customerId, coupon: data });
  }
}
