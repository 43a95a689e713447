package io.estafeta.template.internal;

import io.estafeta.template.TemplateException;
import java.util.List;

/** JSON: inside a string (key or value) or in value position; never a bare key. */
final class JsonScanner extends ContextScanner {
  private enum Mode {
    NORMAL,
    STRING,
    STRING_ESCAPE
  }

  /** Open containers: 'k' object expecting a key, 'v' object after a colon, 'a' array. */
  private final StringBuilder stack = new StringBuilder();

  private Mode mode = Mode.NORMAL;

  JsonScanner(SourceText source, List<Node> nodes) {
    super(source, nodes);
  }

  private char top() {
    return stack.isEmpty() ? ' ' : stack.charAt(stack.length() - 1);
  }

  private void setTop(char c) {
    stack.setCharAt(stack.length() - 1, c);
  }

  @Override
  void character(char c) {
    switch (mode) {
      case STRING -> {
        if (c == '\\') {
          mode = Mode.STRING_ESCAPE;
        } else if (c == '"') {
          mode = Mode.NORMAL;
        }
      }
      case STRING_ESCAPE -> mode = Mode.STRING;
      case NORMAL -> {
        switch (c) {
          case '{' -> stack.append('k');
          case '[' -> stack.append('a');
          case '}', ']' -> {
            if (!stack.isEmpty()) {
              stack.setLength(stack.length() - 1);
            }
          }
          case ':' -> {
            if (top() == 'k') {
              setTop('v');
            }
          }
          case ',' -> {
            if (top() == 'v') {
              setTop('k');
            }
          }
          case '"' -> mode = Mode.STRING;
          default -> {}
        }
      }
    }
  }

  @Override
  void hole(Node.Output o) throws TemplateException {
    switch (mode) {
      case STRING -> plan.escape(node, Escape.JSON_STRING);
      case STRING_ESCAPE -> throw error("{{ }} cannot follow a backslash inside a JSON string.");
      case NORMAL -> {
        if (top() == 'k') {
          throw error(
              "{{ }} cannot be a JSON key outside quotes; put it in quotes: \"{{...}}\": value.");
        }
        plan.escape(node, Escape.JSON_VALUE);
      }
    }
  }
}
