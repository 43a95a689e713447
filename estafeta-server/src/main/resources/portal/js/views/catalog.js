// The 26 event types: what each means, its fields as a readable list, and a sample.
import { h, replace } from '../dom.js';
import { t, catalog, eventName, eventDescription, eventType } from '../i18n.js';
import { pageHeader, codeBlock } from '../ui.js';
import { fields } from '../schema.js';

export async function render(main, params) {
  const types = catalog();
  const selected = params.type && eventType(params.type) ? params.type : types[0]?.type;
  const list = h('ul', { class: 'catalog-list', id: 'catalog-list' });
  const search = h('input', {
    type: 'search',
    class: 'input',
    id: 'catalog-search',
    placeholder: t('catalog.search'),
    'aria-label': t('catalog.search'),
    'aria-controls': 'catalog-list',
    oninput: () => drawList(),
  });

  function drawList() {
    const needle = search.value.trim().toLowerCase();
    replace(
      list,
      types
        .filter((x) => !needle || `${eventName(x.type)} ${x.type} ${eventDescription(x.type)}`.toLowerCase().includes(needle))
        .map((x) =>
          h(
            'li',
            {},
            h(
              'a',
              { href: `#/catalog/${encodeURIComponent(x.type)}`, 'aria-current': x.type === selected ? 'page' : null },
              h('span', { class: 'strong' }, eventName(x.type)),
              h('code', { class: 'muted small' }, x.type),
            ),
          ),
        ),
    );
  }
  drawList();
  replace(
    main,
    pageHeader(t('catalog.title')),
    h('p', { class: 'lead' }, t('catalog.intro', { count: types.length })),
    h(
      'div',
      { class: 'catalog-grid' },
      h('nav', { class: 'card catalog-nav', 'aria-label': t('catalog.types') }, search, list),
      selected ? detail(eventType(selected)) : null,
    ),
  );
  return undefined;
}

function detail(type) {
  const rows = fields(type.schema).map((f) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row', class: `depth-${Math.min(f.depth, 3)}` }, h('code', {}, f.path)),
      h('td', {}, h('span', { class: 'type' }, f.type), f.format ? h('span', { class: 'muted small' }, ` (${f.format})`) : null),
      h('td', {}, f.required ? t('catalog.required') : h('span', { class: 'muted' }, t('catalog.optional'))),
      h(
        'td',
        {},
        f.description,
        f.values.length ? h('div', { class: 'muted small' }, t('catalog.values'), ' ', f.values.map((v) => h('code', { class: 'value' }, String(v)))) : null,
      ),
    ),
  );
  return h(
    'article',
    { class: 'card catalog-detail', 'aria-labelledby': 'event-title' },
    h('h2', { id: 'event-title' }, eventName(type.type), ' ', h('code', { class: 'muted' }, type.type)),
    h('p', {}, eventDescription(type.type)),
    h('p', {}, h('a', { class: 'btn btn-small', href: `#/webhooks/new?event=${encodeURIComponent(type.type)}` }, t('catalog.createWebhook'))),
    h('h3', {}, t('catalog.fields')),
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'table fields-table' },
        h('caption', { class: 'visually-hidden' }, t('catalog.fields')),
        h(
          'thead',
          {},
          h('tr', {}, [t('catalog.field'), t('catalog.type'), t('catalog.requiredCol'), t('catalog.description')].map((x) => h('th', { scope: 'col' }, x))),
        ),
        h('tbody', {}, rows),
      ),
    ),
    h('h3', {}, t('catalog.sample')),
    codeBlock(JSON.stringify(type.sample, null, 2), t('catalog.sample')),
  );
}
