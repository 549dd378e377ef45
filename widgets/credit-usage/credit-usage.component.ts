import { initialState, Task, TaskStatus } from '@lit/task';
import { html, nothing, type PropertyDeclarations, type PropertyValues, svg, type TemplateResult } from 'lit';
import type { ApiClient } from '../core/api-client.ts';
import { ApiError } from '../core/api-error.ts';
import type { KitSession } from '../core/api-types.ts';
import { FormDialog } from '../core/form-dialog.ts';
import { formatDate, formatDateTime, formatEnd, formatNumber, localDate, type FormatContext } from '../core/format.ts';
import { KitElement } from '../core/kit-element.ts';
import { KitTask } from '../core/kit-task.ts';
import type { MessageKey } from '../core/localize.ts';
import { can, loadSession } from '../core/session.ts';
import { shared, tokens } from '../core/styles.ts';
import {
  fetchCsv,
  type ActivityItem,
  type Adjustment,
  type CreditSummary,
  type CreditUsageReply,
  type LedgerEntry,
  type Pass,
  type UsageFilter,
} from './credit-usage.api.ts';
import type {} from './credit-usage.events.ts';
import styles from './credit-usage.styles.ts';

type UsageArgs = readonly [client: ApiClient, customerId: string, passId: string, filter: UsageFilter, cycle: number, limit: number];
/** What the element shows of an answer: not the whole pass's summary (`pass_summary`). */
type Usage = Omit<CreditUsageReply, 'pass_summary'>;
type Mode = 'adjust' | 'expiry';
/** The dialog's fields, named as the API's body names them so that its field errors land on them. */
type Field = 'delta' | 'expires_at' | 'reason';

const FILTERS: UsageFilter[] = ['all', 'booking', 'free_cancellation', 'manual', 'rollover', 'expiry'];
/** Activity that explains a pass's credits, shown as evidence in the dialogs (of that pass only). */
const EVIDENCE = 'booked,cancelled,attended,no_show,purchased,refunded,credits_added,credits_removed,credits_expired,credits_rolled_over,expiry_changed';

/**
 * @summary Where a pass's credits went (seed 001): the summary that adds up, the ledger filtered by
 * kind and cycle, a per-cycle chart for memberships, CSV export, and the staff actions "Adjust
 * credits" and "Change expiry" with a reason.
 *
 * @tag credit-usage
 *
 * @fires {CustomEvent<CreditsAdjustedDetail>} ck-credits-adjusted - Credits were added or removed. `detail: { passId, creditsLeft, delta }`.
 * @fires {CustomEvent<PassExpiryChangedDetail>} ck-pass-expiry-changed - The pass's expiry was changed. `detail: { passId, expiresAt }`.
 *
 * @csspart base - The wrapper of everything.
 * @csspart header - The pass name, its validity and the action buttons.
 * @csspart export-button - The "Export CSV" button.
 * @csspart adjust-button - The "Adjust credits" button (with the `credits:write` capability).
 * @csspart expiry-button - The "Change expiry" button (with the `credits:write` capability).
 * @csspart summary - The list of summary cards, laid out as an equation.
 * @csspart card - One summary card; also `card--total` for "Credits left".
 * @csspart filters - The toggle group of filter chips.
 * @csspart chip - A filter chip; `aria-pressed="true"` on the chosen one.
 * @csspart cycle-select - The membership cycle picker.
 * @csspart chart - The per-cycle bar chart (an inline SVG; its data is also in a visually hidden table).
 * @csspart table - The ledger table; where the element is narrower than 32rem, each entry is a stacked block (date and change, type and balance, details).
 * @csspart entry - A ledger row; also, by type, `entry--grant`, `entry--booking`, `entry--free_cancellation`, `entry--manual`,
 *   `entry--rollover`, `entry--expiry`, `entry--void`.
 * @csspart empty - The message shown when no entry matches the filter.
 * @csspart error - An error message and its retry button.
 * @csspart retry-button - The "Try again" button.
 * @csspart load-more - The "Load older entries" button.
 * @csspart status - The visually hidden live region that announces results and changes.
 * @csspart dialog - The native `<dialog>` of the staff actions.
 * @csspart form - The dialog's form.
 * @csspart evidence - The pass's recent activity shown in the dialog.
 * @csspart field - One label, input, hint and error of the dialog (credits, date, reason).
 * @csspart input - A field's input (credits, date, reason).
 * @csspart preview - The live preview of the new balance or expiry.
 * @csspart field-error - A field's error message.
 * @csspart submit-button - The dialog's confirm button.
 * @csspart cancel-button - The dialog's cancel button.
 *
 * @cssproperty --ck-font-family - The font. Default: the system UI font.
 * @cssproperty --ck-font-size - The base text size. Default: `0.9375rem`.
 * @cssproperty --ck-radius - The corner radius of cards, chips, buttons and the dialog. Default: `6px`.
 * @cssproperty --ck-space - The base spacing unit. Default: `0.5rem`.
 * @cssproperty --ck-color-surface - The background.
 * @cssproperty --ck-color-surface-muted - Summary cards and the table header.
 * @cssproperty --ck-color-text - The text colour.
 * @cssproperty --ck-color-text-muted - Secondary text (actors, cycles, hints).
 * @cssproperty --ck-color-border - Card and table rules.
 * @cssproperty --ck-color-border-strong - Field, chip and button borders (3:1 against the surface).
 * @cssproperty --ck-color-accent - Primary buttons, the chosen chip, "Credits left" and the chart's starting credits.
 * @cssproperty --ck-color-on-accent - Text on the accent colour.
 * @cssproperty --ck-color-danger - Errors, credits taken away, the chart's expired credits.
 * @cssproperty --ck-color-success - Credits given back, the chart's rollover credits.
 * @cssproperty --ck-color-selected - The chosen cycle in the chart.
 * @cssproperty --ck-color-hover - A hovered chip or button.
 * @cssproperty --ck-color-focus - The focus ring.
 * @cssproperty --ck-color-skeleton - Loading placeholders.
 * @cssproperty --ck-color-backdrop - Behind the open dialog.
 */
export class CreditUsage extends KitElement {
  static override styles = [tokens, shared, styles];

  static override properties: PropertyDeclarations = {
    customerId: { attribute: 'customer-id' },
    passId: { attribute: 'pass-id' },
    filter: {},
    cycle: { type: Number },
    pageSize: { type: Number, attribute: 'page-size' },
    data: { state: true },
    entries: { state: true },
    mode: { state: true },
    draft: { state: true },
  };

  /** The customer who owns the pass; without it (or `passId`) the element is empty. */
  customerId = '';

  /** The pass (a customer's purchased product) to show. */
  passId = '';

  /** Which entries to list: `all` (the default), `booking`, `free_cancellation`, `manual`, `rollover` or `expiry`. */
  filter: UsageFilter = 'all';

  /** A membership's cycle to show on its own (summary and entries); 0 for all cycles. */
  cycle = 0;

  /** Entries per page, 1–100. */
  pageSize = 25;

  /** The last answer: pass, summary and cycles. */
  private data: Usage | undefined;
  private entries: LedgerEntry[] = [];
  // Set by the tasks only, whose completion renders: not reactive.
  private nextCursor: string | null = null;
  private session: KitSession | undefined;
  /** The open dialog's action. */
  private mode: Mode | undefined;
  /** The credits or date typed in the dialog, for the live preview. */
  private draft = '';

  /** The arguments of the answer on screen (set with `data`), for older entries, export and evidence. */
  private args: UsageArgs | undefined;
  private readonly dialog = new FormDialog<Field>(this);

  private readonly usage = new KitTask(this, {
    task: async (args: UsageArgs, { signal }) => {
      const [client, customerId, passId] = args;
      if (!customerId || !passId) return initialState;
      this.more.abort();
      const [session, page] = await Promise.all([loadSession(client).catch(() => undefined), fetchPage(args, signal)]);
      signal.throwIfAborted();
      this.args = args;
      this.session = session;
      this.data = page.data;
      this.show(page.data.entries, page.nextCursor);
    },
    args: (): UsageArgs => [
      this.kit.client,
      this.customerId,
      this.passId,
      this.filter,
      this.cycle || 0,
      Math.min(100, Math.max(1, Math.round(this.pageSize) || 25)),
    ],
  });

  private readonly more = new KitTask(this, {
    autoRun: false,
    task: async ([cursor]: readonly [string], { signal }) => {
      const page = await fetchPage(this.args!, signal, cursor);
      signal.throwIfAborted();
      const seen = new Set(this.entries.map((e) => e.id));
      this.show([...this.entries, ...page.data.entries.filter((e) => !seen.has(e.id))], page.nextCursor);
    },
  });

  /** Downloads the CSV of the entries shown (the same filter and cycle). */
  private readonly export = new Task(this, {
    autoRun: false,
    task: async ([client, customerId, passId, type, cycle]: UsageArgs) => {
      const { blob, file } = await fetchCsv(client, `${passPath(customerId, passId)}/credit-usage.csv`, { type, cycle: cycle || undefined });
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = file;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      this.announce(this.t('credit.exported', { file }));
    },
  });

  /** The pass's recent activity (or, without `activity:read`, its recent ledger entries) for the dialog. */
  private readonly evidence = new KitTask(this, {
    autoRun: false,
    task: async ([client, customerId, passId]: UsageArgs, { signal }) => {
      if (can(this.session, 'activity:read')) {
        const { data } = await client.get<ActivityItem[]>(`customer/${encodeURIComponent(customerId)}/activity`, { query: { limit: 5, type: EVIDENCE, pass_id: passId }, signal });
        return data.map((a) => [a.occurred_at, a.summary] as const);
      }
      const { data } = await client.get<CreditUsageReply>(`${passPath(customerId, passId)}/credit-usage`, { query: { limit: 5 }, signal });
      return data.entries.map((e) => [e.occurred_at, this.describe(e)] as const);
    },
  });

  override render(): unknown {
    // No customer or pass: nothing to show or do (no request either).
    return this.customerId && this.passId && html`
      <div part="base" class="base" lang=${this.kit.lang}>
        ${this.data
          ? this.renderUsage(this.data)
          : this.usage.render({
              pending: () => html`<div class="loading" aria-busy="true">
                ${this.bars([40, 100, 100, 80, 65])}<span class="visually-hidden">${this.t('credit.loading')}</span>
              </div>`,
              error: (error) => this.failed(error, () => this.reload(), 'credit.error'),
            })}
        ${this.renderStatus()}
        ${this.renderDialog()}
      </div>
    `;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Another pass: never show the previous one's numbers while the new one loads.
    if (changed.has('passId') || changed.has('customerId')) this.data = undefined;
    // A removed attribute (null), or a property set to undefined (React dropping a prop), means the default.
    this.filter ||= 'all';
  }

  /** Loads summary and entries again from the server (keeps filter and cycle). */
  reload(): void {
    this.usage.run();
  }

  /** Lists `entries` and announces how many are shown and whether older ones remain. */
  private show(entries: LedgerEntry[], nextCursor: string | null): void {
    this.entries = entries;
    this.nextCursor = nextCursor;
    this.announce(this.t('credit.shown', { count: entries.length, more: !!nextCursor }));
  }

  private get fmt(): FormatContext {
    return { locale: this.kit.locale, timeZone: this.session?.tenant.timezone };
  }

  private num(n: number, sign = false): string {
    return formatNumber(n, this.fmt, { signDisplay: sign ? 'exceptZero' : 'auto' });
  }

  private renderUsage(data: Usage): TemplateResult {
    const { pass } = data;
    const writable = can(this.session, 'credits:write') && pass.status !== 'refunded' && pass.status !== 'cancelled';
    // The staff actions; a pass without credits (unlimited, or a gift card) or expired has none to adjust.
    const actions: Mode[] = !writable ? [] : pass.credits_left === null || pass.status === 'expired' ? ['expiry'] : ['adjust', 'expiry'];
    const expires = formatEnd(pass.expires_at, this.fmt, true);
    const exporting = this.export.status === TaskStatus.PENDING;
    return html`
      <div part="header" class="header">
        <div>
          <strong class="title">${pass.product.name}</strong>
          <span class="muted">
            ${expires ? this.t(pass.status === 'expired' ? 'credit.expiredOn' : 'credit.validUntil', { date: expires }) : this.t('credit.noExpiry')}
          </span>
        </div>
        <div class="actions">
          <button part="export-button" class="button" type="button" aria-disabled=${exporting}
            @click=${() => exporting || this.export.run(this.args!)}>
            ${this.t(exporting ? 'credit.exporting' : 'credit.export')}
          </button>
          ${actions.map(
            (mode) => html`<button part="${mode}-button" class="button" type="button" @click=${(e: Event) => this.openDialog(mode, e)}>
              ${this.t(mode === 'adjust' ? 'credit.adjust' : 'credit.changeExpiry')}
            </button>`,
          )}
        </div>
        ${this.export.render({
          error: (error) => html`<p class="error-text notice" role="alert">${this.t('credit.exportFailed')} ${this.errorText(error)}</p>`,
        })}
      </div>
      ${pass.credits_left === null
        ? html`<p part="empty" class="box">${this.t(pass.unlimited ? 'credit.unlimited' : 'credit.noCredits')}</p>`
        : html`${this.renderSummary(data.summary)}
            <div class="controls">
              <div part="filters" class="chips" role="group" aria-label=${this.t('form.show')}>
                ${FILTERS.map(
                  (f) => html`<button
                    part="chip"
                    class="button chip ${f === this.filter ? 'button--primary' : ''}"
                    type="button"
                    aria-pressed=${f === this.filter}
                    @click=${() => (this.filter = f)}
                  >
                    ${this.t(`credit.filter.${f}`)}
                  </button>`,
                )}
              </div>
              ${data.cycles.length ? this.renderCyclePicker(data) : nothing}
            </div>
            ${data.cycles.length > 1 ? this.renderChart(data) : nothing} ${this.renderList()}`}
    `;
  }

  /** The cards in the order of the identity, each with its operator, so the numbers visibly add up. */
  private renderSummary(s: CreditSummary): TemplateResult {
    const terms = [
      ['', 'starting', s.starting_credits],
      ['minus', 'booked', s.total_booked],
      ['plus', 'free', s.free_cancellations],
      ['plus', 'rollover', s.rollover_credits],
      [s.manual_changes < 0 ? 'minus' : 'plus', 'manual', Math.abs(s.manual_changes)],
      ['minus', 'expired', s.expired],
      // Only a refund voids credits.
      ...(s.voided ? ([['minus', 'voided', s.voided]] as const) : []),
      ['equals', 'left', s.credits_left ?? 0],
    ] as const;
    return html`<ul part="summary" class="summary" aria-label=${this.t('credit.summary')}>
      ${terms.map(
        ([op, term, value]) => html`<li part=${term === 'left' ? 'card card--total' : 'card'} class="card" data-term=${term}>
          ${op
            ? html`<span class="op" data-op=${op}
                ><span aria-hidden="true">${{ plus: '+', minus: '−', equals: '=' }[op]}</span
                ><span class="visually-hidden">${this.t(`credit.${op}`)}</span></span
              >`
            : nothing}
          <span class="label">${this.t(`credit.${term}`)}</span>
          <span class="value">${this.num(value)}</span>
        </li>`,
      )}
    </ul>`;
  }

  private renderCyclePicker(data: Usage): TemplateResult {
    const fmt = this.fmt;
    // `.selected`, not `?selected` (an attribute no longer selects once the user has chosen): the cycle the page sets shows.
    return html`<div class="field cycle">
      <label for="cycle">${this.t('credit.cycle')}</label>
      <select id="cycle" part="cycle-select" class="input" @change=${(e: Event) => (this.cycle = Number((e.target as HTMLSelectElement).value))}>
        <option value="0" .selected=${!this.cycle}>${this.t('credit.allCycles')}</option>
        ${data.cycles.map(
          (c) => html`<option value=${c.number} .selected=${c.number === this.cycle}>
            ${this.t('credit.cycleOption', { n: c.number, from: formatDate(c.start, fmt), to: formatEnd(c.end, fmt), current: c.current })}
          </option>`,
        )}
      </select>
    </div>`;
  }

  /** Starting credits, total booked, rollover and expired per cycle, oldest first; the table is its text alternative. */
  private renderChart(data: Usage): TemplateResult {
    const cycles = [...data.cycles].reverse();
    const bars = (s: CreditSummary) => [s.starting_credits, s.total_booked, s.rollover_credits, s.expired];
    const max = Math.max(1, ...cycles.flatMap((c) => bars(c.summary)));
    const series: MessageKey[] = ['credit.starting', 'credit.booked', 'credit.rollover', 'credit.expired'];
    return html`<figure part="chart" class="chart">
      <figcaption>${this.t('credit.chart')}</figcaption>
      <svg viewBox="0 0 ${cycles.length * 5} 100" preserveAspectRatio="none" aria-hidden="true">
        ${cycles.map(
          (c, i) => svg`${c.number === this.cycle ? svg`<rect class="picked" x=${i * 5} width="5" height="100"></rect>` : nothing}
            ${bars(c.summary).map((v, j) => svg`<rect class="bar bar-${j}" x=${i * 5 + j + 0.5} y=${100 - (v / max) * 96} width="0.9" height=${(v / max) * 96}></rect>`)}`,
        )}
      </svg>
      <div class="ticks" aria-hidden="true">${cycles.map((c) => html`<span>${c.number}</span>`)}</div>
      <ul class="legend" aria-hidden="true">
        ${series.map((key, j) => html`<li><i class="bar-${j}"></i>${this.t(key)}</li>`)}
      </ul>
      <div class="visually-hidden"><table>
        <caption>${this.t('credit.chart')}</caption>
        <tr>
          <th scope="col">${this.t('credit.cycle')}</th>
          ${series.map((key) => html`<th scope="col">${this.t(key)}</th>`)}
        </tr>
        ${cycles.map(
          (c) => html`<tr>
            <th scope="row">${c.number}</th>
            ${bars(c.summary).map((v) => html`<td>${this.num(v)}</td>`)}
          </tr>`,
        )}
      </table></div>
    </figure>`;
  }

  private renderList(): TemplateResult {
    const status = this.usage.status;
    if (status === TaskStatus.ERROR) return this.failed(this.usage.error, () => this.reload(), 'credit.error');
    const loading = status === TaskStatus.PENDING;
    if (!loading && !this.entries.length) return html`<p part="empty" class="box">${this.t('credit.empty')}</p>`;
    const fmt = this.fmt;
    return html`
      <div class="table-wrap">
        <table part="table" aria-busy=${loading}>
          <caption class="visually-hidden">${this.t(`credit.filter.${this.filter}`)}</caption>
          <thead>
            <tr>
              ${(['date', 'type', 'change', 'balance', 'details'] as const).map(
                (c) => html`<th scope="col" class="col-${c}">${this.t(`credit.col.${c}`)}</th>`,
              )}
            </tr>
          </thead>
          <tbody>
            ${loading
              ? this.bars([70, 55, 80, 60]).map((bar) => html`<tr aria-hidden="true"><td colspan="5">${bar}</td></tr>`)
              : this.entries.map(
                  (e) => html`<tr part="entry entry--${e.type}" data-id=${e.id} data-type=${e.type} tabindex="-1">
                    <td class="col-date">${formatDateTime(e.occurred_at, fmt)}</td>
                    <td>${this.t(`credit.type.${e.type}`)}</td>
                    <td class="col-change ${e.delta < 0 ? 'minus' : 'plus'}">${this.num(e.delta, true)}</td>
                    <td class="col-balance" data-label=${this.t('credit.col.balance')}>${this.num(e.balance_after)}</td>
                    <td>${this.details(e)}</td>
                  </tr>`,
                )}
          </tbody>
        </table>
      </div>
      ${this.more.render({ error: (error) => html`<p class="error-text" role="alert">${this.errorText(error)}</p>` })}
      ${this.nextCursor && !loading
        ? html`<button part="load-more" class="button more" type="button" @click=${this.loadOlder}>
            ${this.t(this.more.status === TaskStatus.PENDING ? 'credit.loadingOlder' : 'credit.loadOlder')}
          </button>`
        : nothing}
    `;
  }

  /** The class booked, the reason and who did it, and the cycle when all cycles are shown. */
  private details(e: LedgerEntry): TemplateResult {
    return html`${this.classAt(e)} ${e.reason}
    ${e.actor ? html`<span class="muted">${this.t('credit.by', { name: e.actor.name ?? e.actor.id })}</span>` : nothing}
    ${e.cycle && !this.cycle ? html`<span class="muted">${this.t('credit.cycleN', { n: e.cycle })}</span>` : nothing}`;
  }

  /** The class an entry booked or gave back, and when it was; '' for other entries. */
  private classAt({ booking }: LedgerEntry): string {
    return booking ? this.t('credit.classAt', { name: booking.class_name, at: formatDateTime(booking.class_starts_at, this.fmt) }) : '';
  }

  /** One line of plain text for an entry (the dialog's evidence without `activity:read`). */
  private describe(e: LedgerEntry): string {
    const what = this.classAt(e) || e.reason;
    return `${this.t(`credit.type.${e.type}`)} ${this.num(e.delta, true)} → ${this.num(e.balance_after)}${what ? `: ${what}` : ''}`;
  }

  private renderDialog(): TemplateResult {
    const { mode, dialog } = this;
    const pass = this.data?.pass;
    const adjust = mode === 'adjust';
    const value: Field = adjust ? 'delta' : 'expires_at';
    // What is typed gets its preview at once, or why it cannot be confirmed.
    const typed = mode && pass && this.draft;
    const refusal = typed ? this.draftError() : '';
    const preview = refusal || (typed ? this.preview() : '');
    return html`<dialog part="dialog" aria-labelledby="dialog-title" @close=${this.onClose}>
      ${mode && pass
        ? this.dialogForm(
            dialog,
            { title: `${this.t(adjust ? 'credit.adjust' : 'credit.changeExpiry')}: ${pass.product.name}`, submit: this.t('credit.confirm'), onSubmit: this.onSubmit },
            html`<section part="evidence" class="evidence" aria-labelledby="evidence-title">
                <h3 id="evidence-title">${this.t('credit.evidence')}</h3>
                ${this.evidence.render({
                  pending: () => this.bars([100]),
                  complete: (items) =>
                    items.length
                      ? html`<ul>
                          ${items.map(([at, text]) => html`<li><span class="muted">${formatDateTime(at, this.fmt)}</span> ${text}</li>`)}
                        </ul>`
                      : html`<p class="muted">${this.t('credit.noEvidence')}</p>`,
                  error: (error) => html`<p class="error-text">${this.errorText(error)}</p>`,
                })}
              </section>
              ${this.field(value, this.t(adjust ? 'credit.delta' : 'credit.validThrough'), dialog.errors[value], {
                type: adjust ? 'number' : 'date',
                min: adjust ? undefined : this.firstDay,
                hint: this.t(adjust ? 'credit.deltaHint' : 'credit.validThroughHint'),
                value: this.draft,
                input: (e) => (this.draft = (e.target as HTMLInputElement).value),
              })}
              <output part="preview" for=${value} class=${dialog.errors[value] || refusal ? 'error-text' : ''}
                >${preview}</output
              >
              ${this.field('reason', this.t('form.reason'), dialog.errors.reason, { type: 'textarea', hint: this.t('form.reasonHint') })}`,
          )
        : nothing}
    </dialog>`;
  }

  /** Why the typed credits or date cannot be confirmed; '' when they can. */
  private draftError(): string {
    // A date input's value is a whole date (YYYY-MM-DD) or empty; the server refuses an expiry before the pass starts.
    if (this.mode === 'expiry') return !this.draft ? this.t('credit.dateInvalid') : this.draft < this.firstDay ? this.t('rule.expiry_after_start') : '';
    const delta = Number(this.draft);
    const left = this.data!.pass.credits_left ?? 0;
    if (!Number.isInteger(delta) || !delta) return this.t('credit.deltaInvalid');
    return left + delta < 0 ? this.t('credit.belowZero', { left: this.num(left) }) : '';
  }

  /** The first day the pass may be valid through: the day it starts, in the studio's timezone. */
  private get firstDay(): string {
    return localDate(new Date(this.data!.pass.starts_at), this.fmt.timeZone);
  }

  /** The new balance or expiry that the typed credits or date would give. */
  private preview(): string {
    const pass = this.data!.pass;
    if (this.mode === 'adjust') {
      const left = pass.credits_left ?? 0;
      return this.t('credit.preview', { from: this.num(left), to: this.num(left + Number(this.draft)) });
    }
    const from = formatEnd(pass.expires_at, this.fmt, true) || this.t('credit.noExpiry');
    const to = formatDate(`${this.draft}T12:00:00Z`, { locale: this.kit.locale, timeZone: 'UTC' });
    const past = this.draft < localDate(new Date(), this.fmt.timeZone);
    return `${this.t('credit.expiryPreview', { from, to })}${past ? ` ${this.t('credit.expiresNow')}` : ''}`;
  }

  private async loadOlder(): Promise<void> {
    if (!this.nextCursor || this.more.status === TaskStatus.PENDING) return;
    const shown = this.entries.length;
    await this.more.run([this.nextCursor]);
    // Reading goes on at the first older entry.
    await this.focusAfter('tr[data-id]', shown);
  }

  private async openDialog(mode: Mode, event: Event): Promise<void> {
    const pass = this.data!.pass;
    this.mode = mode;
    this.draft = mode === 'expiry' && pass.expires_at ? localDate(new Date(Date.parse(pass.expires_at) - 1), this.fmt.timeZone) : '';
    this.evidence.run(this.args!);
    return this.dialog.open(event.currentTarget as HTMLElement);
  }

  private async onClose(): Promise<void> {
    if (await this.dialog.closed()) this.mode = undefined;
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const { dialog, data, args } = this;
    if (!data || !args) return;
    const adjust = this.mode === 'adjust';
    const reason = dialog.value('reason');
    const delta = Number(this.draft);
    const errors: Partial<Record<Field, string>> = {};
    const draftError = this.draftError();
    if (draftError) errors[adjust ? 'delta' : 'expires_at'] = draftError;
    // 5 characters: the server's minimum for a reason.
    if (reason.length < 5) errors.reason = this.t('form.reasonShort');
    if (Object.keys(errors).length) return dialog.invalid(errors, this.t('form.checkFields'));

    const body = adjust ? { delta, reason } : { expires_at: this.draft, reason };
    const [client, customerId, passId] = args;
    const path = `${passPath(customerId, passId)}${adjust ? '/adjustments' : ''}`;
    const answer = await dialog.send(
      path,
      body,
      // A new expiry is a value set: only over the pass as loaded (If-Match; credits are a delta).
      (headers) => client.request<Adjustment | Pass>(adjust ? 'POST' : 'PATCH', path, { body, headers: adjust ? headers : { ...headers, 'If-Match': data.pass.etag } }),
      (error, fields) => {
        // 412: someone changed the pass since: show it as it is now (the preview too); confirming again overwrites that.
        if (error instanceof ApiError && error.status === 412) this.reload();
        return this.explain(error, fields);
      },
    );
    if (!answer) return;
    if ('entry' in answer.data) {
      // Summary, pass and list from the answer. Its summary is the whole pass's: a chosen cycle's
      // summary gains the entry's change instead, when the entry is in that cycle.
      const { entry, pass, summary } = answer.data;
      const { cycle } = this;
      const shown = !cycle || cycle === entry.cycle;
      const scoped = data.summary;
      this.data = {
        ...data,
        pass,
        summary: !cycle ? summary : shown ? { ...scoped, manual_changes: scoped.manual_changes + delta, credits_left: (scoped.credits_left ?? 0) + delta } : scoped,
      };
      if (shown && (this.filter === 'all' || this.filter === 'manual')) this.entries = [entry, ...this.entries.filter((e) => e.id !== entry.id)];
      const left = pass.credits_left ?? 0;
      this.announce(this.t('credit.adjusted', { delta, left }));
      this.emit('ck-credits-adjusted', { passId, creditsLeft: left, delta });
    } else {
      const { expires_at } = answer.data;
      this.data = { ...data, pass: answer.data };
      // A date in the past expires the credits left at once: read summary and entries again.
      const date = formatEnd(expires_at, this.fmt, true);
      this.usage.run().finally(() => this.announce(this.t('credit.expiryChanged', { date })));
      this.emit('ck-pass-expiry-changed', { passId, expiresAt: expires_at });
    }
  }
}

function passPath(customerId: string, passId: string): string {
  return `customer/${encodeURIComponent(customerId)}/passes/${encodeURIComponent(passId)}`;
}

/** A page of the pass's entries, with its summaries, for the filter, cycle and page size in `args`. */
function fetchPage([client, customerId, passId, type, cycle, limit]: UsageArgs, signal: AbortSignal, cursor?: string) {
  return client.get<CreditUsageReply>(`${passPath(customerId, passId)}/credit-usage`, { query: { type, cycle: cycle || undefined, limit, cursor }, signal });
}
