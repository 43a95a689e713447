package io.estafeta.template.internal;

import java.util.List;
import java.util.Map;

/** YAML scalars. Strings always become double-quoted scalars: the one style that holds anything. */
public final class YamlEscaping {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private YamlEscaping() {}

  /**
   * Content of a double-quoted scalar. Everything YAML does not allow printed (controls, DEL, C1,
   * U+FFFE/FFFF) and every line break YAML knows (LF, CR, NEL, U+2028, U+2029) is escaped; a lone
   * surrogate cannot be encoded in UTF-8 and becomes U+FFFD.
   */
  public static void doubleQuoted(String s, StringBuilder out) {
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      switch (cp) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case 0 -> out.append("\\0");
        case 0x7 -> out.append("\\a");
        case '\b' -> out.append("\\b");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case 0xB -> out.append("\\v");
        case '\f' -> out.append("\\f");
        case '\r' -> out.append("\\r");
        case 0x1B -> out.append("\\e");
        case 0x85 -> out.append("\\N");
        case 0x2028 -> out.append("\\L");
        case 0x2029 -> out.append("\\P");
        default -> {
          if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
            out.append("\\x").append(HEX[cp >> 4]).append(HEX[cp & 15]);
          } else if (cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF) {
            out.append("\\u").append(Integer.toHexString(cp).toUpperCase(java.util.Locale.ROOT));
          } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            out.append('\uFFFD');
          } else {
            out.appendCodePoint(cp);
          }
        }
      }
    }
  }

  /** Inside a comment: line breaks become spaces (or the text would leave the comment). */
  public static void comment(String s, StringBuilder out) {
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == '\n' || cp == '\r' || cp == 0x85 || cp == 0x2028 || cp == 0x2029) {
        out.append(' ');
      } else if (cp == '\t'
          || (cp >= 0x20 && cp < 0x7F)
          || cp >= 0xA0 && cp <= 0xD7FF
          || cp >= 0xE000 && cp <= 0xFFFD && cp != 0xFEFF
          || cp >= 0x10000) {
        out.appendCodePoint(cp);
      }
    }
  }

  /**
   * A node that reads back as the value: a double-quoted string, a plain number or boolean, {@code
   * null}, or JSON-like flow style for objects and lists.
   */
  public static void value(Object value, StringBuilder out) {
    switch (value) {
      case null -> out.append("null");
      case String s -> {
        out.append('"');
        doubleQuoted(s, out);
        out.append('"');
      }
      case Boolean b -> out.append(b.booleanValue());
      case Number n -> number(n, out);
      case JsonValue j -> value(j.value(), out);
      case Map<?, ?> m -> StructureWriter.write(m, StructureWriter.Flavor.YAML, out);
      case List<?> l -> StructureWriter.write(l, StructureWriter.Flavor.YAML, out);
      default -> value(ValueText.of(value), out);
    }
  }

  /**
   * A plain number YAML 1.1 reads as a number: floats need a signed exponent ({@code 1.0e+10}), and
   * NaN and the infinities have their own spelling.
   */
  public static void number(Number n, StringBuilder out) {
    if (!ValueText.isFinite(n)) {
      double d = n.doubleValue();
      out.append(Double.isNaN(d) ? ".nan" : d > 0 ? ".inf" : "-.inf");
      return;
    }
    String text = ValueText.number(n);
    int e = text.indexOf('E');
    if (e < 0) {
      out.append(text);
      return;
    }
    String mantissa = text.substring(0, e);
    String exponent = text.substring(e + 1);
    out.append(mantissa.indexOf('.') < 0 ? mantissa + ".0" : mantissa)
        .append('e')
        .append(exponent.startsWith("-") ? "" : "+")
        .append(exponent);
  }
}
