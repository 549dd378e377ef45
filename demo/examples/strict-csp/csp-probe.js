// Loaded as a classic script before the kit: records every Content-Security-Policy violation of the
// page (blocked inline styles or scripts, Trusted Types refusals, other origins) so that nothing is
// refused silently. The strict-CSP test reads `window.cspViolations`.
window.cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.cspViolations.push({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    sample: event.sample,
    source: `${event.sourceFile}:${event.lineNumber}`,
  });
  const counter = document.getElementById('violations');
  if (counter) counter.textContent = String(window.cspViolations.length);
  console.warn('CSP violation', event.effectiveDirective, event.blockedURI, event.sample);
});
