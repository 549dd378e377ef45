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
  tr.row {
    cursor: pointer;
  }
  tr.row:hover {
    background: var(--_hover);
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
    margin-inline-start: 0.5em;
    color: var(--_text);
  }
  .badge--new {
    border-color: var(--_accent);
    background: var(--_accent);
    color: var(--_on-accent);
  }
  .more {
    display: grid;
    justify-items: center;
    gap: var(--_space);
  }
  .more p {
    margin: 0;
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
