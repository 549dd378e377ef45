// The strict-CSP page's only script of its own: configures the kit and wires the list to the
// customer's elements. A same-origin file, as `script-src 'self'` requires.
import { configure } from '/kit/customer-kit.js';

async function sessionToken() {
  const reply = await fetch('/demo/session', { cache: 'no-store' });
  if (!reply.ok) throw new Error(`session endpoint answered ${reply.status}`);
  return (await reply.json()).data.token;
}

configure({ fetchSessionToken: sessionToken });

const list = document.querySelector('customer-list');
list.addEventListener('ck-customer-select', async (event) => {
  const { customerId } = event.detail;
  list.selectedId = customerId;
  document.querySelector('waiver-status').customerId = customerId;
  document.querySelector('coupon-manager').customerId = customerId;
  document.querySelector('customer-detail').customerId = customerId;
  // The customer's first active pass that counts credits, for the credit ledger.
  const reply = await fetch(`/api/customer/${encodeURIComponent(customerId)}/passes?status=all`, {
    headers: { authorization: `Bearer ${await sessionToken()}` },
  });
  const passes = reply.ok ? (await reply.json()).data : [];
  const usage = document.querySelector('credit-usage');
  usage.customerId = customerId;
  usage.passId = (passes.find((p) => p.status === 'active' && p.credits_left !== null) ?? passes[0])?.id ?? '';
});
