import { css } from 'lit';

export default css`
  .base {
    display: grid;
    gap: calc(var(--_space) * 2);
    /* Digits of equal width, so that numbers line up in cards, columns and previews. */
    font-variant-numeric: tabular-nums;
  }
  .header,
  .actions,
  .controls,
  .chips,
  .legend {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space);
  }
  .header,
  .controls {
    justify-content: space-between;
  }
  .title {
    margin-inline-end: var(--_space);
    font-size: 1.125em;
  }
  .notice {
    flex-basis: 100%;
    margin: 0;
  }
  .summary {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .card {
    position: relative;
    display: grid;
    flex: 1 1 7.5rem;
    min-height: 4.25rem;
    align-content: space-between;
    padding: var(--_space) calc(var(--_space) * 1.5) var(--_space) calc(var(--_space) * 2.5);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface-muted);
  }
  [data-term='left'] {
    border-color: var(--_accent);
    box-shadow: inset 0 0 0 1px var(--_accent);
  }
  .op {
    position: absolute;
    inset-inline-start: calc(var(--_space) * 0.75);
    top: var(--_space);
    font-weight: 700;
    color: var(--_text-muted);
  }
  .label {
    font-size: 0.875em;
    color: var(--_text-muted);
  }
  .value {
    font-size: 1.5em;
    font-weight: 700;
  }
  [data-term='left'] .value {
    color: var(--_accent);
  }
  .controls {
    align-items: end;
  }
  .chip {
    min-height: 2rem;
    padding: 0 0.75rem;
    border-radius: 999px;
    font-size: 0.875em;
    font-weight: 400;
  }
  .cycle {
    min-width: 14rem;
  }
  .chart {
    margin: 0;
  }
  figcaption {
    font-weight: 600;
  }
  svg {
    display: block;
    width: 100%;
    height: 5rem;
    /* Little room below: the cycle numbers sit right under their bars. */
    margin: var(--_space) 0 calc(var(--_space) / 4);
  }
  .picked {
    fill: var(--_selected);
  }
  .bar-0 {
    color: var(--_accent);
  }
  .bar-1 {
    color: var(--_text-muted);
  }
  .bar-2 {
    color: var(--_success);
  }
  .bar-3 {
    color: var(--_danger);
  }
  .bar,
  .legend i {
    fill: currentColor;
    background: currentColor;
  }
  .ticks {
    display: flex;
    font-size: 0.75em;
    color: var(--_text-muted);
  }
  .ticks span {
    flex: 1;
    text-align: center;
  }
  .legend {
    margin: 0;
    padding: 0;
    list-style: none;
    font-size: 0.8125em;
    color: var(--_text-muted);
  }
  .legend i {
    display: inline-block;
    width: 0.75em;
    height: 0.75em;
    margin-inline-end: 0.375em;
    border-radius: 2px;
  }
  /* Forced colours drop backgrounds but leave the bars' SVG fill: each swatch keeps its series' colour
     too, outlined in the system's text colour. */
  @media (forced-colors: active) {
    .legend i {
      forced-color-adjust: none;
      border: 1px solid CanvasText;
    }
  }
  .col-date {
    white-space: nowrap;
  }
  .col-change,
  .col-balance {
    text-align: end;
  }
  .col-change {
    font-weight: 700;
  }
  .plus {
    color: var(--_success);
  }
  .minus {
    color: var(--_danger);
  }
  td .muted {
    display: block;
    font-size: 0.875em;
  }
  /* The ledger follows the element's own width (a sidebar, a dialog on a phone), not the viewport's. */
  .table-wrap {
    container-type: inline-size;
  }
  /* Narrow: each entry a block of date and change, type and labelled balance, then the details across.
     The headers are hidden as .visually-hidden hides (they still name the cells for screen readers). */
  @container (max-width: 32rem) {
    thead {
      position: absolute;
      width: 1px;
      height: 1px;
      padding: 0;
      margin: -1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
    }
    tr {
      display: grid;
      grid-template-columns: minmax(0, 1fr) auto;
      gap: 0 var(--_space);
      padding: var(--_space) calc(var(--_space) * 1.5);
    }
    tr + tr {
      border-top: 1px solid var(--_border);
    }
    /* At 320 px the date wraps and long words break rather than push change and balance out of the box. */
    td {
      padding: 0;
      border: 0;
      overflow-wrap: anywhere;
    }
    .col-date {
      white-space: normal;
    }
    .col-change {
      grid-area: 1 / 2;
    }
    td:last-child {
      grid-column: 1 / -1;
    }
    .col-balance::before {
      content: attr(data-label) ' ' / '';
      color: var(--_text-muted);
    }
  }
  .more {
    justify-self: center;
  }
  .loading {
    display: grid;
    gap: calc(var(--_space) * 1.5);
  }
  dialog {
    width: min(34rem, calc(100vw - 2rem));
  }
  h3 {
    margin: 0;
    font-size: 1em;
  }
  .evidence {
    padding: var(--_space) calc(var(--_space) * 1.5);
    border-radius: var(--_radius);
    background: var(--_surface-muted);
    font-size: 0.875em;
  }
  .evidence ul {
    margin: 0.25rem 0 0;
    padding-inline-start: 1.1em;
  }
  output:empty {
    display: none;
  }
  output {
    font-weight: 600;
  }
`;
