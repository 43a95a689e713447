// The account's webhooks: state, events, last delivery and the last 24 hours of each.
import { h, replace } from '../dom.js';
import { get, put, del } from '../api.js';
import { t, eventName, formatRelative, formatTime } from '../i18n.js';
import { badge, pageHeader, toast, emptyState, confirmDialog, problemBox, loading } from '../ui.js';
import { hourlyChart } from '../chart.js';

const MAX_EVENT_CHIPS = 3;

export async function render(main, params, query, { isCurrent }) {
  replace(main, pageHeader(t('webhooks.title')), loading());
  const { items } = await get('/api/v1/webhooks');
  if (!isCurrent()) return undefined;
  const newButton = h('a', { class: 'btn btn-primary', href: '#/webhooks/new' }, t('webhooks.new'));
  if (!items.length) {
    replace(
      main,
      pageHeader(t('webhooks.title')),
      emptyState(t('webhooks.emptyTitle'), t('webhooks.emptyText'), newButton),
    );
    return undefined;
  }
  const tbody = h('tbody');
  const table = h(
    'table',
    { class: 'table webhooks-table' },
    h('caption', { class: 'visually-hidden' }, t('webhooks.title')),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, t('webhooks.col.name')),
        h('th', { scope: 'col' }, t('webhooks.col.events')),
        h('th', { scope: 'col' }, t('webhooks.col.state')),
        h('th', { scope: 'col' }, t('webhooks.col.last')),
        h('th', { scope: 'col' }, t('webhooks.col.chart')),
        h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('webhooks.col.actions'))),
      ),
    ),
    tbody,
  );
  replace(main, pageHeader(t('webhooks.title'), newButton), h('div', { class: 'card card-flush' }, table));
  for (const webhook of items) tbody.append(row(webhook, main));
  return undefined;
}

function row(webhook, main) {
  const lastCell = h('td', { class: 'last' }, h('span', { class: 'muted' }, '…'));
  const chartCell = h('td', { class: 'chart-cell' });
  const tr = h(
    'tr',
    { dataset: { webhookId: webhook.id } },
    h(
      'td',
      { class: 'name' },
      h('a', { href: `#/webhooks/${encodeURIComponent(webhook.id)}`, class: 'strong' }, webhook.name),
      h('div', { class: 'url' }, h('span', { class: 'method' }, webhook.method), ' ', webhook.url),
    ),
    h('td', {}, eventChips(webhook.events)),
    h('td', {}, badge(webhook.enabled ? 'enabled' : 'disabled')),
    lastCell,
    chartCell,
    h('td', { class: 'actions' }, actions(webhook, main)),
  );
  get(`/api/v1/webhooks/${encodeURIComponent(webhook.id)}/stats`)
    .then((stats) => {
      const last = stats.lastDelivery;
      replace(
        lastCell,
        last
          ? h(
              'a',
              { href: `#/deliveries/${encodeURIComponent(last.id)}`, class: 'last-link', title: formatTime(last.createdAt) },
              badge(last.status),
              ' ',
              h('span', { class: 'muted small' }, formatRelative(last.createdAt)),
            )
          : h('span', { class: 'muted' }, t('webhooks.noDeliveries')),
      );
      replace(chartCell, hourlyChart(stats));
    })
    .catch(() => replace(lastCell, h('span', { class: 'muted' }, '—')));
  return tr;
}

function eventChips(events) {
  const shown = events.slice(0, MAX_EVENT_CHIPS);
  return h(
    'ul',
    { class: 'chips' },
    shown.map((type) => h('li', { class: 'chip', title: type }, eventName(type))),
    events.length > MAX_EVENT_CHIPS
      ? h('li', { class: 'chip chip-more', title: events.slice(MAX_EVENT_CHIPS).map(eventName).join(', ') }, t('webhooks.more', { count: events.length - MAX_EVENT_CHIPS }))
      : null,
  );
}

function actions(webhook, main) {
  const toggle = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-small',
      'aria-label': t(webhook.enabled ? 'webhooks.disableNamed' : 'webhooks.enableNamed', { name: webhook.name }),
      onclick: async () => {
        try {
          // The definition goes back as it was read: secret header values stay null and are kept.
          const { name, events, method, url, headers, body, timeout } = webhook;
          await put(`/api/v1/webhooks/${encodeURIComponent(webhook.id)}`, {
            name, events, method, url, headers, body, timeout, enabled: !webhook.enabled,
          });
          toast(t(webhook.enabled ? 'webhooks.disabled' : 'webhooks.enabled', { name: webhook.name }));
          await render(main, {}, null, { isCurrent: () => true });
        } catch (error) {
          main.prepend(problemBox(error));
        }
      },
    },
    t(webhook.enabled ? 'action.disable' : 'action.enable'),
  );
  const remove = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-small btn-danger-quiet',
      'aria-label': t('webhooks.deleteNamed', { name: webhook.name }),
      onclick: async () => {
        const sure = await confirmDialog({
          title: t('webhooks.deleteTitle', { name: webhook.name }),
          text: t('webhooks.deleteText'),
          confirm: t('action.delete'),
        });
        if (!sure) return;
        try {
          await del(`/api/v1/webhooks/${encodeURIComponent(webhook.id)}`);
          toast(t('webhooks.deleted', { name: webhook.name }));
          await render(main, {}, null, { isCurrent: () => true });
        } catch (error) {
          main.prepend(problemBox(error));
        }
      },
    },
    t('action.delete'),
  );
  return h(
    'div',
    { class: 'row-actions' },
    h('a', { class: 'btn btn-small', href: `#/webhooks/${encodeURIComponent(webhook.id)}`, 'aria-label': t('webhooks.editNamed', { name: webhook.name }) }, t('action.edit')),
    toggle,
    remove,
  );
}
