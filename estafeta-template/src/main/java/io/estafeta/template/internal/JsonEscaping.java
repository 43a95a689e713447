package io.estafeta.template.internal;

/** JSON string content. */
public final class JsonEscaping {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private JsonEscaping() {}

  /**
   * Escapes quotes, backslashes and control chars, and also U+2028/U+2029 (JavaScript line breaks)
   * and lone surrogates (as {@code \\uXXXX}, which JSON allows), so the text is safe anywhere. Hex
   * digits are upper case, as Jackson writes them.
   */
  public static void string(String s, StringBuilder out) {
    int n = s.length();
    int start = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      String esc = null;
      if (c < 0x20 || c == '"' || c == '\\' || c == '\u2028' || c == '\u2029') {
        esc = escape(c);
      } else if (Character.isSurrogate(c)) {
        boolean paired =
            Character.isHighSurrogate(c)
                ? i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
        if (!paired) {
          esc = unicode(c);
        }
      }
      if (esc != null) {
        out.append(s, start, i).append(esc);
        start = i + 1;
      }
    }
    out.append(s, start, n);
  }

  private static String escape(char c) {
    return switch (c) {
      case '"' -> "\\\"";
      case '\\' -> "\\\\";
      case '\n' -> "\\n";
      case '\r' -> "\\r";
      case '\t' -> "\\t";
      case '\b' -> "\\b";
      case '\f' -> "\\f";
      default -> unicode(c);
    };
  }

  static String unicode(char c) {
    return new String(
        new char[] {'\\', 'u', HEX[c >> 12 & 15], HEX[c >> 8 & 15], HEX[c >> 4 & 15], HEX[c & 15]});
  }
}
