import { ContextProvider } from '@lit/context';
import { TaskStatus } from '@lit/task';
import { html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { ApiError } from '../core/api-error.ts';
import { kitContext } from '../core/context.ts';
import { fieldError } from '../core/field-errors.ts';
import { FormDialog } from '../core/form-dialog.ts';
import { formatDate, formatDateTime, formatEnd, formatMoney, formatNumber, type FormatContext } from '../core/format.ts';
import { IdempotencyKey } from '../core/idempotency-key.ts';
import { KitElement, type Rule } from '../core/kit-element.ts';
import { KitTask } from '../core/kit-task.ts';
import type { MessageKey, Messages } from '../core/localize.ts';
import { PROFILE_FIELDS } from '../core/profile-fields.ts';
import { shared, tokens } from '../core/styles.ts';
import type { CouponManager } from '../coupon-manager/coupon-manager.component.ts';
import type {} from './customer-detail.events.ts';
import styles from './customer-detail.styles.ts';
import type { Activity, Booking, CancelledBooking, CustomerDetailData, DetailProfile, Email, Note, Product } from './customer-detail.types.ts';
import { PagedList } from './paged-list.ts';

type Action = 'edit' | 'add-coupon' | 'coupons' | 'archive' | 'unarchive' | 'delete';
type Mode = 'edit' | 'archive' | 'unarchive' | 'delete' | 'usage' | 'cancel';
type Field = 'firstname' | 'lastname' | 'email' | 'mobile' | 'reason';

/** The activity filter: each choice is a group of the API's activity types. */
const ACTIVITY = {
  all: '',
  bookings: 'booked,cancelled,attended,no_show',
  purchases: 'purchased,refunded',
  credits: 'credits_used,credits_added,credits_removed,credits_expired,credits_rolled_over,expiry_changed',
  emails: 'email',
  coupons: 'coupon_added,coupon_updated,coupon_removed',
  waivers: 'waiver_accepted',
  profile: 'customer_created,profile_edited,archived,unarchived,deleted,note_added',
};
type Kind = keyof typeof ACTIVITY;
const KINDS = Object.keys(ACTIVITY) as Kind[];

/** An `exportparts` value: each of a composed element's `parts` passed through as `<prefix>-<part>`. */
const exported = (prefix: string, parts: string) => parts.split(' ').map((part) => `${part}:${prefix}-${part}`).join();
/** The parts of the composed elements, so that a page styles them from outside too (`usage-chip`). */
const USAGE_PARTS = exported(
  'usage',
  'base header export-button adjust-button expiry-button summary card card--total filters chip cycle-select chart table ' +
    'entry entry--grant entry--booking entry--free_cancellation entry--manual entry--rollover entry--expiry entry--void ' +
    'empty error retry-button load-more status dialog evidence form field input preview field-error submit-button cancel-button',
);
const COUPON_PARTS = exported(
  'coupons',
  'base toolbar add-button history-button list coupon coupon--active coupon--expired coupon--redeemed coupon--removed badge ' +
    'action-button empty error retry-button status dialog form search-input picker option option--disabled field input ' +
    'field-error submit-button cancel-button',
);
const WAIVER_PARTS = exported(
  'waivers',
  'base summary list item item--accepted item--outdated item--missing badge read-button record-button empty error ' +
    'retry-button status dialog form policy-text submit-button cancel-button',
);

/**
 * @summary One customer's record in one place (seed 000): name, contact and badges, lifetime value and
 * class stats, products and credits (with `<credit-usage>` per pass), booking history, recent activity,
 * emails, notes, waivers (`<waiver-status>`), coupons (`<coupon-manager>`), roles and attribution, and an
 * actions menu (edit details, add or manage coupons, archive, delete) offering only what the session may
 * do. One aggregate read fills the page; its lists page on through their own endpoints, each section
 * with its own error and retry. It provides the API client, the locale and the loaded customer to the
 * elements inside it through `@lit/context`, so they need no attributes of their own.
 *
 * @tag customer-detail
 *
 * @fires {CustomEvent<CustomerUpdatedDetail>} ck-customer-updated - "Edit details" saved the profile. `detail: { customerId, profile }`.
 * @fires {CustomEvent<CustomerArchivedDetail>} ck-customer-archived - The customer was archived or unarchived. `detail: { customerId, archived }`.
 * @fires {CustomEvent<CustomerDeletedDetail>} ck-customer-deleted - The customer was deleted. `detail: { customerId }`.
 * @fires {CustomEvent<BookingCancelledDetail>} ck-booking-cancelled - An upcoming booking was cancelled. `detail: { customerId, bookingId, status, creditsReturned }`.
 * @fires {CustomEvent<CustomerSelectDetail>} ck-customer-select - A related record (the guest record's profile, a linked guest, a record with the same
 *   email) was chosen; the page opens it. `detail: { customerId }`.
 * @fires {CustomEvent<CreditsAdjustedDetail>} ck-credits-adjusted - From the `<credit-usage>` of a pass, bubbling through; the page reads the customer again
 *   (as it does after each of the children's events below). `detail: { passId, creditsLeft, delta }`.
 * @fires {CustomEvent<PassExpiryChangedDetail>} ck-pass-expiry-changed - From the `<credit-usage>` of a pass, bubbling through. `detail: { passId, expiresAt }`.
 * @fires {CustomEvent<CouponEventDetail>} ck-coupon-added - From the `<coupon-manager>`, bubbling through. `detail: { customerId, coupon }`.
 * @fires {CustomEvent<CouponEventDetail>} ck-coupon-updated - From the `<coupon-manager>`, bubbling through. `detail: { customerId, coupon }`.
 * @fires {CustomEvent<CouponEventDetail>} ck-coupon-removed - From the `<coupon-manager>`, bubbling through. `detail: { customerId, coupon }`.
 * @fires {CustomEvent<WaiverAcceptedDetail>} ck-waiver-accepted - From the `<waiver-status>`, bubbling through. `detail: { customerId, policyId, version, method, compliant }`.
 *
 * @csspart base - The wrapper of everything.
 * @csspart header - Name, contact, badges and the actions menu.
 * @csspart related - A line of related records: the guest record's profile, linked guest records, same-email records.
 * @csspart badge - A badge: guest, archived, waiver action needed; a product's, booking's or activity's kind.
 * @csspart menu-button - The "Actions" menu button.
 * @csspart menu - The actions menu.
 * @csspart menu-item - An action in the menu.
 * @csspart stats - The stats tiles: lifetime value, visits, attendance rate, no-shows.
 * @csspart section - A section card; also `section--products`, `section--history`, `section--activity`, `section--notes`,
 *   `section--waivers`, `section--coupons`, `section--emails`, `section--roles`, `section--attribution`.
 * @csspart item - A row of a section's list: a product, booking, activity, email, note or role.
 * @csspart error - The customer's or a section's error message and its retry button.
 * @csspart retry-button - The "Try again" button of an error.
 * @csspart status - The visually hidden live region that announces changes.
 * @csspart dialog - The native `<dialog>` of editing, archiving, deleting and credit usage.
 * @csspart form - The dialog's form: the profile, or a reason to archive, unarchive or delete.
 * @csspart field - One label, control, hint and error of the dialog's form or the note form.
 * @csspart input - An input or text area of the dialog's form or the note form.
 * @csspart field-error - A field's error message.
 * @csspart submit-button - The dialog form's submit button.
 * @csspart cancel-button - The dialog form's cancel button.
 * @csspart usage-base - Every part of the `<credit-usage>` of a pass, passed through with the prefix `usage-`
 *   (`usage-chip`, `usage-entry--manual`, `usage-submit-button`, …; see `<credit-usage>`).
 * @csspart coupons-base - Every part of the `<coupon-manager>`, passed through with the prefix `coupons-`
 *   (`coupons-add-button`, `coupons-coupon--active`, …).
 * @csspart waivers-base - Every part of the `<waiver-status>`, passed through with the prefix `waivers-`
 *   (`waivers-item--missing`, `waivers-record-button`, …).
 *
 * @cssproperty --ck-font-family - The font. Default: the system UI font.
 * @cssproperty --ck-font-size - The base text size. Default: `0.9375rem`.
 * @cssproperty --ck-radius - The corner radius. Default: `6px`.
 * @cssproperty --ck-space - The base spacing unit. Default: `0.5rem`.
 * @cssproperty --ck-color-surface - The background. Light `#ffffff`, dark `#14171b`.
 * @cssproperty --ck-color-surface-muted - The stats tiles. Light `#f6f8fa`, dark `#1c2127`.
 * @cssproperty --ck-color-text - Text. Light `#1f2328`, dark `#e8eaed`.
 * @cssproperty --ck-color-text-muted - Secondary text: dates, kinds, labels. Light `#59636e`, dark `#a8b1bb`.
 * @cssproperty --ck-color-border - Card outlines. Light `#d1d9e0`, dark `#353c45`.
 * @cssproperty --ck-color-border-strong - Fields, buttons, badges, the menu. Light `#6e7781`, dark `#7d8590`.
 * @cssproperty --ck-color-accent - Links, primary buttons, the chosen tab, the credits bar. Light `#0a58ca`, dark `#78b4ff`.
 * @cssproperty --ck-color-on-accent - Text on the accent colour. Light `#ffffff`, dark `#0b1320`.
 * @cssproperty --ck-color-danger - Errors, "action needed", delete. Light `#b42318`, dark `#ff9b8f`.
 * @cssproperty --ck-color-success - "Accepted" marks in the waivers. Light `#1a7f37`, dark `#6fdd8b`.
 * @cssproperty --ck-color-selected - The chosen cycle in the credit usage chart. Light `#ddeafe`, dark `#1f3a5f`.
 * @cssproperty --ck-color-hover - A hovered or focused menu item. Light `#eef2f6`, dark `#232a31`.
 * @cssproperty --ck-color-focus - The focus ring. Light `#0a58ca`, dark `#78b4ff`.
 * @cssproperty --ck-color-skeleton - Loading placeholders and the credits bar's track. Light `#e3e8ee`, dark `#2a3038`.
 * @cssproperty --ck-color-backdrop - Behind the open dialog; the menu's shadow.
 */
export class CustomerDetail extends KitElement {
  static override styles = [tokens, shared, styles];

  static override properties: PropertyDeclarations = {
    customerId: { attribute: 'customer-id' },
    data: { state: true },
    gone: { state: true },
    past: { state: true },
    kind: { state: true },
    menuOpen: { state: true },
    mode: { state: true },
    pass: { state: true },
    booking: { state: true },
    late: { state: true },
    waive: { state: true },
    stale: { state: true },
    noteError: { state: true },
  };

  /** The customer to show (`cust_…`); without one the element is empty. */
  customerId = '';

  /** The aggregate of `customerId`, from the last read. */
  private data: CustomerDetailData | undefined;
  /** Set once the customer was deleted: what the page says instead. */
  private gone = '';
  private past = false;
  private kind: Kind = 'all';
  private menuOpen = false;
  private mode: Mode | undefined;
  /** The pass whose credit usage the dialog shows. */
  private pass: Product | undefined;
  /** The booking the dialog cancels; whether that is late now, and whether to give the credits back anyway. */
  private booking: Booking | undefined;
  private late = false;
  private waive = false;
  /** The change was refused with a 412: someone else saved the customer first. */
  private stale = false;
  private noteError = '';
  /** Focus was in the element when another customer was asked for: it goes to their name once loaded. */
  private refocus = false;

  private get menuButton(): HTMLButtonElement | null {
    return this.renderRoot.querySelector<HTMLButtonElement>('#menu-button');
  }

  private readonly provider = new ContextProvider(this, { context: kitContext });
  /**
   * The dialog; when what opened it is gone, focus goes to the pass's "View usage" or the actions menu,
   * or after a delete to the message that says so.
   */
  private readonly dialog = new FormDialog<Field>(
    this,
    () => this.renderRoot.querySelector<HTMLElement>(`[data-pass="${this.pass?.id}"] button`) ??
      this.renderRoot.querySelector<HTMLElement>(this.booking ? '#history-panel' : '#menu-button,#gone'),
  );
  private readonly noteKey = new IdempotencyKey();
  private noteSaving = false;

  /**
   * Upcoming: still booked, soonest first. Past: attended, missed or cancelled, latest first. Every
   * booking is in one of the two.
   */
  private readonly history = new PagedList<Booking>(this, () => [
    this.kit.client,
    this.path('/bookings'),
    this.past
      ? { limit: 10, status: 'attended,no_show,cancelled_free,cancelled_late' }
      : { limit: 10, status: 'booked', order: 'asc' },
  ]);
  private readonly activity = new PagedList<Activity>(this, () => [this.kit.client, this.path('/activity'), { limit: 20, type: ACTIVITY[this.kind] }]);
  private readonly emails = new PagedList<Email>(this, () => [this.kit.client, this.path('/emails'), { limit: 10 }]);
  private readonly notes = new PagedList<Note>(this, () => [this.kit.client, this.path('/notes'), { limit: 10 }]);
  private readonly products = new PagedList<Product>(this, () => [this.kit.client, this.path('/passes'), { limit: 50 }]);

  /** The aggregate; out of the document it stops, and with it what would follow (the lists stop their own). */
  private readonly detail = new KitTask(this, {
    task: async ([client, id], { signal }) => {
      if (!id) return;
      const first = this.data?.profile.id !== id;
      const { data } = await client.get<CustomerDetailData>(this.path('/detail'), { signal });
      signal.throwIfAborted();
      this.data = data;
      if (first && this.refocus) void this.focusAfter('h2');
      this.products.seed(data.products);
      this.emails.seed(data.emails);
      this.notes.seed(data.notes);
      if (this.kind === 'all') this.activity.seed(data.activity);
      else void this.activity.load();
      if (first && data.stats.bookings) {
        // Upcoming classes first when there are any; else what happened.
        this.past = !data.stats.bookings.upcoming;
        void this.history.load();
      }
    },
    args: () => [this.kit.client, this.customerId] as const,
  });

  constructor() {
    super();
    // What the children change shows in the header, stats and activity too: read the customer again.
    for (const name of ['ck-credits-adjusted', 'ck-pass-expiry-changed', 'ck-coupon-added', 'ck-coupon-updated', 'ck-coupon-removed', 'ck-waiver-accepted']) {
      this.addEventListener(name, () => this.reload());
    }
  }

  /** Reads the customer again; the page keeps showing the last answer meanwhile. */
  reload(): Promise<void> {
    return this.detail.run();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('customerId')) {
      // A related record chosen here, say: its button is about to go.
      this.refocus = this.matches(':focus-within');
      this.data = undefined;
      this.gone = '';
      this.past = false;
      this.kind = 'all';
      this.dialog.close();
    }
    const { client, locale } = this.kit;
    const provided = this.provider.value;
    // A new value re-renders every child: only when one of its parts changed.
    if (provided?.client !== client || provided.locale !== locale || provided.customer !== this.data) {
      this.provider.setValue({ client, locale, customer: this.data });
    }
  }

  private path(sub = ''): string {
    return `customer/${encodeURIComponent(this.customerId)}${sub}`;
  }

  private get fmt(): FormatContext {
    const tenant = this.data?.tenant;
    return { locale: this.kit.locale, timeZone: tenant?.timezone, currency: tenant?.currency };
  }

  private get name(): string {
    const p = this.data?.profile;
    return p ? `${p.firstname} ${p.lastname}` : '';
  }

  override render(): unknown {
    const d = this.data;
    // No customer: nothing to show or do.
    return this.customerId && html`<div part="base" class="base" lang=${this.kit.lang}>
      ${this.gone
        ? html`<p id="gone" class="box" tabindex="-1">${this.gone}</p>`
        : d
          ? this.renderCustomer(d)
          : this.detail.status === TaskStatus.ERROR
            ? this.failed(this.detail.error, () => this.reload(), 'detail.error')
            : html`${this.bars([40, 70, 100, 100, 100])}<span class="visually-hidden">${this.t('detail.loading')}</span>`}
      ${this.renderStatus()}
      ${this.renderDialog()}
    </div>`;
  }

  private renderCustomer(d: CustomerDetailData): TemplateResult {
    const { profile: p, stats, waivers } = d;
    const fmt = this.fmt;
    const b = stats.bookings;
    const money = stats.lifetime_value;
    const tile = (label: MessageKey, value: string) => html`<div><dt>${this.t(label)}</dt><dd>${value}</dd></div>`;
    const section = (id: string, body: unknown) => html`<section part="section section--${id}" class="card" aria-labelledby="${id}-title">
      <h3 id="${id}-title" tabindex="-1">${this.t((id === 'waivers' ? 'waiver.title' : `detail.${id}`) as MessageKey)}</h3>
      ${body}
    </section>`;
    return html`
      <div part="header" class="row header">
        <div class="who">
          <h2 tabindex="-1">${this.name}</h2>
          <p class="muted">
            <a href="mailto:${p.email}">${p.email}</a>
            ${p.mobile ? html`· <a href="tel:${p.mobile.replace(/[^+\d]/g, '')}">${p.mobile}</a>` : nothing}
            · ${this.t('customer.since')} ${formatDate(p.customer_since, fmt)}
          </p>
          <p class="row">
            ${p.guest ? this.badge('detail.guest') : nothing} ${p.archived ? this.badge('customer.archived') : nothing}
            ${waivers && !waivers.compliant ? this.badge('waiver.badgeAction', true) : nothing}
          </p>
          ${this.renderRelated(p)}
        </div>
        ${this.renderMenu(d)}
      </div>
      ${money || b
        ? html`<dl part="stats" class="stats">
            ${money ? tile('detail.ltv', formatMoney(money.amount, fmt, money.currency)) : nothing}
            ${b
              ? [
                  tile('detail.visits', formatNumber(b.attended, fmt)),
                  tile('detail.rate', b.attendance_rate === null ? '–' : formatNumber(b.attendance_rate, fmt, { style: 'percent' })),
                  tile('detail.noShows', formatNumber(b.no_shows, fmt)),
                ]
              : nothing}
          </dl>`
        : nothing}
      <div class="grid">
        ${d.products ? section('products', this.list(this.products, 'detail.noProducts', (x) => this.renderProduct(x))) : nothing}
        ${b ? section('history', this.renderHistory()) : nothing}
        ${d.activity ? section('activity', this.renderActivity()) : nothing}
        ${d.notes ? section('notes', this.renderNotes(d.actions.add_note)) : nothing}
        ${waivers ? section('waivers', html`<waiver-status customer-id=${p.id} theme=${this.theme} exportparts=${WAIVER_PARTS}></waiver-status>`) : nothing}
        ${d.coupons ? section('coupons', html`<coupon-manager customer-id=${p.id} theme=${this.theme} exportparts=${COUPON_PARTS}></coupon-manager>`) : nothing}
        ${d.emails
          ? section('emails', this.list(this.emails, 'detail.noEmails', (e) =>
              this.item(this.studio(e.subject), `${formatDateTime(e.sent_at, fmt)} · ${this.t(`detail.email.${e.status}`)}`)))
          : nothing}
        ${d.roles
          ? section('roles', d.roles.length
              ? html`<ul class="list">${(d.roles as { role: keyof Messages['detail']['role']; business: string }[]).map((r) =>
                  this.item(`${this.t(`detail.role.${r.role}`) || r.role} · ${r.business}`))}</ul>`
              : html`<p class="box">${this.t('detail.noRoles')}</p>`)
          : nothing}
        ${'attribution' in d ? section('attribution', this.renderAttribution(d.attribution)) : nothing}
      </div>
    `;
  }

  /**
   * The guest record's full profile, the guest records linked to this one, and other records with the
   * same email: "Customer has multiple records" starts here (seed 000). Choosing one fires
   * `ck-customer-select` for the page to open it.
   */
  private renderRelated(p: DetailProfile): TemplateResult[] {
    const groups = [
      ['detail.linked_profile', p.linked_profile ? [p.linked_profile] : []],
      ['detail.linked_guests', p.linked_guests],
      ['detail.possible_duplicates', p.possible_duplicates],
    ] as const;
    return groups
      .filter(([, records]) => records.length)
      .map(([key, records]) => html`<p part="related" class="muted">${this.t(key)}:
        ${records.map((r, i) => html`${i ? ', ' : ''}<button class="link" type="button" @click=${() => this.emit('ck-customer-select', { customerId: r.id })}>
          ${`${r.firstname} ${r.lastname}`}</button>${r.guest ? ` (${this.t('detail.guest')})` : ''}`)}</p>`);
  }

  /** Text the server wrote in the studio's language (activity, email subjects), marked as being in it. */
  private studio(text: string): TemplateResult {
    return html`<span lang=${this.data!.tenant.locale}>${text}</span>`;
  }

  private badge(label: MessageKey, warn = false): TemplateResult {
    return html`<span part="badge" class="badge ${warn ? 'badge--warn' : ''}">${warn ? html`<span aria-hidden="true">!</span>` : nothing}
      ${this.t(label)}</span>`;
  }

  /** A row of a section's list: what, its details and its kind; a pass's row has its id and more below. */
  private item(main: unknown, meta?: string, badge?: MessageKey, more?: unknown, pass?: string): TemplateResult {
    return html`<li part="item" class="item" tabindex="-1" data-pass=${pass ?? nothing}>
      <p class="row">${main}${badge ? this.badge(badge) : nothing}</p>
      ${meta ? html`<p class="muted">${meta}</p>` : nothing} ${more}
    </li>`;
  }

  /** A section's list with its empty state, its own error and retry, and "Load more" while there is a next page. */
  private list<T>(list: PagedList<T>, empty: MessageKey, row: (item: T) => TemplateResult): TemplateResult {
    const { items, busy, error } = list;
    return html`
      ${items.length
        ? html`<ul class="list" aria-busy=${busy}>${items.map(row)}</ul>`
        : busy
          ? html`${this.bars([100])}<span class="visually-hidden">${this.t('list.loadingMore')}</span>`
          : error
            ? nothing
            : html`<p class="box">${this.t(empty)}</p>`}
      ${error
        ? this.failed(error, () => list.retry())
        : list.next
          ? html`<button class="button more" type="button" aria-disabled=${busy} @click=${(e: Event) => busy || this.more(list, e)}>
              ${this.t(busy ? 'list.loadingMore' : 'list.loadMore')}
            </button>`
          : nothing}
    `;
  }

  /** The next page of a list; reading goes on at its first new row, as in `<customer-list>` (the last page takes "Load more" away). */
  private async more(list: PagedList<unknown>, event: Event): Promise<void> {
    const shown = list.items.length;
    const around = (event.currentTarget as HTMLElement).parentElement!;
    await list.load(true);
    await this.focusAfter('[part=item]', shown, around);
  }

  private renderMenu({ actions: a, coupons }: CustomerDetailData): TemplateResult | typeof nothing {
    const items = (
      [
        ['edit', 'detail.edit', a.edit_profile],
        ['add-coupon', 'coupon.add', a.add_coupon && coupons],
        ['coupons', 'detail.manageCoupons', a.manage_coupons && coupons],
        ['archive', 'detail.archive', a.archive],
        ['unarchive', 'detail.unarchive', a.unarchive],
        ['delete', 'detail.delete', a.delete],
      ] as const
    ).filter((i) => i[2]);
    return items.length
      ? html`<div class="menu" @keydown=${this.onMenuKey} @focusout=${this.onMenuFocusOut}>
          <button id="menu-button" part="menu-button" class="button" type="button" aria-haspopup="menu" aria-controls="menu"
            aria-expanded=${this.menuOpen} @click=${() => (this.menuOpen ? (this.menuOpen = false) : this.openMenu(0))}>
            ${this.t('detail.actions')} <span aria-hidden="true">▾</span>
          </button>
          <div id="menu" part="menu" role="menu" aria-labelledby="menu-button" ?hidden=${!this.menuOpen}>
            ${items.map(([action, key]) => html`<button part="menu-item" role="menuitem" type="button" tabindex="-1" data-action=${action}
              @click=${() => this.act(action)}>${this.t(key)}</button>`)}
          </div>
        </div>`
      : nothing;
  }

  /** Opens the menu with focus on its item `at`: -1 is the last, one past the last wraps to the first. */
  private async openMenu(at: number): Promise<void> {
    this.menuOpen = true;
    await this.updateComplete;
    const items = this.renderRoot.querySelectorAll<HTMLElement>('[role=menuitem]');
    items[(at + items.length) % items.length]?.focus();
  }

  /**
   * On the button (not an item, so `at` is -1), Down and Up open the menu on its first and last item; in the
   * menu, Up, Down, Home and End move through the items. Escape closes and returns to the button; Tab leaves.
   */
  private onMenuKey(event: KeyboardEvent): void {
    const { key } = event;
    const at = [...this.renderRoot.querySelectorAll('[role=menuitem]')].indexOf(event.target as Element);
    // Up from the button goes to the last item, as Up from the first does.
    const to = { ArrowDown: at + 1, ArrowUp: Math.max(at, 0) - 1, Home: 0, End: -1 }[key];
    if (key === 'Tab') this.menuOpen = false;
    else if (key === 'Escape' && this.menuOpen) {
      this.menuOpen = false;
      this.menuButton?.focus();
    } else if (to !== undefined && (at >= 0 || key.startsWith('Arrow'))) void this.openMenu(to);
    else return;
    if (key !== 'Tab') event.preventDefault();
  }

  private onMenuFocusOut(event: FocusEvent): void {
    if (!(event.currentTarget as Element).contains(event.relatedTarget as Node | null)) this.menuOpen = false;
  }

  private act(action: Action): void {
    this.menuOpen = false;
    const button = this.menuButton!;
    if (action === 'add-coupon') void this.renderRoot.querySelector<CouponManager>('coupon-manager')?.showAddDialog(button);
    else if (action === 'coupons') this.renderRoot.querySelector<HTMLElement>('#coupons-title')?.focus();
    else this.openDialog(action, button);
  }

  private renderProduct(x: Product): TemplateResult {
    const fmt = this.fmt;
    // The kinds of product that carry credits (or unlimited classes), and so a credit usage.
    const credits = ['pass', 'membership', 'bundle'].includes(x.product.kind);
    const status = x.payment_status === 'pending' || x.payment_status === 'failed' ? `detail.pay.${x.payment_status}` as const
      : x.status !== 'active' ? `detail.pass.${x.status}` as const : undefined;
    const meta = [this.t(`detail.kind.${x.product.kind}`), formatMoney(x.amount, fmt, x.currency), this.t(`detail.channel.${x.channel}`),
      formatDate(x.purchased_at, fmt)];
    const date = formatEnd(x.expires_at, fmt);
    const total = x.credits_total;
    const left = x.credits_left ?? 0;
    const facts = [
      total !== null
        ? this.t('detail.credits', { left: formatNumber(left, fmt), total: formatNumber(total, fmt) })
        : credits && x.unlimited ? this.t('detail.unlimited') : '',
      date ? this.t(x.status === 'expired' ? 'credit.expiredOn' : 'credit.validUntil', { date }) : credits ? this.t('credit.noExpiry') : '',
    ];
    return this.item(html`<strong>${x.product.name}</strong>`, meta.join(' · '), status, html`
      ${total !== null ? html`<span class="bar" .style=${`--v:${total ? Math.min(1, left / total) : 0}`}></span>` : nothing}
      <div class="row spread">
        <span>${facts.filter(Boolean).join(' · ')}</span>
        ${credits
          // Named with the product and its purchase date, which tells two passes of one product apart.
          ? html`<button class="button" type="button" @click=${(e: Event) => this.openDialog('usage', e.currentTarget as HTMLElement, x)}>
              ${this.t('detail.viewUsage')}<span class="visually-hidden">: ${x.product.name}, ${meta[3]}</span>
            </button>`
          : nothing}
      </div>`, x.id);
  }

  private renderHistory(): TemplateResult {
    return html`
      <div role="tablist" aria-label=${this.t('detail.history')} @keydown=${this.onTabKey}>
        ${[false, true].map((past) => html`<button id="tab-${past}" role="tab" type="button" aria-selected=${this.past === past}
          aria-controls="history-panel" tabindex=${this.past === past ? 0 : -1} @click=${() => this.showTab(past)}>
          ${this.t(past ? 'detail.past' : 'detail.upcoming')}
        </button>`)}
      </div>
      <div id="history-panel" role="tabpanel" tabindex="0" aria-labelledby="tab-${this.past}">
        ${this.list(this.history, 'detail.noBookings', (b) => this.renderBooking(b))}
      </div>
    `;
  }

  private renderBooking(b: Booking): TemplateResult {
    const when = formatDateTime(b.class.starts_at, this.fmt);
    const started = Date.parse(b.class.starts_at) <= Date.now();
    return this.item(html`<strong>${b.class.name}</strong>`,
      [when, b.class.facilitator, b.class.location, b.pass?.product_name].filter(Boolean).join(' · '),
      // A booked class that has begun waits for the studio to mark it attended or a no-show: no longer cancellable.
      `detail.booking.${b.status === 'booked' && started ? 'started' : b.status}`,
      b.free_cancel_until && !started && this.data?.actions.book
        ? html`<p><button class="button" type="button" @click=${(e: Event) => this.openDialog('cancel', e.currentTarget as HTMLElement, undefined, b)}>
            ${this.t('detail.cancel')}<span class="visually-hidden">: ${b.class.name}, ${when}</span>
          </button></p>`
        : nothing);
  }

  private showTab(past: boolean): void {
    if (this.past === past) return;
    this.past = past;
    void this.history.load();
  }

  /** Left, Right, Home and End switch between the two tabs, and focus follows. */
  private async onTabKey(event: KeyboardEvent): Promise<void> {
    const past = { ArrowLeft: !this.past, ArrowRight: !this.past, Home: false, End: true }[event.key];
    if (past === undefined) return;
    event.preventDefault();
    this.showTab(past);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`#tab-${this.past}`)?.focus();
  }

  private renderActivity(): TemplateResult {
    const fmt = this.fmt;
    const group = (type: string) => KINDS.find((k) => ACTIVITY[k].split(',').includes(type)) ?? 'profile';
    return html`
      <div class="field filter">
        <label for="kind">${this.t('form.show')}</label>
        <select id="kind" class="input" @change=${this.onKind}>
          ${KINDS.map((k) => html`<option value=${k} .selected=${k === this.kind}>${this.t(`detail.type.${k}`)}</option>`)}
        </select>
      </div>
      ${this.list(this.activity, 'detail.noActivity', (a) => this.item(this.studio(a.summary),
        `${formatDateTime(a.occurred_at, fmt)}${a.actor ? ` · ${this.t('credit.by', { name: a.actor.name ?? a.actor.id })}` : ''}`,
        `detail.type.${group(a.type)}`))}
    `;
  }

  private onKind(event: Event): void {
    this.kind = (event.target as HTMLSelectElement).value as Kind;
    if (this.kind === 'all') this.activity.seed(this.data?.activity);
    else void this.activity.load();
  }

  private renderNotes(write: boolean): TemplateResult {
    return html`
      ${write
        ? html`<form class="field" novalidate @submit=${this.addNote}>
            ${this.field('note', this.t('detail.newNote'), this.noteError, { type: 'textarea' })}
            <p><button class="button" type="submit">${this.t('detail.addNote')}</button></p>
          </form>`
        : nothing}
      ${this.list(this.notes, 'detail.noNotes', (n) =>
        this.item(html`<span class="note">${n.body}</span>`, `${n.author.name} · ${formatDateTime(n.created_at, this.fmt)}`))}
    `;
  }

  /** Adds a note; an empty or refused note leaves focus on the field, which its error describes. */
  private async addNote(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const input = form.elements.namedItem('note') as HTMLTextAreaElement;
    const body = { body: input.value.trim() };
    const path = this.path('/notes');
    this.noteError = body.body ? '' : this.t('detail.noteEmpty');
    if (this.noteSaving) return;
    if (body.body) {
      this.noteSaving = true;
      try {
        await this.noteKey.send(path, body, (headers) => this.kit.client.post<Note>(path, body, { headers }));
        form.reset();
        // The notes and the recent activity ("Note added") as the server has them now.
        await this.reload();
        this.announce(this.t('detail.noteAdded'));
        return;
      } catch (error) {
        this.noteError = fieldError(error, input, 'body') ?? this.errorText(error);
      } finally {
        this.noteSaving = false;
      }
    }
    await this.updateComplete;
    input.focus();
  }

  private renderAttribution(a: CustomerDetailData['attribution']): TemplateResult {
    return a
      ? html`<dl>
          ${(['source', 'campaign', 'referrer', 'first_touch'] as const)
            .filter((k) => a[k])
            .map((k) => html`<dt>${this.t(`detail.${k}`)}</dt><dd>${k === 'first_touch' ? formatDate(a[k], this.fmt) : a[k]}</dd>`)}
        </dl>`
      : html`<p class="box">${this.t('detail.noAttribution')}</p>`;
  }

  /** One dialog for every action: the credit usage of a pass, the profile form, or a reason to archive or delete. */
  private renderDialog(): TemplateResult {
    const { mode, dialog } = this;
    const { errors } = dialog;
    return html`<dialog part="dialog" aria-labelledby="dialog-title" @close=${this.onClose}>
      ${mode === 'usage'
        ? html`<form class="row spread head" method="dialog">
              <h2 id="dialog-title">${this.t('detail.usage')}: ${this.pass!.product.name}</h2>
              <button class="button">${this.t('waiver.close')}</button>
            </form>
            <credit-usage customer-id=${this.customerId} pass-id=${this.pass!.id} theme=${this.theme} exportparts=${USAGE_PARTS}></credit-usage>`
        : this.dialogForm(dialog, {
            title: mode ? `${this.t(`detail.${mode}`)}: ${this.name}` : '',
            submit: this.t(mode === 'edit' || !mode ? 'detail.save' : `detail.${mode}`),
            danger: mode === 'delete' || mode === 'cancel',
            dismiss: mode === 'cancel' ? this.t('detail.keep') : undefined,
            onSubmit: this.onSubmit,
          }, html`
            ${this.stale
              ? html`<div class="box" role="alert">
                  <p>${this.t('detail.stale')}</p>
                  <button class="button" type="button" @click=${this.loadTheirs}>${this.t('detail.reload')}</button>
                </div>`
              : nothing}
            ${mode === 'edit'
              ? PROFILE_FIELDS.map(([f, type]) => this.field(f, this.t(`customer.${f}`), errors[f], { type, optional: f === 'mobile', value: this.data?.profile[f] ?? '' }))
              : mode === 'cancel' ? this.renderCancel(errors.reason)
              : html`${mode === 'delete' ? html`<p>${this.t('detail.deleteHint')}</p>` : nothing}
                  ${this.field('reason', this.t('form.reason'), errors.reason, { type: 'textarea', hint: this.t('form.reasonHint') })}`}
          `)}
    </dialog>`;
  }

  /**
   * What cancelling the booking costs: free until the studio's deadline, the credits kept after it. Staff
   * who may change credits can give them back anyway with a reason (the server writes it to the audit log).
   */
  private renderCancel(error?: string): TemplateResult {
    const b = this.booking!;
    const fmt = this.fmt;
    const until = formatDateTime(b.free_cancel_until!, fmt);
    return html`<p><strong>${b.class.name}</strong> · ${formatDateTime(b.class.starts_at, fmt)}</p>
      ${this.returns(b)
        ? this.late
          ? html`<p>${this.t('detail.cancelLate', { until })}</p>
              ${this.data?.actions.adjust_credits
                ? html`<label class="check"><input id="waive" type="checkbox" .checked=${this.waive}
                      @change=${(e: Event) => (this.waive = (e.target as HTMLInputElement).checked)} />
                    ${this.t('detail.waive')}</label>
                    ${this.waive ? this.field('reason', this.t('form.reason'), error, { type: 'textarea', hint: this.t('form.reasonHint') }) : nothing}`
                : nothing}`
          : html`<p>${this.t('detail.cancelFree', { until })}</p>`
        : nothing}`;
  }

  /** Whether cancelling can give credits back: the booking spent some, from a pass neither refunded nor expired. */
  private returns(b: Booking): boolean {
    return b.credits_used > 0 && !['refunded', 'expired'].includes(b.pass?.status ?? '');
  }

  /** Opens the dialog: the credit usage of `pass`, a booking to cancel, or a form that starts from the customer as last read. */
  private openDialog(mode: Mode, opener: HTMLElement, pass?: Product, booking?: Booking): void {
    this.mode = mode;
    this.pass = pass;
    this.booking = booking;
    // Late by this browser's clock; the server has the last word (see `only_if_free`).
    this.late = !!booking && Date.parse(booking.free_cancel_until!) < Date.now();
    this.waive = false;
    this.stale = false;
    void this.dialog.open(opener);
  }

  /** After a 412: read the customer again and show their version in the form. */
  private async loadTheirs(): Promise<void> {
    await this.reload();
    this.stale = false;
    await this.updateComplete;
    this.dialog.form?.reset();
    this.renderRoot.querySelector<HTMLElement>('#firstname')?.focus();
  }

  /** Also after Escape. Focus goes back to what opened the dialog, or to the pass or the actions menu. */
  private async onClose(): Promise<void> {
    if (await this.dialog.closed()) this.mode = undefined;
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const { mode, data, dialog } = this;
    // While a change is saving, `dialog.send` refuses another.
    if (!mode || !data) return;
    const value = (name: Field) => dialog.value(name);
    const errors = dialog.browserErrors((key) => this.t(key));
    const { booking, late, waive } = this;
    // The server's minimum for a reason; cancelling asks for one only to give the credits back.
    if ((mode === 'cancel' ? waive : mode !== 'edit') && value('reason').length < 5) errors.reason = this.t('form.reasonShort');
    if (Object.keys(errors).length) return dialog.invalid(errors, this.t('form.checkFields'));

    const profile = { firstname: value('firstname'), lastname: value('lastname'), email: value('email'), mobile: value('mobile') || null };
    const reason = value('reason');
    const [method, path, body] =
      mode === 'edit' ? ['PUT', this.path('/profile'), profile]
      // Shown as free, it is cancelled only while it still is.
      : mode === 'cancel' ? ['POST', this.path(`/bookings/${booking!.id}/cancel`),
          late ? (waive ? { waive_late_fee: true, reason } : {}) : { only_if_free: this.returns(booking!) }]
      : mode === 'delete' ? ['DELETE', this.path(), { reason }]
      : ['PATCH', this.path(), { archived: mode === 'archive', reason }];
    const customerId = data.profile.id;
    const name = this.name;
    const saved = await dialog.send(
      path,
      body,
      // The customer's version guards changes to the customer, not to one of their bookings.
      (headers) => this.kit.client.request<CancelledBooking>(method, path, { body, headers: mode === 'cancel' ? headers : { ...headers, 'If-Match': data.profile.etag } }),
      (error, fields) => {
        // A 412: someone saved the customer since it was read; the form offers to load their version.
        this.stale = error instanceof ApiError && error.status === 412;
        if (mode === 'cancel' && error instanceof ApiError && error.status === 422) {
          // Free cancellation has just ended (late now: the waiver shows), or the booking is no longer open: show it as it is now.
          this.late ||= !!(error.details?.rules as Rule[] | undefined)?.some((r) => r.rule === 'free_window_open');
          void this.history.load().then(() => (this.booking = this.history.items.find((b) => b.id === booking!.id) ?? booking));
        }
        return this.stale ? '' : this.explain(error, fields);
      },
    );
    if (!saved) return;
    if (mode === 'cancel') {
      // The stats, credits and activity change too.
      void this.reload();
      await this.history.load();
      const { id, status, credits_returned } = saved.data;
      this.announce(this.t('detail.cancelled', { returned: credits_returned }));
      // Focus has gone to the bookings list: the dialog's fallback once the cancelled row left it.
      this.emit('ck-booking-cancelled', { customerId, bookingId: id, status, creditsReturned: credits_returned });
      return;
    }
    if (mode === 'delete') {
      this.announce((this.gone = this.t('detail.deleted', { name })));
      this.emit('ck-customer-deleted', { customerId });
      return;
    }
    await this.reload();
    this.announce(this.t('detail.saved'));
    if (mode === 'edit') this.emit('ck-customer-updated', { customerId, profile: { id: customerId, type: 'customer', ...profile } });
    else this.emit('ck-customer-archived', { customerId, archived: mode === 'archive' });
  }
}
