import { Task, TaskStatus } from '@lit/task';
import { html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import type { ApiClient, QueryValue } from '../core/api-client.ts';
import { isAbortError } from '../core/api-error.ts';
import type { CustomerInput, CustomerProfile, CustomerSummary } from '../core/api-types.ts';
import { DebounceController } from '../core/debounce-controller.ts';
import { FormDialog } from '../core/form-dialog.ts';
import { formatDate } from '../core/format.ts';
import { KitElement } from '../core/kit-element.ts';
import { can, loadSession } from '../core/session.ts';
import { shared, tokens } from '../core/styles.ts';
import type {} from './customer-list.events.ts';
import styles from './customer-list.styles.ts';

/** Which customers the list shows. */
export type CustomerFilter = 'active' | 'archived' | 'all';

type ListArgs = readonly [client: ApiClient, q: string, filter: CustomerFilter, limit: number];

/** The add form's fields: name, input type and autocomplete token. */
const FORM_FIELDS = [
  ['firstname', 'text', 'given-name'],
  ['lastname', 'text', 'family-name'],
  ['email', 'email', 'email'],
  ['mobile', 'tel', 'tel'],
] as const;
type FormField = (typeof FORM_FIELDS)[number][0];

/**
 * @summary The studio's customers: search, active/archived filter, a keyboard-navigable table,
 * "Load more" paging and an "Add customer" dialog.
 *
 * @tag customer-list
 *
 * @fires ck-customer-select - A customer was chosen by click, Enter or Space. `detail: { customerId }`.
 * @fires ck-customer-created - The "Add customer" dialog created a customer. `detail: { customerId }`.
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
 * @csspart badge - A status badge in the name cell ("Archived", "New").
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
    created: { state: true },
    nextCursor: { state: true },
    activeId: { state: true },
    announcement: { state: true },
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

  /** The customers loaded so far, in the server's order. */
  private rows: CustomerSummary[] = [];
  /** Customers added through the dialog since the list was last loaded; shown first. */
  private created: CustomerSummary[] = [];
  private nextCursor: string | null = null;
  /** The row that holds the roving tabindex. */
  private activeId = '';
  private announcement = '';

  private readonly search = new DebounceController<string>(this, (value) => (this.query = value), 250);
  private readonly add = new FormDialog<FormField>(this, () => this.renderRoot.querySelector<HTMLElement>('[part=add-button]'));
  /** Focus the row with this id once it is rendered. */
  private pendingFocus: string | undefined;
  /** The arguments of the page on screen, for "Load more". */
  private listArgs: ListArgs | undefined;

  private readonly session = new Task(this, {
    task: ([client]) => loadSession(client),
    args: () => [this.kit.client] as const,
  });

  private readonly list = new Task(this, {
    task: async (args: ListArgs, { signal }) => {
      this.more.abort();
      const page = await args[0].get<CustomerSummary[]>('customers', { query: pageQuery(args), signal });
      signal.throwIfAborted();
      this.listArgs = args;
      this.rows = page.data;
      this.created = [];
      this.nextCursor = page.nextCursor;
      if (!this.rows.some((r) => r.id === this.activeId)) this.activeId = '';
      this.announcement = this.t('list.shown', { count: this.rows.length, more: !!page.nextCursor });
      return page.data;
    },
    args: (): ListArgs => [this.kit.client, this.query.trim(), this.filter, clampPageSize(this.pageSize)],
  });

  private readonly more = new Task(this, {
    autoRun: false,
    task: async ([cursor]: readonly [string], { signal }) => {
      const args = this.listArgs!;
      const page = await args[0].get<CustomerSummary[]>('customers', { query: pageQuery(args, cursor), signal });
      signal.throwIfAborted();
      const seen = new Set([...this.rows, ...this.created].map((r) => r.id));
      const added = page.data.filter((r) => !seen.has(r.id));
      this.rows = [...this.rows, ...added];
      this.nextCursor = page.nextCursor;
      if (added[0]) this.activeId = this.pendingFocus = added[0].id;
      this.announcement = this.t('list.shown', { count: this.rows.length + this.created.length, more: !!page.nextCursor });
      return added;
    },
  });

  override render(): TemplateResult {
    return html`
      <div part="base" class="base">
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
              .value=${this.query}
              @input=${this.onSearchInput}
              @keydown=${this.onSearchKeydown}
            />
          </div>
          <div part="filter" class="field filter">
            <label for="filter">${this.t('list.filter')}</label>
            <select id="filter" part="filter-select" class="input" .value=${this.filter} @change=${this.onFilterChange}>
              ${(['active', 'archived', 'all'] as const).map(
                (f) => html`<option value=${f} ?selected=${this.filter === f}>${this.t(`list.filter.${f}`)}</option>`,
              )}
            </select>
          </div>
          ${this.canAdd
            ? html`<button part="add-button" class="button button--primary add" type="button" @click=${() => this.add.open()}>
                ${this.t('list.add')}
              </button>`
            : nothing}
        </div>
        ${this.list.render({
          initial: () => this.renderSkeleton(),
          pending: () => this.renderSkeleton(),
          complete: () => this.renderRows(),
          error: (error) => this.failed(error, () => this.reload(), 'list.error'),
        })}
        <p part="status" class="visually-hidden" role="status">${this.announcement}</p>
        ${this.renderDialog()}
      </div>
    `;
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (this.pendingFocus) {
      const row = this.rowElement(this.pendingFocus);
      this.pendingFocus = undefined;
      row?.focus();
    }
  }

  /** Loads the list again from the first page (keeps search and filter). */
  reload(): void {
    this.session.run();
    this.list.run();
  }

  private get canAdd(): boolean {
    return !this.noAdd && this.session.status === TaskStatus.COMPLETE && can(this.session.value, 'customers:write');
  }

  private get visibleRows(): CustomerSummary[] {
    const createdIds = new Set(this.created.map((r) => r.id));
    return [...this.created, ...this.rows.filter((r) => !createdIds.has(r.id))];
  }

  private renderTable(body: TemplateResult | TemplateResult[], busy: boolean): TemplateResult {
    return html`
      <div class="table-wrap">
        <table part="table" role="grid" aria-readonly="true" aria-busy=${busy ? 'true' : 'false'} aria-describedby="keyboard-hint">
          <caption class="visually-hidden">${this.t('list.label')}</caption>
          <thead>
            <tr part="header">
              <th scope="col" class="col-name">${this.t('customer.name')}</th>
              <th scope="col" class="col-email">${this.t('customer.email')}</th>
              <th scope="col" class="col-mobile">${this.t('customer.mobile')}</th>
              <th scope="col" class="col-since">${this.t('customer.since')}</th>
            </tr>
          </thead>
          <tbody @keydown=${this.onRowKeydown} @click=${this.onRowClick} @focusin=${this.onRowFocus}>
            ${body}
          </tbody>
        </table>
        <p id="keyboard-hint" class="visually-hidden">${this.t('list.keyboardHint')}</p>
      </div>
    `;
  }

  private renderSkeleton(): TemplateResult {
    const widths = [62, 48, 70, 55, 66];
    return this.renderTable(
      widths.map(
        (w) => html`<tr part="row row--skeleton" aria-hidden="true">
          <td part="cell"><span class="skeleton" .style=${`width:${w}%`}></span></td>
          <td part="cell" class="col-email"><span class="skeleton" .style=${`width:${w + 10}%`}></span></td>
          <td part="cell" class="col-mobile"><span class="skeleton" .style=${'width:60%'}></span></td>
          <td part="cell" class="col-since"><span class="skeleton" .style=${'width:50%'}></span></td>
        </tr>`,
      ),
      true,
    );
  }

  private renderRows(): TemplateResult {
    const rows = this.visibleRows;
    if (rows.length === 0) {
      const q = this.query.trim();
      const message = q
        ? this.t('list.emptySearch', { query: q })
        : this.filter === 'all'
          ? this.t('list.empty')
          : this.t('list.emptyFilter');
      return html`<p part="empty" class="box">${message}</p>`;
    }
    const activeId = rows.some((r) => r.id === this.activeId)
      ? this.activeId
      : rows.some((r) => r.id === this.selectedId)
        ? this.selectedId
        : rows[0].id;
    const createdIds = new Set(this.created.map((r) => r.id));
    const timeZone = this.session.value?.tenant.timezone;
    const locale = this.kit.locale;
    return html`
      ${this.renderTable(
        rows.map((c) => {
          const selected = c.id === this.selectedId;
          const isNew = createdIds.has(c.id);
          const parts = ['row', selected ? 'row--selected' : '', isNew ? 'row--new' : '', c.archived ? 'row--archived' : '']
            .filter(Boolean)
            .join(' ');
          return html`<tr
            part=${parts}
            class=${selected ? 'row selected' : 'row'}
            data-id=${c.id}
            tabindex=${c.id === activeId ? 0 : -1}
            aria-selected=${selected ? 'true' : 'false'}
          >
            <td part="cell cell--name" class="col-name">
              <span class="name">${c.firstname} ${c.lastname}</span>
              ${isNew ? html`<span part="badge" class="badge badge--new">${this.t('customer.new')}</span>` : nothing}
              ${c.archived ? html`<span part="badge" class="badge">${this.t('customer.archived')}</span>` : nothing}
            </td>
            <td part="cell cell--email" class="col-email">${c.email}</td>
            <td part="cell cell--mobile" class="col-mobile">
              ${c.mobile ?? html`<span aria-hidden="true">—</span><span class="visually-hidden">${this.t('customer.none')}</span>`}
            </td>
            <td part="cell cell--since" class="col-since">
              ${formatDate(c.customer_since, { locale, timeZone })}
            </td>
          </tr>`;
        }),
        false,
      )}
      ${this.renderMore()}
    `;
  }

  private renderMore(): TemplateResult | typeof nothing {
    const moreError = this.more.status === TaskStatus.ERROR && !isAbortError(this.more.error) ? this.more.error : undefined;
    if (!this.nextCursor && !moreError) return nothing;
    const loading = this.more.status === TaskStatus.PENDING;
    return html`
      <div class="more">
        ${moreError ? html`<p class="error-text" role="alert">${this.errorText(moreError)}</p>` : nothing}
        ${this.nextCursor
          ? html`<button
              part="load-more"
              class="button"
              type="button"
              aria-disabled=${loading ? 'true' : 'false'}
              @click=${this.loadMore}
            >
              ${loading ? this.t('list.loadingMore') : this.t('list.loadMore')}
            </button>`
          : nothing}
      </div>
    `;
  }

  private renderDialog(): TemplateResult {
    const { add } = this;
    return html`<dialog part="dialog" aria-labelledby="dialog-title" @close=${() => add.closed()}>
      ${this.dialogForm(
        add,
        { title: this.t('list.addTitle'), submit: this.t('list.addSubmit'), onSubmit: this.onSubmit },
        FORM_FIELDS.map(([name, type, autocomplete]) =>
          this.field(name, this.t(`customer.${name}`), add.errors[name], { type, autocomplete, optional: name === 'mobile' }),
        ),
      )}
    </dialog>`;
  }

  private rowElement(id: string): HTMLTableRowElement | null {
    return this.renderRoot.querySelector<HTMLTableRowElement>(`tr[data-id="${CSS.escape(id)}"]`);
  }

  private onSearchInput(event: InputEvent): void {
    // No state changes here: typing re-renders nothing until the pause.
    this.search.call((event.target as HTMLInputElement).value);
  }

  private onSearchKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter') this.search.flush((event.target as HTMLInputElement).value);
  }

  private onFilterChange(event: Event): void {
    this.filter = (event.target as HTMLSelectElement).value as CustomerFilter;
  }

  private loadMore(): void {
    if (!this.nextCursor || this.more.status === TaskStatus.PENDING) return;
    this.more.run([this.nextCursor]);
  }

  private select(id: string): void {
    this.activeId = id;
    if (this.selectedId !== id) this.selectedId = id;
    this.emit('ck-customer-select', { customerId: id });
  }

  private onRowClick(event: Event): void {
    const row = (event.target as Element).closest<HTMLTableRowElement>('tr[data-id]');
    if (row) this.select(row.dataset.id!);
  }

  private onRowFocus(event: FocusEvent): void {
    const row = (event.target as Element).closest<HTMLTableRowElement>('tr[data-id]');
    if (row) this.activeId = row.dataset.id!;
  }

  private onRowKeydown(event: KeyboardEvent): void {
    const row = (event.target as Element).closest<HTMLTableRowElement>('tr[data-id]');
    if (!row || event.target !== row) return;
    const rows = [...this.renderRoot.querySelectorAll<HTMLTableRowElement>('tr[data-id]')];
    const index = rows.indexOf(row);
    let next: HTMLTableRowElement | undefined;
    switch (event.key) {
      case 'ArrowDown':
        next = rows[Math.min(index + 1, rows.length - 1)];
        break;
      case 'ArrowUp':
        next = rows[Math.max(index - 1, 0)];
        break;
      case 'Home':
        next = rows[0];
        break;
      case 'End':
        next = rows[rows.length - 1];
        break;
      case 'Enter':
      case ' ':
        event.preventDefault();
        this.select(row.dataset.id!);
        return;
      default:
        return;
    }
    event.preventDefault();
    if (next && next !== row) {
      this.activeId = next.dataset.id!;
      next.focus();
    }
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const { add } = this;
    const errors: Partial<Record<FormField, string>> = {};
    for (const [name] of FORM_FIELDS) {
      const input = add.form!.elements.namedItem(name) as HTMLInputElement;
      if (input.required && !add.value(name)) errors[name] = this.t('form.required');
      else if (input.validity.typeMismatch) errors[name] = this.t('form.invalidEmail');
    }
    if (Object.keys(errors).length) return add.invalid(errors, this.t('form.checkFields'));

    const body: CustomerInput = { firstname: add.value('firstname'), lastname: add.value('lastname'), email: add.value('email') };
    if (add.value('mobile')) body.mobile = add.value('mobile');
    const client = this.kit.client;
    const created = await add.send('customers', body, (headers) => client.post<CustomerProfile>('customers', body, { headers }), (e, fields) =>
      this.explain(e, fields),
    );
    if (!created) return;
    const { data } = created;
    this.created = [{ archived: false, customer_since: new Date().toISOString(), ...data }, ...this.created];
    this.activeId = data.id;
    this.announcement = this.t('list.added', { name: `${data.firstname} ${data.lastname}` });
    this.emit('ck-customer-created', { customerId: data.id });
  }
}

/** `GET /api/customers` parameters: no `archived` means all; `customer_since` for the last column. */
function pageQuery([, q, filter, limit]: ListArgs, cursor?: string): Record<string, QueryValue> {
  return { q, archived: filter === 'all' ? undefined : filter === 'archived', limit, include: 'customer_since', cursor };
}

function clampPageSize(size: number): number {
  return Number.isFinite(size) ? Math.min(100, Math.max(1, Math.round(size))) : 25;
}
