import type { ReactiveElement } from 'lit';
import { fieldError } from './field-errors.ts';
import { IdempotencyKey } from './idempotency-key.ts';

/** Words a failed change for the form's summary; `fields` says whether fields were highlighted. */
export type Explain = (error: unknown, fields: boolean) => string;

/**
 * The one form of an element's native `<dialog>`: opens it modally and gives focus back to what
 * opened it when it closes (by Cancel, Escape or a saved change), keeps each field's error and the
 * form's summary, focuses the first invalid field, and sends one change at a time under an
 * `Idempotency-Key` that a retry of the same change reuses. The host renders the dialog; the
 * dialog's `@close` calls `closed()`.
 */
export class FormDialog<F extends string = string> {
  /** Each field's error, by field name. */
  errors: Partial<Record<F, string>> = {};
  /** The form's error summary: what the server refused, or "Check the highlighted fields". */
  summary = '';
  saving = false;
  /** The host's API client at its last render (see `renewed`). */
  private client: unknown;
  private readonly key = new IdempotencyKey();
  private opener: HTMLElement | undefined;

  constructor(
    private readonly host: ReactiveElement,
    /** Where focus goes when the opener is gone (a re-rendered row, say). */
    private readonly fallback?: () => HTMLElement | null | undefined,
  ) {}

  get dialog(): HTMLDialogElement | null {
    return this.host.renderRoot.querySelector('dialog');
  }

  get form(): HTMLFormElement | null {
    return this.host.renderRoot.querySelector('dialog form');
  }

  /** A field's trimmed value; '' when the form has no such field. */
  value(name: F): string {
    return (this.form?.elements.namedItem(name) as HTMLInputElement | null)?.value.trim() ?? '';
  }

  /** The browser's own checks of each field, worded by `t`: required but empty, or not an email. */
  browserErrors(t: (key: 'form.required' | 'form.invalidEmail') => string): Partial<Record<F, string>> {
    const errors: Partial<Record<F, string>> = {};
    for (const input of this.form?.querySelectorAll<HTMLInputElement>('[name]') ?? []) {
      const name = input.name as F;
      if (input.required && !this.value(name)) errors[name] = t('form.required');
      else if (input.validity.typeMismatch) errors[name] = t('form.invalidEmail');
    }
    return errors;
  }

  /**
   * Opens the dialog at once with an empty form; when the host has just set what the dialog shows
   * (its mode), the first field (or, in a dialog without fields, its first control, such as Close)
   * gets focus once that has rendered. `opener` (default: the focused element) gets focus back on close.
   */
  async open(opener?: HTMLElement | null): Promise<void> {
    this.opener = opener ?? ((this.host.renderRoot as ShadowRoot).activeElement as HTMLElement | null) ?? undefined;
    const pending = this.host.isUpdatePending;
    this.set({}, '');
    this.key.reset();
    this.form?.reset();
    const dialog = this.dialog;
    if (!dialog) return;
    // While a change is saving, Escape and Cancel leave the dialog open for its outcome. Escape is
    // stopped at its keydown too: Chromium lets a page refuse only one `cancel` per user activation.
    // (A handler property's `false` would cancel every key: this one returns nothing.)
    dialog.oncancel = dialog.onkeydown = (event: Event) => {
      if (this.saving && (event.type === 'cancel' || (event as KeyboardEvent).key === 'Escape')) event.preventDefault();
    };
    dialog.showModal();
    if (!pending) return;
    await this.host.updateComplete;
    this.form?.reset();
    (this.form?.querySelector<HTMLElement>('input,select,textarea') ?? this.dialog?.querySelector<HTMLElement>('button,[tabindex="0"]'))?.focus();
  }

  /** Closes the dialog (Cancel does nothing while a change is saving: see `dialogForm`). */
  close(): void {
    this.dialog?.close();
  }

  /**
   * Called as the host renders, with its API client: a new one (a fresh session token after the last
   * ended, say) drops the summary of what the old one was refused, which no longer holds.
   */
  renewed(client: object): void {
    if (this.client !== (this.client = client)) this.summary = '';
  }

  /** For the dialog's `close` event; false while it is open again (the event comes a task later). */
  async closed(): Promise<boolean> {
    if (this.dialog?.open) return false;
    await this.host.updateComplete;
    (this.opener?.isConnected ? this.opener : this.fallback?.())?.focus();
    return true;
  }

  /** Shows field errors and a summary, and moves focus to the first invalid field. */
  async invalid(errors: Partial<Record<F, string>>, summary: string): Promise<void> {
    this.set(errors, summary);
    await this.host.updateComplete;
    this.form?.querySelector<HTMLElement>('[aria-invalid=true]')?.focus();
  }

  /**
   * Sends one change: nothing while another is saving; on success the dialog closes and the answer
   * is returned; on failure the server's field errors and rules are shown and `undefined` returned.
   */
  async send<T>(path: string, body: unknown, request: (headers: Record<string, string>) => Promise<T>, explain: Explain): Promise<T | undefined> {
    if (this.saving) return undefined;
    this.saving = true;
    this.set({}, '');
    try {
      const answer = await this.key.send(path, body, request);
      this.close();
      return answer;
    } catch (error) {
      // Only the fields this form shows can be highlighted; other refusals are summed up by `explain`.
      const errors: Partial<Record<string, string>> = {};
      for (const control of this.form?.querySelectorAll<HTMLInputElement>('[name]') ?? []) {
        errors[control.name] ??= fieldError(error, control);
      }
      await this.invalid(errors as Partial<Record<F, string>>, explain(error, Object.values(errors).some(Boolean)));
      return undefined;
    } finally {
      this.saving = false;
      this.host.requestUpdate();
    }
  }

  private set(errors: Partial<Record<F, string>>, summary: string): void {
    this.errors = errors;
    this.summary = summary;
    this.host.requestUpdate();
  }
}
