import { css } from 'lit';

/**
 * A native `<dialog>` holding a form (title, error summary, fields, actions), and the status badge
 * and list rows several elements share. Pair with `tokens` and `shared` from `styles.ts`.
 */
export const dialogStyles = css`
  dialog {
    width: min(32rem, calc(100vw - 2rem));
    max-height: calc(100vh - 2rem);
    padding: calc(var(--_space) * 3);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 1.5);
    background: var(--_surface);
    color: var(--_text);
    font-family: var(--_font);
    font-size: var(--_font-size);
    line-height: 1.45;
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
  .box {
    margin: 0;
    padding: calc(var(--_space) * 2);
    border: 1px dashed var(--_border-strong);
    border-radius: var(--_radius);
    text-align: center;
  }
`;
