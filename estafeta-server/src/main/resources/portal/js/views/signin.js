// Shown without a session: how to get in, and why a link did not work.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';

export function render(main, { failed } = {}) {
  replace(
    main,
    h(
      'section',
      { class: 'signin card', 'aria-labelledby': 'page-title' },
      h('h1', { id: 'page-title', tabindex: '-1' }, failed ? t('signin.failedTitle') : t('signin.title')),
      failed ? h('p', { class: 'notice notice-bad', role: 'alert' }, t('signin.failedText')) : null,
      h('p', {}, t('signin.text')),
      h('p', { class: 'muted' }, t('signin.operator')),
      h('pre', { class: 'code' }, './estafeta portal-link ACCOUNT_ID'),
    ),
  );
}
