// Every label comes from a JSON dictionary per language; the language is the browser's until the
// user picks one, and the choice is remembered on this device.

const SUPPORTED = ['en', 'es'];
const STORAGE_KEY = 'estafeta.lang';
const dictionaries = {};
let current = 'en';
let catalogByType = new Map();

export function languages() {
  return SUPPORTED;
}

export function lang() {
  return current;
}

function preferred() {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (SUPPORTED.includes(saved)) return saved;
  for (const tag of navigator.languages || [navigator.language || 'en']) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (SUPPORTED.includes(base)) return base;
  }
  return 'en';
}

async function load(code) {
  if (!dictionaries[code]) {
    const response = await fetch(`/i18n/${code}.json`, { cache: 'no-cache' });
    dictionaries[code] = await response.json();
  }
  return dictionaries[code];
}

export async function init() {
  await setLang(preferred(), false);
}

export async function setLang(code, remember = true) {
  if (!SUPPORTED.includes(code)) return;
  await load(code);
  current = code;
  if (remember) localStorage.setItem(STORAGE_KEY, code);
  document.documentElement.lang = code;
  translateStatic(document);
}

/** The label of a key, with {name} placeholders filled; the key itself if it has none. */
export function t(key, params = {}) {
  const dict = dictionaries[current] || {};
  let text = dict[key];
  if (text === undefined && 'count' in params) {
    const form = new Intl.PluralRules(current).select(params.count);
    text = dict[`${key}.${form}`] ?? dict[`${key}.other`];
  }
  if (text === undefined) text = (dictionaries.en || {})[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

/** Translates the elements of the static page: data-i18n (text), data-i18n-label (aria-label). */
export function translateStatic(root) {
  root.querySelectorAll('[data-i18n]').forEach((el) => {
    el.textContent = t(el.dataset.i18n);
  });
  root.querySelectorAll('[data-i18n-label]').forEach((el) => {
    el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  });
}

/** The event catalog, kept once loaded: names and descriptions in the user's language. */
export function setCatalog(types) {
  catalogByType = new Map(types.map((type) => [type.type, type]));
}

export function catalog() {
  return [...catalogByType.values()];
}

export function eventType(type) {
  return catalogByType.get(type);
}

export function eventName(type) {
  const found = catalogByType.get(type);
  return found ? found.name[current] || found.name.en : type;
}

export function eventDescription(type) {
  const found = catalogByType.get(type);
  return found ? found.description[current] || found.description.en : '';
}

/** A moment as a date and time in the user's language. */
export function formatTime(iso) {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(current, { dateStyle: 'medium', timeStyle: 'medium' }).format(
    new Date(iso),
  );
}

export function formatClock(iso) {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(current, { timeStyle: 'medium' }).format(new Date(iso));
}

/** "3 minutes ago", "in 20 seconds". */
export function formatRelative(iso, now = Date.now()) {
  if (!iso) return '—';
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(current, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(seconds, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86400), 'day');
}

export function formatNumber(n) {
  return new Intl.NumberFormat(current).format(n);
}
