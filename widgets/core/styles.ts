import { css } from 'lit';

/**
 * Design tokens. Each `--ck-*` custom property has a light and a dark default (`light-dark()`); a
 * host overrides one by setting it on the element or any ancestor, with `light-dark()` or in its own
 * dark-mode rule for dark values. Elements read the resolved private `--_*` copies, set on their
 * `base` part (and on the dialog, which the top layer lifts out of it). `theme` picks the scheme:
 * `auto` follows the operating system.
 */
export const tokens = css`
  .base,
  dialog {
    --_surface: var(--ck-color-surface, light-dark(#ffffff, #14171b));
    --_surface-muted: var(--ck-color-surface-muted, light-dark(#f6f8fa, #1c2127));
    --_text: var(--ck-color-text, light-dark(#1f2328, #e8eaed));
    --_text-muted: var(--ck-color-text-muted, light-dark(#59636e, #a8b1bb));
    --_border: var(--ck-color-border, light-dark(#d1d9e0, #353c45));
    --_border-strong: var(--ck-color-border-strong, light-dark(#6e7781, #7d8590));
    --_accent: var(--ck-color-accent, light-dark(#0a58ca, #78b4ff));
    --_on-accent: var(--ck-color-on-accent, light-dark(#ffffff, #0b1320));
    --_danger: var(--ck-color-danger, light-dark(#b42318, #ff9b8f));
    --_success: var(--ck-color-success, light-dark(#1a7f37, #6fdd8b));
    --_selected: var(--ck-color-selected, light-dark(#ddeafe, #1f3a5f));
    --_hover: var(--ck-color-hover, light-dark(#eef2f6, #232a31));
    --_focus: var(--ck-color-focus, light-dark(#0a58ca, #78b4ff));
    --_skeleton: var(--ck-color-skeleton, light-dark(#e3e8ee, #2a3038));
    --_backdrop: var(--ck-color-backdrop, light-dark(rgb(15 20 25 / 0.45), rgb(0 0 0 / 0.6)));
    --_font: var(--ck-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_font-size: var(--ck-font-size, 0.9375rem);
    --_radius: var(--ck-radius, 6px);
    --_space: var(--ck-space, 0.5rem);
    color-scheme: light dark;
  }
  :host([theme='light']) :is(.base, dialog) {
    color-scheme: light;
  }
  :host([theme='dark']) :is(.base, dialog) {
    color-scheme: dark;
  }
`;

/**
 * Shared building blocks: base text, buttons, fields, focus ring, skeleton, visually hidden; the
 * native `<dialog>` holding a form (title, error summary, fields, actions); badges, list rows, the
 * dashed box of empty and error states, and tables.
 */
export const shared = css`
  :host {
    display: block;
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  /* The dialog is in the top layer, out of .base: it takes the same text and surface. */
  .base,
  dialog {
    font-family: var(--_font);
    font-size: var(--_font-size);
    line-height: 1.45;
    color: var(--_text);
    background: var(--_surface);
  }
  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.375em;
    min-height: 2.25rem;
    padding: 0 0.875rem;
    border: 1px solid var(--_border-strong);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }
  .button:hover {
    background: var(--_hover);
  }
  /* Busy buttons stay focusable (aria-disabled, not disabled) so focus is not lost while saving. */
  .button[aria-disabled='true'] {
    cursor: progress;
    opacity: 0.75;
  }
  .button--primary {
    border-color: var(--_accent);
    background: var(--_accent);
    color: var(--_on-accent);
  }
  .button--primary:hover {
    background: var(--_accent);
    filter: brightness(1.08);
  }
  .field {
    display: grid;
    gap: 0.25rem;
  }
  .field label {
    font-weight: 600;
  }
  .input {
    width: 100%;
    min-height: 2.25rem;
    padding: 0.375rem 0.625rem;
    border: 1px solid var(--_border-strong);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
    font: inherit;
  }
  .input[aria-invalid='true'] {
    border-color: var(--_danger);
    box-shadow: 0 0 0 1px var(--_danger);
  }
  .field-error,
  .error-text {
    color: var(--_danger);
    font-size: 0.875em;
  }
  .muted {
    color: var(--_text-muted);
  }
  .skeleton {
    display: block;
    height: 0.875em;
    border-radius: 4px;
    background: var(--_skeleton);
    animation: ck-pulse 1.2s ease-in-out infinite;
  }
  @keyframes ck-pulse {
    50% {
      opacity: 0.45;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .skeleton {
      animation: none;
    }
  }
  dialog {
    width: min(32rem, calc(100vw - 2rem));
    max-height: calc(100vh - 2rem);
    padding: calc(var(--_space) * 3);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 1.5);
  }
  dialog::backdrop {
    background: var(--_backdrop);
  }
  dialog form {
    display: grid;
    gap: calc(var(--_space) * 1.75);
  }
  dialog h2 {
    margin: 0;
    font-size: 1.25em;
  }
  .form-error:empty {
    display: none;
  }
  .form-error,
  .field-error,
  .hint {
    margin: 0;
  }
  .hint {
    font-size: 0.875em;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    justify-content: flex-end;
    gap: var(--_space);
  }
  .button--danger {
    border-color: var(--_danger);
    color: var(--_danger);
  }
  .badge {
    display: inline-flex;
    align-items: center;
    gap: 0.3em;
    padding: 0 0.55em;
    border: 1px solid var(--_border-strong);
    border-radius: 999px;
    font-size: 0.8125em;
    font-weight: 600;
    white-space: nowrap;
  }
  .badge--ok {
    border-color: var(--_success);
  }
  .badge--warn {
    border-color: var(--_danger);
  }
  .list {
    display: grid;
    gap: var(--_space);
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .item {
    display: grid;
    gap: calc(var(--_space) / 2);
    padding: calc(var(--_space) * 1.5);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .item p {
    margin: 0;
  }
  /* A line of things side by side: a row's head (name, badges) and its actions. */
  .row,
  .head,
  .row-actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space);
  }
  /* A checkbox beside its label, which wraps under itself rather than under the box. */
  .check {
    display: flex;
    gap: var(--_space);
    align-items: baseline;
  }
  .row-actions .button {
    min-height: 2rem;
    font-weight: 500;
  }
  .box {
    margin: 0;
    padding: calc(var(--_space) * 2);
    border: 1px dashed var(--_border-strong);
    border-radius: var(--_radius);
    text-align: center;
  }
  .box p {
    margin: 0 0 var(--_space);
  }
  .table-wrap {
    overflow-x: auto;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  table {
    width: 100%;
    border-collapse: collapse;
  }
  th,
  td {
    padding: calc(var(--_space) * 1.25) calc(var(--_space) * 1.5);
    text-align: start;
    vertical-align: top;
    border-bottom: 1px solid var(--_border);
  }
  th {
    background: var(--_surface-muted);
    white-space: nowrap;
  }
  tbody tr:last-child td {
    border-bottom: 0;
  }
  /* A row's ring (the :focus-visible one) inside it, where the table's overflow does not clip it. */
  tr:focus-visible {
    outline-offset: -2px;
  }
  /* Forced colours (Windows High Contrast) drop backgrounds, shadows and gradients: the chosen row, tab
     and chip take the system's selection colours, and the credits bar is drawn in system colours. */
  @media (forced-colors: active) {
    :host [aria-selected='true'],
    :host [aria-pressed='true'] {
      background: Highlight;
      color: HighlightText;
    }
    :host .bar {
      forced-color-adjust: none;
      border: 1px solid CanvasText;
      background: linear-gradient(90deg, Highlight calc(var(--v) * 100%), Canvas 0);
    }
  }
`;
