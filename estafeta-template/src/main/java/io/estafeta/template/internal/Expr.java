package io.estafeta.template.internal;

import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One expression inside {@code {{ }}}, as our parser understood it. {@link #writeHandlebars} prints
 * it back in a canonical form, so Handlebars compiles exactly what we analysed.
 */
public sealed interface Expr {
  int offset();

  void writeHandlebars(StringBuilder out);

  /**
   * A path: {@code client.name}, {@code ../x}, {@code this}, {@code @event.id}, {@code items.0}.
   *
   * @param data starts with {@code @}
   * @param up how many {@code ../}
   * @param explicitThis written with {@code this} or {@code .}
   * @param segments the names after the prefix (for data paths, the first is the variable)
   */
  record Path(boolean data, int up, boolean explicitThis, List<String> segments, int offset)
      implements Expr {
    private static final Pattern SIMPLE = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$\\-]*|[0-9]+");
    private static final List<String> KEYWORDS =
        List.of("this", "true", "false", "null", "undefined", "else", "as");

    public Path {
      segments = List.copyOf(segments);
    }

    /** A bare name, as a helper name would be written. */
    public boolean isSimpleName() {
      return !data && up == 0 && !explicitThis && segments.size() == 1;
    }

    @Override
    public void writeHandlebars(StringBuilder out) {
      if (data) {
        out.append('@');
        appendSegments(out);
        return;
      }
      for (int i = 0; i < up; i++) {
        out.append(i + 1 < up || !segments.isEmpty() ? "../" : "..");
      }
      if (up == 0 && (explicitThis || segments.isEmpty())) {
        out.append("this");
        if (!segments.isEmpty()) {
          out.append('.');
        }
      }
      appendSegments(out);
    }

    private void appendSegments(StringBuilder out) {
      for (int i = 0; i < segments.size(); i++) {
        if (i > 0) {
          out.append('.');
        }
        String s = segments.get(i);
        if (SIMPLE.matcher(s).matches() && !KEYWORDS.contains(s)) {
          out.append(s);
        } else {
          out.append('[').append(s).append(']');
        }
      }
    }
  }

  /**
   * A literal: a String, a number (as a BigDecimal, printed as written), a Boolean or null.
   *
   * @param value the literal's value
   */
  record Literal(Object value, int offset) implements Expr {
    @Override
    public void writeHandlebars(StringBuilder out) {
      if (value instanceof String s) {
        // The parser only accepts strings that one of the two quote kinds can carry verbatim.
        char q = s.indexOf('"') < 0 ? '"' : '\'';
        out.append(q).append(s).append(q);
      } else if (value instanceof BigDecimal number) {
        // As written: Handlebars reads "0.5" and "12" itself; no exponent form can appear.
        out.append(number.toPlainString());
      } else {
        out.append(value);
      }
    }
  }

  /** A helper call: {@code upper x}, or as a subexpression {@code (upper x)}. */
  record Call(TemplateFunction function, List<Expr> args, int offset) implements Expr {
    public Call {
      args = List.copyOf(args);
    }

    @Override
    public void writeHandlebars(StringBuilder out) {
      out.append('(').append(function.helperName());
      for (Expr a : args) {
        out.append(' ');
        a.writeHandlebars(out);
      }
      out.append(')');
    }
  }
}
