// The 24-hour success/failure chart of a webhook: one stacked bar per hour, drawn by uPlot.
import uPlot from '/webjars/uplot/1.6.30/dist/uPlot.esm.js';
import { h } from './dom.js';
import { t } from './i18n.js';

const COLORS = { succeeded: '#1a7f4b', failed: '#c93434', pending: '#d99a1e' };

/**
 * A small chart of stats.buckets; its text alternative gives the totals, since a chart alone
 * says nothing to a screen reader.
 */
export function hourlyChart(stats, { width = 200, height = 44 } = {}) {
  const x = stats.buckets.map((b) => new Date(b.start).getTime() / 1000);
  const ok = stats.buckets.map((b) => b.succeeded);
  const okBad = stats.buckets.map((b) => b.succeeded + b.failed);
  const all = stats.buckets.map((b) => b.succeeded + b.failed + b.pending);
  const totals = stats.totals;
  const label = t('chart.label', {
    succeeded: totals.succeeded,
    failed: totals.failed,
    pending: totals.pending,
  });
  const holder = h('div', { class: 'chart', role: 'img', 'aria-label': label, title: label });
  const max = Math.max(1, ...all);
  const bars = uPlot.paths.bars({ size: [0.8, 18], gap: 1 });
  const series = (stroke) => ({ stroke, fill: stroke, width: 0, paths: bars, points: { show: false } });
  // Drawn from the tallest down, so each shorter bar covers the bottom of the one before: a stack.
  new uPlot(
    {
      width,
      height,
      legend: { show: false },
      cursor: { show: false },
      select: { show: false },
      padding: [2, 2, 0, 2],
      axes: [{ show: false }, { show: false }],
      // Half a bucket of room on each side, so the first and last bars are not cut in half.
      scales: {
        x: { time: false, range: [x[0] - 1800, x[x.length - 1] + 1800] },
        y: { range: [0, max] },
      },
      series: [
        {},
        series(COLORS.pending),
        series(COLORS.failed),
        series(COLORS.succeeded),
      ],
    },
    [x, all, okBad, ok],
    holder,
  );
  return h(
    'div',
    { class: 'chart-wrap' },
    holder,
    h(
      'div',
      { class: 'chart-legend', 'aria-hidden': 'true' },
      h('span', { class: 'dot dot-ok' }, t('chart.succeeded', { n: totals.succeeded })),
      h('span', { class: 'dot dot-bad' }, t('chart.failed', { n: totals.failed })),
      totals.pending ? h('span', { class: 'dot dot-warn' }, t('chart.pending', { n: totals.pending })) : null,
    ),
  );
}
