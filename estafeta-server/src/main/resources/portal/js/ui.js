// Small pieces every page uses: badges, notices, dialogs, tables of headers, code blocks.
import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { headerList } from './curl.js';

const STATUS_TONE = {
  succeeded: 'ok',
  success: 'ok',
  failed: 'bad',
  failure: 'bad',
  pending: 'warn',
  retry: 'warn',
  cancelled: 'muted',
  enabled: 'ok',
  disabled: 'muted',
};

/** A coloured label for a status or outcome, in words (never colour alone). */
export function badge(status, label = t(`status.${status}`)) {
  return h('span', { class: ['badge', `badge-${STATUS_TONE[status] || 'muted'}`] }, label);
}

export function pageHeader(title, ...actions) {
  return h(
    'div',
    { class: 'page-header' },
    h('h1', { id: 'page-title', tabindex: '-1' }, title),
    h('div', { class: 'page-actions' }, ...actions),
  );
}

let toastTimer = null;
/** A short message in the live region: screen readers announce it too. */
export function toast(message, tone = 'ok') {
  const region = document.getElementById('toast');
  if (!region) return;
  replace(region, h('div', { class: ['toast', `toast-${tone}`] }, message));
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => region.replaceChildren(), 4000);
}

/** A notice for a failed request: its problem's detail and, for 422, each field's message. */
export function problemBox(error) {
  const items = (error.errors || []).map((e) =>
    h('li', {}, e.field ? h('code', {}, e.field) : null, e.field ? ': ' : '', e.message),
  );
  return h(
    'div',
    { class: 'notice notice-bad', role: 'alert' },
    h('p', {}, error.message || t('error.generic')),
    items.length ? h('ul', {}, items) : null,
  );
}

export function emptyState(title, text, ...actions) {
  return h(
    'div',
    { class: 'empty' },
    h('h2', {}, title),
    text ? h('p', {}, text) : null,
    actions.length ? h('div', { class: 'empty-actions' }, ...actions) : null,
  );
}

/** Asks before something that cannot be undone; resolves true when confirmed. */
export function confirmDialog({ title, text, confirm, tone = 'danger' }) {
  return new Promise((resolve) => {
    const titleId = 'confirm-title';
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId });
    const close = (answer) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    dialog.append(
      h('h2', { id: titleId }, title),
      h('p', {}, text),
      h(
        'div',
        { class: 'dialog-actions' },
        h('button', { type: 'button', class: 'btn', onclick: () => close(false) }, t('action.cancel')),
        h(
          'button',
          { type: 'button', class: ['btn', tone === 'danger' ? 'btn-danger' : 'btn-primary'], onclick: () => close(true) },
          confirm,
        ),
      ),
    );
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      close(false);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** A dialog that shows text to copy by hand (when the clipboard is not available). */
export function textDialog(title, text) {
  const titleId = 'text-dialog-title';
  const area = h('textarea', { class: 'code', rows: '12', readonly: true, 'aria-labelledby': titleId });
  area.value = text;
  const dialog = h(
    'dialog',
    { class: 'dialog dialog-wide', 'aria-labelledby': titleId },
    h('h2', { id: titleId }, title),
    area,
    h(
      'div',
      { class: 'dialog-actions' },
      h('button', { type: 'button', class: 'btn btn-primary', onclick: () => { dialog.close(); dialog.remove(); } }, t('action.close')),
    ),
  );
  document.body.append(dialog);
  dialog.showModal();
  area.select();
}

export async function copyText(text, done) {
  try {
    await navigator.clipboard.writeText(text);
    toast(done);
  } catch {
    textDialog(t('action.copyByHand'), text);
  }
}

/** A request's or response's headers as a two-column table. */
export function headersTable(headers, caption) {
  const list = headerList(headers);
  if (!list.length) return h('p', { class: 'muted' }, t('common.noHeaders'));
  return h(
    'table',
    { class: 'kv' },
    caption ? h('caption', { class: 'visually-hidden' }, caption) : null,
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('common.header')), h('th', { scope: 'col' }, t('common.value')))),
    h(
      'tbody',
      {},
      list.map((x) => h('tr', {}, h('th', { scope: 'row' }, x.name), h('td', {}, h('code', {}, x.value)))),
    ),
  );
}

/** A body as sent or received, exactly; an empty body says so. */
export function codeBlock(text, label) {
  if (text === null || text === undefined || text === '') {
    return h('p', { class: 'muted' }, t('common.emptyBody'));
  }
  return h('pre', { class: 'code', tabindex: '0', 'aria-label': label }, text);
}

export function loading() {
  return h('p', { class: 'loading', role: 'status' }, t('common.loading'));
}

export function visuallyHidden(text) {
  return h('span', { class: 'visually-hidden' }, text);
}
