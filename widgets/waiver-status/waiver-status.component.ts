import { TaskStatus } from '@lit/task';
import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { ApiError, isAbortError } from '../core/api-error.ts';
import { FormDialog } from '../core/form-dialog.ts';
import { formatDate } from '../core/format.ts';
import { KitElement } from '../core/kit-element.ts';
import { KitTask } from '../core/kit-task.ts';
import type { MessageKey } from '../core/localize.ts';
import { can, loadSession } from '../core/session.ts';
import { shared, tokens } from '../core/styles.ts';
import type {} from './waiver-status.events.ts';
import styles from './waiver-status.styles.ts';
import type { AcceptanceMethod, PolicyVersion, WaiverItem, Waivers } from './waiver-status.types.ts';

const METHODS: AcceptanceMethod[] = ['in_person', 'paper', 'online'];
const ICONS = { accepted: '✓', outdated: '!', missing: '✗' } as const;

/** The policy version as the messages name it ("Liability Waiver v3"). */
const policyParams = (item: WaiverItem) => ({ name: item.name, version: item.current_version });

/**
 * @summary A customer's waivers and terms at a glance: whether every required policy is accepted at
 * its current version, each policy's status, accepted version and date, the policy text, and
 * "Record acceptance" for staff. With `compact`, just a badge that names the state.
 *
 * @tag waiver-status
 *
 * @fires {CustomEvent<WaiverAcceptedDetail>} ck-waiver-accepted - An acceptance was recorded. `detail: { customerId, policyId, version, method, compliant }`.
 *
 * @csspart base - The wrapper of everything (in compact mode, the badge itself).
 * @csspart summary - The one-glance answer ("All required policies accepted" / "Action needed: …").
 * @csspart list - The list of policies.
 * @csspart item - One policy; also `item--accepted`, `item--outdated`, `item--missing`.
 * @csspart badge - A policy's status (icon and text), and the compact badge.
 * @csspart read-button - "Read policy" on a policy.
 * @csspart record-button - "Record acceptance" on a policy (with the `waivers:write` capability).
 * @csspart empty - The message shown when the studio has no policies.
 * @csspart error - The error message and its retry button (of the policies, or of the policy text).
 * @csspart retry-button - The "Try again" button.
 * @csspart status - The visually hidden live region that announces changes.
 * @csspart dialog - The native `<dialog>` showing the policy text and the method of acceptance.
 * @csspart form - The dialog's form.
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
  static override styles = [tokens, shared, styles];

  static override properties: PropertyDeclarations = {
    customerId: { attribute: 'customer-id' },
    compact: { type: Boolean, reflect: true },
    answer: { state: true },
    open: { state: true },
  };

  /** The customer whose policies are shown (`cust_…`); without one the element is empty. */
  customerId = '';

  /** Renders only a small badge naming the state ("Waivers: action needed"), for a header. */
  compact = false;

  /** The waivers of `answer.for`, from the last read or the answer of the last acceptance. */
  private answer: (Waivers & { for: string }) | undefined;
  /** The policy of the dialog (kept after it closes); `record` when recording an acceptance. */
  private open: { item: WaiverItem; record: boolean } | undefined;

  /** Once recorded, "Record acceptance" is gone: focus goes to the policy's "Read policy". */
  private readonly dialog = new FormDialog<'method'>(this, () =>
    this.renderRoot.querySelector<HTMLElement>(`[data-policy="${CSS.escape(this.open?.item.policy_id ?? '')}"] button`),
  );

  private readonly session = new KitTask(this, {
    task: ([client]) => loadSession(client),
    args: () => [this.kit.client] as const,
  });

  /** The customer's waivers: each policy and whether they accepted its current version. */
  private readonly list = new KitTask(this, {
    task: async ([client, id], { signal }) => {
      if (!id) return;
      const { data } = await client.get<Waivers>(`customer/${encodeURIComponent(id)}/waivers`, { signal });
      this.answer = { ...data, for: id };
    },
    args: () => [this.kit.client, this.customerId] as const,
  });

  /** The text of the policy version in the dialog. */
  private readonly text = new KitTask(this, {
    task: async ([client, policy, version], { signal }) =>
      policy
        ? (await client.get<PolicyVersion>(`policies/${encodeURIComponent(policy)}/versions/${version}`, { signal })).data
        : undefined,
    args: () => [this.kit.client, this.open?.item.policy_id, this.open?.item.current_version] as const,
  });

  override render(): unknown {
    // No customer: nothing to show or do.
    if (!this.customerId) return nothing;
    const waivers = this.answer?.for === this.customerId ? this.answer : undefined;
    const error = this.list.status === TaskStatus.ERROR && !isAbortError(this.list.error) ? this.list.error : undefined;
    if (this.compact) {
      const [mod, icon, text]: [string, string, MessageKey] = error
        ? ['warn', '!', 'waiver.error']
        : !waivers
          ? ['', '…', 'waiver.loading']
          : waivers.compliant
            ? ['ok', '✓', 'waiver.badgeOk']
            : ['warn', '!', 'waiver.badgeAction'];
      return html`<span part="base badge" class="base badge badge--${mod}" title=${waivers ? this.summary(waivers) : nothing}>
        <span aria-hidden="true">${icon}</span> ${this.t(text)}
      </span>`;
    }
    return html`
      <div part="base" class="base" lang=${this.kit.lang}>
        ${error ? this.failed(error, () => this.reload(), 'waiver.error') : this.renderWaivers(waivers)}
        ${this.renderStatus()}
        ${this.renderDialog()}
      </div>
    `;
  }

  /** Loads the waivers (and the session) again. */
  reload(): void {
    this.session.run();
    this.list.run();
  }

  private get canWrite(): boolean {
    return this.session.status === TaskStatus.COMPLETE && can(this.session.value, 'waivers:write');
  }

  private get fmt() {
    return { locale: this.kit.locale, timeZone: this.session.value?.tenant.timezone };
  }

  /** "All required policies accepted" or "Action needed: Liability Waiver v3 not accepted". */
  private summary(waivers: Waivers): string {
    if (waivers.compliant) return this.t('waiver.allAccepted');
    const names = waivers.items
      .filter((i) => i.required && i.status !== 'accepted')
      .map((i) => this.t('waiver.version', policyParams(i)));
    return this.t('waiver.actionNeeded', { policies: new Intl.ListFormat(this.kit.locale).format(names) });
  }

  /** The summary and the policies; placeholders until `waivers` are loaded. */
  private renderWaivers(waivers: Waivers | undefined): TemplateResult {
    return html`
      ${waivers
        ? html`<p part="summary" class="summary badge badge--${waivers.compliant ? 'ok' : 'warn'}">
            <span aria-hidden="true">${waivers.compliant ? '✓' : '!'}</span> ${this.summary(waivers)}
          </p>`
        : this.bars([60])}
      ${waivers?.items.length === 0
        ? html`<p part="empty" class="box">${this.t('waiver.empty')}</p>`
        : html`<ul part="list" class="list" aria-label=${this.t(waivers ? 'waiver.title' : 'waiver.loading')}
            aria-busy=${!waivers || this.list.status === TaskStatus.PENDING}>
            ${waivers?.items.map((item) => {
              const { status } = item;
              const name = html`<span class="visually-hidden"> ${item.name}</span>`;
              return html`<li part="item item--${status}" class="item" data-policy=${item.policy_id}>
                <p class="head">
                  <strong>${item.name}</strong>
                  <span class="muted">${this.t(item.required ? 'waiver.required' : 'waiver.optional')}</span>
                  <span part="badge" class="badge badge--${status === 'accepted' ? 'ok' : item.required ? 'warn' : ''}">
                    <span aria-hidden="true">${ICONS[status]}</span> ${this.t(`waiver.status.${status}`)}
                  </span>
                </p>
                <p class="muted">
                  ${item.accepted_version === null
                    ? this.t('waiver.never')
                    : this.t('waiver.acceptedOn', {
                        version: item.accepted_version,
                        date: formatDate(item.accepted_at, this.fmt),
                        method: item.method ? this.t(`waiver.how.${item.method}`) : '',
                      })}${status === 'accepted' ? nothing : html` · ${this.t('waiver.current', { version: item.current_version })}`}
                </p>
                <p class="row-actions">
                  <button part="read-button" class="button" type="button" @click=${() => this.show(item, false)}>
                    ${this.t('waiver.read')}${name}
                  </button>
                  ${this.canWrite && status !== 'accepted'
                    ? html`<button part="record-button" class="button button--primary" type="button" @click=${() => this.show(item, true)}>
                        ${this.t('waiver.record')}${name}
                      </button>`
                    : nothing}
                </p>
              </li>`;
            }) ?? this.bars([70, 55]).map((bar) => html`<li class="item" aria-hidden="true">${bar}</li>`)}
          </ul>`}
    `;
  }

  /** Reading: the policy text and Close (its `method="dialog"` form closes natively). Recording: the text, the method and "Record acceptance". */
  private renderDialog(): TemplateResult {
    const { dialog } = this;
    const { item, record } = this.open ?? {};
    const policy = item && policyParams(item);
    const error = dialog.errors.method;
    const text = html`<div part="policy-text" class="policy-text" role="region" tabindex="0" aria-labelledby="dialog-title">
      ${this.text.render({
        pending: () => html`<p class="muted">${this.t('waiver.textLoading')}</p>`,
        complete: (v) => (v ? html`<p><strong>${v.title}</strong></p><p class="body">${v.body}</p>` : nothing),
        error: (e) => this.failed(e, () => this.text.run()),
      })}
    </div>`;
    return html`<dialog part="dialog" aria-labelledby="dialog-title" @close=${() => dialog.closed()}>
      ${record
        ? this.dialogForm(
            dialog,
            { title: this.t('waiver.recordTitle', policy!), submit: this.t('waiver.record'), onSubmit: this.onSubmit },
            html`${text}
              <fieldset aria-describedby=${error ? 'method-error' : nothing}>
                <legend>${this.t('waiver.method')}</legend>
                ${METHODS.map((m) => html`<label><input type="radio" name="method" value=${m} aria-invalid=${!!error} /> ${this.t(`waiver.how.${m}`)}</label>`)}
              </fieldset>
              ${error ? html`<p id="method-error" class="field-error">${error}</p>` : nothing}`,
          )
        : html`<form part="form" method="dialog">
            <h2 id="dialog-title">${policy ? this.t('waiver.version', policy) : ''}</h2>
            ${text}
            <div class="actions"><button part="cancel-button" class="button">${this.t('waiver.close')}</button></div>
          </form>`}
    </dialog>`;
  }

  private show(item: WaiverItem, record: boolean): void {
    this.open = { item, record };
    void this.dialog.open();
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const { item } = this.open!;
    const method = this.dialog.value('method') as AcceptanceMethod | '';
    if (!method) return this.dialog.invalid({ method: this.t('waiver.chooseMethod') }, '');
    const id = this.customerId;
    const policy = policyParams(item);
    const path = `customer/${encodeURIComponent(id)}/waivers/${encodeURIComponent(item.policy_id)}/acceptances`;
    const body = { version: item.current_version, method };
    const answer = await this.dialog.send(path, body, (headers) => this.kit.client.post<Waivers>(path, body, { headers }), (error, fields) => {
      // The list was stale (a new version, or recorded meanwhile): read it again.
      if (error instanceof ApiError && error.code === 'rule_violation') this.list.run();
      return this.explain(error, fields, policy);
    });
    if (!answer) return;
    const { compliant, items } = answer.data;
    this.answer = { compliant, items, for: id };
    this.announce(this.t('waiver.recorded', policy));
    this.emit('ck-waiver-accepted', { customerId: id, policyId: item.policy_id, version: item.current_version, method, compliant });
  }
}
