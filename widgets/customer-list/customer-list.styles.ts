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
  [data-id] {
    cursor: pointer;
  }
  /* Only unselected rows change on hover, so the selection stays visible under the pointer. */
  [aria-selected='false']:hover {
    background: var(--_hover);
  }
  [aria-selected='true'] {
    background: var(--_selected);
    box-shadow: inset 3px 0 0 var(--_accent);
  }
  .col-name {
    font-weight: 600;
  }
  /* Email, mobile and date are secondary (headers too), except in the selected row. */
  th + th,
  [aria-selected='false'] td + td {
    color: var(--_text-muted);
  }
  .col-mobile,
  .col-since {
    white-space: nowrap;
  }
  .badge {
    margin-inline-start: 0.5em;
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
  /* An address breaks anywhere rather than push the table past its box. */
  td.col-email {
    overflow-wrap: anywhere;
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
