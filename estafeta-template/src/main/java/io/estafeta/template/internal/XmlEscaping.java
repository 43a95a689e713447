package io.estafeta.template.internal;

/**
 * XML 1.0 text, attribute values, CDATA and comments. Characters XML 1.0 forbids (C0 controls other
 * than tab, LF and CR, U+FFFE, U+FFFF, lone surrogates) are dropped: no escape can carry them.
 */
public final class XmlEscaping {
  private static final String CDATA_SPLIT = "]]><![CDATA[";

  private XmlEscaping() {}

  static boolean allowed(int cp) {
    return cp == 0x9
        || cp == 0xA
        || cp == 0xD
        || (cp >= 0x20 && cp <= 0xD7FF)
        || (cp >= 0xE000 && cp <= 0xFFFD)
        || (cp >= 0x10000 && cp <= 0x10FFFF);
  }

  /** Element content. CR becomes a reference, or the parser's line-end handling would eat it. */
  public static void text(String s, StringBuilder out) {
    escape(s, out, false);
  }

  /** Either quote kind. Tab, LF and CR become references, or attribute normalisation eats them. */
  public static void attribute(String s, StringBuilder out) {
    escape(s, out, true);
  }

  private static void escape(String s, StringBuilder out, boolean attribute) {
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      switch (cp) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        case '\r' -> out.append("&#13;");
        case '\n' -> out.append(attribute ? "&#10;" : "\n");
        case '\t' -> out.append(attribute ? "&#9;" : "\t");
        default -> {
          if (allowed(cp)) {
            out.appendCodePoint(cp);
          }
        }
      }
    }
  }

  /**
   * Inside {@code <![CDATA[ ... ]]>}: any {@code ]]>} is split across two sections, a CR is written
   * as a reference between two sections, and the value is fenced off with a split when it starts
   * with {@code >} or {@code ]} or ends with {@code ]}, so that it cannot form {@code ]]>} with the
   * template text around it either.
   */
  public static void cdata(String s, StringBuilder out) {
    int begin = out.length();
    int brackets = 0; // consecutive ']' just written inside the current section
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (!allowed(cp)) {
        continue;
      }
      if (cp == '\r') {
        out.append("]]>&#13;<![CDATA[");
        brackets = 0;
        continue;
      }
      if (cp == '>' && brackets >= 2) {
        out.append(CDATA_SPLIT);
      }
      out.appendCodePoint(cp);
      brackets = cp == ']' ? brackets + 1 : 0;
    }
    if (out.length() > begin) {
      char first = out.charAt(begin);
      if (first == '>' || first == ']') {
        out.insert(begin, CDATA_SPLIT);
      }
      if (out.charAt(out.length() - 1) == ']') {
        out.append(CDATA_SPLIT);
      }
    }
  }

  /**
   * Inside {@code <!-- -->}: a comment may not contain {@code --} nor end with {@code -}, so a
   * space is put between two dashes, before a leading dash and after a trailing one. Comments carry
   * no data, so changing the text this way loses nothing a receiver reads.
   */
  public static void comment(String s, StringBuilder out) {
    boolean lastDash = false;
    boolean any = false;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (!allowed(cp)) {
        continue;
      }
      if (cp == '-' && (lastDash || !any)) {
        out.append(' ');
      }
      out.appendCodePoint(cp);
      lastDash = cp == '-';
      any = true;
    }
    if (lastDash) {
      out.append(' ');
    }
  }
}
