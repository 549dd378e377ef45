// The demo staff page: Admin > Customers. Served as-is; the kit comes from the BFF at /kit/.
import { ApiError, configure, globalClient, loadSession } from '/kit/customer-kit.js';

// The page's own server mints a short-lived embed session; the kit asks again when it expires.
configure({
  fetchSessionToken: async () => {
    const response = await fetch('/demo/session', { cache: 'no-store' });
    if (!response.ok) throw new Error(`GET /demo/session answered ${response.status}`);
    return (await response.json()).data.token;
  },
});

const $ = (id) => document.getElementById(id);
const list = document.querySelector('customer-list');
const form = $('profile-form');
const fields = ['firstname', 'lastname', 'email', 'mobile'];
let current = null; // { id, etag }

function setFieldErrors(errors = {}) {
  for (const name of fields) {
    const input = form.elements[name];
    const id = `${name}-error`;
    $(id)?.remove();
    input.removeAttribute('aria-invalid');
    input.removeAttribute('aria-describedby');
    if (!errors[name]) continue;
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', id);
    input.insertAdjacentHTML('afterend', `<p class="field-error" id="${id}"></p>`);
    $(id).textContent = errors[name];
  }
  const first = fields.find((name) => errors[name]);
  if (first) form.elements[first].focus();
}

async function openProfile(id) {
  loadPasses(id);
  $('profile-hint').hidden = true;
  $('profile-error').hidden = true;
  $('stale').hidden = true;
  $('profile-status').textContent = '';
  setFieldErrors();
  try {
    const { data, etag } = await globalClient().get(`customer/${encodeURIComponent(id)}/profile`);
    current = { id, etag };
    for (const name of fields) form.elements[name].value = data[name] ?? '';
    $('profile-title').textContent = `${data.firstname} ${data.lastname}`;
    form.hidden = false;
  } catch (error) {
    form.hidden = true;
    $('profile-error').textContent = `The profile could not be loaded: ${error.message}`;
    $('profile-error').hidden = false;
  }
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!current) return;
  const body = Object.fromEntries(fields.map((name) => [name, form.elements[name].value.trim()]));
  body.mobile = body.mobile || null;
  setFieldErrors();
  $('profile-status').textContent = '';
  try {
    const reply = await globalClient().put(`customer/${encodeURIComponent(current.id)}/profile`, body, {
      headers: { 'If-Match': current.etag },
    });
    current.etag = reply.etag;
    $('profile-title').textContent = `${body.firstname} ${body.lastname}`;
    $('profile-status').textContent = reply.message ?? 'Saved.';
    list.reload();
  } catch (error) {
    if (error instanceof ApiError && error.code === 'precondition_failed') {
      $('stale').hidden = false;
      $('reload-profile').focus();
    } else if (error instanceof ApiError && error.fields.length) {
      setFieldErrors(Object.fromEntries(error.fields.map((f) => [f.path.split('.')[0], f.message])));
    } else {
      $('profile-status').textContent = '';
      $('profile-error').textContent = `The profile was not saved: ${error.message}`;
      $('profile-error').hidden = false;
    }
  }
});

$('reload-profile').addEventListener('click', () => current && openProfile(current.id));
list.addEventListener('ck-customer-select', (event) => openProfile(event.detail.customerId));
list.addEventListener('ck-customer-created', (event) => {
  list.selectedId = event.detail.customerId;
  openProfile(event.detail.customerId);
});

// Passes and credits: the selected customer's purchases; "View usage" opens <credit-usage> in a dialog.
const usageDialog = $('usage-dialog');
const usage = usageDialog.querySelector('credit-usage');
const kinds = { pass: 'Class pass', membership: 'Membership', bundle: 'Bundle', retail: 'Retail', gift_card: 'Gift card', video: 'Video' };
const classKinds = new Set(['pass', 'membership', 'bundle']); // products that carry credits (or unlimited classes)
const statuses = { active: 'Active', expired: 'Expired', cancelled: 'Cancelled', refunded: 'Refunded' };
const payments = { paid: 'Paid', pending: 'Payment pending', failed: 'Payment failed', refunded: 'Refunded' };
let passesOf = null; // the customer whose passes are shown
let usageOpener = null; // the pass id whose "View usage" button opened the dialog

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

async function loadPasses(customerId) {
  passesOf = customerId;
  $('passes-panel').hidden = false;
  $('passes-status').textContent = 'Loading passes…';
  try {
    const client = globalClient();
    const [{ data: passes }, session] = await Promise.all([
      client.get(`customer/${encodeURIComponent(customerId)}/passes`, { query: { status: 'all', limit: 100 } }),
      loadSession(client),
    ]);
    if (passesOf !== customerId) return; // another customer was opened meanwhile
    const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: session.tenant.timezone });
    const body = $('passes-body');
    body.replaceChildren();
    for (const pass of passes) {
      const row = body.insertRow();
      const product = cell(row, pass.product.name);
      product.insertAdjacentHTML('beforeend', '<br><span class="kind"></span>');
      product.querySelector('.kind').textContent = `${kinds[pass.product.kind] ?? pass.product.kind} · ${statuses[pass.status] ?? pass.status}`;
      const credits = cell(row, pass.unlimited ? 'Unlimited' : `${pass.credits_left} / ${pass.credits_total ?? '–'}`, 'num');
      if (pass.unlimited && !classKinds.has(pass.product.kind)) {
        credits.innerHTML = '<span aria-hidden="true">—</span><span class="visually-hidden">No credits</span>';
      }
      cell(row, pass.expires_at ? when.format(new Date(pass.expires_at)) : 'No expiry', 'when');
      cell(row, payments[pass.payment_status] ?? pass.payment_status);
      const actions = row.insertCell();
      if (!pass.unlimited) {
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = 'View usage';
        button.dataset.passId = pass.id;
        button.setAttribute('aria-label', `View credit usage of ${pass.product.name}`);
        button.addEventListener('click', () => openUsage(pass));
        actions.append(button);
      }
    }
    $('passes-table').hidden = passes.length === 0;
    $('passes-status').textContent = passes.length ? '' : 'This customer has no passes yet.';
  } catch (error) {
    $('passes-table').hidden = true;
    $('passes-status').textContent = `The passes could not be loaded: ${error.message}`;
  }
}

function openUsage(pass) {
  usageOpener = pass.id;
  $('usage-title').textContent = `Credit usage: ${pass.product.name}`;
  usage.customerId = passesOf;
  usage.passId = pass.id;
  usageDialog.showModal();
}

$('usage-close').addEventListener('click', () => usageDialog.close());
// Escape or Close: focus goes back to the "View usage" button of that pass (the table may have been redrawn).
usageDialog.addEventListener('close', () => {
  document.querySelector(`#passes-body button[data-pass-id="${CSS.escape(usageOpener ?? '')}"]`)?.focus();
});
// The balance or expiry changed: redraw the table behind the dialog from the server.
usage.addEventListener('ck-credits-adjusted', () => passesOf && loadPasses(passesOf));
usage.addEventListener('ck-pass-expiry-changed', () => passesOf && loadPasses(passesOf));
