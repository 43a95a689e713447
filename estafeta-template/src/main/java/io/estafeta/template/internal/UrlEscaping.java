package io.estafeta.template.internal;

/** Percent-encoding for URL components and form bodies (UTF-8; a lone surrogate as U+FFFD). */
public final class UrlEscaping {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private UrlEscaping() {}

  /**
   * A query component or fragment: everything but RFC 3986's unreserved characters is encoded, so
   * {@code & = + # ? /} and spaces ({@code %20}) cannot change the URL's structure.
   */
  public static void component(String s, StringBuilder out) {
    encode(s, out, false);
  }

  /**
   * A path segment: as a component ({@code /} is encoded too), and a value made only of dots is
   * encoded entirely, so {@code .} and {@code ..} cannot become dot-segments that walk the path.
   */
  public static void pathSegment(String s, StringBuilder out) {
    if (!s.isEmpty() && s.chars().allMatch(c -> c == '.')) {
      out.append("%2E".repeat(s.length()));
    } else {
      encode(s, out, false);
    }
  }

  /** {@code application/x-www-form-urlencoded}, as browsers write it: space as {@code +}. */
  public static void form(String s, StringBuilder out) {
    encode(s, out, true);
  }

  private static void encode(String s, StringBuilder out, boolean form) {
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp < 0x80) {
        if (keep(cp, form)) {
          out.append((char) cp);
        } else if (form && cp == ' ') {
          out.append('+');
        } else {
          percent(cp, out);
        }
      } else {
        if (cp >= 0xD800 && cp <= 0xDFFF) {
          cp = 0xFFFD;
        }
        if (cp < 0x800) {
          percent(0xC0 | cp >> 6, out);
        } else {
          if (cp < 0x10000) {
            percent(0xE0 | cp >> 12, out);
          } else {
            percent(0xF0 | cp >> 18, out);
            percent(0x80 | (cp >> 12 & 0x3F), out);
          }
          percent(0x80 | (cp >> 6 & 0x3F), out);
        }
        percent(0x80 | (cp & 0x3F), out);
      }
    }
  }

  private static boolean keep(int c, boolean form) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      return true;
    }
    return form
        ? c == '*' || c == '-' || c == '.' || c == '_'
        : c == '-' || c == '.' || c == '_' || c == '~';
  }

  private static void percent(int b, StringBuilder out) {
    out.append('%').append(HEX[b >> 4 & 15]).append(HEX[b & 15]);
  }
}
