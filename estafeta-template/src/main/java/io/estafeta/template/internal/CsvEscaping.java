package io.estafeta.template.internal;

/** RFC 4180 fields. */
public final class CsvEscaping {
  private CsvEscaping() {}

  /**
   * A whole field: quoted (quotes doubled) when it holds a comma, a quote, a line break, or starts
   * or ends with a space or tab; as is otherwise.
   */
  public static void field(String s, StringBuilder out) {
    if (needsQuotes(s)) {
      out.append('"');
      quoted(s, out);
      out.append('"');
    } else {
      out.append(s);
    }
  }

  /** Inside a quoted field: quotes doubled. */
  public static void quoted(String s, StringBuilder out) {
    int start = 0;
    for (int i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) {
      out.append(s, start, i + 1).append('"');
      start = i + 1;
    }
    out.append(s, start, s.length());
  }

  static boolean needsQuotes(String s) {
    if (s.isEmpty()) {
      return false;
    }
    char first = s.charAt(0);
    char last = s.charAt(s.length() - 1);
    if (first == ' ' || first == '\t' || last == ' ' || last == '\t') {
      return true;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ',' || c == '"' || c == '\n' || c == '\r') {
        return true;
      }
    }
    return false;
  }
}
