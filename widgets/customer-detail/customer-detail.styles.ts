import { css } from 'lit';

export default css`
  .base {
    container-type: inline-size;
  }
  .base,
  .grid {
    display: grid;
    gap: calc(var(--_space) * 2);
    min-width: 0;
  }
  h2,
  h3,
  p,
  dl,
  dd {
    margin: 0;
  }
  h2 {
    font-size: 1.375em;
  }
  h3 {
    font-size: 1.0625em;
  }
  .header {
    align-items: start;
  }
  .who {
    flex: 1 1 16rem;
  }
  .who,
  .card {
    display: grid;
    gap: var(--_space);
    min-width: 0;
    overflow-wrap: anywhere;
  }
  .card,
  .stats div {
    align-content: start;
    padding: calc(var(--_space) * 1.5);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .stats {
    grid-template-columns: 1fr 1fr;
    gap: var(--_space);
  }
  /* A long word ("Anwesenheitsquote") breaks rather than widen its tile, and the page, past a 320 px screen. */
  .stats div {
    background: var(--_surface-muted);
    overflow-wrap: anywhere;
    hyphens: auto;
  }
  dl {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: calc(var(--_space) / 2) calc(var(--_space) * 2);
  }
  dt {
    color: var(--_text-muted);
  }
  .stats dd {
    font-size: 1.25em;
    font-weight: 600;
  }
  /* Every list sits in a section card: lines divide its rows instead of boxes. */
  .list {
    gap: 0;
  }
  .item {
    padding: var(--_space) 0;
    border: 0;
    border-radius: 0;
  }
  .item + .item {
    border-top: 1px solid var(--_border);
  }
  .spread {
    justify-content: space-between;
  }
  .note {
    white-space: pre-wrap;
  }
  .more,
  .filter {
    justify-self: start;
  }
  .base > .skeleton {
    height: 4rem;
  }
  /* The menu keeps to the end of the header, on a line of its own too when the header wraps (a narrow
     element), so the menu anchored to its end stays inside the element. */
  .menu {
    position: relative;
    margin-inline-start: auto;
  }
  [role=menu] {
    position: absolute;
    inset-inline-end: 0;
    z-index: 1;
    min-width: 12rem;
    padding: 0.25rem;
    border: 1px solid var(--_border-strong);
    border-radius: var(--_radius);
    background: var(--_surface);
    box-shadow: 0 0.25rem 1rem var(--_backdrop);
  }
  /* Buttons that read as text: menu items, tabs, and the links to related records. */
  [role=menuitem],
  [role=tab],
  .link {
    padding: var(--_space);
    border: 0;
    border-radius: var(--_radius);
    background: none;
    color: inherit;
    font: inherit;
    text-align: start;
    cursor: pointer;
  }
  [role=menuitem] {
    display: block;
    width: 100%;
  }
  [role=menuitem]:hover,
  [role=menuitem]:focus {
    background: var(--_hover);
  }
  [role=tablist] {
    display: flex;
    border-bottom: 1px solid var(--_border);
  }
  [role=tab] {
    border-bottom: 3px solid transparent;
    border-radius: 0;
  }
  [aria-selected=true] {
    border-color: var(--_accent);
    font-weight: 600;
  }
  .bar {
    height: 0.5rem;
    border-radius: 1rem;
    background: linear-gradient(90deg, var(--_accent) calc(var(--v) * 100%), var(--_skeleton) 0);
  }
  /* The credit usage needs room for its chart and table. */
  dialog:has(credit-usage) {
    width: min(72rem, calc(100vw - 2rem));
  }
  .head {
    margin-bottom: var(--_space);
  }
  @container (min-width: 36rem) {
    .stats {
      grid-template-columns: repeat(4, 1fr);
    }
  }
  @container (min-width: 56rem) {
    .grid {
      display: block;
      columns: 2;
      column-gap: calc(var(--_space) * 2);
    }
    .card {
      break-inside: avoid;
      margin-bottom: calc(var(--_space) * 2);
    }
  }
  a,
  .link {
    color: var(--_accent);
  }
  .link {
    padding: 0;
    text-decoration: underline;
  }
`;
