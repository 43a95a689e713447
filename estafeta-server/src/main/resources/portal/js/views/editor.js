// The webhook editor: events, method, URL, headers, body template, a variable palette built from
// the chosen events' schemas, a live preview rendered by the server, and a test send.
import { h, replace, nextId, debounce } from '../dom.js';
import { get, post, put, ApiError } from '../api.js';
import { t, catalog, eventName, eventDescription, eventType, formatNumber } from '../i18n.js';
import { fields, snippet, METADATA } from '../schema.js';
import { templateEditor } from '../codemirror.js';
import { badge, pageHeader, toast, problemBox, headersTable, codeBlock, copyText, loading } from '../ui.js';

const METHODS = ['POST', 'PUT', 'PATCH', 'DELETE', 'GET', 'HEAD', 'OPTIONS'];
const FORMATS = ['json', 'xml', 'text', 'csv', 'yaml', 'form'];
const NO_BODY = new Set(['GET', 'HEAD']);
const STARTERS = {
  json: '{\n  "event": "{{@event.type}}",\n  "id": "{{@event.id}}"\n}',
  xml: '<?xml version="1.0" encoding="UTF-8"?>\n<event type="{{@event.type}}">\n  <id>{{@event.id}}</id>\n</event>',
  text: '{{@event.type}} {{@event.id}}',
  csv: 'event,id\n{{@event.type}},{{@event.id}}',
  yaml: 'event: {{@event.type}}\nid: {{@event.id}}',
  form: 'event={{@event.type}}&id={{@event.id}}',
};

// What a language switch must not lose: the draft being edited.
let kept = null;

function blank() {
  return {
    name: '',
    events: [],
    method: 'POST',
    url: '',
    headers: [],
    format: 'json',
    template: STARTERS.json,
    enabled: true,
    timeout: '15s',
  };
}

function fromApi(w) {
  return {
    name: w.name,
    events: [...w.events],
    method: w.method,
    url: w.url,
    headers: w.headers.map((x) => ({ name: x.name, value: x.value ?? '', secret: x.secret, stored: x.secret && x.value === null })),
    format: w.body ? w.body.format : 'none',
    template: w.body ? w.body.template : '',
    enabled: w.enabled,
    timeout: w.timeout,
  };
}

/** The draft as the API reads it; a stored secret left untouched goes back as null (kept). */
function toApi(d) {
  const body = NO_BODY.has(d.method) || d.format === 'none' ? null : { format: d.format, template: d.template };
  return {
    name: d.name,
    events: d.events,
    method: d.method,
    url: d.url,
    headers: d.headers.map((x) => ({ name: x.name, value: x.stored && x.value === '' ? null : x.value, secret: x.secret })),
    body,
    enabled: d.enabled,
    timeout: d.timeout,
  };
}

export async function render(main, params, query, { rerender, isCurrent }) {
  const key = params.id || 'new';
  let saved = null;
  let draft;
  if (rerender && kept && kept.key === key) {
    ({ saved, draft } = kept);
  } else {
    replace(main, pageHeader(params.id ? t('editor.titleEdit') : t('editor.titleNew')), loading());
    if (params.id) {
      saved = await get(`/api/v1/webhooks/${encodeURIComponent(params.id)}`);
      if (!isCurrent()) return undefined;
      draft = fromApi(saved);
    } else {
      draft = blank();
      const preset = query.get('event');
      if (preset && eventType(preset)) draft.events = [preset];
    }
  }
  const editor = new Editor(main, key, saved, draft, rerender && kept?.key === key ? kept.dirty : false);
  return () => editor.destroy();
}

class Editor {
  constructor(main, key, saved, draft, dirty) {
    this.main = main;
    this.key = key;
    this.saved = saved;
    this.draft = draft;
    this.dirty = dirty;
    this.fieldErrors = new Map();
    // Problems show at the fields the user has worked on, and everywhere once they try to save.
    this.touched = new Set();
    this.submitted = Boolean(saved);
    this.lastTarget = null;
    this.previewType = draft.events[0] || null;
    this.previewRequest = 0;
    this.schedulePreview = debounce(() => this.preview(), 350);
    this.onBeforeUnload = (event) => {
      if (this.dirty) event.preventDefault();
    };
    window.addEventListener('beforeunload', this.onBeforeUnload);
    this.build();
    this.preview();
  }

  destroy() {
    this.schedulePreview.cancel();
    window.removeEventListener('beforeunload', this.onBeforeUnload);
    kept = { key: this.key, saved: this.saved, draft: this.draft, dirty: this.dirty };
  }

  changed(field) {
    if (field) this.touched.add(field);
    this.dirty = true;
    this.saveState.textContent = t('editor.unsaved');
    this.schedulePreview();
  }

  // ---- layout ----

  build() {
    this.fieldErrors = new Map();
    this.saveButton = h('button', { type: 'button', class: 'btn btn-primary', id: 'save', onclick: () => this.save() }, t('action.save'));
    this.saveState = h('span', { class: 'muted small save-state', role: 'status' }, this.dirty ? t('editor.unsaved') : '');
    this.topErrors = h('div', { class: 'top-errors' });
    this.palette = h('div', { class: 'palette-list' });
    this.previewBox = h('div', { class: 'preview-box' });
    this.previewStatus = h('span', { class: 'muted small', role: 'status', id: 'preview-status' });
    this.previewSelect = h('select', { id: 'preview-type', class: 'input', onchange: () => { this.previewType = this.previewSelect.value; this.preview(); } });
    this.testResult = h('div', { class: 'test-result', 'aria-live': 'polite' });

    const form = h(
      'form',
      { class: 'editor-form card', novalidate: true, onsubmit: (event) => { event.preventDefault(); this.save(); } },
      this.nameField(),
      this.eventsField(),
      this.requestFields(),
      this.headersField(),
      this.bodyField(),
      this.optionsField(),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('action.save')), this.saveState),
    );

    const aside = h(
      'aside',
      { class: 'palette card', 'aria-labelledby': 'palette-title' },
      h('h2', { id: 'palette-title' }, t('palette.title')),
      h('p', { class: 'muted small' }, t('palette.help')),
      h('input', {
        type: 'search',
        class: 'input',
        id: 'palette-search',
        placeholder: t('palette.search'),
        'aria-label': t('palette.search'),
        oninput: (event) => this.renderPalette(event.target.value),
      }),
      this.palette,
    );

    const right = h(
      'div',
      { class: 'side' },
      h(
        'section',
        { class: 'card preview', 'aria-labelledby': 'preview-title' },
        h('div', { class: 'card-head' }, h('h2', { id: 'preview-title' }, t('preview.title')), this.previewStatus),
        h('div', { class: 'inline-field' }, h('label', { for: 'preview-type' }, t('preview.with')), this.previewSelect),
        this.previewBox,
      ),
      h(
        'section',
        { class: 'card test', 'aria-labelledby': 'test-title' },
        h('div', { class: 'card-head' }, h('h2', { id: 'test-title' }, t('test.title'))),
        h('p', { class: 'muted small' }, t('test.help')),
        h('button', { type: 'button', class: 'btn', id: 'send-test', onclick: () => this.test() }, t('test.send')),
        this.testResult,
      ),
    );

    replace(
      this.main,
      pageHeader(
        this.saved ? this.saved.name : t('editor.titleNew'),
        h('a', { class: 'btn', href: '#/webhooks' }, t('action.back')),
        this.saved ? h('a', { class: 'btn', href: `#/deliveries?webhook=${encodeURIComponent(this.saved.id)}` }, t('editor.deliveries')) : null,
        this.saveButton,
      ),
      this.topErrors,
      this.secretBox(),
      h('div', { class: 'editor-grid' }, form, aside, right),
    );
    this.template?.refresh();
    this.renderPalette('');
    this.renderPreviewSelect();
  }

  secretBox() {
    if (!this.saved) return null;
    return h(
      'div',
      { class: 'notice notice-info secret-box' },
      h('span', {}, t('editor.signingSecret')),
      ' ',
      h('code', { id: 'signing-secret' }, this.saved.signingSecret),
      ' ',
      h('button', { type: 'button', class: 'btn btn-small', onclick: () => copyText(this.saved.signingSecret, t('editor.secretCopied')) }, t('action.copy')),
    );
  }

  field(name, label, control, { help, id } = {}) {
    const errorId = nextId('err');
    const helpId = help ? nextId('help') : null;
    const error = h('p', { class: 'field-error', id: errorId, hidden: true });
    this.fieldErrors.set(name, { error, control });
    control.setAttribute('aria-describedby', [helpId, errorId].filter(Boolean).join(' '));
    return h(
      'div',
      { class: 'field', dataset: { field: name } },
      h('label', { for: id || control.id }, label),
      control,
      help ? h('p', { class: 'help', id: helpId }, help) : null,
      error,
    );
  }

  nameField() {
    const input = h('input', {
      class: 'input',
      id: 'webhook-name',
      value: this.draft.name,
      autocomplete: 'off',
      placeholder: t('editor.namePlaceholder'),
      oninput: (event) => { this.draft.name = event.target.value; this.changed('name'); },
    });
    return this.field('name', t('editor.name'), input);
  }

  eventsField() {
    const listId = nextId('events');
    this.eventChips = h('ul', { class: 'chips chips-removable', 'aria-label': t('editor.selectedEvents') });
    this.eventList = h('div', { class: 'event-list', id: listId });
    const search = h('input', {
      type: 'search',
      class: 'input',
      id: 'event-search',
      placeholder: t('editor.searchEvents'),
      'aria-controls': listId,
      autocomplete: 'off',
      oninput: (event) => this.renderEventList(event.target.value),
    });
    const errorId = nextId('err');
    const error = h('p', { class: 'field-error', id: errorId, hidden: true });
    const fieldset = h(
      'fieldset',
      { class: 'field events-field', dataset: { field: 'events' }, 'aria-describedby': errorId },
      h('legend', {}, t('editor.events')),
      this.eventChips,
      h('label', { for: 'event-search', class: 'visually-hidden' }, t('editor.searchEvents')),
      search,
      this.eventList,
      error,
    );
    this.fieldErrors.set('events', { error, control: search });
    this.renderEventChips();
    this.renderEventList('');
    return fieldset;
  }

  renderEventChips() {
    replace(
      this.eventChips,
      this.draft.events.length
        ? this.draft.events.map((type) =>
            h(
              'li',
              { class: 'chip' },
              eventName(type),
              h('button', {
                type: 'button',
                class: 'chip-remove',
                'aria-label': t('editor.removeEvent', { name: eventName(type) }),
                onclick: () => this.toggleEvent(type, false),
              }, '×'),
            ),
          )
        : h('li', { class: 'muted small' }, t('editor.noEvents')),
    );
  }

  renderEventList(filter) {
    const needle = filter.trim().toLowerCase();
    const groups = new Map();
    for (const type of catalog()) {
      const name = eventName(type.type);
      const text = `${name} ${type.type}`.toLowerCase();
      if (needle && !text.includes(needle)) continue;
      const group = type.type.split('.')[0];
      if (!groups.has(group)) groups.set(group, []);
      groups.get(group).push(type);
    }
    if (!groups.size) {
      replace(this.eventList, h('p', { class: 'muted small' }, t('editor.noEventMatch')));
      return;
    }
    replace(
      this.eventList,
      [...groups.entries()].map(([group, types]) =>
        h(
          'div',
          { class: 'event-group', role: 'group', 'aria-label': t(`category.${group}`) },
          h('div', { class: 'event-group-title', 'aria-hidden': 'true' }, t(`category.${group}`)),
          types.map((type) => {
            const id = `ev-${type.type.replace(/[^a-z0-9]/gi, '-')}`;
            return h(
              'div',
              { class: 'event-option' },
              h('input', {
                type: 'checkbox',
                id,
                value: type.type,
                checked: this.draft.events.includes(type.type),
                onchange: (event) => this.toggleEvent(type.type, event.target.checked),
              }),
              h('label', { for: id, title: eventDescription(type.type) }, eventName(type.type), ' ', h('code', { class: 'muted small' }, type.type)),
            );
          }),
        ),
      ),
    );
  }

  toggleEvent(type, on) {
    const has = this.draft.events.includes(type);
    if (on && !has) this.draft.events.push(type);
    if (!on && has) this.draft.events = this.draft.events.filter((x) => x !== type);
    const box = this.eventList.querySelector(`input[value="${CSS.escape(type)}"]`);
    if (box) box.checked = on;
    if (!this.draft.events.includes(this.previewType)) this.previewType = this.draft.events[0] || null;
    this.renderEventChips();
    this.renderPalette(document.getElementById('palette-search')?.value || '');
    this.renderPreviewSelect();
    this.changed('events');
  }

  requestFields() {
    const method = h(
      'select',
      {
        id: 'webhook-method',
        class: 'input',
        onchange: (event) => {
          this.draft.method = event.target.value;
          this.updateBodyVisibility();
          this.changed('method');
        },
      },
      METHODS.map((m) => h('option', { value: m, selected: m === this.draft.method }, m)),
    );
    const url = h('input', {
      class: 'input mono',
      id: 'webhook-url',
      value: this.draft.url,
      autocomplete: 'off',
      spellcheck: 'false',
      placeholder: 'https://crm.example.com/clients/{{client.id}}/notes',
      oninput: (event) => { this.draft.url = event.target.value; this.changed('url'); },
      onfocus: (event) => { this.lastTarget = { input: event.target }; },
      onkeydown: (event) => this.paletteShortcut(event),
    });
    return h(
      'div',
      { class: 'field-row' },
      h('div', { class: 'field-method' }, this.field('method', t('editor.method'), method)),
      h('div', { class: 'field-grow' }, this.field('url', t('editor.url'), url, { help: t('editor.urlHelp') })),
    );
  }

  headersField() {
    this.headerRows = h('div', { class: 'header-rows' });
    this.renderHeaders();
    return h(
      'fieldset',
      { class: 'field headers-field' },
      h('legend', {}, t('editor.headers')),
      h('p', { class: 'help' }, t('editor.headersHelp')),
      this.headerRows,
      h('button', {
        type: 'button',
        class: 'btn btn-small',
        id: 'add-header',
        onclick: () => {
          this.draft.headers.push({ name: '', value: '', secret: false, stored: false });
          this.renderHeaders();
          this.headerRows.querySelector('.header-row:last-child input')?.focus();
          this.changed();
        },
      }, t('editor.addHeader')),
    );
  }

  renderHeaders() {
    for (const key of [...this.fieldErrors.keys()]) if (key.startsWith('headers[')) this.fieldErrors.delete(key);
    replace(
      this.headerRows,
      this.draft.headers.map((header, i) => {
        const nameId = `header-${i}-name`;
        const valueId = `header-${i}-value`;
        const secretId = `header-${i}-secret`;
        const nameError = h('p', { class: 'field-error', id: `${nameId}-error`, hidden: true });
        const valueError = h('p', { class: 'field-error', id: `${valueId}-error`, hidden: true });
        const name = h('input', {
          class: 'input mono',
          id: nameId,
          value: header.name,
          placeholder: 'X-Api-Key',
          autocomplete: 'off',
          'aria-describedby': nameError.id,
          oninput: (event) => { header.name = event.target.value; this.changed(`headers[${i}].name`); },
        });
        const value = h('input', {
          class: 'input mono',
          id: valueId,
          type: header.secret ? 'password' : 'text',
          value: header.value,
          autocomplete: 'off',
          spellcheck: 'false',
          placeholder: header.stored ? t('editor.secretStored') : '',
          'aria-describedby': valueError.id,
          oninput: (event) => { header.value = event.target.value; this.changed(`headers[${i}].value`); },
          onfocus: (event) => { this.lastTarget = header.secret ? null : { input: event.target }; },
          onkeydown: (event) => this.paletteShortcut(event),
        });
        const secret = h('input', {
          type: 'checkbox',
          role: 'switch',
          id: secretId,
          checked: header.secret,
          onchange: (event) => {
            header.secret = event.target.checked;
            if (!header.secret && header.stored) {
              header.stored = false;
            }
            value.type = header.secret ? 'password' : 'text';
            this.changed();
          },
        });
        this.fieldErrors.set(`headers[${i}].name`, { error: nameError, control: name });
        this.fieldErrors.set(`headers[${i}].value`, { error: valueError, control: value });
        return h(
          'div',
          { class: 'header-row', dataset: { index: String(i) } },
          h('div', { class: 'header-name' }, h('label', { for: nameId, class: 'small' }, t('editor.headerName')), name, nameError),
          h('div', { class: 'header-value' }, h('label', { for: valueId, class: 'small' }, t('editor.headerValue')), value, valueError),
          h('div', { class: 'header-secret' }, secret, h('label', { for: secretId, class: 'small switch-label' }, t('editor.secret'))),
          h('button', {
            type: 'button',
            class: 'btn btn-small btn-danger-quiet',
            'aria-label': t('editor.removeHeader', { name: header.name || String(i + 1) }),
            onclick: () => {
              this.draft.headers.splice(i, 1);
              this.renderHeaders();
              this.changed();
            },
          }, t('action.remove')),
        );
      }),
    );
  }

  bodyField() {
    const format = h(
      'select',
      {
        id: 'body-format',
        class: 'input',
        onchange: (event) => {
          const previous = this.draft.format;
          this.draft.format = event.target.value;
          if (this.draft.format !== 'none') {
            // A starter for an empty or untouched template, so the format change is visible.
            if (!this.draft.template.trim() || this.draft.template === STARTERS[previous]) {
              this.template.cm.setValue(STARTERS[this.draft.format]);
            }
            this.template.setFormat(this.draft.format);
          }
          this.updateBodyVisibility();
          this.changed('body.format');
        },
      },
      h('option', { value: 'none', selected: this.draft.format === 'none' }, t('editor.noBody')),
      FORMATS.map((f) => h('option', { value: f, selected: f === this.draft.format }, t(`format.${f}`))),
    );
    const holder = h('div', { class: 'template-holder', id: 'template-editor' });
    const templateErrors = h('p', { class: 'field-error', id: 'template-error', hidden: true });
    this.template = templateEditor(holder, {
      value: this.draft.template,
      format: this.draft.format === 'none' ? 'text' : this.draft.format,
      label: t('editor.template'),
      onChange: (text) => {
        this.draft.template = text;
        this.changed('body.template');
      },
      onFocus: () => { this.lastTarget = { editor: true }; },
      onPalette: () => document.getElementById('palette-search')?.focus(),
    });
    this.template.input.setAttribute('aria-describedby', 'template-help template-error');
    this.fieldErrors.set('body.template', { error: templateErrors, control: this.template.input, editor: true });
    this.bodyNote = h('p', { class: 'muted small', hidden: true }, t('editor.noBodyForMethod'));
    this.templateSection = h(
      'div',
      { class: 'field template-field', dataset: { field: 'body.template' } },
      h('span', { class: 'label', id: 'template-label' }, t('editor.template')),
      holder,
      h('p', { class: 'help', id: 'template-help' }, t('editor.templateHelp')),
      templateErrors,
    );
    this.formatField = this.field('body.format', t('editor.bodyFormat'), format);
    const section = h('div', { class: 'body-section' }, this.formatField, this.bodyNote, this.templateSection);
    queueMicrotask(() => this.updateBodyVisibility());
    return section;
  }

  updateBodyVisibility() {
    const noBodyMethod = NO_BODY.has(this.draft.method);
    this.formatField.hidden = noBodyMethod;
    this.bodyNote.hidden = !noBodyMethod;
    this.templateSection.hidden = noBodyMethod || this.draft.format === 'none';
    if (!this.templateSection.hidden) this.template.refresh();
  }

  optionsField() {
    const enabled = h('input', {
      type: 'checkbox',
      role: 'switch',
      id: 'webhook-enabled',
      checked: this.draft.enabled,
      onchange: (event) => { this.draft.enabled = event.target.checked; this.changed(); },
    });
    const timeout = h('input', {
      class: 'input',
      id: 'webhook-timeout',
      value: this.draft.timeout,
      autocomplete: 'off',
      oninput: (event) => { this.draft.timeout = event.target.value; this.changed('timeout'); },
    });
    return h(
      'div',
      { class: 'field-row options' },
      h('div', { class: 'field switch-field' }, enabled, h('label', { for: 'webhook-enabled' }, t('editor.enabled'))),
      h('div', { class: 'field-timeout' }, this.field('timeout', t('editor.timeout'), timeout, { help: t('editor.timeoutHelp') })),
    );
  }

  // ---- palette ----

  /** Ctrl+Space in a field that takes variables jumps to the palette's search. */
  paletteShortcut(event) {
    if (event.ctrlKey && event.key === ' ') {
      event.preventDefault();
      document.getElementById('palette-search')?.focus();
    }
  }

  renderPalette(filter) {
    const needle = filter.trim().toLowerCase();
    const matches = (text) => !needle || text.toLowerCase().includes(needle);
    const sections = [];
    const meta = METADATA.filter((m) => matches(`${m.path} ${t(m.key)}`));
    if (meta.length) {
      sections.push(
        h(
          'div',
          { class: 'palette-section' },
          h('h3', {}, t('palette.metadata')),
          h('ul', {}, meta.map((m) => h('li', {}, this.variableButton(`{{${m.path}}}`, m.path, 'string', t(m.key), 0)))),
        ),
      );
    }
    if (!this.draft.events.length) {
      sections.push(h('p', { class: 'muted small' }, t('palette.chooseEvents')));
    } else {
      // The fields of every chosen event, once each; those only some events carry say which.
      const merged = new Map();
      for (const type of this.draft.events) {
        for (const f of fields(eventType(type)?.schema)) {
          if (!merged.has(f.path)) merged.set(f.path, { ...f, events: [] });
          merged.get(f.path).events.push(type);
        }
      }
      const all = this.draft.events.length;
      const items = [...merged.values()].filter((f) => matches(`${f.path} ${f.description}`));
      sections.push(
        h(
          'div',
          { class: 'palette-section' },
          h('h3', {}, t('palette.data')),
          items.length
            ? h(
                'ul',
                {},
                items.map((f) =>
                  h(
                    'li',
                    {},
                    this.variableButton(
                      snippet(f.path),
                      f.path,
                      f.type,
                      f.description,
                      f.depth,
                      f.events.length < all ? t('palette.onlyIn', { events: f.events.map(eventName).join(', ') }) : '',
                    ),
                  ),
                ),
              )
            : h('p', { class: 'muted small' }, t('palette.noMatch')),
        ),
      );
    }
    replace(this.palette, sections);
  }

  variableButton(text, path, type, description, depth, note = '') {
    return h(
      'button',
      {
        type: 'button',
        class: ['var', `depth-${Math.min(depth, 3)}`],
        dataset: { insert: text, path },
        title: [description, note].filter(Boolean).join(' — '),
        'aria-label': t('palette.insert', { variable: text, description: description || path }),
        onmousedown: (event) => event.preventDefault(),
        onclick: () => this.insert(text),
      },
      h('code', { class: 'var-path' }, path),
      h('span', { class: 'var-type' }, type),
      description ? h('span', { class: 'var-desc' }, description) : null,
      note ? h('span', { class: 'var-note' }, note) : null,
    );
  }

  /** Inserts at the cursor of the field last focused; the body template when there was none. */
  insert(text) {
    const target = this.lastTarget;
    if (target?.input && document.body.contains(target.input)) {
      const input = target.input;
      const start = input.selectionStart ?? input.value.length;
      const end = input.selectionEnd ?? input.value.length;
      input.setRangeText(text, start, end, 'end');
      input.focus();
      input.dispatchEvent(new Event('input', { bubbles: true }));
    } else if (!this.templateSection.hidden) {
      this.template.insert(text);
      this.lastTarget = { editor: true };
    } else {
      const url = document.getElementById('webhook-url');
      url.focus();
      url.setRangeText(text, url.value.length, url.value.length, 'end');
      url.dispatchEvent(new Event('input', { bubbles: true }));
    }
    toast(t('palette.inserted', { variable: text }));
  }

  // ---- preview ----

  renderPreviewSelect() {
    replace(
      this.previewSelect,
      this.draft.events.map((type) => h('option', { value: type, selected: type === this.previewType }, eventName(type))),
    );
    this.previewSelect.disabled = !this.draft.events.length;
  }

  async preview() {
    const ticket = ++this.previewRequest;
    if (!this.draft.events.length) {
      this.showErrors([]);
      replace(this.previewBox, h('p', { class: 'muted' }, t('preview.chooseEvents')));
      this.previewStatus.textContent = '';
      return;
    }
    this.previewStatus.textContent = t('preview.updating');
    const body = { ...toApi(this.draft), type: this.previewType };
    // A name is not needed to see the request: do not flag it while the user types.
    if (!body.name.trim()) body.name = 'preview';
    if (this.saved) body.id = this.saved.id;
    try {
      const request = await post('/api/v1/webhooks/preview', body);
      if (ticket !== this.previewRequest) return;
      this.showErrors([]);
      this.previewStatus.textContent = t('preview.upToDate');
      this.renderRequest(request);
    } catch (error) {
      if (ticket !== this.previewRequest) return;
      if (error instanceof ApiError && error.status === 422) {
        const relevant = error.errors.filter((e) => e.field !== 'name');
        const shown = relevant.filter((e) => this.submitted || this.touched.has(this.slotFor(e.field)));
        this.showErrors(shown);
        if (shown.length) {
          this.previewStatus.textContent = t('preview.fix');
          replace(this.previewBox, h('p', { class: 'notice notice-warn' }, t('preview.blocked')));
        } else {
          // Only fields not filled in yet: say what is missing, without flagging it as wrong.
          this.previewStatus.textContent = '';
          const labels = [...new Set(relevant.map((e) => this.fieldLabel(e.field)))];
          replace(this.previewBox, h('p', { class: 'muted' }, t('preview.incomplete', { fields: labels.join(', ') })));
        }
      } else {
        this.previewStatus.textContent = '';
        replace(this.previewBox, problemBox(error));
      }
    }
  }

  renderRequest(request) {
    replace(
      this.previewBox,
      h('div', { class: 'request-line', id: 'preview-request-line' }, h('span', { class: 'method' }, request.method), ' ', h('code', { id: 'preview-url' }, request.url)),
      h('h3', {}, t('preview.headers')),
      headersTable(request.headers, t('preview.headers')),
      h('h3', {}, t('preview.body')),
      h('div', { id: 'preview-body' }, codeBlock(request.body, t('preview.body'))),
      request.warnings?.length
        ? h('div', { class: 'notice notice-warn warnings' }, h('p', {}, t('preview.warnings')), h('ul', {}, request.warnings.map((w) => h('li', {}, w))))
        : null,
    );
  }

  /** Shows each problem at its field; problems of the body template also at their line. */
  showErrors(errors) {
    for (const { error, control } of this.fieldErrors.values()) {
      error.hidden = true;
      error.textContent = '';
      control.removeAttribute('aria-invalid');
      control.closest('.field, .header-row')?.classList.remove('has-error');
    }
    this.template.clearErrors();
    const general = [];
    for (const e of errors) {
      const slot = this.fieldErrors.get(this.slotFor(e.field));
      if (!slot) {
        general.push(e);
        continue;
      }
      slot.error.hidden = false;
      slot.error.textContent = slot.error.textContent ? `${slot.error.textContent} ${e.message}` : e.message;
      slot.control.setAttribute('aria-invalid', 'true');
      slot.control.closest('.field, .header-row')?.classList.add('has-error');
      if (slot.editor) {
        const at = /line (\d+), column (\d+)/.exec(e.message);
        if (at) this.template.markError(Number(at[1]), Number(at[2]), e.message);
      }
    }
    replace(this.topErrors, general.length ? problemBox({ message: t('editor.problems'), errors: general }) : null);
  }

  fieldLabel(field) {
    const slot = this.slotFor(field);
    if (slot.startsWith('headers[')) return t('editor.headers');
    const key = { url: 'editor.url', method: 'editor.method', events: 'editor.events', timeout: 'editor.timeout', 'body.format': 'editor.bodyFormat', 'body.template': 'editor.template' }[slot];
    return key ? t(key) : field;
  }

  slotFor(field) {
    if (this.fieldErrors.has(field)) return field;
    if (field.startsWith('events')) return 'events';
    if (field === 'body' || field.startsWith('body.')) return NO_BODY.has(this.draft.method) ? 'method' : 'body.format';
    const header = /^headers\[(\d+)\]/.exec(field);
    if (header) return `headers[${header[1]}].name`;
    return field;
  }

  // ---- save and test ----

  async save() {
    this.saveButton.disabled = true;
    try {
      const body = toApi(this.draft);
      const answer = this.saved
        ? await put(`/api/v1/webhooks/${encodeURIComponent(this.saved.id)}`, body)
        : await post('/api/v1/webhooks', body);
      const created = !this.saved;
      this.saved = answer;
      this.draft = fromApi(answer);
      this.key = answer.id;
      this.dirty = false;
      this.showErrors([]);
      toast(t('editor.saved', { name: answer.name }));
      if (created) {
        // The address now names the webhook; the page stays as it is.
        kept = { key: answer.id, saved: answer, draft: this.draft, dirty: false };
        history.replaceState(null, '', `#/webhooks/${encodeURIComponent(answer.id)}`);
      }
      this.build();
      this.saveState.textContent = t('editor.savedState');
      await this.preview();
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 422) {
        this.submitted = true;
        this.showErrors(error.errors);
        const first = this.main.querySelector('[aria-invalid="true"]');
        replace(this.topErrors, problemBox(error));
        first?.focus();
      } else {
        replace(this.topErrors, problemBox(error));
      }
      return false;
    } finally {
      this.saveButton.disabled = false;
    }
  }

  async test() {
    const button = document.getElementById('send-test');
    if (this.dirty || !this.saved) {
      // A test sends what is saved: save first.
      if (!(await this.save())) return;
    }
    const sendButton = document.getElementById('send-test');
    sendButton.disabled = true;
    replace(this.testResult, h('p', { class: 'loading', role: 'status' }, t('test.sending')));
    try {
      const attempt = await post(`/api/v1/webhooks/${encodeURIComponent(this.saved.id)}/test`, this.previewType ? { type: this.previewType } : {});
      this.renderAttempt(attempt);
    } catch (error) {
      replace(this.testResult, problemBox(error));
    } finally {
      sendButton.disabled = false;
      (button && document.body.contains(button) ? button : sendButton).focus();
    }
  }

  renderAttempt(attempt) {
    const response = attempt.response;
    replace(
      this.testResult,
      h(
        'div',
        { class: 'attempt-summary', id: 'test-summary' },
        badge(attempt.outcome),
        response ? h('span', { class: 'http-status', id: 'test-status' }, `HTTP ${response.status}`) : null,
        h('span', { class: 'muted' }, t('test.took', { ms: formatNumber(attempt.durationMs) })),
      ),
      attempt.error ? h('p', { class: 'notice notice-bad' }, attempt.error) : null,
      response
        ? [
            h('h3', {}, t('test.responseHeaders')),
            headersTable(response.headers, t('test.responseHeaders')),
            h('h3', {}, t('test.responseBody')),
            h('div', { id: 'test-body' }, codeBlock(response.body, t('test.responseBody'))),
            response.truncated ? h('p', { class: 'muted small' }, t('delivery.truncated')) : null,
          ]
        : null,
    );
  }
}
