// The delivery log, filtered by webhook, event type, status and time, refreshed while it is open.
import { h, replace } from '../dom.js';
import { get } from '../api.js';
import { t, catalog, eventName, formatTime, formatRelative } from '../i18n.js';
import { badge, pageHeader, emptyState, loading } from '../ui.js';

const STATUSES = ['pending', 'succeeded', 'failed', 'cancelled'];
const PERIODS = { '1h': 3600, '24h': 86400, '7d': 7 * 86400, all: 0 };
const PAGE = 50;
// The API filters by webhook and status; event type and time are filtered here, reading newest
// first and stopping once past the period, so a few pages are enough.
const MAX_PAGES = 10;
const REFRESH_MS = 5000;

export async function render(main, params, query, { isCurrent }) {
  const filters = {
    webhook: query.get('webhook') || '',
    type: query.get('type') || '',
    status: query.get('status') || '',
    period: PERIODS[query.get('period')] !== undefined ? query.get('period') : '24h',
  };
  replace(main, pageHeader(t('deliveries.title')), loading());
  const { items: hooks } = await get('/api/v1/webhooks');
  if (!isCurrent()) return undefined;
  const hookNames = new Map(hooks.map((w) => [w.id, w.name]));

  const select = (id, label, value, options) =>
    h(
      'div',
      { class: 'filter' },
      h('label', { for: id }, label),
      h(
        'select',
        { id, class: 'input', onchange: (event) => apply(id.replace('filter-', ''), event.target.value) },
        options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)),
      ),
    );
  const bar = h(
    'form',
    { class: 'filters card', role: 'search', 'aria-label': t('deliveries.filters'), onsubmit: (e) => e.preventDefault() },
    select('filter-webhook', t('deliveries.webhook'), filters.webhook, [['', t('deliveries.allWebhooks')], ...hooks.map((w) => [w.id, w.name])]),
    select('filter-type', t('deliveries.eventType'), filters.type, [
      ['', t('deliveries.allTypes')],
      ...catalog()
        .map((x) => [x.type, eventName(x.type)])
        .sort((a, b) => a[1].localeCompare(b[1])),
    ]),
    select('filter-status', t('deliveries.status'), filters.status, [['', t('deliveries.allStatuses')], ...STATUSES.map((s) => [s, t(`status.${s}`)])]),
    select('filter-period', t('deliveries.period'), filters.period, Object.keys(PERIODS).map((p) => [p, t(`period.${p}`)])),
  );

  function apply(name, value) {
    filters[name] = value;
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filters)) if (v && !(k === 'period' && v === '24h')) q.set(k, v);
    const text = q.toString();
    location.hash = `#/deliveries${text ? `?${text}` : ''}`;
  }

  const tableHolder = h('div', { class: 'card card-flush', 'aria-live': 'polite', 'aria-busy': 'true' }, loading());
  const updated = h('span', { class: 'muted small', id: 'deliveries-updated' });
  const refresh = h('button', { type: 'button', class: 'btn', onclick: () => load() }, t('action.refresh'));
  replace(main, pageHeader(t('deliveries.title'), updated, refresh), bar, tableHolder);

  let cursor = null;
  let shown = [];
  let loadingNow = false;

  async function fetchMatching(startCursor) {
    const since = PERIODS[filters.period] ? Date.now() - PERIODS[filters.period] * 1000 : 0;
    const found = [];
    let next = startCursor;
    let pages = 0;
    let exhausted = false;
    do {
      const q = new URLSearchParams({ limit: '100' });
      if (filters.webhook) q.set('webhookId', filters.webhook);
      if (filters.status) q.set('status', filters.status);
      if (next) q.set('cursor', next);
      const page = await get(`/api/v1/deliveries?${q}`);
      pages += 1;
      for (const d of page.items) {
        if (since && new Date(d.createdAt).getTime() < since) {
          exhausted = true;
          break;
        }
        if (!filters.type || d.eventType === filters.type) found.push(d);
      }
      next = page.nextCursor;
      if (!next) exhausted = true;
    } while (!exhausted && found.length < PAGE && pages < MAX_PAGES);
    return { found, next: exhausted ? null : next };
  }

  async function load(more = false) {
    if (loadingNow) return;
    loadingNow = true;
    try {
      const { found, next } = await fetchMatching(more ? cursor : null);
      if (!isCurrent()) return;
      shown = more ? [...shown, ...found] : found;
      cursor = next;
      draw();
      updated.textContent = t('deliveries.updated', { time: formatTime(new Date().toISOString()) });
    } finally {
      loadingNow = false;
    }
  }

  function draw() {
    tableHolder.setAttribute('aria-busy', 'false');
    if (!shown.length) {
      replace(tableHolder, emptyState(t('deliveries.emptyTitle'), t('deliveries.emptyText')));
      return;
    }
    const rows = shown.map((d) =>
      h(
        'tr',
        { dataset: { deliveryId: d.id, status: d.status } },
        h('td', { class: 'nowrap' }, h('time', { datetime: d.createdAt, title: formatTime(d.createdAt) }, formatRelative(d.createdAt))),
        h('td', {}, h('a', { href: `#/deliveries/${encodeURIComponent(d.id)}`, class: 'strong' }, eventName(d.eventType)), h('div', { class: 'muted small mono' }, d.eventType)),
        h('td', {}, hookNames.get(d.webhookId) || h('span', { class: 'muted' }, t('deliveries.deletedWebhook'))),
        h('td', {}, badge(d.status), d.reason ? h('div', { class: 'muted small' }, t(`reason.${d.reason}`)) : null),
        h('td', { class: 'num' }, String(d.attemptCount)),
        h(
          'td',
          { class: 'small' },
          d.nextAttemptAt
            ? t('deliveries.nextAttempt', { when: formatRelative(d.nextAttemptAt) })
            : d.error
              ? h('span', { class: 'muted clip', title: d.error }, d.error)
              : '',
        ),
      ),
    );
    replace(
      tableHolder,
      h(
        'table',
        { class: 'table deliveries-table' },
        h('caption', { class: 'visually-hidden' }, t('deliveries.title')),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            [t('deliveries.col.time'), t('deliveries.col.event'), t('deliveries.col.webhook'), t('deliveries.col.status'), t('deliveries.col.attempts'), t('deliveries.col.detail')].map((text) =>
              h('th', { scope: 'col' }, text),
            ),
          ),
        ),
        h('tbody', {}, rows),
      ),
      cursor ? h('div', { class: 'more' }, h('button', { type: 'button', class: 'btn', onclick: () => load(true) }, t('action.loadMore'))) : null,
    );
  }

  await load();
  // New deliveries appear on their own while the first page is shown.
  const timer = setInterval(() => {
    if (!cursor || shown.length <= PAGE) load();
  }, REFRESH_MS);
  return () => clearInterval(timer);
}
