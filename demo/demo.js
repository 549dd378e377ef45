// The demo staff page: Admin > Customers. Served as-is; the kit comes from the BFF at /kit/.
import { configure } from '/kit/customer-kit.js';

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
const detail = document.querySelector('customer-detail');
const elements = [list, detail];

// The page's own few words; the kit's elements bring their own catalogues.
const words = {
  en: {
    admin: 'Admin', customers: 'Customers', language: 'Language', theme: 'Theme', auto: 'Automatic', light: 'Light', dark: 'Dark',
    hint: 'Select a customer to see their record.', breadcrumb: 'Breadcrumb', list: 'Customer list', customer: 'Customer',
  },
  de: {
    admin: 'Verwaltung', customers: 'Kunden', language: 'Sprache', theme: 'Darstellung', auto: 'Automatisch', light: 'Hell', dark: 'Dunkel',
    hint: 'Wählen Sie einen Kunden, um seinen Datensatz zu sehen.', breadcrumb: 'Brotkrümelnavigation', list: 'Kundenliste', customer: 'Kunde',
  },
};

function setLanguage(locale) {
  const text = words[locale.slice(0, 2)] ?? words.en;
  document.documentElement.lang = locale;
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = text[node.dataset.i18n];
  for (const node of document.querySelectorAll('[data-i18n-label]')) node.setAttribute('aria-label', text[node.dataset.i18nLabel]);
  document.title = `${text.customers} · ${text.admin} · customer-kit demo`;
  for (const element of elements) element.locale = locale;
}

function setTheme(theme) {
  document.documentElement.dataset.theme = theme;
  for (const element of elements) element.theme = theme;
}

// The choices survive a reload.
const saved = { locale: localStorage.getItem('ck-demo-locale') || 'en-GB', theme: localStorage.getItem('ck-demo-theme') || 'auto' };
$('language').value = saved.locale;
$('theme').value = saved.theme;
setLanguage(saved.locale);
setTheme(saved.theme);
$('language').addEventListener('change', (event) => {
  localStorage.setItem('ck-demo-locale', event.target.value);
  setLanguage(event.target.value);
});
$('theme').addEventListener('change', (event) => {
  localStorage.setItem('ck-demo-theme', event.target.value);
  setTheme(event.target.value);
});

function open(customerId) {
  list.selectedId = customerId;
  detail.customerId = customerId;
  detail.hidden = false;
  $('hint').hidden = true;
  // On a narrow screen the record is below the list: bring it into view, or the choice seems to do nothing.
  const { top } = detail.getBoundingClientRect();
  if (top > innerHeight / 2 || top < 0) detail.scrollIntoView({ block: 'start' });
}

list.addEventListener('ck-customer-select', (event) => open(event.detail.customerId));
list.addEventListener('ck-customer-created', (event) => open(event.detail.customerId));
// A related record chosen on the customer page (a linked guest, the same email) opens the same way.
// What the customer page changes shows in the list too.
detail.addEventListener('ck-customer-select', (event) => open(event.detail.customerId));
detail.addEventListener('ck-customer-updated', () => list.reload());
detail.addEventListener('ck-customer-archived', () => list.reload());
detail.addEventListener('ck-customer-deleted', () => {
  list.selectedId = '';
  list.reload();
});
