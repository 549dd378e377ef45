import { css } from 'lit';

export default css`
  .base {
    container-type: inline-size;
    display: grid;
    gap: calc(var(--_space) * 1.5);
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: var(--_space) calc(var(--_space) * 1.5);
  }
  .search {
    flex: 1 1 16rem;
  }
  .filter {
    flex: 0 0 auto;
  }
  .add {
    margin-inline-start: auto;
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
    vertical-align: middle;
    border-bottom: 1px solid var(--_border);
  }
  th {
    background: var(--_surface-muted);
    font-weight: 600;
    white-space: nowrap;
  }
  tbody tr:last-child td {
    border-bottom: 0;
  }
  tr.row {
    cursor: pointer;
  }
  tr.row:hover {
    background: var(--_hover);
  }
  tr.row:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: -2px;
  }
  tr.selected {
    background: var(--_selected);
    box-shadow: inset 3px 0 0 var(--_accent);
  }
  tr.selected:hover {
    background: var(--_selected);
  }
  .name {
    font-weight: 600;
  }
  .col-email,
  .col-mobile,
  .col-since {
    color: var(--_text-muted);
  }
  tr.selected .col-email,
  tr.selected .col-mobile,
  tr.selected .col-since {
    color: var(--_text);
  }
  .col-mobile,
  .col-since {
    white-space: nowrap;
  }
  .badge {
    display: inline-block;
    margin-inline-start: 0.5em;
    padding: 0 0.5em;
    border: 1px solid var(--_border-strong);
    border-radius: 999px;
    font-size: 0.8em;
    font-weight: 600;
    color: var(--_text);
  }
  .badge--new {
    border-color: var(--_accent);
    background: var(--_accent);
    color: var(--_on-accent);
  }
  .empty,
  .error {
    margin: 0;
    padding: calc(var(--_space) * 3) calc(var(--_space) * 2);
    border: 1px dashed var(--_border-strong);
    border-radius: var(--_radius);
    text-align: center;
  }
  .error p {
    margin: 0 0 var(--_space);
  }
  .more {
    display: grid;
    justify-items: center;
    gap: var(--_space);
  }
  .more p {
    margin: 0;
  }
  dialog {
    width: min(28rem, calc(100vw - 2rem));
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
  form {
    display: grid;
    gap: calc(var(--_space) * 1.75);
  }
  h2 {
    margin: 0;
    font-size: 1.25em;
  }
  #form-error:empty {
    display: none;
  }
  #form-error {
    margin: 0;
  }
  .field-error {
    margin: 0;
  }
  .actions {
    display: flex;
    justify-content: flex-end;
    gap: var(--_space);
  }
  @container (max-width: 40rem) {
    .col-mobile {
      display: none;
    }
  }
  @container (max-width: 28rem) {
    .col-since {
      display: none;
    }
  }
`;
