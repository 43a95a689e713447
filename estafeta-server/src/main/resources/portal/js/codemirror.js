// The template editor: CodeMirror 5 (loaded as a classic script from its WebJar) with the body's
// language underneath and the {{ }} of templates coloured on top.

const BASE_MODES = {
  json: { name: 'javascript', json: true },
  xml: 'xml',
  yaml: 'yaml',
  text: 'text/plain',
  csv: 'text/plain',
  form: 'text/plain',
};

const handlebars = {
  token(stream) {
    if (stream.match('{{')) {
      const kind = stream.match(/^\{?[#/!^]/, false) ? 'hbs hbs-block' : 'hbs';
      while (!stream.eol()) {
        if (stream.match('}}')) {
          stream.eat('}');
          return kind;
        }
        stream.next();
      }
      return kind;
    }
    while (stream.next() != null) {
      if (stream.match('{{', false)) break;
    }
    return null;
  },
};

let defined = false;
function defineModes(CodeMirror) {
  if (defined) return;
  defined = true;
  for (const [format, base] of Object.entries(BASE_MODES)) {
    CodeMirror.defineMode(`estafeta-${format}`, (config) =>
      CodeMirror.overlayMode(CodeMirror.getMode(config, base), handlebars),
    );
  }
}

/** An editor in `holder`; onChange(text) on every edit. */
export function templateEditor(holder, { value, format, label, onChange, onFocus, onPalette }) {
  const CodeMirror = window.CodeMirror;
  defineModes(CodeMirror);
  const cm = CodeMirror(holder, {
    value,
    mode: `estafeta-${format || 'text'}`,
    lineNumbers: true,
    lineWrapping: true,
    // A contenteditable surface is what screen readers read best.
    inputStyle: 'contenteditable',
    screenReaderLabel: label,
    viewportMargin: Infinity,
    // The editor grows with its text and wraps long lines: it never needs scrollbars of its own.
    scrollbarStyle: 'null',
    // Tab leaves the editor, as everywhere else on the page: no keyboard trap.
    extraKeys: { Tab: false, 'Shift-Tab': false, 'Ctrl-Space': () => onPalette?.() },
  });
  const input = cm.getInputField();
  input.setAttribute('role', 'textbox');
  input.setAttribute('aria-multiline', 'true');
  input.setAttribute('aria-label', label);
  cm.on('change', () => onChange(cm.getValue()));
  cm.on('focus', () => onFocus?.());
  let marks = [];
  return {
    cm,
    input,
    setFormat(next) {
      cm.setOption('mode', `estafeta-${next || 'text'}`);
    },
    insert(text) {
      cm.focus();
      cm.replaceSelection(text);
    },
    /** Marks an error at a line (1-based), with its message under that line. */
    markError(line, column, message) {
      const index = Math.min(Math.max(line - 1, 0), cm.lineCount() - 1);
      cm.addLineClass(index, 'background', 'cm-error-line');
      const widget = document.createElement('div');
      widget.className = 'cm-error-widget';
      widget.setAttribute('role', 'alert');
      widget.textContent = message;
      const lineWidget = cm.addLineWidget(index, widget, { coverGutter: false, noHScroll: true });
      marks.push(() => {
        cm.removeLineClass(index, 'background', 'cm-error-line');
        lineWidget.clear();
      });
      if (column > 0) {
        const from = { line: index, ch: Math.max(column - 1, 0) };
        const mark = cm.markText(from, { line: index, ch: from.ch + 1 }, { className: 'cm-error-char' });
        marks.push(() => mark.clear());
      }
    },
    clearErrors() {
      marks.forEach((clear) => clear());
      marks = [];
    },
    refresh() {
      cm.refresh();
    },
  };
}
