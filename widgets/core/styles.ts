import { css } from 'lit';

/**
 * Design tokens. Each `--ck-*` custom property has a light and a dark default; a host overrides
 * one by setting it on the element or any ancestor (in its own dark-mode rule for dark values).
 * Elements read the resolved private `--_*` copies, set on their `base` part.
 */
const light = css`
  --_surface: var(--ck-color-surface, #ffffff);
  --_surface-muted: var(--ck-color-surface-muted, #f6f8fa);
  --_text: var(--ck-color-text, #1f2328);
  --_text-muted: var(--ck-color-text-muted, #59636e);
  --_border: var(--ck-color-border, #d1d9e0);
  --_border-strong: var(--ck-color-border-strong, #6e7781);
  --_accent: var(--ck-color-accent, #0a58ca);
  --_on-accent: var(--ck-color-on-accent, #ffffff);
  --_danger: var(--ck-color-danger, #b42318);
  --_success: var(--ck-color-success, #1a7f37);
  --_selected: var(--ck-color-selected, #ddeafe);
  --_hover: var(--ck-color-hover, #eef2f6);
  --_focus: var(--ck-color-focus, #0a58ca);
  --_skeleton: var(--ck-color-skeleton, #e3e8ee);
  --_backdrop: var(--ck-color-backdrop, rgb(15 20 25 / 0.45));
`;

const dark = css`
  --_surface: var(--ck-color-surface, #14171b);
  --_surface-muted: var(--ck-color-surface-muted, #1c2127);
  --_text: var(--ck-color-text, #e8eaed);
  --_text-muted: var(--ck-color-text-muted, #a8b1bb);
  --_border: var(--ck-color-border, #353c45);
  --_border-strong: var(--ck-color-border-strong, #7d8590);
  --_accent: var(--ck-color-accent, #78b4ff);
  --_on-accent: var(--ck-color-on-accent, #0b1320);
  --_danger: var(--ck-color-danger, #ff9b8f);
  --_success: var(--ck-color-success, #6fdd8b);
  --_selected: var(--ck-color-selected, #1f3a5f);
  --_hover: var(--ck-color-hover, #232a31);
  --_focus: var(--ck-color-focus, #78b4ff);
  --_skeleton: var(--ck-color-skeleton, #2a3038);
  --_backdrop: var(--ck-color-backdrop, rgb(0 0 0 / 0.6));
`;

/** Tokens on the `base` part: light by default, dark by `theme="dark"` or the OS setting. */
export const tokens = css`
  .base,
  dialog {
    ${light}
    --_font: var(--ck-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_font-size: var(--ck-font-size, 0.9375rem);
    --_radius: var(--ck-radius, 6px);
    --_space: var(--ck-space, 0.5rem);
    color-scheme: light;
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) .base,
    :host(:not([theme='light'])) dialog {
      ${dark}
      color-scheme: dark;
    }
  }
  :host([theme='dark']) .base,
  :host([theme='dark']) dialog {
    ${dark}
    color-scheme: dark;
  }
`;

/** Shared building blocks: base text, buttons, fields, focus ring, skeleton, visually hidden. */
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
  .base {
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
  .button[disabled] {
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
`;
