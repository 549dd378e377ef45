import { TaskStatus } from '@lit/task';
import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { ApiClient, QueryValue } from '../core/api-client.ts';
import { isAbortError } from '../core/api-error.ts';
import type { CustomerInput, CustomerProfile, CustomerSummary } from '../core/api-types.ts';
import { DebounceController } from '../core/debounce-controller.ts';
import { FormDialog } from '../core/form-dialog.ts';
import { formatDate } from '../core/format.ts';
import { KitElement } from '../core/kit-element.ts';
import { KitTask } from '../core/kit-task.ts';
import { can, loadSession } from '../core/session.ts';
import { PROFILE_FIELDS } from '../core/profile-fields.ts';
import { shared, tokens } from '../core/styles.ts';
import type {} from './customer-list.events.ts';
import styles from './customer-list.styles.ts';

/** Which customers the list shows. */
export type CustomerFilter = 'active' | 'archived' | 'all';

type ListArgs = readonly [client: ApiClient, q: string, filter: CustomerFilter, limit: number];

type FormField = (typeof PROFILE_FIELDS)[number][0];

/** The table's columns, in order: each names its header (`customer.<column>`), class and cell part. */
const COLUMNS = ['name', 'email', 'mobile', 'since'] as const;

/** A row's cells, one per column, holding `content` in column order (skeleton rows and customers alike). */
const cells = (content: unknown[]): TemplateResult[] =>
  COLUMNS.map((column, i) => html`<td part="cell cell--${column}" class="col-${column}">${content[i]}</td>`);

/**
 * @summary The studio's customers: search, active/archived filter, a keyboard-navigable table,
 * "Load more" paging and an "Add customer" dialog.
 *
 * @tag customer-list
 *
 * @fires {CustomEvent<CustomerSelectDetail>} ck-customer-select - A customer was chosen by click, Enter or Space. `detail: { customerId }`.
 * @fires {CustomEvent<CustomerCreatedDetail>} ck-customer-created - The "Add customer" dialog created a customer. `detail: { customerId }`.
 *
 * @csspart base - The wrapper of everything.
 * @csspart toolbar - The bar holding search, filter and the add button.
 * @csspart search - The search field (label and input).
 * @csspart search-input - The search input.
 * @csspart filter - The archived filter (label and select).
 * @csspart filter-select - The archived filter's select.
 * @csspart add-button - The "Add customer" button (shown with the `customers:write` capability).
 * @csspart table - The table of customers.
 * @csspart header - The table's header row.
 * @csspart row - A customer row; also `row--selected`, `row--new`, `row--archived`, `row--skeleton`.
 * @csspart cell - A table cell; also `cell--name`, `cell--email`, `cell--mobile`, `cell--since`.
 * @csspart badge - A status badge in the name cell ("Guest", "Archived", "New").
 * @csspart empty - The message shown when no customer matches.
 * @csspart error - The error message and its retry button.
 * @csspart retry-button - The "Try again" button.
 * @csspart load-more - The "Load more" button.
 * @csspart status - The visually hidden live region that announces results.
 * @csspart dialog - The native `<dialog>` of the add form.
 * @csspart form - The add form.
 * @csspart field - One label, input and error of the add form.
 * @csspart input - An input of the add form.
 * @csspart field-error - A field's error message.
 * @csspart submit-button - The add form's submit button.
 * @csspart cancel-button - The add form's cancel button.
 *
 * @cssproperty --ck-font-family - The font. Default: the system UI font.
 * @cssproperty --ck-font-size - The base text size. Default: `0.9375rem`.
 * @cssproperty --ck-radius - The corner radius of buttons, fields and the dialog. Default: `6px`.
 * @cssproperty --ck-space - The base spacing unit. Default: `0.5rem`.
 * @cssproperty --ck-color-surface - The background.
 * @cssproperty --ck-color-surface-muted - The table header's background.
 * @cssproperty --ck-color-text - The text colour.
 * @cssproperty --ck-color-text-muted - Secondary text (emails, dates, hints).
 * @cssproperty --ck-color-border - Table rules and outlines.
 * @cssproperty --ck-color-border-strong - Field and button borders (3:1 against the surface).
 * @cssproperty --ck-color-accent - Primary buttons and the selection mark.
 * @cssproperty --ck-color-on-accent - Text on the accent colour.
 * @cssproperty --ck-color-danger - Error text and invalid fields.
 * @cssproperty --ck-color-selected - The selected row's background.
 * @cssproperty --ck-color-hover - A hovered row's background.
 * @cssproperty --ck-color-focus - The focus ring.
 * @cssproperty --ck-color-skeleton - Loading placeholders.
 * @cssproperty --ck-color-backdrop - Behind the open dialog.
 */
export class CustomerList extends KitElement {
  static override styles = [tokens, shared, styles];

  static override properties: PropertyDeclarations = {
    filter: {},
    query: {},
    pageSize: { type: Number, attribute: 'page-size' },
    selectedId: { attribute: 'selected-id' },
    noAdd: { type: Boolean, attribute: 'no-add' },
    rows: { state: true },
    nextCursor: { state: true },
    activeId: { state: true },
  };

  /** Which customers to show: `active` (the default), `archived` or `all`. */
  filter: CustomerFilter = 'active';

  /** The search text, matched against name, email and mobile. Typing in the search box sets it. */
  query = '';

  /** Customers per page, 1–100. */
  pageSize = 25;

  /** The id of the selected customer; setting it highlights the row without firing an event. */
  selectedId = '';

  /** Hides the "Add customer" button even when the session may create customers. */
  noAdd = false;

  /** The customers shown: those added through the dialog first, then the pages loaded, in the server's order. */
  private rows: CustomerSummary[] = [];
  /** The ids of the customers added through the dialog since the list was loaded (marked "New"). */
  private readonly created = new Set<string>();
  private nextCursor: string | null = null;
  /** The row that last had focus; it keeps the roving tabindex while it is shown. */
  private activeId = '';

  private readonly search = new DebounceController<string>(this, (value) => (this.query = value), 250);
  private readonly dialog = new FormDialog<FormField>(this, () => this.renderRoot.querySelector<HTMLElement>('[part=add-button]'));
  /** The arguments of the page on screen, for "Load more". */
  private listArgs: ListArgs | undefined;

  private readonly session = new KitTask(this, {
    task: ([client]) => loadSession(client),
    args: () => [this.kit.client] as const,
  });

  private readonly list = new KitTask(this, {
    task: (args: ListArgs, { signal }) => {
      this.more.abort();
      return this.load(args, signal);
    },
    // `query` removed (null) or unset (undefined, as React leaves a dropped prop) is no search.
    // Customers per page: 1–100, 25 when not a number.
    args: (): ListArgs => [this.kit.client, this.query?.trim(), this.filter, Math.min(100, Math.max(1, Math.round(this.pageSize) || 25))],
  });

  private readonly more = new KitTask(this, {
    autoRun: false,
    task: async ([cursor]: readonly [string], { signal }) => {
      const [first] = await this.load(this.listArgs!, signal, cursor);
      if (!first) return;
      // Keyboard users continue where the new rows start.
      await this.focusAfter(`tr[data-id="${CSS.escape(first.id)}"]`);
    },
  });

  override render(): TemplateResult {
    const { status, error } = this.list;
    return html`
      <div part="base" class="base" lang=${this.kit.lang}>
        <div part="toolbar" class="toolbar">
          <div part="search" class="field search">
            <label for="search">${this.t('list.search')}</label>
            <input
              id="search"
              part="search-input"
              class="input"
              type="search"
              autocomplete="off"
              spellcheck="false"
              placeholder=${this.t('list.searchHint')}
              .value=${this.query ?? ''}
              @input=${this.onSearchInput}
              @keydown=${this.onSearchKeydown}
            />
          </div>
          <div part="filter" class="field filter">
            <label for="filter">${this.t('form.show')}</label>
            <select id="filter" part="filter-select" class="input"
              @change=${(event: Event) => (this.filter = (event.target as HTMLSelectElement).value as CustomerFilter)}>
              ${(['active', 'archived', 'all'] as const).map(
                // `.selected`, not `?selected` (an attribute no longer selects once the user has chosen): the filter the
                // page sets shows; with none (null), the select shows its first option, `active`, the default.
                (f) => html`<option value=${f} .selected=${this.filter === f}>${this.t(`list.filter.${f}`)}</option>`,
              )}
            </select>
          </div>
          ${this.canAdd
            ? html`<button part="add-button" class="button button--primary add" type="button" @click=${() => this.dialog.open()}>
                ${this.t('list.add')}
              </button>`
            : nothing}
        </div>
        ${status === TaskStatus.ERROR
          ? this.failed(error, () => this.reload(), 'list.error')
          : this.renderTable(status !== TaskStatus.COMPLETE)}
        ${this.renderStatus()}
        ${this.renderDialog()}
      </div>
    `;
  }

  /** Loads the list again from the first page (keeps search and filter). */
  reload(): void {
    this.session.run();
    this.list.run();
  }

  private get fmt() {
    return { locale: this.kit.locale, timeZone: this.session.value?.tenant.timezone };
  }

  private get canAdd(): boolean {
    return !this.noAdd && this.session.status === TaskStatus.COMPLETE && can(this.session.value, 'customers:write');
  }

  /** The table with skeleton rows while `loading`, else with the customers and "Load more"; or the empty state. */
  private renderTable(loading: boolean): TemplateResult {
    const { rows } = this;
    if (!loading && !rows.length) {
      const q = this.query?.trim();
      const message = q
        ? this.t('list.emptySearch', { query: q })
        : this.filter === 'all'
          ? this.t('list.empty')
          : this.t('list.emptyFilter');
      return html`<p part="empty" class="box">${message}</p>`;
    }
    // The one tab stop of the table: the row focused last, else the selected one, else the first.
    const activeId = [this.activeId, this.selectedId].find((id) => rows.some((r) => r.id === id)) ?? rows[0]?.id;
    return html`
      <div class="table-wrap">
        <table part="table" role="grid" aria-readonly="true" aria-busy=${loading} aria-describedby="keyboard-hint">
          <caption class="visually-hidden">${this.t('list.label')}</caption>
          <thead>
            <tr part="header">
              ${COLUMNS.map((column) => html`<th scope="col" class="col-${column}">${this.t(`customer.${column}`)}</th>`)}
            </tr>
          </thead>
          <tbody @keydown=${this.onRowKeydown} @click=${this.onRowClick} @focusin=${this.onRowFocus}>
            ${loading
              ? [62, 48, 70, 55, 66].map(
                  (w) => html`<tr part="row row--skeleton" aria-hidden="true">${cells(this.bars([w, w + 10, 60, 50]))}</tr>`,
                )
              : rows.map((c) => this.renderRow(c, c.id === activeId))}
          </tbody>
        </table>
        <p id="keyboard-hint" class="visually-hidden">${this.t('list.keyboardHint')}</p>
      </div>
      ${loading ? nothing : this.renderMore()}
    `;
  }

  private renderRow(c: CustomerSummary, active: boolean): TemplateResult {
    const selected = c.id === this.selectedId;
    const isNew = this.created.has(c.id);
    return html`<tr
      part="row ${selected ? 'row--selected' : ''} ${isNew ? 'row--new' : ''} ${c.archived ? 'row--archived' : ''}"
      data-id=${c.id}
      tabindex=${active ? 0 : -1}
      aria-selected=${selected}
    >
      ${cells([
        // One text, so that assistive technology reads the name with its space.
        html`${`${c.firstname} ${c.lastname}`}
          ${isNew ? html`<span part="badge" class="badge badge--new">${this.t('customer.new')}</span>` : nothing}
          ${c.guest ? html`<span part="badge" class="badge">${this.t('detail.guest')}</span>` : nothing}
          ${c.archived ? html`<span part="badge" class="badge">${this.t('customer.archived')}</span>` : nothing}`,
        c.email,
        c.mobile ?? html`<span aria-hidden="true">—</span><span class="visually-hidden">${this.t('customer.none')}</span>`,
        formatDate(c.customer_since, this.fmt),
      ])}
    </tr>`;
  }

  /** "Load more" while there is a next page, with the error of a failed attempt above it. */
  private renderMore(): TemplateResult | typeof nothing {
    if (!this.nextCursor) return nothing;
    const { status, error } = this.more;
    const loading = status === TaskStatus.PENDING;
    return html`
      <div class="more">
        ${status === TaskStatus.ERROR && !isAbortError(error)
          ? html`<p class="error-text" role="alert">${this.errorText(error)}</p>`
          : nothing}
        <button part="load-more" class="button" type="button" aria-disabled=${loading}
          @click=${() => loading || this.more.run([this.nextCursor!])}>
          ${this.t(loading ? 'list.loadingMore' : 'list.loadMore')}
        </button>
      </div>
    `;
  }

  private renderDialog(): TemplateResult {
    const { dialog } = this;
    return html`<dialog part="dialog" aria-labelledby="dialog-title" @close=${() => dialog.closed()}>
      ${this.dialogForm(
        dialog,
        { title: this.t('list.addTitle'), submit: this.t('list.add'), onSubmit: this.onSubmit },
        PROFILE_FIELDS.map(([name, type]) => this.field(name, this.t(`customer.${name}`), dialog.errors[name], { type, optional: name === 'mobile' })),
      )}
    </dialog>`;
  }

  /**
   * Fetches a page: the first (no `cursor`) replaces the list, a later one appends the customers
   * not shown yet. Returns those it added.
   */
  private async load(args: ListArgs, signal: AbortSignal, cursor?: string): Promise<CustomerSummary[]> {
    const page = await args[0].get<CustomerSummary[]>('customers', { query: pageQuery(args, cursor), signal });
    signal.throwIfAborted();
    if (!cursor) {
      this.listArgs = args;
      this.rows = [];
      this.created.clear();
    }
    const shown = new Set(this.rows.map((r) => r.id));
    const added = page.data.filter((r) => !shown.has(r.id));
    this.rows = [...this.rows, ...added];
    this.nextCursor = page.nextCursor;
    this.announce(this.t('list.shown', { count: this.rows.length, more: !!page.nextCursor }));
    return added;
  }

  private onSearchInput(event: InputEvent): void {
    // No state changes here: typing re-renders nothing until the pause.
    this.search.call((event.target as HTMLInputElement).value);
  }

  private onSearchKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter') this.search.flush((event.target as HTMLInputElement).value);
  }

  /** Chooses a customer (also for Enter and Space, which click the focused row). */
  private onRowClick(event: Event): void {
    const id = (event.target as Element).closest<HTMLElement>('tr[data-id]')?.dataset.id;
    if (!id) return;
    this.activeId = this.selectedId = id;
    this.emit('ck-customer-select', { customerId: id });
  }

  /** Only rows take focus in the table body. */
  private onRowFocus(event: FocusEvent): void {
    const { id } = (event.target as HTMLElement).dataset;
    if (id) this.activeId = id;
  }

  private onRowKeydown(event: KeyboardEvent): void {
    const row = event.target as HTMLElement;
    if (!row.dataset.id) return;
    const rows = [...this.renderRoot.querySelectorAll<HTMLElement>('tr[data-id]')];
    const index = rows.indexOf(row);
    // The row each key moves to; past either end there is none and focus stays (focusin updates activeId).
    const moves: Partial<Record<string, number>> = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: rows.length - 1 };
    const to = moves[event.key];
    if (event.key === 'Enter' || event.key === ' ') row.click();
    else if (to !== undefined) rows[to]?.focus();
    else return;
    event.preventDefault();
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const { dialog } = this;
    const errors = dialog.browserErrors((key) => this.t(key));
    if (Object.keys(errors).length) return dialog.invalid(errors, this.t('form.checkFields'));

    // The fields as typed, the required ones checked above; an empty mobile is left out (JSON drops undefined).
    const body: Partial<CustomerInput> = Object.fromEntries(PROFILE_FIELDS.map(([name]) => [name, dialog.value(name) || undefined]));
    const client = this.kit.client;
    const created = await dialog.send('customers', body, (headers) => client.post<CustomerProfile>('customers', body, { headers }), (e, fields) =>
      this.explain(e, fields),
    );
    if (!created) return;
    const { data } = created;
    this.created.add(data.id);
    this.rows = [{ archived: false, customer_since: new Date().toISOString(), ...data }, ...this.rows];
    this.activeId = data.id;
    this.announce(this.t('list.added', { name: `${data.firstname} ${data.lastname}` }));
    this.emit('ck-customer-created', { customerId: data.id });
  }
}

/** `GET /api/customers` parameters: no `archived` means all; `customer_since` for the last column, `guest` for its badge. */
function pageQuery([, q, filter, limit]: ListArgs, cursor?: string): Record<string, QueryValue> {
  return { q, archived: filter === 'all' ? undefined : filter === 'archived', limit, include: 'customer_since,guest', cursor };
}
