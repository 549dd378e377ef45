import { css } from 'lit';

export default css`
  :host([compact]) {
    display: inline-block;
  }
  div.base {
    display: grid;
    gap: calc(var(--_space) * 1.5);
  }
  .summary {
    justify-self: start;
    margin: 0;
    padding: calc(var(--_space) / 2) var(--_space);
    font-size: 1em;
    white-space: normal;
  }
  .policy-text {
    max-height: 40vh;
    overflow-y: auto;
    padding: var(--_space) calc(var(--_space) * 1.5);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface-muted);
  }
  .body {
    white-space: pre-wrap;
  }
  /* The methods of acceptance. */
  fieldset {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space) calc(var(--_space) * 2);
    margin: 0;
    border: 1px solid var(--_border-strong);
    border-radius: var(--_radius);
  }
  legend {
    font-weight: 600;
  }
`;
