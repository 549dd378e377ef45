// The demo staff page: Admin > Customers. Served as-is; the kit comes from the BFF at /kit/.
import { ApiError, configure, globalClient } from '/kit/customer-kit.js';

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
