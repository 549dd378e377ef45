import { css } from 'lit';

export default css`
  .base {
    display: grid;
    gap: calc(var(--_space) * 1.5);
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space);
  }
  /* The history's heading. */
  h4 {
    margin: var(--_space) 0 0;
    font-size: 1em;
  }
  /* The picker. */
  fieldset {
    display: grid;
    gap: calc(var(--_space) / 2);
    max-height: 16rem;
    margin: 0;
    padding: var(--_space);
    overflow-y: auto;
    border: 1px solid var(--_border-strong);
    border-radius: var(--_radius);
  }
  legend {
    padding: 0 0.25em;
    font-weight: 600;
  }
  /* Its message and each option's .why (an error's .box p is more specific: it keeps its margin). */
  fieldset p {
    margin: 0;
  }
  .option {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 0 var(--_space);
    align-items: baseline;
    padding: calc(var(--_space) / 2);
    border-radius: var(--_radius);
  }
  .option:hover {
    background: var(--_hover);
  }
  .option input:disabled + label {
    color: var(--_text-muted);
  }
  .why {
    grid-column: 2;
    font-size: 0.875em;
  }
`;
