import { Task, TaskStatus } from '@lit/task';
import { html, nothing, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ApiError, isAbortError } from '../core/api-error.ts';
import { dialogStyles } from '../core/dialog-styles.ts';
import { formatDate } from '../core/format.ts';
import { IdempotencyKey } from '../core/idempotency-key.ts';
import { KitElement } from '../core/kit-element.ts';
import { errorKey, messagesFor } from '../core/localize.ts';
import { can, loadSession } from '../core/session.ts';
import { shared, tokens } from '../core/styles.ts';
import type {} from './waiver-status.events.ts';
import styles from './waiver-status.styles.ts';
import type { AcceptanceMethod, PolicyVersion, WaiverItem, Waivers } from './waiver-status.types.ts';

const METHODS: AcceptanceMethod[] = ['in_person', 'paper', 'online'];
const ICONS = { accepted: '✓', outdated: '!', missing: '✗' } as const;

/**
 * @summary A customer's waivers and terms at a glance: whether every required policy is accepted at
 * its current version, each policy's status, accepted version and date, the policy text, and
 * "Record acceptance" for staff. With `compact`, just a badge that names the state.
 *
 * @tag waiver-status
 *
 * @fires ck-waiver-accepted - An acceptance was recorded. `detail: { customerId, policyId, version, method, compliant }`.
 *
 * @csspart base - The wrapper of everything (in compact mode, the badge itself).
 * @csspart summary - The one-glance answer ("All required policies accepted" / "Action needed: …").
 * @csspart list - The list of policies.
 * @csspart item - One policy; also `item--accepted`, `item--outdated`, `item--missing`.
 * @csspart badge - A policy's status (icon and text), and the compact badge.
 * @csspart read-button - "Read policy" on a policy.
 * @csspart record-button - "Record acceptance" on a policy (with the `waivers:write` capability).
 * @csspart empty - The message shown when the studio has no policies.
 * @csspart error - The error message and its retry button.
 * @csspart status - The visually hidden live region that announces changes.
 * @csspart dialog - The native `<dialog>` showing the policy text and the method of acceptance.
 * @csspart policy-text - The policy's text in the dialog.
 * @csspart submit-button - The dialog's "Record acceptance" button.
 * @csspart cancel-button - The dialog's close / cancel button.
 *
 * @cssproperty --ck-font-family - The font. Default: the system UI font.
 * @cssproperty --ck-font-size - The base text size. Default: `0.9375rem`.
 * @cssproperty --ck-radius - The corner radius. Default: `6px`.
 * @cssproperty --ck-space - The base spacing unit. Default: `0.5rem`.
 * @cssproperty --ck-color-surface - The background.
 * @cssproperty --ck-color-surface-muted - The policy text's background.
 * @cssproperty --ck-color-text - The text colour.
 * @cssproperty --ck-color-text-muted - Secondary text (versions, dates).
 * @cssproperty --ck-color-border - Outlines of the policies.
 * @cssproperty --ck-color-border-strong - Button and badge borders.
 * @cssproperty --ck-color-accent - The primary button.
 * @cssproperty --ck-color-on-accent - Text on the accent colour.
 * @cssproperty --ck-color-success - The mark of "accepted" (always with an icon and text).
 * @cssproperty --ck-color-danger - The mark of "action needed" and errors.
 * @cssproperty --ck-color-focus - The focus ring.
 * @cssproperty --ck-color-skeleton - Loading placeholders.
 * @cssproperty --ck-color-backdrop - Behind the open dialog.
 */
export class WaiverStatus extends KitElement {
  static override styles = [tokens, shared, dialogStyles, styles];

  /** The customer whose policies are shown (`cust_…`). */
  @property({ attribute: 'customer-id' }) customerId = '';

  /** Renders only a small badge naming the state ("Waivers: action needed"), for a header. */
  @property({ type: Boolean, reflect: true }) compact = false;

  /** The waivers of `answer.for`, from the last read or the answer of the last acceptance. */
  @state() private answer: (Waivers & { for: string }) | undefined;
  /** The policy in the open dialog; `record` when recording an acceptance. */
  @state() private open: { item: WaiverItem; record: boolean } | undefined;
  @state() private announcement = '';
  @state() private formError = '';
  @state() private methodError = '';
  @state() private saving = false;

  @query('dialog') private dialog?: HTMLDialogElement;
  @query('form') private form?: HTMLFormElement;

  private readonly key = new IdempotencyKey();
  private opener: HTMLElement | undefined;

  private readonly session = new Task(this, {
    task: ([client]) => loadSession(client),
    args: () => [this.kit.client] as const,
  });

  private readonly waivers = new Task(this, {
    task: async ([client, id], { signal }) => {
      const { data } = await client.get<Waivers>(`customer/${encodeURIComponent(id)}/waivers`, { signal });
      this.answer = { ...data, for: id };
      return data;
    },
    args: () => [this.kit.client, this.customerId] as const,
  });

  /** The text of the policy version in the open dialog. */
  private readonly text = new Task(this, {
    task: async ([client, policy, version], { signal }) =>
      policy
        ? (await client.get<PolicyVersion>(`policies/${encodeURIComponent(policy)}/versions/${version}`, { signal })).data
        : undefined,
    args: () => [this.kit.client, this.open?.item.policy_id, this.open?.item.current_version] as const,
  });

  override render(): TemplateResult {
    const waivers = this.answer?.for === this.customerId ? this.answer : undefined;
    const error = this.waivers.status === TaskStatus.ERROR && !isAbortError(this.waivers.error) ? this.waivers.error : undefined;
    if (this.compact) {
      const [mod, icon, text] = error
        ? ['warn', '!', this.t('waiver.error')]
        : !waivers
          ? ['', '…', this.t('waiver.loading')]
          : waivers.compliant
            ? ['ok', '✓', this.t('waiver.badgeOk')]
            : ['warn', '!', this.t('waiver.badgeAction')];
      return html`<span part="base badge" class="base badge badge--${mod}" title=${waivers ? this.summary(waivers) : nothing}>
        <span aria-hidden="true">${icon}</span> ${text}
      </span>`;
    }
    return html`
      <div part="base" class="base">
        ${error
          ? html`<div part="error" class="box">
              <p role="alert"><strong>${this.t('waiver.error')}</strong> ${this.errorText(error)}</p>
              <button class="button" type="button" @click=${() => this.reload()}>${this.t('error.retry')}</button>
            </div>`
          : waivers
            ? this.renderWaivers(waivers)
            : html`<p class="skeleton" .style=${'width:60%'} aria-hidden="true"></p>
                <ul part="list" class="list" aria-busy="true" aria-label=${this.t('waiver.loading')}>
                  ${[65, 50].map((w) => html`<li class="item" aria-hidden="true"><span class="skeleton" .style=${`width:${w}%`}></span></li>`)}
                </ul>`}
        <p part="status" class="visually-hidden" role="status">${this.announcement}</p>
        ${this.renderDialog()}
      </div>
    `;
  }

  /** Loads the waivers (and the session) again. */
  reload(): void {
    this.session.run();
    this.waivers.run();
  }

  private get canWrite(): boolean {
    return this.session.status === TaskStatus.COMPLETE && can(this.session.value, 'waivers:write');
  }

  /** "All required policies accepted" or "Action needed: Liability Waiver v3 not accepted". */
  private summary(waivers: Waivers): string {
    if (waivers.compliant) return this.t('waiver.allAccepted');
    const blocking = waivers.items.filter((i) => i.required && i.status !== 'accepted');
    const names = blocking.map((i) => this.t('waiver.version', { name: i.name, version: i.current_version }));
    return this.t('waiver.actionNeeded', { policies: new Intl.ListFormat(this.kit.locale).format(names) });
  }

  private renderWaivers(waivers: Waivers): TemplateResult {
    const write = this.canWrite;
    const date = (iso: string | null) => formatDate(iso, { locale: this.kit.locale, timeZone: this.session.value?.tenant.timezone });
    return html`
      <p part="summary" class="summary badge badge--${waivers.compliant ? 'ok' : 'warn'}">
        <span aria-hidden="true">${waivers.compliant ? '✓' : '!'}</span> ${this.summary(waivers)}
      </p>
      ${waivers.items.length === 0
        ? html`<p part="empty" class="box">${this.t('waiver.empty')}</p>`
        : html`<ul part="list" class="list" aria-label=${this.t('waiver.title')}
            aria-busy=${this.waivers.status === TaskStatus.PENDING ? 'true' : 'false'}>
            ${waivers.items.map((item) => {
              const { status } = item;
              const mod = status === 'accepted' ? 'ok' : item.required ? 'warn' : '';
              const name = html`<span class="visually-hidden"> ${item.name}</span>`;
              return html`<li part="item item--${status}" class="item" data-policy=${item.policy_id}>
                <p class="head">
                  <strong>${item.name}</strong>
                  <span class="muted">${this.t(item.required ? 'waiver.required' : 'waiver.optional')}</span>
                  <span part="badge" class="badge badge--${mod}">
                    <span aria-hidden="true">${ICONS[status]}</span> ${this.t(`waiver.status.${status}`)}
                  </span>
                </p>
                <p class="muted">
                  ${item.accepted_version === null
                    ? this.t('waiver.never')
                    : this.t('waiver.acceptedOn', {
                        version: item.accepted_version,
                        date: date(item.accepted_at),
                        method: item.method ? this.t(`waiver.how.${item.method}`) : '',
                      })}${status === 'accepted' ? nothing : html` · ${this.t('waiver.current', { version: item.current_version })}`}
                </p>
                <p class="row-actions">
                  <button part="read-button" class="button" type="button" @click=${() => this.show(item, false)}>
                    ${this.t('waiver.read')}${name}
                  </button>
                  ${write && status !== 'accepted'
                    ? html`<button part="record-button" class="button button--primary" type="button" @click=${() => this.show(item, true)}>
                        ${this.t('waiver.record')}${name}
                      </button>`
                    : nothing}
                </p>
              </li>`;
            })}
          </ul>`}
    `;
  }

  private renderDialog(): TemplateResult {
    const { item, record } = this.open ?? {};
    const heading = item
      ? this.t(record ? 'waiver.recordTitle' : 'waiver.version', { name: item.name, version: item.current_version })
      : '';
    return html`
      <dialog part="dialog" aria-labelledby="title" @close=${this.onClose}>
        <form part="form" novalidate @submit=${this.onSubmit}>
          <h2 id="title">${heading}</h2>
          <div part="policy-text" class="policy-text" role="region" tabindex="0" aria-labelledby="title">
            ${this.text.render({
              pending: () => html`<p class="muted">${this.t('waiver.textLoading')}</p>`,
              complete: (v) => (v ? html`<p><strong>${v.title}</strong></p><p class="body">${v.body}</p>` : nothing),
              error: (e) => html`<p class="error-text">${this.errorText(e)}</p>
                <button class="button" type="button" @click=${() => this.text.run()}>${this.t('error.retry')}</button>`,
            })}
          </div>
          ${record
            ? html`<div class="form-error error-text" role="alert">${this.formError}</div>
                <fieldset class="methods" aria-describedby=${this.methodError ? 'method-error' : nothing}>
                  <legend>${this.t('waiver.method')}</legend>
                  ${METHODS.map((m) => html`<label><input type="radio" name="method" value=${m} /> ${this.t(`waiver.how.${m}`)}</label>`)}
                </fieldset>
                ${this.methodError ? html`<p id="method-error" class="field-error">${this.methodError}</p>` : nothing}`
            : nothing}
          <div class="actions">
            <button part="cancel-button" class="button" type="button" @click=${() => this.dialog?.close()}>
              ${this.t(record ? 'form.cancel' : 'waiver.close')}
            </button>
            ${record
              ? html`<button part="submit-button" class="button button--primary" type="submit"
                  aria-disabled=${this.saving ? 'true' : 'false'}>
                  ${this.t(this.saving ? 'waiver.saving' : 'waiver.record')}
                </button>`
              : nothing}
          </div>
        </form>
      </dialog>
    `;
  }

  private errorText(error: unknown): string {
    return this.t(errorKey(error instanceof ApiError ? error.code : 'generic'));
  }

  private async show(item: WaiverItem, record: boolean): Promise<void> {
    this.opener = (this.renderRoot as ShadowRoot).activeElement as HTMLElement | undefined;
    this.open = { item, record };
    this.formError = this.methodError = '';
    await this.updateComplete;
    this.form?.reset();
    this.dialog?.showModal();
  }

  /** Also after Escape. Focus goes back to the opening button, or to the policy's "Read policy" once recorded. */
  private async onClose(): Promise<void> {
    // The close event comes a task later: the dialog may have been opened again meanwhile.
    if (this.dialog?.open) return;
    const policy = this.open?.item.policy_id ?? '';
    this.open = undefined;
    await this.updateComplete;
    const fallback = this.renderRoot.querySelector<HTMLElement>(`[data-policy="${CSS.escape(policy)}"] button`);
    (this.opener?.isConnected ? this.opener : fallback)?.focus();
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const { open, form } = this;
    if (this.saving || !open?.record || !form) return;
    const method = (form.elements.namedItem('method') as RadioNodeList).value as AcceptanceMethod | '';
    this.formError = '';
    this.methodError = method ? '' : this.t('waiver.chooseMethod');
    if (!method) {
      await this.updateComplete;
      form.querySelector<HTMLInputElement>('input[name=method]')?.focus();
      return;
    }
    const { item } = open;
    const path = `customer/${encodeURIComponent(this.customerId)}/waivers/${encodeURIComponent(item.policy_id)}/acceptances`;
    const body = { version: item.current_version, method };
    this.saving = true;
    try {
      const { data } = await this.kit.client.post<Waivers>(path, body, { headers: { 'Idempotency-Key': this.key.for(path, body) } });
      this.key.reset();
      this.answer = { compliant: data.compliant, items: data.items, for: this.customerId };
      this.announcement = this.t('waiver.recorded', { name: item.name, version: item.current_version });
      this.dialog?.close();
      this.emit('ck-waiver-accepted', {
        customerId: this.customerId,
        policyId: item.policy_id,
        version: item.current_version,
        method,
        compliant: data.compliant,
      });
    } catch (error) {
      this.key.settle(error);
      const rules = error instanceof ApiError && Array.isArray(error.details?.rules)
        ? (error.details.rules as { rule: string; message: string }[])
        : [];
      const messages = messagesFor(this.kit.locale) as unknown as Record<string, unknown>;
      this.formError = rules.length
        ? rules.map((r) => {
            const m = messages[`waiver.rule.${r.rule}`];
            return typeof m === 'function' ? m({ name: item.name, version: item.current_version }) : r.message;
          }).join(' ')
        : this.errorText(error);
      // The list was stale (a new version, or recorded meanwhile): read it again.
      if (rules.length) this.waivers.run();
    } finally {
      this.saving = false;
    }
  }
}
