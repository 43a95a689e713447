// One delivery: its status, its attempts as a timeline (request, response, duration, outcome),
// the next attempt, a retry for a failed one, and each request as curl.
import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import { t, eventName, formatTime, formatRelative, formatNumber } from '../i18n.js';
import { badge, pageHeader, toast, problemBox, headersTable, codeBlock, copyText, loading } from '../ui.js';
import { curl } from '../curl.js';

const REFRESH_MS = 3000;

export async function render(main, params, query, { isCurrent }) {
  replace(main, pageHeader(t('delivery.title')), loading());
  const id = encodeURIComponent(params.id);
  let delivery = await get(`/api/v1/deliveries/${id}`);
  if (!isCurrent()) return undefined;
  let webhookName = null;
  try {
    webhookName = (await get(`/api/v1/webhooks/${encodeURIComponent(delivery.webhookId)}`)).name;
  } catch {
    webhookName = null;
  }
  const notices = h('div');

  function draw() {
    const retry =
      delivery.status === 'failed'
        ? h('button', { type: 'button', class: 'btn btn-primary', id: 'retry', onclick: retryNow }, t('delivery.retry'))
        : null;
    const lastRequest = [...delivery.attempts].reverse().find((a) => a.request)?.request;
    const copy = lastRequest
      ? h('button', { type: 'button', class: 'btn', id: 'copy-curl', onclick: () => copyText(curl(lastRequest), t('delivery.curlCopied')) }, t('delivery.copyCurl'))
      : null;
    replace(
      main,
      pageHeader(eventName(delivery.eventType), h('a', { class: 'btn', href: '#/deliveries' }, t('action.back')), copy, retry),
      notices,
      h(
        'section',
        { class: 'card summary', 'aria-label': t('delivery.summary') },
        h(
          'dl',
          { class: 'facts' },
          fact(t('delivery.status'), h('span', { id: 'delivery-status' }, badge(delivery.status)), delivery.reason ? h('span', { class: 'muted' }, ' ', t(`reason.${delivery.reason}`)) : null),
          fact(t('delivery.webhook'), webhookName ? h('a', { href: `#/webhooks/${encodeURIComponent(delivery.webhookId)}` }, webhookName) : h('span', { class: 'muted' }, t('deliveries.deletedWebhook'))),
          fact(t('delivery.eventType'), h('code', {}, delivery.eventType)),
          fact(t('delivery.eventId'), h('code', {}, delivery.eventId)),
          fact(t('delivery.id'), h('code', {}, delivery.id)),
          fact(t('delivery.created'), formatTime(delivery.createdAt)),
        ),
      ),
      h(
        'section',
        { class: 'timeline-section', 'aria-labelledby': 'timeline-title' },
        h('h2', { id: 'timeline-title' }, t('delivery.timeline')),
        timeline(delivery),
      ),
    );
  }

  async function retryNow() {
    try {
      delivery = await post(`/api/v1/deliveries/${id}/retry`);
      toast(t('delivery.retried'));
      draw();
    } catch (error) {
      replace(notices, problemBox(error));
    }
  }

  draw();
  const timer = setInterval(async () => {
    if (delivery.status !== 'pending') return;
    try {
      delivery = await get(`/api/v1/deliveries/${id}`);
      if (isCurrent()) draw();
    } catch {
      // The next tick tries again.
    }
  }, REFRESH_MS);
  return () => clearInterval(timer);
}

function fact(term, ...details) {
  return h('div', { class: 'fact' }, h('dt', {}, term), h('dd', {}, ...details));
}

function timeline(delivery) {
  const items = delivery.attempts.map((a) =>
    h(
      'li',
      { class: ['attempt', `attempt-${a.outcome}`], dataset: { number: String(a.number) } },
      h('span', { class: 'marker', 'aria-hidden': 'true' }),
      h(
        'div',
        { class: 'attempt-body card' },
        h(
          'div',
          { class: 'attempt-head' },
          h('h3', {}, t('delivery.attempt', { n: a.number })),
          badge(a.outcome, t(`outcome.${a.outcome}`)),
          a.response ? h('span', { class: 'http-status' }, `HTTP ${a.response.status}`) : null,
          h('span', { class: 'muted' }, formatTime(a.startedAt)),
          h('span', { class: 'muted' }, t('test.took', { ms: formatNumber(a.durationMs) })),
        ),
        a.error ? h('p', { class: 'attempt-error' }, a.error) : null,
        h(
          'details',
          { class: 'exchange' },
          h('summary', {}, t('delivery.request'), ' ', h('code', { class: 'muted' }, `${a.request?.method || ''} ${a.request?.url || ''}`)),
          a.request
            ? [
                headersTable(a.request.headers, t('delivery.requestHeaders')),
                codeBlock(a.request.body, t('delivery.requestBody')),
                h('button', { type: 'button', class: 'btn btn-small', onclick: () => copyText(curl(a.request), t('delivery.curlCopied')) }, t('delivery.copyCurl')),
              ]
            : null,
        ),
        a.response
          ? h(
              'details',
              { class: 'exchange' },
              h('summary', {}, t('delivery.response'), ' ', h('code', { class: 'muted' }, `HTTP ${a.response.status}`)),
              headersTable(a.response.headers, t('delivery.responseHeaders')),
              codeBlock(a.response.body, t('delivery.responseBody')),
              a.response.truncated ? h('p', { class: 'muted small' }, t('delivery.truncated')) : null,
            )
          : null,
      ),
    ),
  );
  if (delivery.status === 'pending') {
    items.push(
      h(
        'li',
        { class: 'attempt attempt-next' },
        h('span', { class: 'marker', 'aria-hidden': 'true' }),
        h(
          'div',
          { class: 'attempt-body card' },
          h('h3', {}, delivery.attempts.length ? t('delivery.nextAttempt') : t('delivery.firstAttempt')),
          delivery.nextAttemptAt
            ? h('p', { id: 'next-attempt' }, formatTime(delivery.nextAttemptAt), ' ', h('span', { class: 'muted' }, `(${formatRelative(delivery.nextAttemptAt)})`))
            : h('p', { class: 'muted' }, t('delivery.soon')),
        ),
      ),
    );
  }
  if (!items.length) return h('p', { class: 'muted' }, t('delivery.noAttempts'));
  return h('ol', { class: 'timeline' }, items);
}
