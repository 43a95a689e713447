// The portal: a hash router over a few views, signed in by a one-time link.
import { h, replace } from './dom.js';
import { get, post, del, setCsrfToken, ApiError } from './api.js';
import * as i18n from './i18n.js';
import { t } from './i18n.js';
import { toast } from './ui.js';
import * as webhooks from './views/webhooks.js';
import * as editor from './views/editor.js';
import * as deliveries from './views/deliveries.js';
import * as delivery from './views/delivery.js';
import * as catalogView from './views/catalog.js';
import * as signIn from './views/signin.js';

const main = document.getElementById('main');
let session = null;
let cleanup = null;
let renderCount = 0;

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, queryText = ''] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { parts, query: new URLSearchParams(queryText) };
}

function route(parts) {
  const [section, id] = parts;
  switch (section) {
    case undefined:
    case 'webhooks':
      if (id === 'new') return { view: editor, nav: 'webhooks', params: { id: null } };
      if (id) return { view: editor, nav: 'webhooks', params: { id } };
      return { view: webhooks, nav: 'webhooks', params: {} };
    case 'deliveries':
      return id
        ? { view: delivery, nav: 'deliveries', params: { id } }
        : { view: deliveries, nav: 'deliveries', params: {} };
    case 'catalog':
      return { view: catalogView, nav: 'catalog', params: { type: id || null } };
    default:
      return null;
  }
}

async function render({ rerender = false } = {}) {
  const { parts, query } = parseHash();
  if (parts[0] === 'login' && parts[1]) {
    await login(parts[1]);
    return;
  }
  if (typeof cleanup === 'function') cleanup();
  cleanup = null;
  const count = ++renderCount;
  updateChrome();
  if (!session) {
    signIn.render(main);
    return;
  }
  const target = route(parts);
  if (!target) {
    location.replace('#/webhooks');
    return;
  }
  document.querySelectorAll('[data-nav]').forEach((a) => {
    if (a.dataset.nav === target.nav) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  try {
    const result = await target.view.render(main, target.params, query, {
      rerender,
      isCurrent: () => count === renderCount,
    });
    if (count === renderCount) cleanup = result;
    else if (typeof result === 'function') result();
  } catch (error) {
    if (count !== renderCount) return;
    if (error instanceof ApiError && error.status === 401) return;
    replace(
      main,
      h('div', { class: 'notice notice-bad', role: 'alert' }, error.message || t('error.generic')),
    );
  }
}

/** Spends the link's token for a session, then forgets it from the address bar and history. */
async function login(token) {
  history.replaceState(null, '', `${location.pathname}#/webhooks`);
  try {
    session = await post('/api/v1/portal/session', { token });
    setCsrfToken(session.csrfToken);
    await loadCatalog();
    toast(t('signin.welcome', { name: session.accountName }));
  } catch (error) {
    session = null;
    updateChrome();
    signIn.render(main, { failed: error });
    return;
  }
  await render();
}

async function loadCatalog() {
  i18n.setCatalog(await get('/api/v1/event-types'));
}

function updateChrome() {
  const account = document.getElementById('account-name');
  const nav = document.getElementById('main-nav');
  const logout = document.getElementById('logout');
  account.textContent = session ? session.accountName : '';
  nav.hidden = !session;
  logout.hidden = !session;
}

async function start() {
  await i18n.init();
  const langSelect = document.getElementById('lang');
  langSelect.value = i18n.lang();
  langSelect.addEventListener('change', async () => {
    await i18n.setLang(langSelect.value);
    await render({ rerender: true });
  });
  document.getElementById('logout').addEventListener('click', async () => {
    try {
      await del('/api/v1/portal/session');
    } catch {
      // Signed out either way.
    }
    session = null;
    setCsrfToken(null);
    location.hash = '#/webhooks';
    await render();
    toast(t('signin.signedOut'));
  });
  window.addEventListener('estafeta:signed-out', () => {
    if (!session) return;
    session = null;
    setCsrfToken(null);
    render();
  });
  window.addEventListener('hashchange', async () => {
    await render();
    const title = document.getElementById('page-title');
    if (title) title.focus({ preventScroll: false });
  });
  const { parts } = parseHash();
  if (parts[0] !== 'login') {
    try {
      session = await get('/api/v1/portal/session');
      setCsrfToken(session.csrfToken);
      await loadCatalog();
    } catch {
      session = null;
    }
  }
  await render();
  document.body.classList.add('ready');
}

start();
