package io.estafeta.template.internal;

import io.estafeta.template.TemplateException;
import java.util.ArrayList;
import java.util.List;

/**
 * YAML. A plain scalar that is exactly one {@code {{ }}} ({@code count: {{n}}}) becomes a typed
 * node: a double-quoted string, a number, a boolean, null, or flow-style JSON. A plain scalar that
 * mixes text and {@code {{ }}} ({@code greeting: Hello {{name}}!}) and a single-quoted scalar that
 * holds one are rewritten here into double-quoted scalars, the one style that can carry any value,
 * so the values inside are escaped for double quotes. Keys outside quotes, block scalars ({@code
 * |}, {@code >}), tags, anchors, aliases and directives refuse {@code {{ }}}.
 *
 * <p>Approximation: a plain scalar ends at its line's end (continuation lines are read as new
 * nodes); the rendered-sample check catches templates where that matters.
 */
final class YamlScanner extends ContextScanner {
  private enum State {
    NODE,
    INDICATOR,
    PLAIN,
    PLAIN_COLON,
    AFTER,
    DOUBLE,
    DOUBLE_ESCAPE,
    SINGLE,
    SINGLE_QUOTE,
    COMMENT,
    BLOCK_HEADER,
    BLOCK_BODY,
    DIRECTIVE,
    PROPERTY,
    ALIAS
  }

  private State state = State.NODE;
  private final StringBuilder flow = new StringBuilder();
  private boolean lineStart = true;
  private int indent;
  private int blockParent = -1;
  private int headerIndent;

  // A pending indicator (- ? :) whose meaning depends on the next char.
  private char indicator;
  private int indicatorRun;
  private int indicatorNode;
  private int indicatorOffset;

  // The plain scalar being read.
  private final Scalar plain = new Scalar();
  private boolean plainSpace;
  private int colonNode;
  private int colonOffset;

  // The single-quoted scalar being read.
  private final Scalar single = new Scalar();
  private int quoteNode;
  private int quoteOffset;

  /** Where a scalar starts and ends, its outputs, and the literal chars to change if quoted. */
  private static final class Scalar {
    int startNode;
    int startOffset;
    int endNode;
    int endOffset;
    boolean literal;
    final List<Integer> holes = new ArrayList<>();
    final List<int[]> specials = new ArrayList<>();
    final List<int[]> doubledQuotes = new ArrayList<>();

    void begin(int n, int o) {
      startNode = n;
      startOffset = o;
      endNode = n;
      endOffset = o;
      literal = false;
      holes.clear();
      specials.clear();
      doubledQuotes.clear();
    }
  }

  YamlScanner(SourceText source, List<Node> nodes) {
    super(source, nodes);
  }

  private boolean inFlow() {
    return !flow.isEmpty();
  }

  @Override
  void character(char c) throws TemplateException {
    if (c == '\n' || c == '\r') {
      lineEnd();
      return;
    }
    if (lineStart) {
      if (c == ' ') {
        indent++;
        return;
      }
      if (c == '\t') {
        return;
      }
      if (firstOnLine() && c == '%') {
        state = State.DIRECTIVE;
        return;
      }
    }
    step(c);
  }

  /** The first non-blank thing on a line: ends a block scalar unless it is indented past it. */
  private boolean firstOnLine() {
    lineStart = false;
    if (blockParent >= 0) {
      if (indent > blockParent) {
        state = State.BLOCK_BODY;
        return false;
      }
      blockParent = -1;
      state = State.NODE;
    }
    return indent == 0 && !inFlow() && state == State.NODE;
  }

  private void step(char c) throws TemplateException {
    boolean blank = c == ' ' || c == '\t';
    switch (state) {
      case NODE -> node(c, blank);
      case INDICATOR -> {
        if (blank || (inFlow() && indicator == ':' && isFlowIndicator(c))) {
          state = State.NODE;
          if (!blank) {
            step(c);
          }
        } else if (c == '-' && indicator == '-' && indicatorRun < 3 && indicatorNode == node) {
          indicatorRun++;
        } else {
          beginPlainAtIndicator();
          step(c);
        }
      }
      case PLAIN -> {
        if (c == ':') {
          colonNode = node;
          colonOffset = offset;
          state = State.PLAIN_COLON;
        } else if (blank) {
          plainSpace = true;
        } else if (c == '#' && plainSpace) {
          finishPlain(false);
          state = State.COMMENT;
        } else if (inFlow() && isFlowIndicator(c)) {
          finishPlain(false);
          state = State.NODE;
          node(c, false);
        } else {
          literal(plain, c);
          plainSpace = false;
        }
      }
      case PLAIN_COLON -> {
        if (blank || (inFlow() && isFlowIndicator(c))) {
          finishPlain(true);
          state = State.NODE;
          if (!blank) {
            node(c, false);
          }
        } else {
          colonIsText();
          step(c);
        }
      }
      case AFTER -> {
        switch (c) {
          case ':', ',' -> state = State.NODE;
          case ']', '}' -> pop();
          case '#' -> state = State.COMMENT;
          default -> {}
        }
      }
      case DOUBLE -> {
        if (c == '\\') {
          state = State.DOUBLE_ESCAPE;
        } else if (c == '"') {
          state = State.AFTER;
        }
      }
      case DOUBLE_ESCAPE -> state = State.DOUBLE;
      case SINGLE -> {
        if (c == '\'') {
          quoteNode = node;
          quoteOffset = offset;
          state = State.SINGLE_QUOTE;
        } else {
          literal(single, c);
        }
      }
      case SINGLE_QUOTE -> {
        if (c == '\'') {
          single.doubledQuotes.add(new int[] {quoteNode, quoteOffset});
          state = State.SINGLE;
        } else {
          finishSingle();
          step(c);
        }
      }
      case PROPERTY -> {
        if (blank) {
          state = State.NODE;
        } else if (inFlow() && isFlowIndicator(c)) {
          state = State.NODE;
          node(c, false);
        }
      }
      case ALIAS -> {
        if (blank) {
          state = State.AFTER;
        } else if (inFlow() && isFlowIndicator(c)) {
          state = State.AFTER;
          step(c);
        }
      }
      case COMMENT, BLOCK_HEADER, BLOCK_BODY, DIRECTIVE -> {}
    }
  }

  private void node(char c, boolean blank) {
    if (blank) {
      return;
    }
    switch (c) {
      case '#' -> state = State.COMMENT;
      case '"' -> state = State.DOUBLE;
      case '\'' -> {
        single.begin(node, offset);
        state = State.SINGLE;
      }
      case '[', '{' -> flow.append(c);
      case ']', '}' -> {
        pop();
        state = State.AFTER;
      }
      case ',' -> {}
      case '-', '?', ':' -> {
        indicator = c;
        indicatorRun = 1;
        indicatorNode = node;
        indicatorOffset = offset;
        state = State.INDICATOR;
      }
      case '|', '>' -> {
        headerIndent = indent;
        state = State.BLOCK_HEADER;
      }
      case '!', '&' -> state = State.PROPERTY;
      case '*' -> state = State.ALIAS;
      default -> {
        plain.begin(node, offset);
        plainSpace = false;
        literal(plain, c);
        state = State.PLAIN;
      }
    }
  }

  private void pop() {
    if (inFlow()) {
      flow.setLength(flow.length() - 1);
    }
  }

  private static boolean isFlowIndicator(char c) {
    return c == ',' || c == '[' || c == ']' || c == '{' || c == '}';
  }

  /** An indicator char followed by a non-blank starts a plain scalar ({@code -5}, {@code ?x}). */
  private void beginPlainAtIndicator() {
    plain.begin(indicatorNode, indicatorOffset);
    plain.literal = true;
    plain.endNode = indicatorNode;
    plain.endOffset = indicatorOffset + indicatorRun;
    plainSpace = false;
    state = State.PLAIN;
  }

  private void colonIsText() {
    plain.literal = true;
    plain.endNode = colonNode;
    plain.endOffset = colonOffset + 1;
    plainSpace = false;
    state = State.PLAIN;
  }

  private void literal(Scalar s, char c) {
    s.literal = true;
    s.endNode = node;
    s.endOffset = offset + 1;
    if (c == '"' || c == '\\') {
      s.specials.add(new int[] {node, offset});
    }
  }

  private void lineEnd() throws TemplateException {
    switch (state) {
      case DOUBLE, DOUBLE_ESCAPE -> {
        state = State.DOUBLE;
        return;
      }
      case SINGLE -> {
        return;
      }
      case SINGLE_QUOTE -> {
        finishSingle();
        state = State.AFTER;
      }
      case PLAIN -> finishPlain(false);
      case PLAIN_COLON -> finishPlain(true);
      case BLOCK_HEADER -> blockParent = headerIndent;
      default -> {}
    }
    lineStart = true;
    indent = 0;
    if (!inFlow() || state != State.AFTER) {
      state = State.NODE;
    }
  }

  @Override
  void hole(Node.Output o) throws TemplateException {
    if (lineStart) {
      firstOnLine();
    }
    switch (state) {
      case NODE -> {
        plain.begin(node, 0);
        plainSpace = false;
        addHole(plain);
        state = State.PLAIN;
      }
      case INDICATOR -> {
        beginPlainAtIndicator();
        addHole(plain);
      }
      case PLAIN -> {
        addHole(plain);
        plainSpace = false;
      }
      case PLAIN_COLON -> {
        colonIsText();
        addHole(plain);
      }
      case DOUBLE -> plan.escape(node, Escape.YAML_DOUBLE_QUOTED);
      case DOUBLE_ESCAPE ->
          throw error("{{ }} cannot follow a backslash inside a double-quoted YAML string.");
      case SINGLE -> addHole(single);
      case SINGLE_QUOTE, AFTER ->
          throw error("{{ }} cannot come right after a quoted string or a ] or }.");
      case COMMENT -> plan.escape(node, Escape.YAML_COMMENT);
      case BLOCK_HEADER, BLOCK_BODY ->
          throw error(
              "{{ }} inside a YAML block scalar (| or >) is not supported; write key: {{...}} and"
                  + " the value's line breaks are kept.");
      case DIRECTIVE -> throw error("{{ }} is not allowed in a YAML directive.");
      case PROPERTY, ALIAS -> throw error("{{ }} is not allowed in a YAML tag, anchor or alias.");
    }
  }

  private void addHole(Scalar s) {
    s.holes.add(node);
    s.endNode = node;
    s.endOffset = 1;
  }

  private void finishPlain(boolean key) throws TemplateException {
    state = State.NODE;
    if (plain.holes.isEmpty()) {
      return;
    }
    if (key) {
      throw errorAt(
          plain.holes.get(0),
          "{{ }} cannot be a YAML key outside quotes; put the key in quotes: \"{{...}}\": value.");
    }
    if (!plain.literal && plain.holes.size() == 1) {
      plan.escape(plain.holes.get(0), Escape.YAML_VALUE);
      return;
    }
    plan.edit(plain.startNode, plain.startOffset, 0, "\"");
    plan.edit(plain.endNode, plain.endOffset, 0, "\"");
    quoteSpecials(plain);
  }

  /** A single-quoted scalar with outputs becomes double-quoted: {@code 'it''s {{x}}'}. */
  private void finishSingle() {
    if (single.holes.isEmpty()) {
      return;
    }
    plan.edit(single.startNode, single.startOffset, 1, "\"");
    plan.edit(quoteNode, quoteOffset, 1, "\"");
    for (int[] q : single.doubledQuotes) {
      plan.edit(q[0], q[1], 1, "");
    }
    quoteSpecials(single);
  }

  private void quoteSpecials(Scalar s) {
    for (int[] sp : s.specials) {
      String text = ((Node.Text) nodes.get(sp[0])).text();
      plan.edit(sp[0], sp[1], 1, "\\" + text.charAt(sp[1]));
    }
    for (int h : s.holes) {
      plan.escape(h, Escape.YAML_DOUBLE_QUOTED);
    }
  }

  @Override
  void end() throws TemplateException {
    switch (state) {
      case PLAIN -> finishPlain(false);
      case PLAIN_COLON -> finishPlain(true);
      case SINGLE_QUOTE -> finishSingle();
      case SINGLE -> {
        // Never closed: the template is broken anyway (the sample check says so); escape safely.
        for (int h : single.holes) {
          plan.escape(h, Escape.YAML_DOUBLE_QUOTED);
        }
      }
      default -> {}
    }
  }
}
