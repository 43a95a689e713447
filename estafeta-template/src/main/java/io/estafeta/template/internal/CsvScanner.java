package io.estafeta.template.internal;

import io.estafeta.template.TemplateException;
import java.util.ArrayList;
import java.util.List;

/**
 * CSV (RFC 4180). A field that is exactly one {@code {{ }}} is quoted when its value needs it; a
 * field that mixes text and {@code {{ }}} ({@code id-{{x}}}) is turned into a quoted field here, so
 * a comma or quote in the value cannot split it; inside a quoted field, quotes are doubled.
 */
final class CsvScanner extends ContextScanner {
  private enum State {
    FIELD_START,
    UNQUOTED,
    QUOTED,
    QUOTED_QUOTE,
    AFTER_QUOTED
  }

  private State state = State.FIELD_START;

  // The unquoted field being read: where it starts and ends, its outputs and its literal quotes.
  private int startNode;
  private int startOffset;
  private int endNode;
  private int endOffset;
  private boolean literal;
  private final List<Integer> holes = new ArrayList<>();
  private final List<int[]> quotes = new ArrayList<>();

  CsvScanner(SourceText source, List<Node> nodes) {
    super(source, nodes);
  }

  @Override
  void character(char c) {
    boolean lineEnd = c == '\n' || c == '\r';
    switch (state) {
      case FIELD_START -> {
        if (c == '"') {
          state = State.QUOTED;
        } else if (c != ',' && !lineEnd) {
          begin(node, offset);
          literal(c);
          state = State.UNQUOTED;
        }
      }
      case UNQUOTED -> {
        if (c == ',' || lineEnd) {
          finish();
          state = State.FIELD_START;
        } else {
          literal(c);
        }
      }
      case QUOTED -> {
        if (c == '"') {
          state = State.QUOTED_QUOTE;
        }
      }
      case QUOTED_QUOTE ->
          state =
              c == '"'
                  ? State.QUOTED
                  : c == ',' || lineEnd ? State.FIELD_START : State.AFTER_QUOTED;
      case AFTER_QUOTED -> {
        if (c == ',' || lineEnd) {
          state = State.FIELD_START;
        }
      }
    }
  }

  @Override
  void hole(Node.Output o) throws TemplateException {
    switch (state) {
      case FIELD_START -> {
        begin(node, 0);
        addHole();
        state = State.UNQUOTED;
      }
      case UNQUOTED -> addHole();
      case QUOTED -> plan.escape(node, Escape.CSV_QUOTED);
      case QUOTED_QUOTE, AFTER_QUOTED ->
          throw error(
              "{{ }} cannot come after the closing quote of a CSV field; put it inside the quotes.");
    }
  }

  @Override
  void end() {
    if (state == State.UNQUOTED) {
      finish();
    }
  }

  private void begin(int n, int o) {
    startNode = n;
    startOffset = o;
    literal = false;
    holes.clear();
    quotes.clear();
  }

  private void literal(char c) {
    literal = true;
    endNode = node;
    endOffset = offset + 1;
    if (c == '"') {
      quotes.add(new int[] {node, offset});
    }
  }

  private void addHole() {
    holes.add(node);
    endNode = node;
    endOffset = 1;
  }

  private void finish() {
    if (holes.isEmpty()) {
      return;
    }
    if (!literal && holes.size() == 1) {
      plan.escape(holes.get(0), Escape.CSV_FIELD);
      return;
    }
    plan.edit(startNode, startOffset, 0, "\"");
    plan.edit(endNode, endOffset, 0, "\"");
    for (int[] q : quotes) {
      plan.edit(q[0], q[1], 1, "\"\"");
    }
    for (int h : holes) {
      plan.escape(h, Escape.CSV_QUOTED);
    }
  }
}
